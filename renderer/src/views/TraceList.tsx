// The trace list: newest first, live. Rows open their trace on click or Enter.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TraceSortKey, TraceSummary } from '../../../shared/model';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { DEFAULT_OTLP_HTTP_ENDPOINT, otlpHttpEndpoint, useStats } from '../state/stats';
import { TRACE_PAGE_SIZE, useTraceList } from '../state/traces';
import { AGGREGATE_HASH, compareHash } from '../routing/view';
import { TraceFilterBar } from './TraceFilterBar';
import { TraceScatter } from './TraceScatter';

/** The trace open last (from here, a link, or history), so coming back focuses its row again. */
let lastOpenedTraceId: string | null = null;
useSelection.subscribe((state) => {
  if (state.traceId) lastOpenedTraceId = state.traceId;
});

function openTrace(traceId: string): void {
  void useSelection.getState().openTrace(traceId);
}

function tokens(t: TraceSummary): string {
  if (t.inputTokens === null && t.outputTokens === null) return '';
  return formatCount((t.inputTokens ?? 0) + (t.outputTokens ?? 0));
}

/** Up to two traces picked for comparison (the oldest pick drops out when a third is picked). */
function CompareCheckbox({ traceId }: { traceId: string }) {
  const picked = useTraceList((s) => s.comparePicks.includes(traceId));
  const toggle = useTraceList((s) => s.toggleComparePick);
  return (
    <td className="fit" onClick={(e) => e.stopPropagation()}>
      <input type="checkbox" aria-label="Select for comparison" checked={picked} onChange={() => toggle(traceId)} />
    </td>
  );
}

function CompareButton() {
  const picks = useTraceList((s) => s.comparePicks);
  if (picks.length === 0) return null;
  return picks.length === 2 ? (
    <a className="button" href={compareHash(picks[0]!, picks[1]!)}>
      Compare 2 traces
    </a>
  ) : (
    <span className="muted">pick one more trace to compare</span>
  );
}

function TraceRow({ trace }: { trace: TraceSummary }) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openTrace(trace.traceId);
    }
  };
  return (
    <tr tabIndex={0} data-trace-id={trace.traceId} onClick={() => openTrace(trace.traceId)} onKeyDown={onKeyDown}>
      <CompareCheckbox traceId={trace.traceId} />
      <td className="name" title={trace.rootName ?? undefined}>
        {trace.rootName ?? <span className="muted">(no root span)</span>}
      </td>
      <td className="service c-service">{trace.serviceName ?? ''}</td>
      <td className="mono c-start">{formatInstant(trace.startNs)}</td>
      <td className="num mono c-duration">{formatDuration(trace.durationNs)}</td>
      <td className="num mono c-spans">{formatCount(trace.spanCount)}</td>
      <td className="num mono c-errors">
        {trace.errorCount > 0 && (
          <span className="error-mark" title={`${trace.errorCount} span${trace.errorCount === 1 ? '' : 's'} with status error`}>
            <span aria-hidden="true">● </span>
            {formatCount(trace.errorCount)}
            <span className="visually-hidden"> {trace.errorCount === 1 ? 'error' : 'errors'}</span>
          </span>
        )}
      </td>
      <td className="num mono c-tokens" title={trace.inputTokens !== null ? `${trace.inputTokens ?? 0} in, ${trace.outputTokens ?? 0} out` : undefined}>
        {tokens(trace)}
      </td>
      <td className="num mono c-cost">{formatCost(trace.costUsd)}</td>
      <td className="mono session c-session" title={trace.sessionId ?? undefined}>
        {trace.sessionId ?? ''}
      </td>
    </tr>
  );
}

/** A column header that sorts the list; aria-sort says how it is sorted now. */
function SortHeader({ by, label, className }: { by: TraceSortKey; label: string; className: string }) {
  const sort = useTraceList((s) => s.query.sort ?? { by: 'start', dir: 'desc' });
  const sortBy = useTraceList((s) => s.sortBy);
  const active = sort.by === by;
  return (
    <th scope="col" className={className} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => void sortBy(by)}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

/** Columns that can be hidden (the root span name always shows); the choice is remembered. */
const OPTIONAL_COLUMNS = [
  ['service', 'Service'],
  ['start', 'Start'],
  ['duration', 'Duration'],
  ['spans', 'Spans'],
  ['errors', 'Errors'],
  ['tokens', 'Tokens'],
  ['cost', 'Cost'],
  ['session', 'Session'],
] as const;
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number][0];
const HIDDEN_COLUMNS_KEY = 'tracedeck.traceList.hiddenColumns';

function loadHiddenColumns(): OptionalColumn[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(HIDDEN_COLUMNS_KEY) ?? '[]');
    return Array.isArray(value) ? OPTIONAL_COLUMNS.map(([key]) => key).filter((key) => value.includes(key)) : [];
  } catch {
    return [];
  }
}

function saveHiddenColumns(hidden: OptionalColumn[]): void {
  try {
    window.localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify(hidden));
  } catch {
    // not remembered
  }
}

function ColumnChooser({ hidden, onChange }: { hidden: OptionalColumn[]; onChange(next: OptionalColumn[]): void }) {
  return (
    <details className="column-chooser">
      <summary>Columns</summary>
      <fieldset aria-label="Columns shown">
        {OPTIONAL_COLUMNS.map(([key, label]) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={!hidden.includes(key)}
              onChange={(e) => onChange(e.target.checked ? hidden.filter((h) => h !== key) : [...hidden, key])}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/** Pages of the list, fetched from the store one at a time (never the whole list). */
function Pager() {
  const offset = useTraceList((s) => s.query.offset ?? 0);
  const limit = useTraceList((s) => s.query.limit ?? TRACE_PAGE_SIZE);
  const total = useTraceList((s) => s.total);
  const shown = useTraceList((s) => s.traces.length);
  const setOffset = useTraceList((s) => s.setOffset);
  if (total <= limit && offset === 0) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <span className="mono">
        {formatCount(shown === 0 ? 0 : offset + 1)}–{formatCount(offset + shown)} of {formatCount(total)}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => void setOffset(offset - limit)}>
        Previous
      </button>
      <button type="button" disabled={offset + limit >= total} onClick={() => void setOffset(offset + limit)}>
        Next
      </button>
    </nav>
  );
}

/** Live tail control: Pause holds the list still and counts what arrives meanwhile. */
function LiveTail() {
  const paused = useTraceList((s) => s.paused);
  const arrivals = useTraceList((s) => s.pausedArrivals);
  const setPaused = useTraceList((s) => s.setPaused);
  return (
    <span className="live-tail">
      {paused && (
        <span role="status" className="muted">
          Paused · {formatCount(arrivals)} trace{arrivals === 1 ? '' : 's'} arrived or changed since
        </span>
      )}
      <button type="button" aria-pressed={paused} onClick={() => void setPaused(!paused)}>
        {paused ? 'Resume' : 'Pause'}
      </button>
    </span>
  );
}

function EmptyState() {
  const endpoint = useStats((s) => otlpHttpEndpoint(s)) ?? DEFAULT_OTLP_HTTP_ENDPOINT;
  return (
    <div className="empty">
      <h2>No traces yet</h2>
      <p>Point any OpenTelemetry SDK&apos;s OTLP exporter at Tracedeck and run your app:</p>
      <pre className="mono">OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}</pre>
      <p className="muted">
        Spans go to <span className="mono">{endpoint}/v1/traces</span> (OTLP/HTTP, protobuf or JSON). Traces appear here as
        they arrive; there is no need to reload.
      </p>
    </div>
  );
}

export function TraceList() {
  const traces = useTraceList((s) => s.traces);
  const total = useTraceList((s) => s.total);
  const loaded = useTraceList((s) => s.loaded);
  const error = useTraceList((s) => s.error);
  const filtered = useTraceList((s) => s.filterState.text.trim() !== '' || s.filterState.range !== 'all');
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [hidden, setHidden] = useState<OptionalColumn[]>(loadHiddenColumns);

  useEffect(() => {
    // Back from a trace: give the keyboard its row again (and scroll it into view).
    if (!lastOpenedTraceId) return;
    const rows = bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-trace-id]') ?? [];
    for (const row of rows) {
      if (row.dataset.traceId === lastOpenedTraceId) {
        row.focus();
        break;
      }
    }
  }, []);

  return (
    <section className="trace-list" aria-label="Trace list">
      <header className="pane-header">
        <h1 className="brand">Tracedeck</h1>
        <h2>Traces</h2>
        <span className="muted">
          {!loaded ? 'loading…' : formatCount(total)}
          {loaded && filtered ? ' matching' : ''}
        </span>
        <Pager />
        <ColumnChooser hidden={hidden} onChange={(next) => {
          setHidden(next);
          saveHiddenColumns(next);
        }} />
        <CompareButton />
        <a className="button" href={AGGREGATE_HASH} title="Every trace this filter matches, merged into one flame graph">
          Aggregate flame graph
        </a>
        <LiveTail />
      </header>
      <TraceFilterBar />
      <TraceScatter />
      {error && (
        <p className="error-banner" role="alert">
          Could not load traces: {error}
        </p>
      )}
      <div className="table-scroll">
        <table aria-label="Traces" className={`grid trace-table ${hidden.map((c) => `hide-${c}`).join(' ')}`}>
          <thead>
            <tr>
              <th scope="col" className="fit">
                <span className="visually-hidden">Compare</span>
              </th>
              <th scope="col" className="col-name">
                Root span
              </th>
              <th scope="col" className="c-service">
                Service
              </th>
              <SortHeader by="start" label="Start" className="fit c-start" />
              <SortHeader by="duration" label="Duration" className="fit num c-duration" />
              <SortHeader by="spans" label="Spans" className="fit num c-spans" />
              <SortHeader by="errors" label="Errors" className="fit num c-errors" />
              <th scope="col" className="fit num c-tokens">
                Tokens
              </th>
              <th scope="col" className="fit num c-cost">
                Cost
              </th>
              <th scope="col" className="fit c-session">
                Session
              </th>
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {traces.map((t) => (
              <TraceRow key={t.traceId} trace={t} />
            ))}
          </tbody>
        </table>
        {loaded && traces.length === 0 && !error && !filtered && <EmptyState />}
        {loaded && traces.length === 0 && !error && filtered && (
          <p className="empty muted">No traces match this filter.</p>
        )}
      </div>
    </section>
  );
}

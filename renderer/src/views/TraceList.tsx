// The trace list: one virtualised table over every matching trace. The scrollbar spans the whole
// total; only the rows in view (plus OVERSCAN_ROWS either side) are in the DOM, and only the store
// pages under them are fetched (state/traces.ts). The geometry is trace-list/windowing.ts's.
// Rows open their trace on click or Enter; arrow keys, Page Up/Down, Home and End move between
// rows however far the list goes.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { TraceSummary } from '../../../shared/model';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { prewarmTraceLayoutWorker } from '../state/trace-loader';
import { DEFAULT_OTLP_HTTP_ENDPOINT, otlpHttpEndpoint, useStats } from '../state/stats';
import { traceAt, useTraceList } from '../state/traces';
import { AGGREGATE_HASH, compareHash } from '../routing/view';
import {
  clampWidth,
  COLUMN_WIDTHS_KEY,
  COLUMNS,
  DEFAULT_WIDTHS,
  HIDDEN_COLUMNS_KEY,
  OPTIONAL_COLUMNS,
  parseColumnWidths,
  parseHiddenColumns,
  rowWidth,
  type ColumnKey,
  type ColumnSpec,
  type ColumnWidths,
} from '../trace-list/columns';
import {
  listTopForScrollTop,
  listTopToReveal,
  rowsPerPage,
  rowWindow,
  scrollHeight,
  scrollScale,
  scrollTopForListTop,
  type ListGeometry,
} from '../trace-list/windowing';
import { TraceFilterBar } from './TraceFilterBar';
import { TraceScatter } from './TraceScatter';

/** Every row is this tall (set inline, so the CSS cannot disagree with the windowing math). */
export const TRACE_ROW_HEIGHT = 26;
/** Rows rendered beyond each edge of the viewport, so a wheel notch shows no gap. */
const OVERSCAN_ROWS = 8;
/** Until the scroll container is measured (and in a window too small to matter). */
const FALLBACK_VIEWPORT_PX = 600;

/**
 * Where the list was when it unmounted (a trace opened over it), so coming back shows the same
 * rows and focuses the trace opened last; forgotten when the filter or sort changed meanwhile.
 */
const memory = { listTop: 0, activeIndex: 0, queryVersion: -1 };
let lastOpenedTraceId: string | null = null;
useSelection.subscribe((state) => {
  if (state.traceId) lastOpenedTraceId = state.traceId;
});

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // not remembered (storage full or disabled)
  }
}

const loadHiddenColumns = (): ColumnKey[] => parseHiddenColumns(readStored(HIDDEN_COLUMNS_KEY));
const loadColumnWidths = (): ColumnWidths => parseColumnWidths(readStored(COLUMN_WIDTHS_KEY));

function openTrace(traceId: string): void {
  void useSelection.getState().openTrace(traceId);
}

function tokens(t: TraceSummary): string {
  if (t.inputTokens === null && t.outputTokens === null) return '';
  return formatCount((t.inputTokens ?? 0) + (t.outputTokens ?? 0));
}

/** Up to two traces picked for comparison (the oldest pick drops out when a third is picked). */
function CompareCheckbox({ traceId, tabbable }: { traceId: string; tabbable: boolean }) {
  const picked = useTraceList((s) => s.comparePicks.includes(traceId));
  const toggle = useTraceList((s) => s.toggleComparePick);
  return (
    <td role="cell" className="c-pick" onClick={(e) => e.stopPropagation()}>
      <input
        type="checkbox"
        tabIndex={tabbable ? 0 : -1}
        aria-label="Select for comparison"
        checked={picked}
        onChange={() => toggle(traceId)}
      />
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

interface RowPlacement {
  index: number;
  top: number;
  tabbable: boolean;
}

function rowProps({ index, top, tabbable }: RowPlacement) {
  return {
    role: 'row',
    'aria-rowindex': index + 2, // the header is row 1
    'data-row-index': index,
    tabIndex: tabbable ? 0 : -1,
    style: { top, height: TRACE_ROW_HEIGHT },
  } as const;
}

/**
 * One row: a trace, or a placeholder while its page is on its way (same height, so nothing moves
 * when it arrives). The same <tr> either way, so a focused row keeps focus as its page lands.
 */
function TraceRow({ trace, placement }: { trace: TraceSummary | undefined; placement: RowPlacement }) {
  if (!trace) {
    return (
      <tr {...rowProps(placement)} className="placeholder" aria-busy="true">
        <td role="cell" className="c-pick" />
        <td role="cell" className="c-name">
          <span className="placeholder-bar">loading…</span>
        </td>
      </tr>
    );
  }
  return (
    <tr {...rowProps(placement)} data-trace-id={trace.traceId} onClick={() => openTrace(trace.traceId)}>
      <CompareCheckbox traceId={trace.traceId} tabbable={placement.tabbable} />
      <td role="cell" className="c-name" title={trace.rootName ?? undefined}>
        {trace.rootName ?? <span className="muted">(no root span)</span>}
      </td>
      <td role="cell" className="c-service">{trace.serviceName ?? ''}</td>
      <td role="cell" className="mono c-start">{formatInstant(trace.startNs)}</td>
      <td role="cell" className="num mono c-duration">{formatDuration(trace.durationNs)}</td>
      <td role="cell" className="num mono c-spans">{formatCount(trace.spanCount)}</td>
      <td role="cell" className="num mono c-errors">
        {trace.errorCount > 0 && (
          <span className="error-mark" title={`${trace.errorCount} span${trace.errorCount === 1 ? '' : 's'} with status error`}>
            <span aria-hidden="true">● </span>
            {formatCount(trace.errorCount)}
            <span className="visually-hidden"> {trace.errorCount === 1 ? 'error' : 'errors'}</span>
          </span>
        )}
      </td>
      <td
        role="cell"
        className="num mono c-tokens"
        title={trace.inputTokens !== null ? `${trace.inputTokens ?? 0} in, ${trace.outputTokens ?? 0} out` : undefined}
      >
        {tokens(trace)}
      </td>
      <td role="cell" className="num mono c-cost">{formatCost(trace.costUsd)}</td>
      <td role="cell" className="mono c-session" title={trace.sessionId ?? undefined}>
        {trace.sessionId ?? ''}
      </td>
    </tr>
  );
}

/** A drag handle on a header's right edge; double-click puts the default width back. */
function ResizeHandle({ column, width, onResize, onResized }: {
  column: ColumnSpec;
  width: number;
  onResize(key: ColumnKey, width: number): void;
  onResized(): void;
}) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  const onPointerDown = (event: ReactPointerEvent<HTMLSpanElement>): void => {
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, width };
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLSpanElement>): void => {
    if (drag.current) onResize(column.key, clampWidth(drag.current.width + event.clientX - drag.current.x));
  };
  const onPointerUp = (): void => {
    if (!drag.current) return;
    drag.current = null;
    onResized();
  };
  return (
    // Pointer only (hidden from the accessibility tree, so the header's name stays its label).
    <span
      className="col-resize"
      aria-hidden="true"
      title={`Drag to resize ${column.label}; double-click for the default width`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={() => {
        onResize(column.key, DEFAULT_WIDTHS[column.key]);
        onResized();
      }}
    />
  );
}

/** A header cell: sorts the list when the column sorts (aria-sort says how it is sorted now). */
function HeaderCell({ column, width, onResize, onResized }: {
  column: ColumnSpec;
  width: number;
  onResize(key: ColumnKey, width: number): void;
  onResized(): void;
}) {
  const sort = useTraceList((s) => s.sort);
  const sortBy = useTraceList((s) => s.sortBy);
  const active = column.sort !== undefined && sort.by === column.sort;
  const className = `c-${column.key}${column.numeric ? ' num' : ''}`;
  const ariaSort = column.sort === undefined ? undefined : active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th role="columnheader" scope="col" className={className} aria-sort={ariaSort}>
      {column.key === 'pick' ? (
        <span className="visually-hidden">{column.label}</span>
      ) : column.sort ? (
        <button type="button" className="sort-button" onClick={() => void sortBy(column.sort!)}>
          {column.label}
          <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      ) : (
        column.label
      )}
      {column.key !== 'pick' && <ResizeHandle column={column} width={width} onResize={onResize} onResized={onResized} />}
    </th>
  );
}

function ColumnChooser({ hidden, onChange }: { hidden: ColumnKey[]; onChange(next: ColumnKey[]): void }) {
  return (
    <details className="column-chooser">
      <summary>Columns</summary>
      <fieldset aria-label="Columns shown">
        {OPTIONAL_COLUMNS.map(({ key, label }) => (
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

/** Column widths, remembered when a drag ends. */
function useColumnWidths(): [ColumnWidths, (key: ColumnKey, width: number) => void, () => void] {
  const [widths, setWidths] = useState<ColumnWidths>(loadColumnWidths);
  const latest = useRef(widths);
  latest.current = widths;
  const resize = useCallback((key: ColumnKey, width: number) => setWidths((w) => ({ ...w, [key]: width })), []);
  const save = useCallback(() => store(COLUMN_WIDTHS_KEY, latest.current), []);
  return [widths, resize, save];
}

/**
 * The scroll position, kept in list space. Unscaled, listTop is just scrollTop. Scaled (a list
 * taller than the browser allows), the wheel moves listTop by its own pixels, so a notch still
 * moves a few rows, while a dragged scrollbar sets listTop from scrollTop.
 */
function useListScroll(total: number, queryVersion: number) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_PX);
  const restoring = memory.queryVersion === queryVersion;
  const [position, setPosition] = useState(() => ({ listTop: restoring ? memory.listTop : 0, scrollTop: 0 }));
  const geometry: ListGeometry = { rowCount: total, rowHeight: TRACE_ROW_HEIGHT, viewportHeight };
  const geometryRef = useRef(geometry);
  geometryRef.current = geometry;
  const positionRef = useRef(position);
  positionRef.current = position;
  /** The scrollTop we set ourselves: its scroll event must not reset listTop from the rounded value. */
  const ownScrollTop = useRef<number | null>(null);

  const scrollToListTop = useCallback((listTop: number) => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const g = geometryRef.current;
    const bounded = Math.min(Math.max(listTop, 0), Math.max(0, g.rowCount * g.rowHeight - g.viewportHeight));
    scroller.scrollTop = scrollTopForListTop(bounded, g);
    ownScrollTop.current = scroller.scrollTop;
    setPosition({ listTop: bounded, scrollTop: scroller.scrollTop });
  }, []);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const measure = (): void => {
      const height = scroller.clientHeight - (headRef.current?.offsetHeight ?? 0);
      if (height > 0) setViewportHeight(height);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // Coming back from a trace: the same place. A new filter or sort: the top.
  const shownVersion = useRef(queryVersion);
  useLayoutEffect(() => {
    if (shownVersion.current === queryVersion) {
      if (restoring && memory.listTop > 0) scrollToListTop(memory.listTop);
      return;
    }
    shownVersion.current = queryVersion;
    scrollToListTop(0);
    // Only on a new query (and at mount): later positions are the user's.
  }, [queryVersion]);

  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const onScroll = (): void => {
      const scrollTop = scroller.scrollTop;
      const own = ownScrollTop.current;
      ownScrollTop.current = null;
      if (own !== null && Math.abs(own - scrollTop) < 1) {
        setPosition((p) => ({ listTop: p.listTop, scrollTop }));
      } else {
        setPosition({ listTop: listTopForScrollTop(scrollTop, geometryRef.current), scrollTop });
      }
    };
    const onWheel = (event: WheelEvent): void => {
      const g = geometryRef.current;
      if (scrollScale(g) <= 1 || event.ctrlKey || event.deltaY === 0) return; // the browser scrolls
      event.preventDefault();
      const unit = event.deltaMode === 1 ? g.rowHeight : event.deltaMode === 2 ? g.viewportHeight : 1;
      scroller.scrollLeft += event.deltaX * unit;
      scrollToListTop(positionRef.current.listTop + event.deltaY * unit);
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    scroller.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      scroller.removeEventListener('scroll', onScroll);
      scroller.removeEventListener('wheel', onWheel);
    };
  }, [scrollToListTop]);

  useEffect(() => {
    memory.listTop = position.listTop;
    memory.queryVersion = queryVersion;
  }, [position.listTop, queryVersion]);

  return { scrollerRef, headRef, geometry, position, scrollToListTop };
}

export function TraceList() {
  const pages = useTraceList((s) => s.pages);
  const total = useTraceList((s) => s.total);
  const loaded = useTraceList((s) => s.loaded);
  const error = useTraceList((s) => s.error);
  const queryVersion = useTraceList((s) => s.queryVersion);
  const setVisibleRows = useTraceList((s) => s.setVisibleRows);
  const filtered = useTraceList((s) => s.filterState.text.trim() !== '' || s.filterState.range !== 'all');
  const [hidden, setHidden] = useState<ColumnKey[]>(loadHiddenColumns);
  const [widths, resizeColumn, saveWidths] = useColumnWidths();
  const { scrollerRef, headRef, geometry, position, scrollToListTop } = useListScroll(total, queryVersion);
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  const rowsShown = rowWindow(geometry, position.listTop, position.scrollTop, OVERSCAN_ROWS);
  useEffect(() => {
    void setVisibleRows(rowsShown.first, rowsShown.end);
  }, [setVisibleRows, rowsShown.first, rowsShown.end]);
  // Once the list is in, start the trace-layout worker, so a large trace opened from it need not wait.
  useEffect(() => {
    if (loaded) prewarmTraceLayoutWorker();
  }, [loaded]);

  // Keyboard focus: one row is the table's tab stop (roving tabindex); arrows move it.
  const [activeIndex, setActiveIndex] = useState(() => (memory.queryVersion === queryVersion ? memory.activeIndex : 0));
  const focusWanted = useRef<'index' | 'opened' | null>(lastOpenedTraceId ? 'opened' : null);
  useEffect(() => {
    memory.activeIndex = activeIndex;
  }, [activeIndex]);
  useEffect(() => {
    if (total > 0 && activeIndex >= total) setActiveIndex(total - 1);
  }, [total, activeIndex]);
  const previousVersion = useRef(queryVersion);
  if (previousVersion.current !== queryVersion) {
    previousVersion.current = queryVersion;
    setActiveIndex(0);
  }

  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body || focusWanted.current === null) return;
    const selector =
      focusWanted.current === 'opened' && lastOpenedTraceId
        ? `tr[data-trace-id="${CSS.escape(lastOpenedTraceId)}"]`
        : `tr[data-row-index="${activeIndex}"]`;
    const row = body.querySelector<HTMLTableRowElement>(selector);
    if (row) {
      row.focus({ preventScroll: true });
      focusWanted.current = null;
    } else if (focusWanted.current === 'opened' && loaded) {
      focusWanted.current = null; // not among the rows shown: nothing to give focus back to
    }
  });

  const moveTo = (index: number): void => {
    if (total === 0) return;
    const next = Math.min(Math.max(index, 0), total - 1);
    setActiveIndex(next);
    focusWanted.current = 'index';
    scrollToListTop(listTopToReveal(next, position.listTop, geometry));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>): void => {
    const row = (event.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-row-index]');
    if (!row) return;
    const index = Number(row.dataset.rowIndex);
    const page = rowsPerPage(geometry);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    } else if ((event.key === 'Enter' || event.key === ' ') && event.target === row) {
      event.preventDefault();
      if (row.dataset.traceId) openTrace(row.dataset.traceId);
    }
  };

  const firstVisible = Math.min(Math.floor(position.listTop / TRACE_ROW_HEIGHT), Math.max(total - 1, 0));
  const tabStop = activeIndex >= rowsShown.first && activeIndex < rowsShown.end ? activeIndex : firstVisible;
  const rows = [];
  for (let index = rowsShown.first; index < rowsShown.end; index++) {
    const placement = { index, top: rowsShown.firstTop + (index - rowsShown.first) * TRACE_ROW_HEIGHT, tabbable: index === tabStop };
    rows.push(<TraceRow key={index} trace={traceAt(pages, index)} placement={placement} />);
  }

  const shown = COLUMNS.filter((c) => !hidden.includes(c.key));
  const tableStyle = {
    minWidth: rowWidth(widths, hidden),
    ...Object.fromEntries(COLUMNS.map((c) => [`--w-${c.key}`, `${widths[c.key]}px`])),
  } as CSSProperties;

  return (
    <section className="trace-list" aria-label="Trace list">
      <header className="pane-header">
        <h1 className="brand">Tracedeck</h1>
        <h2>Traces</h2>
        <span className="muted">
          {!loaded ? 'loading…' : formatCount(total)}
          {loaded && filtered ? ' matching' : ''}
        </span>
        <ColumnChooser
          hidden={hidden}
          onChange={(next) => {
            setHidden(next);
            store(HIDDEN_COLUMNS_KEY, next);
          }}
        />
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
      <div className="table-scroll trace-table-scroll" ref={scrollerRef}>
        <table
          role="table"
          aria-label="Traces"
          aria-rowcount={total + 1}
          className={`trace-table ${hidden.map((c) => `hide-${c}`).join(' ')}`}
          style={tableStyle}
        >
          <thead role="rowgroup" ref={headRef}>
            <tr role="row" aria-rowindex={1}>
              {shown.map((column) => (
                <HeaderCell key={column.key} column={column} width={widths[column.key]} onResize={resizeColumn} onResized={saveWidths} />
              ))}
            </tr>
          </thead>
          <tbody
            role="rowgroup"
            ref={bodyRef}
            style={{ height: scrollHeight(geometry) }}
            onKeyDown={onKeyDown}
            onFocus={(event) => {
              const row = (event.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-row-index]');
              if (row) setActiveIndex(Number(row.dataset.rowIndex));
            }}
          >
            {rows}
          </tbody>
        </table>
        {loaded && total === 0 && !error && !filtered && <EmptyState />}
        {loaded && total === 0 && !error && filtered && <p className="empty muted">No traces match this filter.</p>}
      </div>
    </section>
  );
}

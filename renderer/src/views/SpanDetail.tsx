// The selected span's full detail. Everything that comes from the span is rendered as React
// text: no dangerouslySetInnerHTML, no href built from span data (a span can carry anything).
import { useMemo, type ReactNode } from 'react';
import type { JsonNode } from '../../../shared/json';
import type { SpanDetail as SpanDetailModel } from '../../../shared/model';
import { formatCost, formatCount, formatDuration, formatInstant, nanosBetween } from '../format';
import { useSelection } from '../state/selection';
import type { SpanTree } from '../tree/rows';
import { field, parseJsonSafe, stringField, type JsonEntries } from './json-values';
import { KeyValueTable } from './KeyValueTable';
import { Transcript } from '../llm/Transcript';
import { openSandwich } from '../routing/view';

type Fact = [label: string, value: ReactNode, mono?: boolean];

function Facts({ facts }: { facts: Fact[] }) {
  return (
    <dl className="facts">
      {facts.map(([label, value, mono = true]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className={mono ? 'mono' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A span id that selects the span when it is in the open trace. */
function SpanRef({ spanId, tree }: { spanId: string; tree: SpanTree | null }) {
  const index = tree?.indexById.get(spanId);
  if (index === undefined) {
    return (
      <>
        <span className="selectable">{spanId}</span> <span className="muted">(not in this trace)</span>
      </>
    );
  }
  return (
    <>
      <button type="button" className="link-button mono" onClick={() => void useSelection.getState().selectSpan(spanId)}>
        {spanId}
      </button>{' '}
      <span className="muted">{tree!.spans[index]!.name}</span>
    </>
  );
}

/** Parses a JSON object payload into entries; a payload that is not an object is shown raw. */
function JsonObjectSection({ title, json, label }: { title: string; json: string; label: string }) {
  const node = useMemo(() => parseJsonSafe(json), [json]);
  const entries: JsonEntries = node?.kind === 'object' ? node.entries : [];
  return (
    <>
      <h4>
        {title} {entries.length > 0 && <span className="count">{entries.length}</span>}
      </h4>
      {node === null || node.kind !== 'object' ? <RawJson json={json} /> : <KeyValueTable entries={entries} label={label} />}
    </>
  );
}

function RawJson({ json }: { json: string }) {
  if (json.trim() === '' || json === 'null') return <p className="muted empty-note">None.</p>;
  return (
    <>
      <p className="muted empty-note">Not a JSON object; shown as stored:</p>
      <pre className="raw mono">{json}</pre>
    </>
  );
}

function objectEntries(node: JsonNode | undefined): JsonEntries {
  return node?.kind === 'object' ? node.entries : [];
}

function Events({ json, spanStartNs }: { json: string; spanStartNs: string }) {
  const node = useMemo(() => parseJsonSafe(json), [json]);
  const events = node?.kind === 'array' ? node.items : [];
  return (
    <>
      <h4>Events {events.length > 0 && <span className="count">{events.length}</span>}</h4>
      {node !== null && node.kind !== 'array' ? (
        <RawJson json={json} />
      ) : events.length === 0 ? (
        <p className="muted empty-note">No events.</p>
      ) : (
        <ol className="events">
          {events.map((event, i) => {
            const name = stringField(event, 'name');
            const timeNs = stringField(event, 'time_unix_nano');
            const offset = timeNs === null ? null : nanosBetween(spanStartNs, timeNs);
            const attributes = objectEntries(field(event, 'attributes'));
            return (
              <li key={i}>
                <div className="event-head">
                  <span className="event-offset mono" title={stringField(event, 'time') ?? undefined}>
                    {offset === null ? '' : `+${formatDuration(offset)}`}
                  </span>
                  <span className="event-name">{name ?? '(unnamed event)'}</span>
                </div>
                {attributes.length > 0 && <KeyValueTable entries={attributes} label={`Attributes of event ${name ?? i + 1}`} />}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

function Links({ json, tree, traceId }: { json: string; tree: SpanTree | null; traceId: string }) {
  const node = useMemo(() => parseJsonSafe(json), [json]);
  const links = node?.kind === 'array' ? node.items : [];
  return (
    <>
      <h4>Links {links.length > 0 && <span className="count">{links.length}</span>}</h4>
      {node !== null && node.kind !== 'array' ? (
        <RawJson json={json} />
      ) : links.length === 0 ? (
        <p className="muted empty-note">No links.</p>
      ) : (
        <ol className="links">
          {links.map((link, i) => {
            const linkTrace = stringField(link, 'trace_id') ?? '';
            const linkSpan = stringField(link, 'span_id') ?? '';
            const traceState = stringField(link, 'trace_state');
            const attributes = objectEntries(field(link, 'attributes'));
            const facts: Fact[] = [
              ['Trace ID', linkTrace === traceId ? <>{linkTrace} <span className="muted">(this trace)</span></> : <span className="selectable">{linkTrace}</span>],
              ['Span ID', linkTrace === traceId ? <SpanRef spanId={linkSpan} tree={tree} /> : <span className="selectable">{linkSpan}</span>],
            ];
            if (traceState) facts.push(['Trace state', traceState]);
            return (
              <li key={i}>
                <Facts facts={facts} />
                {attributes.length > 0 && <KeyValueTable entries={attributes} label={`Attributes of link ${i + 1}`} />}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

function llmFacts(span: SpanDetailModel): Fact[] {
  const facts: Fact[] = [];
  if (span.spanType) facts.push(['Span type', span.spanType]);
  if (span.llmProvider) facts.push(['Provider', span.llmProvider]);
  if (span.llmModel) facts.push(['Model', span.llmModel]);
  if (span.inputTokens !== null) facts.push(['Input tokens', formatCount(span.inputTokens)]);
  if (span.outputTokens !== null) facts.push(['Output tokens', formatCount(span.outputTokens)]);
  if (span.totalTokens !== null) facts.push(['Total tokens', formatCount(span.totalTokens)]);
  if (span.costUsd !== null) facts.push(['Cost', formatCost(span.costUsd)]);
  else if (span.spanType === 'llm' && span.llmModel) facts.push(['Cost', <span className="muted">model not in the price table</span>, false]);
  if (span.sessionId) facts.push(['Session', span.sessionId]);
  if (span.userId) facts.push(['User', span.userId]);
  return facts;
}

function SpanContent({ span, tree }: { span: SpanDetailModel; tree: SpanTree | null }) {
  const isError = span.statusCode === 'error';
  const facts: Fact[] = [
    ['Span ID', <span className="selectable">{span.spanId}</span>],
    ['Parent', span.parentSpanId ? <SpanRef spanId={span.parentSpanId} tree={tree} /> : <span className="muted">none (root span)</span>],
    ['Kind', span.kind],
    [
      'Status',
      <>
        <span className={isError ? 'error-mark' : undefined}>{span.statusCode}</span>
        {span.statusMessage && <span className="status-message">{span.statusMessage}</span>}
      </>,
    ],
    ['Start', formatInstant(span.startNs)],
    ['Duration', formatDuration(span.durationNs)],
    ['Service', span.serviceName ?? <span className="muted">unknown</span>, false],
    ['Scope', [span.scopeName, span.scopeVersion].filter(Boolean).join(' ') || <span className="muted">none</span>],
    ['Trace ID', <span className="selectable">{span.traceId}</span>],
  ];
  if (span.traceState) facts.push(['Trace state', span.traceState]);
  facts.push(['Source', span.source]);
  const llm = llmFacts(span);

  return (
    <>
      <h3 className={isError ? 'is-error' : undefined}>
        <span className="detail-name">{span.name}</span>
        {isError && <span className="error-mark">error</span>}
      </h3>
      <Facts facts={facts} />
      <p className="detail-links">
        <button type="button" className="link-button" onClick={() => openSandwich(span.name, span.traceId)}>
          Callers and callees of this name
        </button>
        {' · '}
        <button type="button" className="link-button" onClick={() => openSandwich(span.name)}>
          across the filtered traces
        </button>
      </p>
      {llm.length > 0 && (
        <>
          <h4>LLM</h4>
          <Facts facts={llm} />
        </>
      )}
      <Transcript traceId={span.traceId} spanId={span.spanId} />
      <JsonObjectSection title="Attributes" json={span.attributesJson} label="Attributes" />
      <JsonObjectSection title="Resource" json={span.resourceAttributesJson} label="Resource attributes" />
      <Events json={span.eventsJson} spanStartNs={span.startNs} />
      <Links json={span.linksJson} tree={tree} traceId={span.traceId} />
    </>
  );
}

export function SpanDetail() {
  const spanId = useSelection((s) => s.spanId);
  const span = useSelection((s) => s.span);
  const status = useSelection((s) => s.spanStatus);
  const error = useSelection((s) => s.spanError);
  const tree = useSelection((s) => s.tree);

  let body: ReactNode;
  if (span && span.spanId === spanId) body = <SpanContent span={span} tree={tree} />;
  else if (!spanId) body = <p className="muted">Select a span to see its attributes.</p>;
  else if (status === 'missing') body = <p className="muted">Span {spanId} is not in the store.</p>;
  else if (status === 'error') body = <p className="error-banner">Could not load span {spanId}: {error}</p>;
  else body = <p className="muted">Loading span…</p>;

  return (
    <section className="span-detail" aria-label="Span detail">
      {body}
    </section>
  );
}

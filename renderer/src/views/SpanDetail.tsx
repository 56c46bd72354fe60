// One span's detail. Everything from the span is rendered as text: a span can carry anything.
import { useMemo } from 'react';
import { parseJsonLossless, stringifyJsonNode, type JsonNode } from '../../../shared/json';
import type { SpanDetail as SpanDetailModel } from '../../../shared/model';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';

function parseSafe(text: string): JsonNode | null {
  try {
    return parseJsonLossless(text);
  } catch {
    return null;
  }
}

function valueText(node: JsonNode): string {
  if (node.kind === 'string') return node.value;
  return stringifyJsonNode(node, node.kind === 'object' || node.kind === 'array');
}

function AttributeTable({ json, label }: { json: string; label: string }) {
  const node = useMemo(() => parseSafe(json), [json]);
  const entries = node?.kind === 'object' ? node.entries : [];
  if (entries.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td className={value.kind === 'string' ? '' : 'mono'}>
              <span className="kv-value">{valueText(value)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventList({ json, spanStartNs }: { json: string; spanStartNs: string }) {
  const node = useMemo(() => parseSafe(json), [json]);
  const events = node?.kind === 'array' ? node.items : [];
  if (events.length === 0) return <p className="muted">No events.</p>;
  return (
    <ol className="events">
      {events.map((event, i) => {
        const fields = event.kind === 'object' ? new Map(event.entries) : new Map<string, JsonNode>();
        const name = fields.get('name');
        const time = fields.get('time_unix_nano');
        const offset = time?.kind === 'number' ? Number(BigInt(time.text) - BigInt(spanStartNs)) : null;
        const attributes = fields.get('attributes');
        return (
          <li key={i}>
            <div className="event-head">
              <span className="span-name">{name?.kind === 'string' ? name.value : '(event)'}</span>
              {offset !== null && <span className="mono muted">+{formatDuration(offset)}</span>}
            </div>
            {attributes && <AttributeTable json={stringifyJsonNode(attributes)} label="Event attributes" />}
          </li>
        );
      })}
    </ol>
  );
}

export function SpanDetail({ span }: { span: SpanDetailModel | null }) {
  if (!span) {
    return (
      <section className="span-detail" aria-label="Span detail">
        <p className="muted">Select a span.</p>
      </section>
    );
  }
  const isError = span.statusCode === 'error';
  const facts: [string, string][] = [
    ['Span ID', span.spanId],
    ['Parent', span.parentSpanId ?? '(root)'],
    ['Trace ID', span.traceId],
    ['Kind', span.kind],
    ['Status', `${span.statusCode}${span.statusMessage ? `: ${span.statusMessage}` : ''}`],
    ['Start', formatInstant(span.startNs)],
    ['Duration', formatDuration(span.durationNs)],
    ['Service', span.serviceName ?? ''],
    ['Scope', [span.scopeName, span.scopeVersion].filter(Boolean).join(' ')],
    ['Source', span.source],
  ];
  if (span.traceState) facts.push(['Trace state', span.traceState]);
  const llm: [string, string][] = [];
  if (span.spanType) llm.push(['Span type', span.spanType]);
  if (span.llmProvider) llm.push(['Provider', span.llmProvider]);
  if (span.llmModel) llm.push(['Model', span.llmModel]);
  if (span.inputTokens !== null) llm.push(['Input tokens', formatCount(span.inputTokens)]);
  if (span.outputTokens !== null) llm.push(['Output tokens', formatCount(span.outputTokens)]);
  if (span.totalTokens !== null) llm.push(['Total tokens', formatCount(span.totalTokens)]);
  if (span.spanType === 'llm' || span.costUsd !== null) llm.push(['Cost', span.costUsd === null ? 'no price' : formatCost(span.costUsd)]);
  if (span.sessionId) llm.push(['Session', span.sessionId]);
  if (span.userId) llm.push(['User', span.userId]);

  return (
    <section className="span-detail" aria-label="Span detail">
      <h3 className={isError ? 'is-error' : ''}>
        {span.name}
        {isError && <span className="error-mark">error</span>}
      </h3>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
      </dl>
      {llm.length > 0 && (
        <>
          <h4>LLM</h4>
          <dl className="facts">
            {llm.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd className="mono">{v}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h4>Attributes</h4>
      <AttributeTable json={span.attributesJson} label="Attributes" />
      <h4>Events</h4>
      <EventList json={span.eventsJson} spanStartNs={span.startNs} />
      <h4>Links</h4>
      <AttributeTable json={linksAsObject(span.linksJson)} label="Links" />
      <h4>Resource</h4>
      <AttributeTable json={span.resourceAttributesJson} label="Resource attributes" />
    </section>
  );
}

/** Links shown as "trace/span" → attributes rows. */
function linksAsObject(json: string): string {
  const node = parseSafe(json);
  if (node?.kind !== 'array') return '{}';
  const entries: [string, JsonNode][] = node.items.map((link, i) => {
    const f = link.kind === 'object' ? new Map(link.entries) : new Map<string, JsonNode>();
    const t = f.get('trace_id');
    const s = f.get('span_id');
    const key = `${t?.kind === 'string' ? t.value : '?'}/${s?.kind === 'string' ? s.value : '?'}`;
    return [key || String(i), f.get('attributes') ?? { kind: 'object', entries: [] }];
  });
  return stringifyJsonNode({ kind: 'object', entries });
}

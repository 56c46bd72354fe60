// Export: the `spans` view to Parquet (the SQL is in store/span-import.ts), one trace as OTLP
// JSON (an ExportTraceServiceRequest that Tracedeck and any OTLP/JSON reader re-import), and a
// compact text outline of one trace for pasting into a chat with an LLM.
import { statSync } from 'node:fs';
import { dirname, extname, isAbsolute } from 'node:path';
import { existsSync } from 'node:fs';
import type { ExportResult, ExportSelection } from '../../../shared/import';
import type { Store } from '../store';
import { exportSpansParquet, readTraceSpans, type FullSpanRow } from '../store/span-import';

export class ExportPathError extends Error {
  override name = 'ExportPathError';
}

/** The output must be an absolute .parquet path in an existing folder. */
export function checkExportPath(path: string): void {
  if (!isAbsolute(path)) throw new ExportPathError(`${path}: the export path must be absolute`);
  if (extname(path).toLowerCase() !== '.parquet') throw new ExportPathError(`${path}: the export file must end in .parquet`);
  if (!existsSync(dirname(path))) throw new ExportPathError(`${path}: the folder ${dirname(path)} does not exist`);
}

export async function exportParquet(store: Store, outPath: string, selection: ExportSelection = {}): Promise<ExportResult> {
  checkExportPath(outPath);
  const started = performance.now();
  const rows = await store.exclusive((conn) => exportSpansParquet(conn, outPath, selection));
  return { path: outPath, rows, bytes: statSync(outPath).size, elapsedMs: performance.now() - started };
}

// ---- JSON text → OTLP AnyValue JSON, keeping ints and doubles apart ---------------------------

type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: { key: string; value: OtlpAnyValue }[] } }
  | Record<string, never>;

/**
 * A small JSON reader that keeps the literal text of numbers: the store writes int64 as an
 * integer literal (exact beyond 2^53) and doubles always with a fraction or exponent, so the
 * text alone says which OTLP type a value had (otlp/attributes-json.ts).
 */
class JsonToOtlp {
  private i = 0;
  constructor(private readonly text: string) {}

  static keyValues(text: string): { key: string; value: OtlpAnyValue }[] {
    const value = new JsonToOtlp(text).value();
    return 'kvlistValue' in value ? value.kvlistValue.values : [];
  }

  static any(text: string): OtlpAnyValue {
    return new JsonToOtlp(text).value();
  }

  private ws(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (ch === '\\') this.i += 2;
      else if (ch === '"') break;
      else this.i++;
    }
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  value(): OtlpAnyValue {
    this.ws();
    const ch = this.text[this.i];
    if (ch === '{') {
      this.i++;
      const values: { key: string; value: OtlpAnyValue }[] = [];
      this.ws();
      if (this.text[this.i] === '}') {
        this.i++;
        return { kvlistValue: { values } };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        this.i++; // ':'
        values.push({ key, value: this.value() });
        this.ws();
        if (this.text[this.i++] === '}') break;
      }
      return { kvlistValue: { values } };
    }
    if (ch === '[') {
      this.i++;
      const values: OtlpAnyValue[] = [];
      this.ws();
      if (this.text[this.i] === ']') {
        this.i++;
        return { arrayValue: { values } };
      }
      for (;;) {
        values.push(this.value());
        this.ws();
        if (this.text[this.i++] === ']') break;
      }
      return { arrayValue: { values } };
    }
    if (ch === '"') return { stringValue: this.string() };
    if (this.text.startsWith('true', this.i)) {
      this.i += 4;
      return { boolValue: true };
    }
    if (this.text.startsWith('false', this.i)) {
      this.i += 5;
      return { boolValue: false };
    }
    if (this.text.startsWith('null', this.i)) {
      this.i += 4;
      return {};
    }
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 64));
    if (!match) throw new Error(`unexpected JSON at ${this.i}`);
    this.i += match[0].length;
    return match[1] || match[2] ? { doubleValue: Number(match[0]) } : { intValue: match[0] };
  }
}

const KIND_NUMBER: Record<string, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS_NUMBER: Record<string, number> = { unset: 0, ok: 1, error: 2 };

interface StoredEvent {
  time?: string | number;
  name?: string;
  attributes?: unknown;
}
interface StoredLink {
  trace_id?: string;
  span_id?: string;
  trace_state?: string;
  attributes?: unknown;
}

/** One stored span as an OTLP/JSON span (ids as hex text, times as decimal strings). */
function spanToOtlp(s: FullSpanRow): Record<string, unknown> {
  const events = JSON.parse(s.events) as StoredEvent[];
  const links = JSON.parse(s.links) as StoredLink[];
  const eventAttributes = JsonToOtlp.any(s.events);
  const linkAttributes = JsonToOtlp.any(s.links);
  const attributesOf = (list: OtlpAnyValue, index: number): { key: string; value: OtlpAnyValue }[] => {
    if (!('arrayValue' in list)) return [];
    const item = list.arrayValue.values[index];
    if (!item || !('kvlistValue' in item)) return [];
    const attrs = item.kvlistValue.values.find((kv) => kv.key === 'attributes')?.value;
    return attrs && 'kvlistValue' in attrs ? attrs.kvlistValue.values : [];
  };
  return {
    traceId: s.trace_id,
    spanId: s.span_id,
    ...(s.parent_span_id ? { parentSpanId: s.parent_span_id } : {}),
    ...(s.trace_state ? { traceState: s.trace_state } : {}),
    ...(s.flags ? { flags: s.flags } : {}),
    name: s.name,
    kind: KIND_NUMBER[s.kind] ?? 0,
    startTimeUnixNano: s.start_ns,
    endTimeUnixNano: s.end_ns,
    attributes: JsonToOtlp.keyValues(s.attributes),
    ...(s.dropped_attributes_count ? { droppedAttributesCount: s.dropped_attributes_count } : {}),
    events: events.map((e, i) => ({ timeUnixNano: String(e.time ?? s.start_ns), name: e.name ?? '', attributes: attributesOf(eventAttributes, i) })),
    ...(s.dropped_events_count ? { droppedEventsCount: s.dropped_events_count } : {}),
    links: links.map((l, i) => ({ traceId: l.trace_id ?? '', spanId: l.span_id ?? '', ...(l.trace_state ? { traceState: l.trace_state } : {}), attributes: attributesOf(linkAttributes, i) })),
    ...(s.dropped_links_count ? { droppedLinksCount: s.dropped_links_count } : {}),
    status: { code: STATUS_NUMBER[s.status_code] ?? 0, ...(s.status_message ? { message: s.status_message } : {}) },
  };
}

/** One trace as an OTLP/JSON ExportTraceServiceRequest (spans grouped by resource and scope); null when unknown. */
export async function exportTraceOtlpJson(store: Store, traceId: string): Promise<string | null> {
  const spans = await store.exclusive((conn) => readTraceSpans(conn, traceId));
  if (spans.length === 0) return null;
  const resources = new Map<string, { resource: FullSpanRow; scopes: Map<string, { scope: FullSpanRow; spans: FullSpanRow[] }> }>();
  for (const s of spans) {
    const rKey = `${s.resource_attributes}\u0000${s.resource_schema_url}`;
    let r = resources.get(rKey);
    if (!r) resources.set(rKey, (r = { resource: s, scopes: new Map() }));
    const sKey = `${s.scope_name}\u0000${s.scope_version}\u0000${s.scope_attributes}\u0000${s.scope_schema_url}`;
    let scope = r.scopes.get(sKey);
    if (!scope) r.scopes.set(sKey, (scope = { scope: s, spans: [] }));
    scope.spans.push(s);
  }
  const request = {
    resourceSpans: [...resources.values()].map((r) => ({
      resource: { attributes: JsonToOtlp.keyValues(r.resource.resource_attributes) },
      ...(r.resource.resource_schema_url ? { schemaUrl: r.resource.resource_schema_url } : {}),
      scopeSpans: [...r.scopes.values()].map((sc) => ({
        scope: {
          ...(sc.scope.scope_name ? { name: sc.scope.scope_name } : {}),
          ...(sc.scope.scope_version ? { version: sc.scope.scope_version } : {}),
          attributes: JsonToOtlp.keyValues(sc.scope.scope_attributes),
        },
        ...(sc.scope.scope_schema_url ? { schemaUrl: sc.scope.scope_schema_url } : {}),
        spans: sc.spans.map(spanToOtlp),
      })),
    })),
  };
  return JSON.stringify(request);
}

// ---- outline --------------------------------------------------------------------------------

/** Attribute keys that hold an LLM call's input and output, most specific first. */
const INPUT_KEYS = ['gen_ai.input.messages', 'gen_ai.prompt', 'llm.input_messages', 'input.value', 'ai.prompt', 'ai.prompt.messages', 'traceloop.entity.input', 'gen_ai.prompt.0.content'];
const OUTPUT_KEYS = ['gen_ai.output.messages', 'gen_ai.completion', 'llm.output_messages', 'output.value', 'ai.response.text', 'traceloop.entity.output', 'gen_ai.completion.0.content'];

function firstAttribute(attributes: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = attributes[key];
    if (v === undefined || v === null || v === '') continue;
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
  return null;
}

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)}s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(0)}µs`;
  return `${ns}ns`;
}

/** The outline text of spans (one trace): an indented tree, orphans listed under the trace, marked. */
export function outlineOf(spans: readonly FullSpanRow[], maxText = 200): string {
  if (spans.length === 0) return '';
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, FullSpanRow[]>();
  for (const s of spans) {
    const parent = s.parent_span_id && ids.has(s.parent_span_id) ? s.parent_span_id : null;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  const traceStart = spans.reduce((m, s) => (BigInt(s.start_ns) < m ? BigInt(s.start_ns) : m), BigInt(spans[0]!.start_ns));
  const traceEnd = spans.reduce((m, s) => (BigInt(s.end_ns) > m ? BigInt(s.end_ns) : m), BigInt(spans[0]!.end_ns));
  const errors = spans.filter((s) => s.status_code === 'error').length;
  const lines = [`trace ${spans[0]!.trace_id} — ${spans.length} spans, ${formatDuration(Number(traceEnd - traceStart))}${errors ? `, ${errors} error${errors > 1 ? 's' : ''}` : ''}`];
  const visit = (s: FullSpanRow, depth: number): void => {
    const indent = '  '.repeat(depth + 1);
    const duration = formatDuration(Number(BigInt(s.end_ns) - BigInt(s.start_ns)));
    const offset = formatDuration(Number(BigInt(s.start_ns) - traceStart));
    const parts = [`${indent}- ${s.name} [${duration} @+${offset}]`];
    if (s.service_name && depth === 0) parts.push(`service=${s.service_name}`);
    if (s.span_type) parts.push(`type=${s.span_type}`);
    if (s.llm_model) parts.push(`model=${s.llm_model}`);
    if (s.input_tokens !== null || s.output_tokens !== null) parts.push(`tokens=${s.input_tokens ?? '?'}→${s.output_tokens ?? '?'}`);
    if (s.parent_span_id && !ids.has(s.parent_span_id)) parts.push(`(parent ${s.parent_span_id} missing)`);
    if (s.status_code === 'error') parts.push(`ERROR${s.status_message ? `: ${oneLine(s.status_message, maxText)}` : ''}`);
    lines.push(parts.join(' '));
    if (s.span_type) {
      let attributes: Record<string, unknown> = {};
      try {
        attributes = JSON.parse(s.attributes) as Record<string, unknown>;
      } catch {
        // not an object: nothing to show
      }
      const input = firstAttribute(attributes, INPUT_KEYS);
      const output = firstAttribute(attributes, OUTPUT_KEYS);
      if (input) lines.push(`${indent}    input: ${oneLine(input, maxText)}`);
      if (output) lines.push(`${indent}    output: ${oneLine(output, maxText)}`);
    }
    for (const child of children.get(s.span_id) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return lines.join('\n');
}

export async function traceOutline(store: Store, traceId: string): Promise<string | null> {
  const spans = await store.exclusive((conn) => readTraceSpans(conn, traceId));
  return spans.length === 0 ? null : outlineOf(spans);
}

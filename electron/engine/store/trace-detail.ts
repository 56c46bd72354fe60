// One trace's spans for the trace views (TraceApi.getTraceColumns, and getTrace from the same
// columns), built for 100,000-span traces.
//
// Reading 14 columns × 100,000 rows through the node API's per-value conversion (getColumnsJS)
// took 1.5–2.4 s on the 2-core CI box, more than the query itself. DuckDB instead sorts the rows
// once into a list of structs and writes it out as one JSON object of columns (one array per
// field), which JSON.parse reads natively. Columns rather than one object per span: 14 MB of JSON
// instead of 21 MB at 100,000 spans, no keys repeated 100,000 times, and query + parse went from
// ~0.7–1.0 s to ~0.4–0.7 s (scratch measurement on the shared, loaded box). Repeated strings (names,
// services, ...) are then coded as indexes, so what goes over the wire is smaller still.
// Offsets and durations are BIGINT differences in nanoseconds: exact in JSON and below 2^53.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanColumns, TraceColumns, TraceDetail } from '../../../shared/model';
import { StringCoder, traceDetailFromColumns } from '../../../shared/span-columns';

const TRACE_SPANS_SQL = `
  WITH s AS (
    SELECT span_id, parent_span_id, name, kind, service_name, start_time,
           epoch_ns(start_time) AS start_ns, epoch_ns(end_time) AS end_ns, status_code, span_type, llm_model,
           input_tokens::DOUBLE AS input_tokens, output_tokens::DOUBLE AS output_tokens, cost_usd,
           json_array_length(events)::INTEGER AS event_count, events
    FROM span_data WHERE trace_id = $1
  ),
  bounds AS (SELECT min(start_ns) AS t0, max(end_ns) AS t1 FROM s),
  sorted AS (
    SELECT bounds.t0, bounds.t1,
           list({i: s.span_id, p: s.parent_span_id, n: s.name, k: s.kind, s: s.service_name,
                 o: s.start_ns - bounds.t0, d: s.end_ns - s.start_ns, c: s.status_code, t: s.span_type,
                 m: s.llm_model, it: s.input_tokens, ot: s.output_tokens, u: s.cost_usd, e: s.event_count,
                 ev: CASE WHEN s.event_count > 0 THEN
                       list_transform(json_extract_string(s.events, '$[*].time_unix_nano'), x -> TRY_CAST(x AS BIGINT) - bounds.t0)
                     END}
                ORDER BY s.start_time, s.span_id) AS r
    FROM s, bounds
    GROUP BY bounds.t0, bounds.t1
  )
  SELECT t0::VARCHAR AS start_ns, (t1 - t0)::DOUBLE AS duration_ns,
         to_json({i: list_transform(r, x -> x.i), p: list_transform(r, x -> x.p), n: list_transform(r, x -> x.n),
                  k: list_transform(r, x -> x.k), s: list_transform(r, x -> x.s), o: list_transform(r, x -> x.o),
                  d: list_transform(r, x -> x.d), c: list_transform(r, x -> x.c), t: list_transform(r, x -> x.t),
                  m: list_transform(r, x -> x.m), it: list_transform(r, x -> x.it), ot: list_transform(r, x -> x.ot),
                  u: list_transform(r, x -> x.u), e: list_transform(r, x -> x.e), ev: list_transform(r, x -> x.ev)})::VARCHAR AS spans
  FROM sorted`;

/** The query's JSON: one array per field (short keys), index i = the i-th span in start order. */
interface SpanColumnsJson {
  i: string[];
  p: (string | null)[];
  n: string[];
  k: string[];
  s: (string | null)[];
  o: number[];
  d: number[];
  c: string[];
  t: (string | null)[];
  m: (string | null)[];
  it: (number | null)[];
  ot: (number | null)[];
  u: (number | null)[];
  e: (number | null)[];
  /** Event times as offsets from the trace start (null entries: an event without a valid time). */
  ev: ((number | null)[] | null)[];
}

/** The trace's spans as columns, ordered by start time, then span id; null when the trace has none. */
export async function readTraceColumns(conn: DuckDBConnection, traceId: string): Promise<TraceColumns | null> {
  const result = await conn.runAndReadAll(TRACE_SPANS_SQL, [traceId]);
  const row = result.getRowObjectsJS()[0];
  if (!row || row.spans === null) return null;
  const json = JSON.parse(String(row.spans)) as SpanColumnsJson;
  const n = json.i.length;
  const coder = new StringCoder();
  const code = (values: (string | null)[]): number[] => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = coder.code(values[i]!);
    return out;
  };
  const eventOffsetsNs = new Array<number[] | null>(n);
  const eventCount = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    eventCount[i] = json.e[i] ?? 0;
    const times = json.ev[i];
    const offsets = times ? times.filter((t): t is number => typeof t === 'number') : [];
    eventOffsetsNs[i] = offsets.length > 0 ? offsets : null;
  }
  const spans: SpanColumns = {
    spanId: json.i,
    parentSpanId: json.p,
    strings: coder.strings,
    name: code(json.n),
    kind: code(json.k),
    serviceName: code(json.s),
    statusCode: code(json.c),
    spanType: code(json.t),
    llmModel: code(json.m),
    startOffsetNs: json.o,
    durationNs: json.d,
    inputTokens: json.it,
    outputTokens: json.ot,
    costUsd: json.u,
    eventCount,
    eventOffsetsNs,
  };
  return { traceId, startNs: String(row.start_ns), durationNs: Number(row.duration_ns), spans };
}

/** The same spans as one SpanSummary object each (TraceApi.getTrace). */
export async function readTraceDetail(conn: DuckDBConnection, traceId: string): Promise<TraceDetail | null> {
  const columns = await readTraceColumns(conn, traceId);
  return columns && traceDetailFromColumns(columns);
}

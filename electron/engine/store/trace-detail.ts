// One trace's spans for the trace views (TraceApi.getTrace), built for 100,000-span traces.
//
// Reading 14 columns × 100,000 rows through the node API's per-value conversion (getColumnsJS)
// took 1.5–2.4 s on the 2-core CI box, more than the query itself (~0.5 s). DuckDB instead
// aggregates the rows into one JSON array text, in start order, which JSON.parse reads natively:
// query ~1.1 s + parse ~0.3 s for 100,000 spans (scratch measurement, box under load).
// Offsets and durations are BIGINT differences in nanoseconds: exact in JSON and below 2^53.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanKind, SpanSummary, SpanType, StatusCode, TraceDetail } from '../../../shared/model';

const TRACE_SPANS_SQL = `
  WITH s AS (
    SELECT span_id, parent_span_id, name, kind, service_name, start_time, span_id AS sort_id,
           epoch_ns(start_time) AS start_ns, epoch_ns(end_time) AS end_ns, status_code, span_type, llm_model,
           input_tokens::DOUBLE AS input_tokens, output_tokens::DOUBLE AS output_tokens, cost_usd,
           json_array_length(events)::INTEGER AS event_count, events
    FROM span_data WHERE trace_id = $1
  ),
  bounds AS (SELECT min(start_ns) AS t0, max(end_ns) AS t1 FROM s)
  SELECT bounds.t0::VARCHAR AS start_ns, (bounds.t1 - bounds.t0)::DOUBLE AS duration_ns,
         to_json(list({i: s.span_id, p: s.parent_span_id, n: s.name, k: s.kind, s: s.service_name,
                       o: s.start_ns - bounds.t0, d: s.end_ns - s.start_ns, c: s.status_code, t: s.span_type,
                       m: s.llm_model, it: s.input_tokens, ot: s.output_tokens, u: s.cost_usd, e: s.event_count,
                       ev: CASE WHEN s.event_count > 0 THEN
                             list_transform(json_extract_string(s.events, '$[*].time_unix_nano'), x -> TRY_CAST(x AS BIGINT) - bounds.t0)
                           END}
                      ORDER BY s.start_time, s.sort_id))::VARCHAR AS spans
  FROM s, bounds
  GROUP BY bounds.t0, bounds.t1`;

/** One span as the query's JSON spells it (short keys: 100,000 of them). */
interface SpanJson {
  i: string;
  p: string | null;
  n: string;
  k: string;
  s: string | null;
  o: number;
  d: number;
  c: string;
  t: string | null;
  m: string | null;
  it: number | null;
  ot: number | null;
  u: number | null;
  e: number | null;
  /** Event times as offsets from the trace start (null entries: an event without a valid time). */
  ev: (number | null)[] | null;
}

/** The trace's spans ordered by start time, then span id; null when the trace has none. */
export async function readTraceDetail(conn: DuckDBConnection, traceId: string): Promise<TraceDetail | null> {
  const result = await conn.runAndReadAll(TRACE_SPANS_SQL, [traceId]);
  const row = result.getRowObjectsJS()[0];
  if (!row || row.spans === null) return null;
  const parsed = JSON.parse(String(row.spans)) as SpanJson[];
  const spans: SpanSummary[] = new Array(parsed.length);
  for (let i = 0; i < parsed.length; i++) {
    const s = parsed[i]!;
    spans[i] = {
      spanId: s.i,
      parentSpanId: s.p,
      name: s.n,
      kind: s.k as SpanKind,
      serviceName: s.s,
      startOffsetNs: s.o,
      durationNs: s.d,
      statusCode: s.c as StatusCode,
      spanType: s.t as SpanType | null,
      llmModel: s.m,
      inputTokens: s.it,
      outputTokens: s.ot,
      costUsd: s.u,
      eventCount: s.e ?? 0,
    };
    if (s.ev) {
      const offsets = s.ev.filter((t): t is number => typeof t === 'number');
      if (offsets.length > 0) spans[i]!.eventOffsetsNs = offsets;
    }
  }
  return { traceId, startNs: String(row.start_ns), durationNs: Number(row.duration_ns), spans };
}

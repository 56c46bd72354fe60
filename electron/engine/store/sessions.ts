// Sessions: traces grouped by the session id ingest put on their spans (session.id,
// gen_ai.conversation.id, … — see semconv/). A trace whose spans name several sessions belongs to
// the smallest id. Sums run over every span of the trace, not only the spans carrying the id
// (instrumentations often set it on the LLM spans alone).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SessionPage, SessionQuery } from '../../../shared/llm';
import type { SpanDetail, SpanLog } from '../../../shared/model';

/** A session's turns shown at most; a longer session says it was truncated. */
export const MAX_SESSION_TURNS = 500;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const TRACE_SESSIONS = `
  trace_session AS (
    SELECT trace_id, min(session_id) AS session_id FROM span_data WHERE session_id IS NOT NULL GROUP BY trace_id
  )`;

const PER_TRACE_COLUMNS = `
    min(s.start_time) AS start_time, max(s.end_time) AS end_time,
    count(*) FILTER (WHERE s.span_type = 'llm') AS llm_calls,
    sum(s.input_tokens) AS input_tokens, sum(s.output_tokens) AS output_tokens, sum(s.cost_usd) AS cost_usd,
    count(*) FILTER (WHERE s.cost_usd IS NULL AND (s.input_tokens IS NOT NULL OR s.output_tokens IS NOT NULL)) AS unpriced,
    count(*) FILTER (WHERE s.status_code = 'error') AS errors`;

export async function readSessions(conn: DuckDBConnection, query: SessionQuery): Promise<SessionPage> {
  const limit = query.limit ?? 100;
  const offset = query.offset ?? 0;
  const result = await conn.runAndReadAll(
    `WITH ${TRACE_SESSIONS},
     per_trace AS (
       SELECT ts.session_id, s.trace_id, ${PER_TRACE_COLUMNS}, min(s.user_id) AS user_id
       FROM span_data s JOIN trace_session ts ON s.trace_id = ts.trace_id
       GROUP BY ts.session_id, s.trace_id
     )
     SELECT session_id, count(*)::DOUBLE AS turns,
            epoch_ns(min(start_time))::VARCHAR AS first_ns, epoch_ns(max(end_time))::VARCHAR AS last_ns,
            sum(llm_calls)::DOUBLE AS llm_calls, sum(input_tokens)::DOUBLE AS input_tokens,
            sum(output_tokens)::DOUBLE AS output_tokens, sum(cost_usd) AS cost_usd,
            sum(unpriced)::DOUBLE AS unpriced, sum(errors)::DOUBLE AS errors, min(user_id) AS user_id,
            (count(*) OVER ())::DOUBLE AS total
     FROM per_trace GROUP BY session_id
     ORDER BY max(end_time) DESC, session_id
     LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  const rows = result.getRowObjectsJS();
  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && offset > 0) {
    const count = await conn.runAndReadAll(`SELECT count(DISTINCT session_id)::DOUBLE AS n FROM span_data WHERE session_id IS NOT NULL`);
    total = Number(count.getRowObjectsJS()[0]!.n);
  }
  return {
    total,
    sessions: rows.map((r) => ({
      sessionId: String(r.session_id),
      turns: Number(r.turns),
      firstStartNs: String(r.first_ns),
      lastEndNs: String(r.last_ns),
      llmCalls: Number(r.llm_calls),
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      costUsd: num(r.cost_usd),
      unpricedCalls: Number(r.unpriced),
      errorCount: Number(r.errors),
      userId: str(r.user_id),
    })),
  };
}

/** One turn (trace) of a session, with the spans whose content tells the turn's input and output. */
export interface SessionTurnRow {
  traceId: string;
  startNs: string;
  durationNs: number;
  rootName: string | null;
  rootSpanId: string | null;
  firstLlmSpanId: string | null;
  lastLlmSpanId: string | null;
  llmCalls: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  errorCount: number;
}

const TURNS_SQL = `
  ${TRACE_SESSIONS},
  turns AS (
    SELECT s.trace_id, epoch_ns(min(s.start_time))::VARCHAR AS start_ns,
           (epoch_ns(max(s.end_time)) - epoch_ns(min(s.start_time)))::DOUBLE AS duration_ns,
           min(s.start_time) AS first_start,
           arg_min(s.name, s.start_time) FILTER (WHERE s.parent_span_id IS NULL) AS root_name,
           arg_min(s.span_id, s.start_time) FILTER (WHERE s.parent_span_id IS NULL) AS root_span_id,
           arg_min(s.span_id, s.start_time) FILTER (WHERE s.span_type = 'llm') AS first_llm,
           arg_max(s.span_id, s.end_time) FILTER (WHERE s.span_type = 'llm') AS last_llm,
           count(*) FILTER (WHERE s.span_type = 'llm')::DOUBLE AS llm_calls,
           sum(s.input_tokens)::DOUBLE AS input_tokens, sum(s.output_tokens)::DOUBLE AS output_tokens,
           sum(s.cost_usd) AS cost_usd, count(*) FILTER (WHERE s.status_code = 'error')::DOUBLE AS errors
    FROM span_data s JOIN trace_session ts ON s.trace_id = ts.trace_id
    WHERE ts.session_id = $1
    GROUP BY s.trace_id
    ORDER BY first_start, s.trace_id
    LIMIT ${MAX_SESSION_TURNS + 1}
  ),
  wanted AS (
    SELECT trace_id, root_span_id AS span_id FROM turns WHERE root_span_id IS NOT NULL
    UNION SELECT trace_id, first_llm FROM turns WHERE first_llm IS NOT NULL
    UNION SELECT trace_id, last_llm FROM turns WHERE last_llm IS NOT NULL
  )`;

/** A span as the turn texts need it (what buildLlmView reads). */
export type TurnSpan = Pick<SpanDetail, 'traceId' | 'spanId' | 'name' | 'startNs' | 'durationNs' | 'attributesJson' | 'resourceAttributesJson' | 'eventsJson'>;
export type TurnLog = Pick<SpanLog, 'eventName' | 'bodyJson' | 'attributesJson'>;

/**
 * A session's turns in time order (at most MAX_SESSION_TURNS), and in three more queries — not
 * three per turn — the root and first/last LLM spans of every turn with their log records.
 */
export async function readSessionTurns(
  conn: DuckDBConnection,
  sessionId: string,
): Promise<{ turns: SessionTurnRow[]; truncated: boolean; spans: Map<string, TurnSpan>; logs: Map<string, TurnLog[]> }> {
  const result = await conn.runAndReadAll(`WITH ${TURNS_SQL} SELECT * FROM turns ORDER BY first_start, trace_id`, [sessionId]);
  const rows = result.getRowObjectsJS();
  const truncated = rows.length > MAX_SESSION_TURNS;
  const turns = rows.slice(0, MAX_SESSION_TURNS).map((r) => ({
    traceId: String(r.trace_id),
    startNs: String(r.start_ns),
    durationNs: Number(r.duration_ns),
    rootName: str(r.root_name),
    rootSpanId: str(r.root_span_id),
    firstLlmSpanId: str(r.first_llm),
    lastLlmSpanId: str(r.last_llm),
    llmCalls: Number(r.llm_calls),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    costUsd: num(r.cost_usd),
    errorCount: Number(r.errors),
  }));
  const spans = new Map<string, TurnSpan>();
  const logs = new Map<string, TurnLog[]>();
  if (turns.length === 0) return { turns, truncated, spans, logs };
  const spanRows = await conn.runAndReadAll(
    `WITH ${TURNS_SQL}
     SELECT s.trace_id, s.span_id, s.name, epoch_ns(s.start_time)::VARCHAR AS start_ns, s.duration_ns::DOUBLE AS duration_ns,
            s.attributes::VARCHAR AS attributes, s.resource_attributes::VARCHAR AS resource_attributes, s.events::VARCHAR AS events
     FROM span_data s JOIN wanted w ON s.trace_id = w.trace_id AND s.span_id = w.span_id`,
    [sessionId],
  );
  for (const r of spanRows.getRowObjectsJS()) {
    spans.set(`${String(r.trace_id)}/${String(r.span_id)}`, {
      traceId: String(r.trace_id),
      spanId: String(r.span_id),
      name: String(r.name),
      startNs: String(r.start_ns),
      durationNs: Number(r.duration_ns),
      attributesJson: String(r.attributes),
      resourceAttributesJson: String(r.resource_attributes),
      eventsJson: String(r.events),
    });
  }
  const logRows = await conn.runAndReadAll(
    `WITH ${TURNS_SQL}
     SELECT l.trace_id, l.span_id, l.event_name, l.body::VARCHAR AS body, l.attributes::VARCHAR AS attributes
     FROM log_data l JOIN wanted w ON l.trace_id = w.trace_id AND l.span_id = w.span_id
     ORDER BY coalesce(l.time, l.observed_time) NULLS LAST`,
    [sessionId],
  );
  for (const r of logRows.getRowObjectsJS()) {
    const key = `${String(r.trace_id)}/${String(r.span_id)}`;
    let list = logs.get(key);
    if (!list) logs.set(key, (list = []));
    list.push({ eventName: String(r.event_name ?? ''), bodyJson: r.body === null ? null : String(r.body), attributesJson: String(r.attributes) });
  }
  return { turns, truncated, spans, logs };
}

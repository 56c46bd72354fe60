// One row of the trace list: the columns read from a `traces`-shaped relation and the
// TraceSummary made of them. Shared by Store.listTraces and the in-place preview
// (import-preview.ts), so both answer the same shape.
import type { TraceSummary } from '../../../shared/model';

/** The select list over a relation with the `traces` view's columns. */
export const TRACE_SUMMARY_COLUMNS = `trace_id, root_name, service_name, epoch_ns(start_time)::VARCHAR AS start_ns,
                duration_ns::DOUBLE AS duration_ns, span_count::INTEGER AS span_count,
                error_count::INTEGER AS error_count, input_tokens::DOUBLE AS input_tokens,
                output_tokens::DOUBLE AS output_tokens, cost_usd, session_id`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function traceSummaryFromRow(r: Record<string, unknown>): TraceSummary {
  return {
    traceId: String(r.trace_id),
    rootName: str(r.root_name),
    serviceName: str(r.service_name),
    startNs: String(r.start_ns),
    durationNs: Number(r.duration_ns),
    spanCount: Number(r.span_count),
    errorCount: Number(r.error_count),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    costUsd: num(r.cost_usd),
    sessionId: str(r.session_id),
  };
}

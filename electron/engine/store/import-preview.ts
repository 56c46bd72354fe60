// The trace list of Parquet files read in place, while their import runs: the same page the
// store's listTraces would answer after the import (newest first, with the total), straight
// from the files. Each file goes through the SELECT the import inserts from
// (span-import.ts buildMappedSelect), and the rows are aggregated by the `traces` view's own
// aggregate (schema.ts TRACES_AGGREGATE, over a CTE that takes span_data's name), so the
// preview and the imported list cannot drift apart.
//
// It runs on a connection of its own: the import holds the writer for its whole transaction,
// and the reader serves the store's list meanwhile. What differs from the list after the
// import: a (trace id, span id) repeated in the files, or already in the store, is counted
// each time (the import keeps the first); costs the files do not state are priced by the
// caller (electron/engine/parquet/preview.ts) from `unpriced`, as the import prices them.
//
// Text spliced into SQL: the mapped SELECTs (see span-import.ts for what they contain),
// numeric constants and $n placeholders. File paths are bound parameters.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TraceSummary } from '../../../shared/model';
import { buildMappedSelect, MAPPED_INSERT_COLUMNS, type ImportPlan } from './span-import';
import { TRACES_AGGREGATE } from './schema';
import { traceSummaryFromRow, TRACE_SUMMARY_COLUMNS } from './trace-list-row';

/** LLM spans of a trace whose cost the file does not state: what the price table fills in. */
export interface UnpricedSpan {
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface PreviewTrace extends TraceSummary {
  unpriced: UnpricedSpan[];
}

export interface PreviewPage {
  traces: PreviewTrace[];
  total: number;
}

const TIME_COLUMNS = 'trace_id, span_id, parent_span_id, name, start_time, end_time, status_code, service_name';
const LLM_COLUMNS = 'input_tokens, output_tokens, cost_usd, session_id, llm_model';
const NO_LLM_COLUMNS = 'NULL::BIGINT AS input_tokens, NULL::BIGINT AS output_tokens, NULL::DOUBLE AS cost_usd, NULL::VARCHAR AS session_id, NULL::VARCHAR AS llm_model';

/**
 * The columns the trace aggregate reads, from one file in place; $n = its path. Without
 * `llm`, the LLM columns are NULL: DuckDB then drops everything they need from the plan (the
 * attributes as JSON, the 24-key extraction), which is most of the mapping's cost.
 */
function fileSpansSelect(plan: ImportPlan, pathParam: string, llm: boolean): string {
  const wanted = `${TIME_COLUMNS}, ${llm ? LLM_COLUMNS : NO_LLM_COLUMNS}`;
  if (plan.format === 'tracedeck') {
    // Tracedeck's own export holds these columns as they are (the import copies them).
    return `SELECT ${wanted} FROM read_parquet(${pathParam})
      WHERE trace_id IS NOT NULL AND span_id IS NOT NULL AND start_time IS NOT NULL`;
  }
  // DuckDB drops the mapped columns nobody reads (events, links, the JSON casts) from the plan.
  return `SELECT ${wanted} FROM (${buildMappedSelect(plan, pathParam, pathParam)}) AS mapped(${MAPPED_INSERT_COLUMNS.join(', ')})`;
}

/**
 * One page of the files' traces, newest first, and how many traces they hold in all. Two
 * passes: which traces are on the page (ids and start times only: 1M spans in a fraction of a
 * second), then those traces' rows with every column, their spans found by trace id before
 * anything else is mapped (DuckDB pushes the filter below the mapping).
 */
export async function readImportPreview(
  conn: DuckDBConnection,
  files: readonly { path: string; plan: ImportPlan }[],
  page: { limit: number; offset: number },
): Promise<PreviewPage> {
  if (files.length === 0) return { traces: [], total: 0 };
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), 1000);
  const offset = Math.max(Math.trunc(page.offset), 0);
  const paths = files.map((f) => f.path);
  const spans = (llm: boolean): string => files.map((f, i) => fileSpansSelect(f.plan, `$${i + 1}`, llm)).join('\nUNION ALL\n');
  const pageIds = await conn.runAndReadAll(
    `WITH span_data AS (${spans(false)})
     SELECT trace_id, count(*) OVER ()::DOUBLE AS total_matching
     FROM (SELECT trace_id, min(start_time) AS start_time FROM span_data GROUP BY trace_id)
     ORDER BY start_time DESC, trace_id DESC LIMIT ${limit} OFFSET ${offset}`,
    paths,
  );
  const idRows = pageIds.getRowObjectsJS();
  let total = idRows.length > 0 ? Number(idRows[0]!.total_matching) : 0;
  if (idRows.length === 0) {
    if (offset > 0) {
      const counted = await conn.runAndReadAll(`WITH span_data AS (${spans(false)}) SELECT count(DISTINCT trace_id)::DOUBLE AS n FROM span_data`, paths);
      total = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
    }
    return { traces: [], total };
  }
  const ids = `$${files.length + 1}`;
  const result = await conn.runAndReadAll(
    `WITH span_data AS (
       SELECT * FROM (${spans(true)}) WHERE list_contains(from_json(${ids}::VARCHAR, '["VARCHAR"]'), trace_id)),
     trace_rows AS (${TRACES_AGGREGATE} GROUP BY trace_id),
     unpriced AS (
       SELECT trace_id, list(struct_pack(model := llm_model, input_tokens := input_tokens::DOUBLE, output_tokens := output_tokens::DOUBLE)) AS spans
       FROM span_data
       WHERE cost_usd IS NULL AND llm_model IS NOT NULL AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)
       GROUP BY trace_id)
     SELECT ${TRACE_SUMMARY_COLUMNS}, to_json(coalesce(unpriced.spans, []))::VARCHAR AS unpriced
     FROM trace_rows LEFT JOIN unpriced USING (trace_id)
     ORDER BY start_time DESC, trace_id DESC`,
    [...paths, JSON.stringify(idRows.map((r) => String(r.trace_id)))],
  );
  const traces = result.getRowObjectsJS().map(
    (r): PreviewTrace => ({
      ...traceSummaryFromRow(r),
      unpriced: (JSON.parse(String(r.unpriced)) as { model: string; input_tokens: number | null; output_tokens: number | null }[]).map((u) => ({
        model: u.model,
        inputTokens: u.input_tokens,
        outputTokens: u.output_tokens,
      })),
    }),
  );
  return { traces, total };
}

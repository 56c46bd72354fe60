// Which of a write's traces the store holds already, found through trace_summary's key before
// the write's spans go in: the insert (span-staging.ts insertStagedSpans) then compares keys with
// the stored spans of those traces only, and the summary merge (trace-summary.ts) updates their
// rows and inserts the others.
import type { DuckDBConnection } from '@duckdb/node-api';

/** The traces of the staged spans that the store holds already. */
export interface StoredTraces {
  /** Their ids, when found through the key (literal ids, at most MAX_LOOKUP_TRACES); null when not looked up one by one. */
  ids: string[] | null;
  /** The earliest start of their stored spans (ns since the epoch), null when none is stored. */
  earliestNs: bigint | null;
}

/**
 * Trace ids written into SQL as literals: DuckDB looks up an IN list of constants through the
 * primary key's index (3-5 ms for 240 ids at 100k or 1M rows) but scans the table for bound
 * parameters or a subquery (6-15 ms, growing with the table). Only ids of this form (what the
 * OTLP decoders and the importers store: lowercase hex) are written so; other writes take the
 * subquery.
 */
const LITERAL_ID = /^[0-9a-f]{1,64}$/;
/** Past this many traces in one write the subquery's scan costs less per trace than the lookups. */
export const MAX_LOOKUP_TRACES = 2048;

/** Whether `ids` may be looked up as literals (LITERAL_ID, at most MAX_LOOKUP_TRACES). */
export const literalLookup = (ids: readonly string[] | undefined): ids is readonly string[] =>
  ids !== undefined && ids.length > 0 && ids.length <= MAX_LOOKUP_TRACES && ids.every((id) => LITERAL_ID.test(id));

/** Ids that passed literalLookup, as an SQL list of literals. */
export const literalIdList = (ids: readonly string[]): string => ids.map((id) => `'${id}'`).join(', ');

/**
 * The stored traces among the staged spans' (`traceIds`, each once, when the caller has them).
 * The caller holds the transaction, with the spans in span_staging and not yet inserted.
 */
export async function storedStagedTraces(conn: DuckDBConnection, traceIds: readonly string[] | undefined): Promise<StoredTraces> {
  if (literalLookup(traceIds)) {
    const rows = (await conn.runAndReadAll(`SELECT trace_id, epoch_ns(start_time) FROM trace_summary WHERE trace_id IN (${literalIdList(traceIds)})`)).getRows();
    let earliestNs: bigint | null = null;
    for (const [, start] of rows) if (typeof start === 'bigint' && (earliestNs === null || start < earliestNs)) earliestNs = start;
    return { ids: rows.map(([id]) => String(id)), earliestNs };
  }
  const r = await conn.runAndReadAll('SELECT min(epoch_ns(start_time)) FROM trace_summary WHERE trace_id IN (SELECT trace_id FROM span_staging)');
  const earliest = r.getRows()[0]?.[0];
  return { ids: null, earliestNs: typeof earliest === 'bigint' ? earliest : null };
}

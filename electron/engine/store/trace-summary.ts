// trace_summary: one row per trace, kept equal to the `traces` aggregate over span_data
// (schema.ts TRACES_AGGREGATE) in the same transaction as every change to span_data, so the
// trace list pages, sorts and trace-level filters read ~1 row per trace instead of aggregating
// every span (issue 7; figures in store/README.md, "Trace list speed").
//
// Besides the `traces` columns a row keeps what merging in more spans needs: the aggregate's
// arg_min(x, start_time) picks are stored with the start time they were picked at, e.g. the
// root's name with the root's start (root_start), so a root that arrives last, or an earlier
// span, replaces the pick exactly as the aggregate would. (On a tie of start times the
// aggregate's pick is arbitrary; the summary keeps the one it had. cost_usd is a sum of
// doubles: added batch by batch it may differ in the last bits from one pass over all spans,
// whose own result already depends on DuckDB's scan order; the tests use exact fractions.)
//
// trace_attributes, beside it: one row per trace and distinct short attribute of its spans, `pair` the
// 128-bit MD5 of [scope, key, value] ('span' or 'resource', a top-level key, the value as
// json_extract_string gives it), so an attribute-equality filter scans 16-byte numbers instead
// of parsing every span's JSON. `pair` NULL marks a trace with a span whose attributes are not a
// JSON object (a pointer like /0 could still match in an array), `pair` 0 (UNINDEXED_PAIR) a
// trace whose rows a Parquet import left to build after its commit: while the store holds either
// row, equality filters scan the spans as before (store/trace-filter.ts).
//
// Who keeps them (inside the transaction that changes span_data, but for the Parquet import's
// attribute rows):
// - the ingest writer and OTLP JSON import: storeStagedSpans, the insert from span_staging
//   (span-staging.ts insertStagedSpans), then summarizeStagedSpans. When every staged row was
//   inserted it merges the staged rows' aggregate into the summary; when some were ignored (exporter retries, a span sent twice in one batch) it
//   recomputes those traces from span_data, so a re-sent span is never counted twice.
// - Parquet import: noteImportedTraces after each file's INSERT, resummarizeImported once the
//   files and prices are in; it marks the traces' attribute rows as pending, and
//   indexPendingAttributes builds them in a transaction of its own after the import's commit
//   (Store.indexAttributesInBackground; again when a store opens with pending rows, e.g. after
//   a crash in between). Building them inside the import was 4-6 s of a 1M-span import's 17 s.
// - prune and clearAll (index.ts) delete the rows of the traces they delete.
// - migration 6 (schema.ts) builds both for an existing store.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { PhaseTimes } from '../phase-times';
import { insertStagedSpans, STAGED_SPANS } from './span-staging';
import { literalIdList, literalLookup, storedStagedTraces, type StoredTraces } from './stored-traces';

export const TRACE_SUMMARY_DDL = `CREATE TABLE trace_summary (
  trace_id VARCHAR PRIMARY KEY,
  start_time TIMESTAMP_NS NOT NULL,
  end_time TIMESTAMP_NS NOT NULL,
  span_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  input_tokens HUGEINT,
  output_tokens HUGEINT,
  cost_usd DOUBLE,
  -- arg_min(name, start_time): its key is start_time
  first_name VARCHAR NOT NULL,
  -- arg_min(name, start_time) FILTER (root), picked at root_start
  root_start TIMESTAMP_NS,
  root_span_name VARCHAR,
  -- arg_min(service_name, start_time) (arg_min skips NULL values), picked at first_service_start
  first_service_start TIMESTAMP_NS,
  first_service VARCHAR,
  -- the same over roots only
  root_service_start TIMESTAMP_NS,
  root_service VARCHAR,
  -- arg_min(session_id, start_time) FILTER (session_id IS NOT NULL)
  session_start TIMESTAMP_NS,
  session_id VARCHAR
)`;

/** The `traces` view's SELECT over trace_summary, `extra` columns first. */
const tracesFromSummary = (extra: string): string => `
  SELECT ${extra}trace_id,
    coalesce(root_span_name, first_name) AS root_name,
    coalesce(root_service, first_service) AS service_name,
    start_time, end_time,
    epoch_ns(end_time) - epoch_ns(start_time) AS duration_ns,
    span_count, error_count, input_tokens, output_tokens, cost_usd, session_id
  FROM trace_summary`;

/**
 * The `traces` view over trace_summary: the same columns, types and values as
 * `${TRACES_AGGREGATE} GROUP BY trace_id` (tests/unit/store/trace-summary.test.ts compares them).
 */
export const TRACES_FROM_SUMMARY = tracesFromSummary('');

/**
 * The same rows with trace_summary's rowid as `summary_rowid` (views hide it), for the trace
 * list's top-N: it finds a page's rowids, then reads those rows whole (store/index.ts listTraces).
 */
export const TRACES_WITH_ROWID = tracesFromSummary('rowid AS summary_rowid, ');

/**
 * trace_summary's columns aggregated over `source` (span_data's column names; callers add
 * WHERE and GROUP BY trace_id). Column order is the table's.
 */
export function summaryAggregate(source: string): string {
  return `
  SELECT trace_id,
    min(start_time) AS start_time,
    max(end_time) AS end_time,
    count(*) AS span_count,
    count(*) FILTER (WHERE status_code = 'error') AS error_count,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cost_usd) AS cost_usd,
    arg_min(name, start_time) AS first_name,
    min(start_time) FILTER (WHERE parent_span_id IS NULL) AS root_start,
    arg_min(name, start_time) FILTER (WHERE parent_span_id IS NULL) AS root_span_name,
    min(start_time) FILTER (WHERE service_name IS NOT NULL) AS first_service_start,
    arg_min(service_name, start_time) AS first_service,
    min(start_time) FILTER (WHERE parent_span_id IS NULL AND service_name IS NOT NULL) AS root_service_start,
    arg_min(service_name, start_time) FILTER (WHERE parent_span_id IS NULL) AS root_service,
    min(start_time) FILTER (WHERE session_id IS NOT NULL) AS session_start,
    arg_min(session_id, start_time) FILTER (WHERE session_id IS NOT NULL) AS session_id
  FROM ${source}`;
}

export const TRACE_ATTRIBUTES_DDL = 'CREATE TABLE trace_attributes (trace_id VARCHAR NOT NULL, pair UHUGEINT)';

/**
 * Values longer than this (UTF-8 bytes) are not indexed: prompts and completions would cost an
 * MD5 of kilobytes per span for filters nobody writes; `key = value` with a longer value scans
 * the spans instead (store/trace-filter.ts), so the answer is the same.
 */
export const MAX_INDEXED_VALUE_BYTES = 256;

/** `pair` of one attribute; the same expression builds the rows and the filter's constant. */
export function attributePair(scope: string, key: string, value: string): string {
  return `md5_number(to_json([${scope}, ${key}, ${value}])::VARCHAR)`;
}

/**
 * trace_attributes rows (distinct) for the spans `source` yields (columns trace_id, attributes,
 * resource_attributes). json_transform to a map reads each document once; m[k] is the first
 * value of a repeated key, as json_extract_string's pointer lookup gives it. Distinct before
 * hashing: MD5 is most of the cost (per 2,048-span batch with 10 attributes a span, one thread:
 * 17.6 ms hashing every pair, 12.7 ms hashing distinct ones; DuckDB's 64-bit hash() would be
 * 8.7 ms but is not promised to stay the same across DuckDB versions).
 */
function attributeRows(source: string): string {
  return `
  WITH docs AS (
    SELECT trace_id, 'span' AS scope, json_transform(attributes, '"MAP(VARCHAR, VARCHAR)"') AS m FROM ${source}
    UNION ALL
    SELECT trace_id, 'resource' AS scope, json_transform(resource_attributes, '"MAP(VARCHAR, VARCHAR)"') AS m
    FROM (SELECT DISTINCT trace_id, resource_attributes FROM ${source}))
  SELECT trace_id, ${attributePair('scope', 'k', 'v')} AS pair
  FROM (SELECT DISTINCT trace_id, scope, k, m[k] AS v FROM (SELECT trace_id, scope, m, unnest(map_keys(m)) AS k FROM docs))
  WHERE v IS NOT NULL AND strlen(v) <= ${MAX_INDEXED_VALUE_BYTES}
  UNION ALL
  SELECT DISTINCT trace_id, NULL FROM docs WHERE m IS NULL`;
}

/**
 * `pair` of a trace's marker row while its attribute rows are not built (never an MD5 in
 * practice: the chance is 2^-128, the same as two pairs sharing one MD5, which the index already
 * takes).
 */
const UNINDEXED_PAIR = '0::UHUGEINT';

/** Builds both tables from span_data (migration 6; stores filled by other means). */
export const BUILD_TRACE_SUMMARY = `INSERT INTO trace_summary ${summaryAggregate('span_data')} GROUP BY trace_id`;
export const BUILD_TRACE_ATTRIBUTES = `INSERT INTO trace_attributes ${attributeRows('span_data')}`;

/**
 * The SET list that merges a new aggregate (`fresh` columns) into a stored summary row (`stored`
 * columns): every expression reads the row as it was before the update.
 */
const mergeAssignments = (stored: string, fresh: string): string => {
  /** `value` = the pick made at the earlier `key` (the stored one on a tie). */
  const pick = (key: string, value: string): string =>
    `${value} = CASE WHEN ${stored}${key} IS NULL OR ${fresh}${key} < ${stored}${key} THEN ${fresh}${value} ELSE ${stored}${value} END`;
  /** sum() of both sides: NULL only when both are (the aggregate's sum over no non-NULL value). */
  const addSums = (column: string): string =>
    `${column} = coalesce(${stored}${column} + ${fresh}${column}, ${stored}${column}, ${fresh}${column})`;
  const earliest = (column: string): string => `${column} = least(${stored}${column}, ${fresh}${column})`;
  return [
    earliest('start_time'),
    `end_time = greatest(${stored}end_time, ${fresh}end_time)`,
    `span_count = ${stored}span_count + ${fresh}span_count`,
    `error_count = ${stored}error_count + ${fresh}error_count`,
    addSums('input_tokens'),
    addSums('output_tokens'),
    addSums('cost_usd'),
    pick('start_time', 'first_name'),
    earliest('root_start'),
    pick('root_start', 'root_span_name'),
    earliest('first_service_start'),
    pick('first_service_start', 'first_service'),
    earliest('root_service_start'),
    pick('root_service_start', 'root_service'),
    earliest('session_start'),
    pick('session_start', 'session_id'),
  ].join(',\n    ');
};

const STAGED_SUMMARY = `${summaryAggregate(STAGED_SPANS)} GROUP BY trace_id`;

/**
 * Merges the staged spans' aggregate into their traces' rows (all staged spans are new), in one
 * upsert. DuckDB checks ON CONFLICT against every row of the table, not through the key's index:
 * for 240 new traces, 5.6 ms into an empty table, 20 ms at 300k rows, 65 ms at 1M (plain INSERT:
 * 1.4-2.3 ms at any size). So it is kept for what the lookup below cannot take.
 */
const MERGE_STAGED = `
  INSERT INTO trace_summary ${STAGED_SUMMARY}
  ON CONFLICT (trace_id) DO UPDATE SET
    ${mergeAssignments('', 'excluded.')}`;

/**
 * Merges the staged spans' aggregate into trace_summary (all staged spans are new): finds which
 * of their traces are stored through the key's index (or takes `known`, found before the spans'
 * insert), updates those rows, and inserts the others with a plain INSERT. A write whose traces
 * are all new (spans of a trace arrive together, as an SDK's batch mostly has them) is then one
 * lookup and one INSERT, whatever the store's size.
 */
async function mergeStagedSummary(conn: DuckDBConnection, traceIds: readonly string[] | undefined, known?: StoredTraces): Promise<void> {
  if (!literalLookup(traceIds)) {
    await conn.run(MERGE_STAGED);
    return;
  }
  const stored = known?.ids ?? (await storedStagedTraces(conn, traceIds)).ids!;
  if (stored.length === 0) {
    await conn.run(`INSERT INTO trace_summary ${STAGED_SUMMARY}`);
    return;
  }
  const storedList = literalIdList(stored);
  await conn.run(`CREATE OR REPLACE TEMP TABLE staged_summary AS ${STAGED_SUMMARY}`);
  await conn.run(
    `UPDATE trace_summary SET ${mergeAssignments('trace_summary.', 's.')}
     FROM staged_summary s WHERE trace_summary.trace_id = s.trace_id AND trace_summary.trace_id IN (${storedList})`,
  );
  await conn.run(`INSERT INTO trace_summary SELECT * FROM staged_summary WHERE trace_id NOT IN (${storedList})`);
  await conn.run('DROP TABLE staged_summary');
}

/**
 * The earliest start among the staged spans and the stored spans of their traces (every stored
 * span of a trace starts at or after its summary's start_time): recomputing those traces need
 * only read span_data from there on, which DuckDB's min/max per row group mostly skips.
 */
const STAGED_TRACES_EARLIEST = `
  SELECT least(
    (SELECT min(start_ns) FROM span_staging),
    (SELECT min(epoch_ns(start_time)) FROM trace_summary WHERE trace_id IN (SELECT trace_id FROM span_staging))
  ) AS earliest`;

/** The stored spans with the keys of the staged ones, from $1 (ns) on. */
const STORED_STAGED_SPANS = `(SELECT trace_id, attributes, resource_attributes FROM span_data
  SEMI JOIN span_staging USING (trace_id, span_id) WHERE start_time >= make_timestamp_ns($1::BIGINT))`;

const RESUMMARIZE_STAGED = `
  INSERT OR REPLACE INTO trace_summary ${summaryAggregate('span_data')}
  WHERE start_time >= make_timestamp_ns($1::BIGINT) AND trace_id IN (SELECT trace_id FROM span_staging)
  GROUP BY trace_id`;

/**
 * Marks the traces `traceIds` (a SELECT DISTINCT trace_id) yields as waiting for their attribute
 * rows (indexPendingAttributes): a pending marker, and a NULL marker that the build replaces too,
 * so that a Tracedeck from before pending markers that opens the store meanwhile scans the spans
 * instead of trusting the index.
 */
const markAttributesPending = (traceIds: string): string =>
  `INSERT INTO trace_attributes SELECT trace_id, unnest([NULL, ${UNINDEXED_PAIR}]) FROM (${traceIds})`;

const MARK_STAGED_PENDING = markAttributesPending('SELECT DISTINCT trace_id FROM span_staging');

/**
 * Brings the summary of the traces in span_staging up to date after the insert from
 * span_staging took `inserted` of its `staged` rows. The caller holds the transaction.
 * With `deferAttributes` the traces' attribute rows are left to indexPendingAttributes (marked
 * pending): the ingest writer does so under sustained load, where they were a fifth of its
 * time, and builds them once the burst is over. `traceIds`, the staged spans' trace ids when the
 * caller has them (each once), let the merge find the stored traces through the key's index
 * (mergeStagedSummary); `stored`, when the caller looked them up before the insert, saves the
 * lookup.
 */
export async function summarizeStagedSpans(
  conn: DuckDBConnection,
  inserted: number,
  staged: number,
  deferAttributes = false,
  traceIds?: readonly string[],
  stored?: StoredTraces,
): Promise<void> {
  if (inserted === 0) return; // span_data did not change
  if (inserted === staged) {
    await mergeStagedSummary(conn, traceIds, stored);
    await conn.run(deferAttributes ? MARK_STAGED_PENDING : `INSERT INTO trace_attributes ${attributeRows(STAGED_SPANS)}`);
    return;
  }
  // Some staged rows were already stored (or staged twice): which ones is not known here, so
  // recompute their traces, and index the attributes of the spans as stored (a re-sent span
  // that differs from the stored one was ignored; its attributes must not be indexed).
  const earliest = (await conn.runAndReadAll(STAGED_TRACES_EARLIEST)).getRowObjects()[0]?.earliest;
  const from = [typeof earliest === 'bigint' ? earliest : BigInt(0)];
  await conn.run(RESUMMARIZE_STAGED, from);
  if (deferAttributes) await conn.run(MARK_STAGED_PENDING);
  else await conn.run(`INSERT INTO trace_attributes ${attributeRows(STORED_STAGED_SPANS)}`, from);
}

/**
 * Moves the `staged` spans in span_staging into span_data, each key once (insertStagedSpans), and
 * brings their traces' summary up to date (summarizeStagedSpans), with one lookup of the stored
 * traces for both. `traceIds`: the staged spans' trace ids, each once. The caller holds the
 * transaction. Returns the rows inserted.
 */
export async function storeStagedSpans(
  conn: DuckDBConnection,
  staged: number,
  deferAttributes: boolean,
  traceIds: readonly string[],
  mayRepeat = true,
): Promise<number> {
  const stored = await storedStagedTraces(conn, traceIds);
  const inserted = await insertStagedSpans(conn, stored, mayRepeat);
  await summarizeStagedSpans(conn, inserted, staged, deferAttributes, traceIds, stored);
  return inserted;
}

/** Deletes both tables' rows of the traces `traceIdSelect` yields (prune), or all of them (clear all). */
export async function deleteTraceRows(conn: DuckDBConnection, traceIdSelect: string | null): Promise<void> {
  for (const table of ['trace_summary', 'trace_attributes']) {
    await conn.run(traceIdSelect ? `DELETE FROM ${table} WHERE trace_id IN (${traceIdSelect})` : `DELETE FROM ${table}`);
  }
}

/**
 * Whether trace_attributes answers attribute equality for every span: no span's attributes are
 * a non-object, and no trace waits for its rows (indexPendingAttributes).
 */
export async function attributeIndexComplete(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT count(*) AS n FROM trace_attributes WHERE pair IS NULL OR pair = ${UNINDEXED_PAIR}`);
  return Number(r.getRowObjects()[0]?.n ?? 0) === 0;
}

/** How many traces wait for their attribute rows (indexPendingAttributes). */
export async function pendingAttributeTraces(conn: DuckDBConnection): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(DISTINCT trace_id) AS n FROM trace_attributes WHERE pair = ${UNINDEXED_PAIR}`);
  return Number(r.getRowObjects()[0]?.n ?? 0);
}

/** Whether some trace waits for its attribute rows (a store opened after an import's commit but before its index). */
export async function attributesPending(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM trace_attributes WHERE pair = ${UNINDEXED_PAIR}) AS pending`);
  return r.getRowObjects()[0]?.pending === true;
}

/**
 * In one transaction of its own: rebuilds from span_data the attribute rows of every trace
 * marked pending (their rows from before the import, too, and the marker go), so a span that
 * arrived meanwhile (the ingest writer indexes its own rows) is indexed once, as a build of the
 * whole store would. Returns the traces indexed.
 */
export async function indexPendingAttributes(conn: DuckDBConnection): Promise<number> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE attributes_pending AS SELECT DISTINCT trace_id FROM trace_attributes WHERE pair = ${UNINDEXED_PAIR}`);
    const count = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM attributes_pending')).getRowObjects()[0]?.n ?? 0);
    if (count > 0) {
      await conn.run('DELETE FROM trace_attributes WHERE trace_id IN (SELECT trace_id FROM attributes_pending)');
      await conn.run(
        `INSERT INTO trace_attributes ${attributeRows('(SELECT trace_id, attributes, resource_attributes FROM span_data WHERE trace_id IN (SELECT trace_id FROM attributes_pending))')}`,
      );
    }
    await conn.run('DROP TABLE attributes_pending');
    await conn.run('COMMIT');
    return count;
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The traces a Parquet import noted (noteImportedTraces), for its transaction. */
const SUMMARY_PENDING_DDL = 'CREATE TEMP TABLE IF NOT EXISTS summary_pending (trace_id VARCHAR)';

/**
 * Parquet import, per file inside its transaction: notes the trace ids `traceIdSelect` yields
 * (a trace_id column), whose summaries resummarizeImported recomputes once every file and price
 * is in.
 */

export async function noteImportedTraces(conn: DuckDBConnection, traceIdSelect: string, params: DuckDBValue[] = []): Promise<void> {
  await conn.run(SUMMARY_PENDING_DDL);
  await conn.run(`INSERT INTO summary_pending SELECT DISTINCT trace_id FROM (${traceIdSelect})`, params);
}

/**
 * At most `limit` of the trace ids noteImportedTraces noted so far (the import's live event):
 * reading them from span_data by source was a DISTINCT over every stored span, 0.5-0.8 s at 1M.
 */
export async function notedTraceIds(conn: DuckDBConnection, limit: number): Promise<string[]> {
  await conn.run(SUMMARY_PENDING_DDL);
  const r = await conn.runAndReadAll(`SELECT DISTINCT trace_id FROM summary_pending LIMIT ${Math.trunc(limit)}`);
  return r.getRows().map(([id]) => String(id));
}

/**
 * Recomputes the summary of the traces noteImportedTraces noted (the files' traces, and those
 * whose costs the import's price UPDATE set: span-import.ts applyModelPrice notes them), from
 * span_data, and marks their attribute rows pending. (Taking every trace with a span of the import's sources instead cost ~1.1 s more
 * at 1M imported spans: a semi-join over every stored span's source.)
 */
export async function resummarizeImported(conn: DuckDBConnection, phases?: PhaseTimes): Promise<void> {
  await conn.run(SUMMARY_PENDING_DDL);
  // A plain INSERT when every noted trace is new to the store: OR REPLACE checks each row for a
  // conflict, 1.1-2.3 instead of 0.8-1.0 s of CPU for 100k new traces (1M spans).
  const stored = await conn.runAndReadAll('SELECT EXISTS (SELECT 1 FROM summary_pending SEMI JOIN trace_summary USING (trace_id)) AS stored');
  const insert = stored.getRowObjects()[0]?.stored === false ? 'INSERT' : 'INSERT OR REPLACE';
  await conn.run(
    `${insert} INTO trace_summary ${summaryAggregate('span_data')}
     WHERE trace_id IN (SELECT trace_id FROM summary_pending)
     GROUP BY trace_id`,
  );
  phases?.mark('summary');
  // The files' traces are re-indexed whole after the commit (indexPendingAttributes). Their rows
  // from before stay meanwhile: an import only adds spans, so each still holds.
  await conn.run(markAttributesPending('SELECT DISTINCT trace_id FROM summary_pending'));
  await conn.run('DELETE FROM summary_pending');
  phases?.mark('attribute markers');
}

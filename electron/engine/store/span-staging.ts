// Staging span rows for the insert into span_data: the ingest writer and the decoded-row import
// path (OTLP JSON files) hand rows here, and one INSERT ... SELECT moves them.
//
// Appending is the engine thread's biggest cost per span after decoding, and most of it is one
// native call per value: the row-at-a-time appender made 35 calls per span (~100k spans/s at
// best). So the rows go in columnar 2,048-row data chunks, where numbers are written into the
// vector's memory from JavaScript and only non-NULL strings cost a call, and the staging shape
// keeps strings few:
//   - the columns every span of a resource/scope shares (service, scope, resource and scope
//     attributes, schema URLs, source) are staged once per group in span_group_staging, and
//     span_staging names the group by number;
//   - kind and status travel as their enum numbers;
//   - the values nearly every span has the default for (empty status message and trace state,
//     no events, no links) are staged as NULL and filled in by the INSERT.
// A span then costs ~9 string calls instead of 35 values appended one by one.
import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBVarCharType,
  UINTEGER,
  UTINYINT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { SPAN_KINDS, STATUS_CODES, type SpanRow } from '../span-row';
import { ChunkFiller } from './chunk-filler';
import { groupNumbers, renumberGroups, stageRows, STAGED_GROUP_COLUMNS, STAGED_SPAN_COLUMNS, type StagedSpans } from './staged-spans';
import { literalIdList, type StoredTraces } from './stored-traces';

const JSON_TYPE = DuckDBVarCharType.create('JSON');

/** span_staging's columns, in order, with the type of each. */
const SPAN_COLUMNS: readonly [name: string, type: DuckDBType, sql: string][] = [
  ['group_no', UINTEGER, 'UINTEGER'],
  ['trace_id', VARCHAR, 'VARCHAR'],
  ['span_id', VARCHAR, 'VARCHAR'],
  ['parent_span_id', VARCHAR, 'VARCHAR'],
  ['name', VARCHAR, 'VARCHAR'],
  ['kind_no', UTINYINT, 'UTINYINT'],
  ['start_ns', BIGINT, 'BIGINT'],
  ['end_ns', BIGINT, 'BIGINT'],
  ['status_no', UTINYINT, 'UTINYINT'],
  ['status_message', VARCHAR, 'VARCHAR'],
  ['attributes', JSON_TYPE, 'JSON'],
  ['events', JSON_TYPE, 'JSON'],
  ['links', JSON_TYPE, 'JSON'],
  ['span_type', VARCHAR, 'VARCHAR'],
  ['llm_provider', VARCHAR, 'VARCHAR'],
  ['llm_model', VARCHAR, 'VARCHAR'],
  ['input_tokens', BIGINT, 'BIGINT'],
  ['output_tokens', BIGINT, 'BIGINT'],
  ['total_tokens', BIGINT, 'BIGINT'],
  ['cost_usd', DOUBLE, 'DOUBLE'],
  ['session_id', VARCHAR, 'VARCHAR'],
  ['user_id', VARCHAR, 'VARCHAR'],
  ['trace_state', VARCHAR, 'VARCHAR'],
  ['flags', UINTEGER, 'UINTEGER'],
  ['dropped_attributes_count', UINTEGER, 'UINTEGER'],
  ['dropped_events_count', UINTEGER, 'UINTEGER'],
  ['dropped_links_count', UINTEGER, 'UINTEGER'],
  ['value_types', JSON_TYPE, 'JSON'],
];

const GROUP_COLUMNS: readonly [name: string, type: DuckDBType, sql: string][] = [
  ['group_no', UINTEGER, 'UINTEGER'],
  ['service_name', VARCHAR, 'VARCHAR'],
  ['scope_name', VARCHAR, 'VARCHAR'],
  ['scope_version', VARCHAR, 'VARCHAR'],
  ['resource_attributes', JSON_TYPE, 'JSON'],
  ['resource_schema_url', VARCHAR, 'VARCHAR'],
  ['scope_schema_url', VARCHAR, 'VARCHAR'],
  ['scope_attributes', JSON_TYPE, 'JSON'],
  ['source', VARCHAR, 'VARCHAR'],
];

const SPAN_CHUNKS = new ChunkFiller(SPAN_COLUMNS.map(([, type]) => type));
const GROUP_CHUNKS = new ChunkFiller(GROUP_COLUMNS.map(([, type]) => type));
if (SPAN_COLUMNS.length !== STAGED_SPAN_COLUMNS || GROUP_COLUMNS.length !== STAGED_GROUP_COLUMNS + 1) {
  throw new Error('staged-spans.ts and the staging tables disagree on their columns');
}

const ddl = (table: string, columns: typeof SPAN_COLUMNS): string =>
  `CREATE TEMP TABLE ${table} (${columns.map(([name, , sql]) => `"${name}" ${sql}`).join(', ')})`;

/** The staging tables, created once per writer connection. */
export const SPAN_STAGING_DDL = [ddl('span_staging', SPAN_COLUMNS), ddl('span_group_staging', GROUP_COLUMNS)];

const sqlList = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/**
 * The staged rows as span_data's columns, in its order (`s` the span, `g` its group). The staged
 * JSON is our own serializer's output, so it is staged as JSON and not cast (and validated)
 * again here.
 */
const STAGED_ROWS = `
  SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, ${sqlList(SPAN_KINDS)}[s.kind_no + 1],
         make_timestamp_ns(s.start_ns), make_timestamp_ns(s.end_ns), s.end_ns - s.start_ns,
         ${sqlList(STATUS_CODES)}[s.status_no + 1], coalesce(s.status_message, ''),
         g.service_name, g.scope_name, g.scope_version,
         s.attributes, g.resource_attributes, coalesce(s.events, '[]'::JSON), coalesce(s.links, '[]'::JSON),
         s.span_type, s.llm_provider, s.llm_model, s.input_tokens, s.output_tokens, s.total_tokens, s.cost_usd,
         s.session_id, s.user_id, g.source, coalesce(s.trace_state, ''), s.flags, s.dropped_attributes_count,
         s.dropped_events_count, s.dropped_links_count, g.resource_schema_url, g.scope_schema_url,
         g.scope_attributes, s.value_types
  FROM span_staging s JOIN span_group_staging g ON g.group_no = s.group_no`;

/**
 * Moves the staged rows into a store kept below schema version 7 (upgrade tests), whose key
 * index refuses a span already there (an exporter's retry): it is left as it was.
 */
export const INSERT_FROM_STAGING = `INSERT OR IGNORE INTO span_data ${STAGED_ROWS}`;

/**
 * Whether a key repeats among the staged spans (two keys with one 64-bit hash count: a collision
 * only costs the slower insert). Not asked when the parts are known to hold none (StagingChunks
 * repeatFree): ~2.4 ms of a ~50 ms write of ~1,100 spans at a paced 20k spans/s.
 */
const STAGED_KEYS_REPEAT = 'SELECT count(DISTINCT hash(trace_id, span_id)) < count(*) AS repeated FROM span_staging';

/**
 * Moves the staged rows into span_data, each (trace_id, span_id) once (schema version 7: no key
 * index checks it). A span already stored (an exporter's retry, a file imported twice) is left
 * as it was, and of a span staged twice the first is taken, as the key index did. Only the
 * stored spans of the traces `stored` names are looked at, from their earliest start on, which
 * DuckDB's min/max per row group mostly skips: live ingest stores recent spans, and most writes
 * have no stored trace at all (a plain INSERT). Returns the rows inserted.
 */
export async function insertStagedSpans(conn: DuckDBConnection, stored: StoredTraces, mayRepeat = true): Promise<number> {
  const repeated = mayRepeat && (await conn.runAndReadAll(STAGED_KEYS_REPEAT)).getRowObjects()[0]?.repeated === true;
  let sql = `INSERT INTO span_data ${STAGED_ROWS}`;
  if (stored.earliestNs !== null) {
    const traces = stored.ids ? literalIdList(stored.ids) : 'SELECT trace_id FROM span_staging';
    sql += `
  ANTI JOIN (SELECT trace_id, span_id FROM span_data
             WHERE trace_id IN (${traces}) AND start_time >= make_timestamp_ns(${stored.earliestNs}::BIGINT)) d
    ON d.trace_id = s.trace_id AND d.span_id = s.span_id`;
  }
  if (repeated) sql += '\n  QUALIFY row_number() OVER (PARTITION BY s.trace_id, s.span_id ORDER BY s.rowid) = 1';
  return Number((await conn.run(sql)).rowsChanged);
}

/**
 * The staged spans under span_data's column names (those the per-trace summary reads:
 * trace-summary.ts), as a subquery.
 */
export const STAGED_SPANS = `(
  SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, ${sqlList(STATUS_CODES)}[s.status_no + 1] AS status_code,
         g.service_name, s.input_tokens, s.output_tokens, s.cost_usd, s.session_id,
         make_timestamp_ns(s.start_ns) AS start_time, make_timestamp_ns(s.end_ns) AS end_time,
         s.attributes, g.resource_attributes
  FROM span_staging s JOIN span_group_staging g ON g.group_no = s.group_no)`;

/**
 * An `INSERT OR IGNORE` statement as a plain INSERT, which the writer tries first (for spans and
 * log records): DuckDB then refuses a taken key through the index instead of checking OR IGNORE
 * against the stored rows, and the writer retries the batch with OR IGNORE (Store.writeBatchesOnce).
 */
export const plainInsert = (sql: string): string => sql.replace('INSERT OR IGNORE', 'INSERT');

/** The same for a store kept below schema version 4 (upgrade tests), which has no value_types. */
export const INSERT_FROM_STAGING_V3 = INSERT_FROM_STAGING.replace(', s.value_types\n', '\n');

export const CLEAR_STAGING = ['DELETE FROM span_staging', 'DELETE FROM span_group_staging'];

/**
 * Appends the rows to the staging tables (empty beforehand) in 2,048-row chunks, and returns
 * their trace ids (each once) and whether a span id repeats among them (staged-spans.ts). The
 * caller moves them (trace-summary.ts storeStagedSpans) and runs CLEAR_STAGING in the same
 * transaction.
 */
export async function stageSpanRows(conn: DuckDBConnection, rows: readonly SpanRow[]): Promise<Pick<StagedSpans, 'traceIds' | 'repeatFree'>> {
  const part = stageRows(rows);
  await stageSpans(conn, [part]);
  return part;
}

/**
 * Appends parts already in staging form (staged-spans.ts: an ingest worker's, or stageRows') to
 * the staging tables, each part's groups numbered after the parts before it.
 */
export async function stageSpans(conn: DuckDBConnection, parts: readonly StagedSpans[]): Promise<void> {
  let firstGroup = 0;
  const chunks = parts.map((part) => {
    const built = buildStagingChunks(part, firstGroup);
    firstGroup += built.groupCount;
    return built;
  });
  try {
    await appendStagingChunks(conn, chunks);
  } finally {
    releaseStagingChunks(chunks);
  }
}

/**
 * One part's rows as the staging tables' data chunks, its groups numbered from `firstGroup`.
 * Filling the chunks is most of staging's cost on the engine thread and needs no connection, so
 * the ingest writer builds them as a request arrives (Store.appendStagedSpans), while the write
 * before it runs, and the write only appends them. A chunk can be appended again (a write that is
 * retried): DuckDB copies it.
 */
export interface StagingChunks {
  spans: DuckDBDataChunk[];
  groups: DuckDBDataChunk[];
  /** The group numbers used: firstGroup .. firstGroup + groupCount - 1. */
  groupCount: number;
  /** The part's span count, trace ids and whether a span id repeats in it (staged-spans.ts), so the part itself need not be kept. */
  count: number;
  traceIds: string[];
  repeatFree: boolean;
}

export function buildStagingChunks(part: StagedSpans, firstGroup: number): StagingChunks {
  const { groupCount } = part;
  const spanColumns = firstGroup === 0 ? part.spans : [renumberGroups(part.spans[0]!, firstGroup), ...part.spans.slice(1)];
  return {
    spans: SPAN_CHUNKS.fill(spanColumns, part.count),
    groups: GROUP_CHUNKS.fill([groupNumbers(firstGroup, groupCount), ...part.groups], groupCount),
    groupCount,
    count: part.count,
    traceIds: part.traceIds,
    repeatFree: part.repeatFree,
  };
}

/** Hands the chunks of parts that are written (or given up) back for reuse. */
export function releaseStagingChunks(parts: readonly StagingChunks[]): void {
  for (const part of parts) {
    SPAN_CHUNKS.release(part.spans);
    GROUP_CHUNKS.release(part.groups);
  }
}

/**
 * Spans appended (and flushed) between two turns of the event loop: appending runs on the engine
 * thread, and a write after a checkpoint (tens of thousands of rows) held requests and reads up
 * for 100 ms and more in one piece.
 */
const APPEND_ROWS_PER_TURN = 8192;

/** Appends built chunks to the staging tables; their group numbers must not repeat. */
export async function appendStagingChunks(conn: DuckDBConnection, parts: readonly StagingChunks[]): Promise<void> {
  const spans = await conn.createAppender('span_staging', 'main', 'temp');
  const groups = await conn.createAppender('span_group_staging', 'main', 'temp');
  try {
    let sinceTurn = 0;
    for (const part of parts) {
      for (const chunk of part.spans) spans.appendDataChunk(chunk);
      for (const chunk of part.groups) groups.appendDataChunk(chunk);
      sinceTurn += part.count;
      if (sinceTurn >= APPEND_ROWS_PER_TURN) {
        spans.flushSync();
        sinceTurn = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    spans.flushSync();
    groups.flushSync();
  } finally {
    spans.closeSync();
    groups.closeSync();
  }
}


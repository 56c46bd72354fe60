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
  type DuckDBValue,
} from '@duckdb/node-api';
import { SPAN_KINDS, STATUS_CODES, type SpanRow } from '../span-row';

const JSON_TYPE = DuckDBVarCharType.create('JSON');

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

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

const SPAN_TYPES = SPAN_COLUMNS.map(([, type]) => type);
const GROUP_TYPES = GROUP_COLUMNS.map(([, type]) => type);

const ddl = (table: string, columns: typeof SPAN_COLUMNS): string =>
  `CREATE TEMP TABLE ${table} (${columns.map(([name, , sql]) => `"${name}" ${sql}`).join(', ')})`;

/** The staging tables, created once per writer connection. */
export const SPAN_STAGING_DDL = [ddl('span_staging', SPAN_COLUMNS), ddl('span_group_staging', GROUP_COLUMNS)];

const sqlList = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/**
 * Moves the staged rows into span_data; a span already there (an exporter's retry, a file
 * imported twice) is left as it was. The staged JSON is our own serializer's output, so it is
 * staged as JSON and not cast (and validated) again here.
 */
export const INSERT_FROM_STAGING = `
  INSERT OR IGNORE INTO span_data
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
 * The staged spans under span_data's column names (those the per-trace summary reads:
 * trace-summary.ts), as a subquery.
 */
export const STAGED_SPANS = `(
  SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, ${sqlList(STATUS_CODES)}[s.status_no + 1] AS status_code,
         g.service_name, s.input_tokens, s.output_tokens, s.cost_usd, s.session_id,
         make_timestamp_ns(s.start_ns) AS start_time, make_timestamp_ns(s.end_ns) AS end_time,
         s.attributes, g.resource_attributes
  FROM span_staging s JOIN span_group_staging g ON g.group_no = s.group_no)`;

/** The same for a store kept below schema version 4 (upgrade tests), which has no value_types. */
export const INSERT_FROM_STAGING_V3 = INSERT_FROM_STAGING.replace(', s.value_types\n', '\n');

export const CLEAR_STAGING = ['DELETE FROM span_staging', 'DELETE FROM span_group_staging'];

/** What a group shares, as one key (the fields cannot contain U+0000 unescaped: JSON and ids). */
const groupKey = (r: SpanRow): string =>
  `${r.serviceName ?? '\u0001'}\u0000${r.scopeName ?? '\u0001'}\u0000${r.scopeVersion ?? '\u0001'}\u0000${r.resourceAttributesJson}\u0000` +
  `${r.resourceSchemaUrl}\u0000${r.scopeSchemaUrl}\u0000${r.scopeAttributesJson}\u0000${r.source}`;

const sameGroup = (a: SpanRow, b: SpanRow): boolean =>
  a.resourceAttributesJson === b.resourceAttributesJson &&
  a.scopeAttributesJson === b.scopeAttributesJson &&
  a.serviceName === b.serviceName &&
  a.scopeName === b.scopeName &&
  a.scopeVersion === b.scopeVersion &&
  a.resourceSchemaUrl === b.resourceSchemaUrl &&
  a.scopeSchemaUrl === b.scopeSchemaUrl &&
  a.source === b.source;

const nullIf = (value: string, empty: string): string | null => (value === empty ? null : value);
const bigOrNull = (n: number | null): bigint | null => (n === null ? null : BigInt(Math.trunc(n)));

/**
 * Appends the rows to the staging tables (empty beforehand) in 2,048-row chunks. The caller runs
 * INSERT_FROM_STAGING and CLEAR_STAGING in the same transaction.
 */
export async function stageSpanRows(conn: DuckDBConnection, rows: readonly SpanRow[]): Promise<void> {
  const groupNo = new Map<string, number>();
  const groups: SpanRow[] = [];
  const groupOfRow = new Uint32Array(rows.length);
  let previous: SpanRow | null = null;
  let previousGroup = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    // Rows of one request come in runs that share the very same strings: compare with the last.
    if (previous === null || !sameGroup(previous, row)) {
      const key = groupKey(row);
      let no = groupNo.get(key);
      if (no === undefined) {
        no = groups.length;
        groupNo.set(key, no);
        groups.push(row);
      }
      previousGroup = no;
      previous = row;
    }
    groupOfRow[i] = previousGroup;
  }

  const spans = await conn.createAppender('span_staging', 'main', 'temp');
  try {
    for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows.length - from);
      const columns: DuckDBValue[][] = SPAN_COLUMNS.map(() => new Array<DuckDBValue>(n));
      for (let j = 0; j < n; j++) {
        const r = rows[from + j]!;
        let c = 0;
        columns[c++]![j] = groupOfRow[from + j]!;
        columns[c++]![j] = r.traceId;
        columns[c++]![j] = r.spanId;
        columns[c++]![j] = r.parentSpanId;
        columns[c++]![j] = r.name;
        columns[c++]![j] = Math.max(0, SPAN_KINDS.indexOf(r.kind));
        columns[c++]![j] = r.startNs;
        columns[c++]![j] = r.endNs;
        columns[c++]![j] = Math.max(0, STATUS_CODES.indexOf(r.statusCode));
        columns[c++]![j] = nullIf(r.statusMessage, '');
        columns[c++]![j] = r.attributesJson;
        columns[c++]![j] = nullIf(r.eventsJson, '[]');
        columns[c++]![j] = nullIf(r.linksJson, '[]');
        columns[c++]![j] = r.spanType;
        columns[c++]![j] = r.llmProvider;
        columns[c++]![j] = r.llmModel;
        columns[c++]![j] = bigOrNull(r.inputTokens);
        columns[c++]![j] = bigOrNull(r.outputTokens);
        columns[c++]![j] = bigOrNull(r.totalTokens);
        columns[c++]![j] = r.costUsd;
        columns[c++]![j] = r.sessionId;
        columns[c++]![j] = r.userId;
        columns[c++]![j] = nullIf(r.traceState, '');
        columns[c++]![j] = r.flags;
        columns[c++]![j] = r.droppedAttributesCount;
        columns[c++]![j] = r.droppedEventsCount;
        columns[c++]![j] = r.droppedLinksCount;
        columns[c++]![j] = r.valueTypesJson ?? null;
      }
      const chunk = DuckDBDataChunk.create(SPAN_TYPES, n);
      chunk.setColumns(columns);
      spans.appendDataChunk(chunk);
    }
    spans.flushSync();
  } finally {
    spans.closeSync();
  }

  const appender = await conn.createAppender('span_group_staging', 'main', 'temp');
  try {
    for (let from = 0; from < groups.length; from += CHUNK_ROWS) {
      const part = groups.slice(from, from + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(GROUP_TYPES, part.length);
      chunk.setColumns([
        part.map((_, j) => from + j),
        part.map((g) => g.serviceName),
        part.map((g) => g.scopeName),
        part.map((g) => g.scopeVersion),
        part.map((g) => g.resourceAttributesJson),
        part.map((g) => g.resourceSchemaUrl),
        part.map((g) => g.scopeSchemaUrl),
        part.map((g) => g.scopeAttributesJson),
        part.map((g) => g.source),
      ]);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

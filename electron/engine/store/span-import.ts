// Parquet import and export as DuckDB SQL: each recognised format is a SELECT over
// read_parquet() that yields the `spans` columns, and the whole import is one INSERT … SELECT per
// file inside one transaction, so rows never pass through JavaScript (memory stays bounded by
// DuckDB's own buffers) and a failure or cancel rolls everything back.
//
// Text spliced into SQL here is limited to: column names read from the file's own schema
// (always quoted with quoteIdent), fixed expressions chosen per format, and numeric constants.
// File paths, sources, trace ids and the like are bound parameters.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMapping, DurationUnit, FileColumn, ImportFormat } from '../../../shared/import';
import type { SpanRow } from '../span-row';
import { CLEAR_STAGING, stageSpanRows } from './span-staging';
import { noteImportedTraces, storeStagedSpans } from './trace-summary';
import type { PhaseTimes } from '../phase-times';
import { checkSerializedSql, RefusedSqlError } from './readonly-sql';
import { CURRENT_SCHEMA_VERSION, SPANS_VIEW_COLUMNS } from './schema';

export { RefusedSqlError };

/** What the engine decided about one Parquet file (electron/engine/parquet/detect.ts). */
export interface ImportPlan {
  format: ImportFormat;
  columns: FileColumn[];
  /** For 'generic' and 'mapped'. */
  mapping?: ColumnMapping;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Columns and key-value metadata of a Parquet file (or glob). Throws DuckDB's error as is. */
export async function describeParquet(
  conn: DuckDBConnection,
  path: string,
): Promise<{ columns: FileColumn[]; kv: Record<string, string>; rowCount: number }> {
  const described = await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($1)', [path]);
  const columns = described.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const kvResult = await conn.runAndReadAll(
    'SELECT decode(key)::VARCHAR AS key, decode(value)::VARCHAR AS value FROM parquet_kv_metadata($1)',
    [path],
  );
  const kv: Record<string, string> = {};
  for (const r of kvResult.getRowObjectsJS()) kv[String(r.key)] = String(r.value);
  const count = await conn.runAndReadAll(
    'SELECT coalesce(sum(num_rows), 0)::DOUBLE AS n FROM parquet_file_metadata($1)',
    [path],
  );
  return { columns, kv, rowCount: Number(count.getRowObjectsJS()[0]?.n ?? 0) };
}

/** The first `limit` rows as JSON-compatible objects (the mapping step's preview). */
export async function previewParquet(conn: DuckDBConnection, path: string, limit: number): Promise<Record<string, unknown>[]> {
  const n = Math.min(Math.max(Math.trunc(limit), 1), 100);
  const result = await conn.runAndReadAll(`SELECT * FROM read_parquet($1) LIMIT ${n}`, [path]);
  return result.getRowObjectsJson() as Record<string, unknown>[];
}

// ---- expressions ----------------------------------------------------------------------------

const isTimestampType = (t: string): boolean => /^(TIMESTAMP|DATE)/i.test(t);
const isIntegerType = (t: string): boolean => /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UBIGINT|UHUGEINT)$/i.test(t);
const isFloatType = (t: string): boolean => /^(FLOAT|DOUBLE|REAL|DECIMAL)/i.test(t);

/**
 * Nanoseconds since the epoch (BIGINT) from a column of any common time type: timestamps with
 * or without zone (the import connection runs in UTC), integers or floats counted in s, ms, µs
 * or ns (told apart per value by magnitude: 1e11 s is the year 5138, 1e14 ms 5138 too), or
 * ISO-8601 text.
 */
export function timeNsExpr(col: string, type: string): string {
  if (/WITH TIME ZONE|TIMESTAMPTZ/i.test(type)) return `epoch_ns(${col})`;
  if (isTimestampType(type)) return `epoch_ns(CAST(${col} AS TIMESTAMP_NS))`;
  if (isIntegerType(type)) return scaledIntegerByMagnitude(`CAST(${col} AS HUGEINT)`);
  if (isFloatType(type)) return scaledByMagnitude(`CAST(${col} AS DOUBLE)`, `CAST(${col} AS HUGEINT)`);
  // Text: an ISO timestamp, or a number in text.
  const asNumber = `TRY_CAST(${col} AS DOUBLE)`;
  return `coalesce(epoch_ns(TRY_CAST(${col} AS TIMESTAMPTZ)), ${scaledByMagnitude(asNumber, `TRY_CAST(${col} AS HUGEINT)`)})`;
}

/** Integer arithmetic: 1.795e12 ms × 1e6 is beyond a double's 53 bits of exact integers. */
function scaledIntegerByMagnitude(v: string): string {
  return `CAST(CASE
    WHEN abs(${v}) >= 100000000000000000 THEN ${v}
    WHEN abs(${v}) >= 100000000000000 THEN ${v} * 1000
    WHEN abs(${v}) >= 100000000000 THEN ${v} * 1000000
    ELSE ${v} * 1000000000 END AS BIGINT)`;
}

function scaledByMagnitude(asDouble: string, asInteger: string): string {
  return `CASE
    WHEN ${asDouble} IS NULL THEN NULL
    WHEN abs(${asDouble}) >= 1e17 THEN CAST(${asInteger} AS BIGINT)
    WHEN abs(${asDouble}) >= 1e14 THEN CAST(round(${asDouble} * 1e3) AS BIGINT)
    WHEN abs(${asDouble}) >= 1e11 THEN CAST(round(${asDouble} * 1e6) AS BIGINT)
    ELSE CAST(round(${asDouble} * 1e9) AS BIGINT) END`;
}

const UNIT_NS: Record<DurationUnit, number> = { s: 1e9, ms: 1e6, us: 1e3, ns: 1 };

/** A duration's unit from the column name (duration_ms, DurationNs, latency_us), else by type. */
export function durationUnitFor(name: string, type: string): DurationUnit {
  const n = name.toLowerCase();
  if (/(^|[_.-])(ns|nanos?|nanoseconds?)$|nano/.test(n) || /ns$/.test(name)) return 'ns';
  if (/(^|[_.-])(us|micros?|microseconds?)$|micro|Us$/.test(name) || /(^|[_.-])us$/.test(n)) return 'us';
  if (/(^|[_.-])(ms|millis?|milliseconds?)$|milli|Ms$/.test(name) || /(^|[_.-])ms$/.test(n)) return 'ms';
  if (/(^|[_.-])(s|secs?|seconds?)$/.test(n)) return 's';
  // ClickHouse's Duration and other integer durations count nanoseconds; a float is seconds.
  return isFloatType(type) ? 's' : 'ns';
}

function durationNsExpr(col: string, type: string, unit: DurationUnit): string {
  if (/^INTERVAL/i.test(type)) return `CAST(epoch_ns(TIMESTAMP '1970-01-01' + ${col}) AS BIGINT)`;
  const factor = UNIT_NS[unit];
  if (factor === 1) return `CAST(${col} AS BIGINT)`;
  if (isIntegerType(type)) return `CAST(CAST(${col} AS HUGEINT) * ${factor} AS BIGINT)`;
  return `CAST(round(CAST(${col} AS DOUBLE) * ${factor}) AS BIGINT)`;
}

/**
 * JSON object text from a column: maps and structs become objects, JSON text is kept, anything
 * else is wrapped. to_json's result stays typed JSON, so the insert's ::JSON does not parse it
 * again (~10% of the mapping's time for the bench's ClickHouse file).
 */
function objectJsonExpr(col: string, type: string, wrapKey: string): string {
  if (/^(MAP|STRUCT)/i.test(type)) return `coalesce(to_json(${col}), '{}'::JSON)`;
  if (/^(VARCHAR|JSON)$/i.test(type)) {
    return `CASE WHEN ${col} IS NULL THEN '{}'
      WHEN json_valid(${col}) AND json_type(${col}::JSON) = 'OBJECT' THEN ${col}::VARCHAR
      ELSE json_object(${sqlString(wrapKey)}, ${col})::VARCHAR END`;
  }
  return `CASE WHEN ${col} IS NULL THEN '{}' ELSE json_object(${sqlString(wrapKey)}, ${col})::VARCHAR END`;
}

/** A JSON value of any column, JSON text kept as JSON. */
function jsonValueExpr(col: string, type: string): string {
  if (/^JSON$/i.test(type)) return `${col}::JSON`;
  if (/^VARCHAR$/i.test(type)) return `CASE WHEN json_valid(${col}) AND json_type(${col}::JSON) IN ('OBJECT', 'ARRAY') THEN ${col}::JSON ELSE to_json(${col}) END`;
  return `to_json(${col})`;
}

/** A JSON object of key → column value, with null values left out. */
function objectFromColumnsExpr(entries: readonly { key: string; col: string; type: string }[]): string {
  if (entries.length === 0) return `'{}'`;
  const items = entries.map((e) => `struct_pack("k" := ${sqlString(e.key)}, "v" := ${jsonValueExpr(e.col, e.type)})`);
  return `coalesce(to_json(map_from_entries(list_filter([${items.join(', ')}], e -> e.v IS NOT NULL AND e.v::VARCHAR <> 'null'))), '{}'::JSON)`;
}

/** A SQL string literal for a fixed key chosen by this module or a column name of the file. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const KIND_EXPR = (col: string): string => `CASE regexp_replace(lower(CAST(${col} AS VARCHAR)), '^span_kind_', '')
    WHEN 'internal' THEN 'internal' WHEN '1' THEN 'internal'
    WHEN 'server' THEN 'server' WHEN '2' THEN 'server'
    WHEN 'client' THEN 'client' WHEN '3' THEN 'client'
    WHEN 'producer' THEN 'producer' WHEN '4' THEN 'producer'
    WHEN 'consumer' THEN 'consumer' WHEN '5' THEN 'consumer'
    ELSE 'unspecified' END`;

const STATUS_EXPR = (col: string): string => `CASE regexp_replace(lower(CAST(${col} AS VARCHAR)), '^status_code_', '')
    WHEN 'ok' THEN 'ok' WHEN '1' THEN 'ok' WHEN 'success' THEN 'ok'
    WHEN 'error' THEN 'error' WHEN '2' THEN 'error' WHEN 'failed' THEN 'error' WHEN 'failure' THEN 'error'
    ELSE 'unset' END`;

/** OpenInference / LangSmith kinds → span_type. */
const SPAN_TYPE_FROM_KIND = (expr: string): string => `CASE lower(${expr})
    WHEN 'llm' THEN 'llm' WHEN 'chat' THEN 'llm' WHEN 'embedding' THEN 'embedding' WHEN 'tool' THEN 'tool'
    WHEN 'retriever' THEN 'retriever' WHEN 'reranker' THEN 'reranker' WHEN 'agent' THEN 'agent'
    WHEN 'chain' THEN 'chain' WHEN 'prompt' THEN 'chain' WHEN 'parser' THEN 'chain'
    WHEN 'guardrail' THEN 'guardrail' WHEN 'evaluator' THEN 'evaluator' ELSE NULL END`;

// Attribute keys read after mapping, in one json_extract_string call per row (one parse).
const LLM_KEYS = [
  'gen_ai.operation.name', // 1
  'openinference.span.kind', // 2
  'traceloop.span.kind', // 3
  'gen_ai.provider.name', // 4
  'gen_ai.system', // 5
  'llm.provider', // 6
  'llm.system', // 7
  'gen_ai.response.model', // 8
  'gen_ai.request.model', // 9
  'llm.model_name', // 10
  'gen_ai.usage.input_tokens', // 11
  'gen_ai.usage.prompt_tokens', // 12
  'llm.token_count.prompt', // 13
  'gen_ai.usage.output_tokens', // 14
  'gen_ai.usage.completion_tokens', // 15
  'llm.token_count.completion', // 16
  'llm.usage.total_tokens', // 17
  'llm.token_count.total', // 18
  'session.id', // 19
  'gen_ai.conversation.id', // 20
  'user.id', // 21
  'enduser.id', // 22
  'gen_ai.usage.cost', // 23
  'llm.cost.total', // 24
] as const;
const LLM_PATHS = `[${LLM_KEYS.map((k) => sqlString(`$."${k}"`)).join(', ')}]`;
/** Every LLM_KEYS entry starts with one of these (the regexp is a fixed constant). */
const LLM_KEY_HINT = `'"(gen_ai\\.|openinference\\.|traceloop\\.|llm\\.|session\\.id|user\\.id|enduser\\.id)'`;

/** llm_model's keys among LLM_KEYS (8-10), read by the keys pass to price the INSERT. */
const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name'] as const;
const MODEL_PATHS = `[${MODEL_KEYS.map((k) => sqlString(`$."${k}"`)).join(', ')}]`;

const a = (i: number): string => `llm_keys[${i}]`;
const bigint = (...exprs: string[]): string => `coalesce(${exprs.map((e) => `TRY_CAST(${e} AS BIGINT)`).join(', ')})`;

/** The LLM columns, taken from the format's own columns when it has them, else from the attributes. */
const DERIVED_LLM = {
  span_type: `coalesce(span_type, CASE lower(${a(1)})
      WHEN 'chat' THEN 'llm' WHEN 'text_completion' THEN 'llm' WHEN 'generate_content' THEN 'llm'
      WHEN 'embeddings' THEN 'embedding' WHEN 'execute_tool' THEN 'tool' WHEN 'invoke_agent' THEN 'agent'
      WHEN 'create_agent' THEN 'agent' ELSE NULL END,
      ${SPAN_TYPE_FROM_KIND(a(2))}, ${SPAN_TYPE_FROM_KIND(`CASE ${a(3)} WHEN 'task' THEN 'chain' WHEN 'workflow' THEN 'chain' ELSE ${a(3)} END`)},
      CASE WHEN coalesce(llm_model, ${a(8)}, ${a(9)}, ${a(10)}) IS NOT NULL THEN 'llm' END)`,
  llm_provider: `lower(coalesce(llm_provider, ${a(4)}, ${a(5)}, ${a(6)}, ${a(7)}))`,
  llm_model: `coalesce(llm_model, ${a(8)}, ${a(9)}, ${a(10)})`,
  input_tokens: `coalesce(input_tokens, ${bigint(a(11), a(12), a(13))})`,
  output_tokens: `coalesce(output_tokens, ${bigint(a(14), a(15), a(16))})`,
  total_tokens: `coalesce(total_tokens, ${bigint(a(17), a(18))},
      coalesce(input_tokens, ${bigint(a(11), a(12), a(13))}) + coalesce(output_tokens, ${bigint(a(14), a(15), a(16))}))`,
  cost_usd: `coalesce(cost_usd, TRY_CAST(${a(23)} AS DOUBLE), TRY_CAST(${a(24)} AS DOUBLE))`,
  session_id: `coalesce(session_id, ${a(19)}, ${a(20)})`,
  user_id: `coalesce(user_id, ${a(21)}, ${a(22)})`,
};

/** The columns every format's base SELECT yields (then DERIVED_LLM and the insert fill span_data). */
interface BaseColumns {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  kind: string;
  start_ns: string;
  end_ns: string;
  status_code: string;
  status_message: string;
  service_name: string;
  scope_name: string;
  scope_version: string;
  attributes: string;
  resource_attributes: string;
  events: string;
  links: string;
  trace_state: string;
  span_type?: string;
  llm_provider?: string;
  llm_model?: string;
  input_tokens?: string;
  output_tokens?: string;
  total_tokens?: string;
  cost_usd?: string;
  session_id?: string;
  user_id?: string;
}

const idExpr = (col: string): string => `nullif(trim(CAST(${col} AS VARCHAR)), '')`;

class Columns {
  private readonly byName = new Map<string, FileColumn>();
  constructor(columns: readonly FileColumn[]) {
    for (const c of columns) this.byName.set(c.name, c);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  type(name: string): string {
    return this.byName.get(name)?.type ?? 'VARCHAR';
  }
  /** The quoted column, or the SQL fallback when the file lacks it. */
  col(name: string, fallback = 'NULL'): string {
    return this.byName.has(name) ? quoteIdent(name) : fallback;
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}

function clickhouseBase(c: Columns): BaseColumns {
  const start = timeNsExpr(c.col('Timestamp'), c.type('Timestamp'));
  const events = c.has('Events.Timestamp')
    ? `coalesce(to_json(list_transform(list_zip(${c.col('Events.Timestamp')}, ${c.col('Events.Name')}, ${c.col('Events.Attributes')}),
        e -> struct_pack("time" := epoch_ns(CAST(e[1] AS TIMESTAMP_NS))::VARCHAR, "name" := e[2], "attributes" := coalesce(to_json(e[3]), '{}'::JSON)))), '[]'::JSON)`
    : `'[]'`;
  const links = c.has('Links.TraceId')
    ? `coalesce(to_json(list_transform(list_zip(${c.col('Links.TraceId')}, ${c.col('Links.SpanId')}, ${c.col('Links.TraceState')}, ${c.col('Links.Attributes')}),
        l -> struct_pack("trace_id" := l[1], "span_id" := l[2], "trace_state" := coalesce(l[3], ''), "attributes" := coalesce(to_json(l[4]), '{}'::JSON)))), '[]'::JSON)`
    : `'[]'`;
  return {
    trace_id: idExpr(c.col('TraceId')),
    span_id: idExpr(c.col('SpanId')),
    parent_span_id: idExpr(c.col('ParentSpanId')),
    name: c.col('SpanName', "''"),
    kind: KIND_EXPR(c.col('SpanKind')),
    start_ns: start,
    end_ns: `(${start}) + ${c.has('Duration') ? durationNsExpr(c.col('Duration'), c.type('Duration'), 'ns') : '0'}`,
    status_code: STATUS_EXPR(c.col('StatusCode')),
    status_message: c.col('StatusMessage', "''"),
    service_name: `coalesce(${c.col('ServiceName')}, ${c.has('ResourceAttributes') ? `${c.col('ResourceAttributes')}['service.name']` : 'NULL'})`,
    scope_name: c.col('ScopeName'),
    scope_version: c.col('ScopeVersion'),
    attributes: c.has('SpanAttributes') ? objectJsonExpr(c.col('SpanAttributes'), c.type('SpanAttributes'), 'value') : `'{}'`,
    resource_attributes: c.has('ResourceAttributes') ? objectJsonExpr(c.col('ResourceAttributes'), c.type('ResourceAttributes'), 'value') : `'{}'`,
    events,
    links,
    trace_state: c.col('TraceState', "''"),
  };
}

function phoenixBase(c: Columns): BaseColumns {
  const attributeColumns = c.names().filter((n) => n.startsWith('attributes.'));
  const attributes =
    attributeColumns.length > 0
      ? objectFromColumnsExpr(attributeColumns.map((n) => ({ key: n.slice('attributes.'.length), col: quoteIdent(n), type: c.type(n) })))
      : c.has('attributes')
        ? objectJsonExpr(c.col('attributes'), c.type('attributes'), 'attributes')
        : `'{}'`;
  const eventsType = c.type('events');
  const events =
    c.has('events') && /^STRUCT\(.*\)\[\]$/i.test(eventsType) && /\bname\b/.test(eventsType)
      ? `coalesce(to_json(list_transform(${c.col('events')}, e -> struct_pack(
          "time" := ${/\btimestamp\b/.test(eventsType) ? timeNsExpr('e.timestamp', /timestamp (TIMESTAMP[^,)]*)/i.exec(eventsType)?.[1] ?? 'VARCHAR') : 'NULL'}::VARCHAR,
          "name" := e.name,
          "attributes" := ${/\battributes\b/.test(eventsType) ? 'coalesce(to_json(e.attributes), \'{}\'::JSON)' : "'{}'::JSON"}))), '[]'::JSON)`
      : c.has('events') && /^(VARCHAR|JSON)$/i.test(eventsType)
        ? `CASE WHEN json_valid(${c.col('events')}) AND json_type(${c.col('events')}::JSON) = 'ARRAY' THEN ${c.col('events')}::VARCHAR ELSE '[]' END`
        : `'[]'`;
  const kindCol = c.has('span_kind') ? 'span_kind' : 'attributes.openinference.span.kind';
  return {
    trace_id: idExpr(c.col('context.trace_id')),
    span_id: idExpr(c.col('context.span_id')),
    parent_span_id: idExpr(c.col('parent_id')),
    name: c.col('name', "''"),
    // Phoenix's span_kind is OpenInference's kind (LLM, CHAIN, ...), not OTel's SpanKind.
    kind: `'internal'`,
    start_ns: timeNsExpr(c.col('start_time'), c.type('start_time')),
    end_ns: timeNsExpr(c.col('end_time'), c.type('end_time')),
    status_code: STATUS_EXPR(c.col('status_code')),
    status_message: c.col('status_message', "''"),
    service_name: 'NULL',
    scope_name: 'NULL',
    scope_version: 'NULL',
    attributes,
    resource_attributes: `'{}'`,
    events,
    links: `'[]'`,
    trace_state: "''",
    span_type: c.has(kindCol) ? SPAN_TYPE_FROM_KIND(`CAST(${quoteIdent(kindCol)} AS VARCHAR)`) : undefined,
  };
}

function langsmithBase(c: Columns): BaseColumns {
  const entries: { key: string; col: string; type: string }[] = [];
  const keyFor: Record<string, string> = {
    run_type: 'langsmith.run_type',
    inputs: 'input.value',
    outputs: 'output.value',
    extra: 'langsmith.extra',
    tags: 'langsmith.tags',
    error: 'exception.message',
    dotted_order: 'langsmith.dotted_order',
    reference_example_id: 'langsmith.reference_example_id',
  };
  for (const [column, key] of Object.entries(keyFor)) {
    if (c.has(column)) entries.push({ key, col: quoteIdent(column), type: c.type(column) });
  }
  const extraJson = c.has('extra') ? `TRY_CAST(${c.col('extra')} AS JSON)` : 'NULL';
  const model = c.has('extra')
    ? `coalesce(json_extract_string(${extraJson}, '$.metadata.ls_model_name'), json_extract_string(${extraJson}, '$.invocation_params.model'), json_extract_string(${extraJson}, '$.invocation_params.model_name'))`
    : 'NULL';
  const provider = c.has('extra') ? `json_extract_string(${extraJson}, '$.metadata.ls_provider')` : 'NULL';
  const endCol = c.has('end_time') ? timeNsExpr(c.col('end_time'), c.type('end_time')) : 'NULL';
  const start = timeNsExpr(c.col('start_time'), c.type('start_time'));
  return {
    trace_id: idExpr(c.col('trace_id')),
    span_id: idExpr(c.col('id')),
    parent_span_id: idExpr(c.col('parent_run_id')),
    name: c.col('name', "''"),
    kind: `'internal'`,
    start_ns: start,
    end_ns: `coalesce(${endCol}, ${start})`,
    status_code: c.has('error') ? `CASE WHEN ${c.col('error')} IS NOT NULL AND CAST(${c.col('error')} AS VARCHAR) <> '' THEN 'error' ELSE 'ok' END` : `'unset'`,
    status_message: c.has('error') ? `coalesce(CAST(${c.col('error')} AS VARCHAR), '')` : "''",
    service_name: c.has('session_name') ? c.col('session_name') : 'NULL',
    scope_name: `'langsmith'`,
    scope_version: 'NULL',
    attributes: objectFromColumnsExpr(entries),
    resource_attributes: `'{}'`,
    events: `'[]'`,
    links: `'[]'`,
    trace_state: "''",
    span_type: c.has('run_type') ? SPAN_TYPE_FROM_KIND(`CAST(${c.col('run_type')} AS VARCHAR)`) : undefined,
    llm_model: model,
    llm_provider: provider,
    input_tokens: c.has('prompt_tokens') ? `TRY_CAST(${c.col('prompt_tokens')} AS BIGINT)` : undefined,
    output_tokens: c.has('completion_tokens') ? `TRY_CAST(${c.col('completion_tokens')} AS BIGINT)` : undefined,
    total_tokens: c.has('total_tokens') ? `TRY_CAST(${c.col('total_tokens')} AS BIGINT)` : undefined,
    cost_usd: c.has('total_cost') ? `TRY_CAST(${c.col('total_cost')} AS DOUBLE)` : undefined,
    session_id: c.has('session_id') ? `CAST(${c.col('session_id')} AS VARCHAR)` : undefined,
  };
}

function llmopsBase(c: Columns): BaseColumns {
  const start = timeNsExpr(c.col('timestamp'), c.type('timestamp'));
  const entries: { key: string; col: string; type: string }[] = [];
  for (const column of ['operation_type', 'event_id', 'schema_version', 'text_metrics', 'image_metrics', 'error_type']) {
    if (c.has(column)) entries.push({ key: `llmops.${column}`, col: quoteIdent(column), type: c.type(column) });
  }
  const custom = c.has('custom_attributes') ? objectJsonExpr(c.col('custom_attributes'), c.type('custom_attributes'), 'custom_attributes') : `'{}'`;
  const tokens = (field: string): string | undefined =>
    /^STRUCT/i.test(c.type('text_metrics')) && new RegExp(`\\b${field}\\b`).test(c.type('text_metrics'))
      ? `TRY_CAST(${c.col('text_metrics')}.${field} AS BIGINT)`
      : undefined;
  const opType = `lower(CAST(${c.col('operation_type')} AS VARCHAR))`;
  return {
    trace_id: idExpr(c.col('trace_id')),
    span_id: idExpr(c.col('span_id')),
    parent_span_id: idExpr(c.col('parent_span_id')),
    name: `coalesce(${c.col('operation_name')}, '')`,
    kind: `'internal'`,
    start_ns: start,
    end_ns: `(${start}) + coalesce(${c.has('duration_ms') ? durationNsExpr(c.col('duration_ms'), c.type('duration_ms'), 'ms') : 'NULL'}, 0)`,
    status_code: c.has('error') ? `CASE WHEN ${c.col('error')} IS NOT NULL AND CAST(${c.col('error')} AS VARCHAR) <> '' THEN 'error' ELSE 'unset' END` : `'unset'`,
    status_message: c.has('error') ? `coalesce(CAST(${c.col('error')} AS VARCHAR), '')` : "''",
    service_name: 'NULL',
    scope_name: `'llmops-monitoring'`,
    scope_version: 'NULL',
    attributes: `json_merge_patch((${custom})::JSON, (${objectFromColumnsExpr(entries)})::JSON)::VARCHAR`,
    resource_attributes: `'{}'`,
    events: `'[]'`,
    links: `'[]'`,
    trace_state: "''",
    span_type: c.has('operation_type')
      ? `CASE WHEN ${opType} LIKE '%llm%' OR ${opType} LIKE '%chat%' OR ${opType} LIKE '%completion%' THEN 'llm'
          WHEN ${opType} LIKE '%embed%' THEN 'embedding' WHEN ${opType} LIKE '%tool%' THEN 'tool'
          WHEN ${opType} LIKE '%retriev%' THEN 'retriever' WHEN ${opType} LIKE '%agent%' THEN 'agent' ELSE NULL END`
      : undefined,
    llm_model: c.has('custom_attributes') ? `json_extract_string((${custom})::JSON, '$.model')` : undefined,
    input_tokens: tokens('input_tokens'),
    output_tokens: tokens('output_tokens'),
    total_tokens: tokens('total_tokens'),
    session_id: c.has('session_id') ? `CAST(${c.col('session_id')} AS VARCHAR)` : undefined,
  };
}

function mappedBase(c: Columns, m: ColumnMapping): BaseColumns {
  const q = (name: string | undefined): string => (name ? quoteIdent(name) : 'NULL');
  const start = timeNsExpr(q(m.start), c.type(m.start));
  let end: string;
  if (m.end) end = timeNsExpr(q(m.end), c.type(m.end));
  else if (m.duration) end = `(${start}) + ${durationNsExpr(q(m.duration), c.type(m.duration), m.durationUnit ?? durationUnitFor(m.duration, c.type(m.duration)))}`;
  else end = start;
  const mapped = new Set(
    [m.traceId, m.spanId, m.parentSpanId, m.name, m.start, m.end, m.duration, m.status, m.service, m.kind].filter(
      (x): x is string => typeof x === 'string',
    ),
  );
  const attributeColumns = m.attributes ?? c.names().filter((n) => !mapped.has(n));
  let attributes: string;
  if (attributeColumns.length === 1 && /^(attributes|span_attributes|SpanAttributes|tags)$/i.test(attributeColumns[0]!)) {
    attributes = objectJsonExpr(q(attributeColumns[0]), c.type(attributeColumns[0]!), attributeColumns[0]!);
  } else {
    attributes = objectFromColumnsExpr(attributeColumns.map((n) => ({ key: n, col: quoteIdent(n), type: c.type(n) })));
  }
  return {
    trace_id: idExpr(q(m.traceId)),
    span_id: idExpr(q(m.spanId)),
    parent_span_id: m.parentSpanId ? idExpr(q(m.parentSpanId)) : 'NULL',
    name: m.name ? `coalesce(CAST(${q(m.name)} AS VARCHAR), '')` : "''",
    kind: m.kind ? KIND_EXPR(q(m.kind)) : `'internal'`,
    start_ns: start,
    end_ns: `coalesce(${end}, ${start})`,
    status_code: m.status ? STATUS_EXPR(q(m.status)) : `'unset'`,
    status_message: "''",
    service_name: m.service ? `CAST(${q(m.service)} AS VARCHAR)` : 'NULL',
    scope_name: 'NULL',
    scope_version: 'NULL',
    attributes,
    resource_attributes: `'{}'`,
    events: `'[]'`,
    links: `'[]'`,
    trace_state: "''",
  };
}

/** The format's SELECT yielding the base columns from read_parquet(pathParam). */
/** `extra`: more select items over the file's own columns. */
function buildBaseSelect(plan: ImportPlan, pathParam = '$1', extra: readonly string[] = []): string {
  const c = new Columns(plan.columns);
  let base: BaseColumns;
  switch (plan.format) {
    case 'clickhouse-otel':
      base = clickhouseBase(c);
      break;
    case 'phoenix':
      base = phoenixBase(c);
      break;
    case 'langsmith':
      base = langsmithBase(c);
      break;
    case 'llmops-monitoring':
      base = llmopsBase(c);
      break;
    case 'generic':
    case 'mapped':
      if (!plan.mapping) throw new Error('a column mapping is needed for this file');
      for (const name of mappingColumns(plan.mapping)) {
        if (!c.has(name)) throw new Error(`the mapping names a column the file does not have: ${name}`);
      }
      base = mappedBase(c, plan.mapping);
      break;
    default:
      throw new Error(`no SQL mapping for format ${plan.format}`);
  }
  const llmNames = ['span_type', 'llm_provider', 'llm_model', 'input_tokens', 'output_tokens', 'total_tokens', 'cost_usd', 'session_id', 'user_id'] as const;
  const llmTypes: Record<(typeof llmNames)[number], string> = {
    span_type: 'VARCHAR',
    llm_provider: 'VARCHAR',
    llm_model: 'VARCHAR',
    input_tokens: 'BIGINT',
    output_tokens: 'BIGINT',
    total_tokens: 'BIGINT',
    cost_usd: 'DOUBLE',
    session_id: 'VARCHAR',
    user_id: 'VARCHAR',
  };
  const baseSelect = [
    `${base.trace_id} AS trace_id`,
    `${base.span_id} AS span_id`,
    `${base.parent_span_id} AS parent_span_id`,
    `CAST(${base.name} AS VARCHAR) AS name`,
    `${base.kind} AS kind`,
    `${base.start_ns} AS start_ns`,
    `${base.end_ns} AS end_ns`,
    `${base.status_code} AS status_code`,
    `CAST(${base.status_message} AS VARCHAR) AS status_message`,
    `CAST(${base.service_name} AS VARCHAR) AS service_name`,
    `CAST(${base.scope_name} AS VARCHAR) AS scope_name`,
    `CAST(${base.scope_version} AS VARCHAR) AS scope_version`,
    `${base.attributes} AS attributes`,
    `${base.resource_attributes} AS resource_attributes`,
    `${base.events} AS events`,
    `${base.links} AS links`,
    `CAST(${base.trace_state} AS VARCHAR) AS trace_state`,
    ...llmNames.map((n) => `CAST(${base[n] ?? 'NULL'} AS ${llmTypes[n]}) AS ${n}`),
  ];
  return `SELECT ${[...baseSelect, ...extra].join(',\n        ')} FROM read_parquet(${pathParam})`;
}

/**
 * A plain INSERT into span_data when no key of the file repeats one in it or in the store; else
 * into import_rows, a temporary table keyed like span_data was before schema version 7 (its
 * `INSERT OR IGNORE` keeps the first of a key the file repeats), whose rows then go into
 * span_data without the keys stored there (MOVE_IMPORT_ROWS). The slower path: DuckDB runs OR
 * IGNORE as a MERGE that first groups the rows by key with first() of all 35 columns, about a
 * third of the INSERT's time.
 */
const insertInto = (keysClash: boolean): string => (keysClash ? 'INSERT OR IGNORE INTO import_rows' : 'INSERT INTO span_data');

/** import_rows (insertInto) for span_data's columns. */
const importRowsDdl = (columns: readonly FileColumn[]): string =>
  `CREATE OR REPLACE TEMP TABLE import_rows (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')}, PRIMARY KEY (trace_id, span_id))`;

/** import_rows into span_data, but for the keys stored already (by the store, or an earlier file of the import). */
const MOVE_IMPORT_ROWS = `INSERT INTO span_data SELECT i.* FROM import_rows i
  ANTI JOIN (SELECT trace_id, span_id FROM span_data WHERE trace_id IN (SELECT trace_id FROM import_keys)) d
    ON d.trace_id = i.trace_id AND d.span_id = i.span_id`;

/** The INSERT for one file of a non-Tracedeck format; $1 = file path, $2 = source, the prices' parameters from $3. */
export function buildMappedInsert(plan: ImportPlan, keysClash: boolean, prices: readonly ModelPriceRow[] = []): string {
  return `${insertInto(keysClash)} (${MAPPED_INSERT_COLUMNS.join(', ')})
    ${buildMappedSelect(plan, '$1', '$2', prices)}`;
}

/** A model the file names and its price per input and output token (insertParquetFile, from the price table). */
export interface ModelPriceRow {
  model: string;
  input: number;
  output: number;
}

/**
 * The INSERT prices the spans of at most this many models as it writes them (the UPDATE after
 * it, applyModelPrice, prices the rest): a CASE over bound parameters per span with tokens.
 * Its UPDATE of 250k spans afterwards cost ~0.2 s and ~1.3 s more in the COMMIT (DuckDB
 * rewrites what the INSERT had already written out) at 1M spans, against ~0.4 s for reading the
 * models in the keys pass; a LEFT JOIN on a table of prices instead cost 2-3.5 s in the INSERT.
 */
const MAX_MODELS_PRICED_IN_INSERT = 64;

/** The prices' parameter values in the order pricedCostExpr numbers them. */
const priceParams = (prices: readonly ModelPriceRow[]): DuckDBValue[] => prices.flatMap((p) => [p.model, p.input, p.output]);

/**
 * The cost of a span that states none, by its model's price (parameters from `$first`, as
 * priceParams orders them), with applyModelPrice's arithmetic; NULL without tokens or price.
 */
function pricedCostExpr(stated: string, model: string, inputTokens: string, outputTokens: string, prices: readonly ModelPriceRow[], first: number): string {
  if (prices.length === 0) return stated;
  const rate = (offset: number): string =>
    `CASE ${model} ${prices.map((_, i) => `WHEN $${first + 3 * i}::VARCHAR THEN $${first + 3 * i + offset}::DOUBLE`).join(' ')} END`;
  return `coalesce(${stated}, CASE WHEN ${inputTokens} IS NOT NULL OR ${outputTokens} IS NOT NULL
      THEN coalesce(${inputTokens}, 0) * ${rate(1)} + coalesce(${outputTokens}, 0) * ${rate(2)} END)`;
}

/**
 * The mapped rows of one file of a non-Tracedeck format, in MAPPED_INSERT_COLUMNS order (the
 * columns unnamed); `pathParam` = file path, `sourceParam` = source. Also read in place by
 * import-preview.ts, so the preview and the import map a file the same way.
 */
export function buildMappedSelect(plan: ImportPlan, pathParam = '$1', sourceParam = '$2', prices: readonly ModelPriceRow[] = []): string {
  const cost = pricedCostExpr(DERIVED_LLM.cost_usd, DERIVED_LLM.llm_model, DERIVED_LLM.input_tokens, DERIVED_LLM.output_tokens, prices, 3);
  return `SELECT trace_id, span_id, nullif(parent_span_id, span_id), name, kind,
      make_timestamp_ns(start_ns), make_timestamp_ns(greatest(end_ns, start_ns)), greatest(end_ns, start_ns) - start_ns,
      status_code, status_message, coalesce(service_name, json_extract_string(resource_attributes, '$."service.name"')),
      scope_name, scope_version, attributes::JSON, resource_attributes::JSON, events::JSON, links::JSON,
      ${DERIVED_LLM.span_type}, ${DERIVED_LLM.llm_provider}, ${DERIVED_LLM.llm_model},
      ${DERIVED_LLM.input_tokens}, ${DERIVED_LLM.output_tokens}, ${DERIVED_LLM.total_tokens}, ${cost},
      ${DERIVED_LLM.session_id}, ${DERIVED_LLM.user_id},
      ${sourceParam}::VARCHAR, trace_state, 0, 0, 0, 0, '', '', '{}'::JSON
    FROM (
      SELECT *,
        -- Parsing every span's JSON for 24 keys is the import's largest cost; most spans of a
        -- mixed file (HTTP, DB) carry none of them, which a substring test tells cheaply.
        CASE WHEN regexp_matches(attributes, ${LLM_KEY_HINT}) THEN json_extract_string(attributes, ${LLM_PATHS}) END AS llm_keys
      FROM (${buildBaseSelect(plan, pathParam)})
      WHERE trace_id IS NOT NULL AND span_id IS NOT NULL AND start_ns IS NOT NULL
    )`;
}

/**
 * The keys of the rows one file's INSERT takes, with each row's llm_model as the INSERT derives
 * it (DERIVED_LLM.llm_model: the same keys); $1 = file path. The models only choose the prices
 * the INSERT binds: one missed here is priced by the UPDATE after it (applyModelPrice).
 */
function buildKeysSelect(plan: ImportPlan): string {
  const taken = 'trace_id IS NOT NULL AND span_id IS NOT NULL AND start_ns IS NOT NULL';
  const columns = new Columns(plan.columns);
  if (plan.format === 'tracedeck') {
    return `SELECT trace_id, span_id, CAST(${columns.col('llm_model')} AS VARCHAR) AS llm_model
      FROM (SELECT *, start_time AS start_ns FROM read_parquet($1)) WHERE ${taken}`;
  }
  if (plan.format === 'clickhouse-otel' && /^MAP\(VARCHAR, VARCHAR\)$/i.test(columns.type('SpanAttributes'))) {
    // The map's values are what its JSON gives json_extract_string, without writing the JSON
    // (1.2 instead of 1.9 s of CPU for the keys pass at 1M spans; 0.7 without models).
    const map = columns.col('SpanAttributes');
    return `SELECT trace_id, span_id, coalesce(llm_model, ${MODEL_KEYS.map((k) => `file_attributes[${sqlString(k)}]`).join(', ')}) AS llm_model
      FROM (${buildBaseSelect(plan, '$1', [`${map} AS file_attributes`])}) WHERE ${taken}`;
  }
  return `SELECT trace_id, span_id, coalesce(llm_model, model_keys[1], model_keys[2], model_keys[3]) AS llm_model FROM (
      SELECT trace_id, span_id, llm_model,
        CASE WHEN regexp_matches(attributes, ${LLM_KEY_HINT}) THEN json_extract_string(attributes, ${MODEL_PATHS}) END AS model_keys
      FROM (${buildBaseSelect(plan)}) WHERE ${taken})`;
}

function mappingColumns(m: ColumnMapping): string[] {
  return [m.traceId, m.spanId, m.parentSpanId, m.name, m.start, m.end, m.duration, m.status, m.service, m.kind, ...(m.attributes ?? [])].filter(
    (x): x is string => typeof x === 'string',
  );
}

/** The span_data columns every mapped insert fills, in this order (more may exist; they keep their defaults). */
export const MAPPED_INSERT_COLUMNS = SPANS_VIEW_COLUMNS.slice(0, SPANS_VIEW_COLUMNS.indexOf('scope_attributes') + 1);

/**
 * Tracedeck's own export: every column the file shares with span_data is copied as it is (JSON
 * kept as text, the original source kept), so a round trip gives the same rows; columns of an
 * older export that are missing get their defaults.
 */
export function buildTracedeckInsert(
  fileColumns: readonly FileColumn[],
  tableColumns: readonly FileColumn[],
  keysClash: boolean,
  prices: readonly ModelPriceRow[] = [],
): string {
  const present = new Set(fileColumns.map((c) => c.name));
  const priced = ['cost_usd', 'llm_model', 'input_tokens', 'output_tokens'].every((n) => present.has(n)) ? prices : [];
  const defaults: Record<string, string> = {
    trace_state: "''",
    flags: '0',
    dropped_attributes_count: '0',
    dropped_events_count: '0',
    dropped_links_count: '0',
    resource_schema_url: "''",
    scope_schema_url: "''",
    scope_attributes: "'{}'",
    source: '$2::VARCHAR',
  };
  const targets = tableColumns.filter((c) => present.has(c.name) || defaults[c.name] !== undefined);
  const select = targets.map((c) => {
    const value = present.has(c.name) ? quoteIdent(c.name) : defaults[c.name]!;
    if (c.name === 'cost_usd') return pricedCostExpr(value, 'llm_model', 'input_tokens', 'output_tokens', priced, present.has('source') ? 2 : 3);
    return /^JSON$/i.test(c.type) ? `CAST(${value} AS JSON)` : value;
  });
  return `${insertInto(keysClash)} (${targets.map((c) => quoteIdent(c.name)).join(', ')})
    SELECT ${select.join(', ')} FROM read_parquet($1)
    WHERE trace_id IS NOT NULL AND span_id IS NOT NULL AND start_time IS NOT NULL`;
}

async function spanDataColumns(conn: DuckDBConnection): Promise<FileColumn[]> {
  const r = await conn.runAndReadAll(
    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'span_data' AND schema_name = 'main' AND database_name = current_database() ORDER BY column_index",
  );
  return r.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.data_type) }));
}

export interface FileInsertCounts {
  rows: number;
  imported: number;
  skipped: number;
}

/**
 * Runs one file's INSERT on a connection that is inside the import's transaction. `rows` counts
 * the file's rows, `skipped` those without ids or start, the rest not imported are duplicates.
 */
export async function insertParquetFile(
  conn: DuckDBConnection,
  path: string,
  plan: ImportPlan,
  source: string,
  rowCount: number,
  priceOf: PriceOf = () => null,
  phases?: PhaseTimes,
): Promise<FileInsertCounts> {
  // The keys of the rows the INSERT takes and their models, read once from the file: whether a
  // key repeats (in the file, or stored, including by an earlier file of this import), how many
  // rows are skipped, the traces whose summary is recomputed at the end (trace-summary.ts), and
  // the models to price.
  await conn.run(`CREATE OR REPLACE TEMP TABLE import_keys AS ${buildKeysSelect(plan)}`, [path]);
  const keys = (await conn.runAndReadAll(KEYS_OF_FILE)).getRowObjectsJS()[0] ?? {};
  const valid = Number(keys.valid ?? 0);
  const keysClash = keys.repeated !== false || keys.stored !== false;
  const prices = await modelPrices(conn, priceOf);
  phases?.mark('keys');
  const tableColumns = plan.format === 'tracedeck' || keysClash ? await spanDataColumns(conn) : [];
  if (keysClash) await conn.run(importRowsDdl(tableColumns));
  const sql = plan.format === 'tracedeck' ? buildTracedeckInsert(plan.columns, tableColumns, keysClash, prices) : buildMappedInsert(plan, keysClash, prices);
  const result = await conn.run(sql, [path, ...(usesSourceParam(plan) ? [source] : []), ...priceParams(prices)]);
  let imported = Number(result.rowsChanged);
  if (keysClash) {
    imported = Number((await conn.run(MOVE_IMPORT_ROWS)).rowsChanged);
    await conn.run('DROP TABLE import_rows');
  }
  phases?.mark('insert');
  if (imported > 0) await noteImportedTraces(conn, 'SELECT trace_id FROM import_keys');
  await conn.run('DROP TABLE import_keys');
  phases?.mark('note traces');
  return { rows: rowCount, imported, skipped: Math.max(0, rowCount - valid) };
}

/** USD per input and per output token of a model, or null when the price table does not know it. */
export type PriceOf = (model: string) => { input: number; output: number } | null;

/** The prices of (at most MAX_MODELS_PRICED_IN_INSERT of) the models in import_keys that the price table knows. */
async function modelPrices(conn: DuckDBConnection, priceOf: PriceOf): Promise<ModelPriceRow[]> {
  const models = await conn.runAndReadAll('SELECT DISTINCT llm_model FROM import_keys WHERE llm_model IS NOT NULL LIMIT 10000');
  const prices = models.getRows().flatMap(([model]) => {
    const price = priceOf(String(model));
    return price ? [{ model: String(model), input: price.input, output: price.output }] : [];
  });
  return prices.slice(0, MAX_MODELS_PRICED_IN_INSERT);
}

/** Whether the file's INSERT binds the source as $2 (a Tracedeck export with a source column keeps its own). */
const usesSourceParam = (plan: ImportPlan): boolean => plan.format !== 'tracedeck' || !plan.columns.some((c) => c.name === 'source');

// Two keys with one 64-bit hash count as a repeat: a collision only costs the slower INSERT.
const KEYS_OF_FILE = `SELECT count(*)::DOUBLE AS valid,
    count(DISTINCT hash(trace_id, span_id)) < count(*) AS repeated,
    EXISTS (SELECT 1 FROM import_keys SEMI JOIN span_data USING (trace_id, span_id)) AS stored
  FROM import_keys`;

/** Runs `work` in one transaction on the import connection (UTC, so zone-less times are UTC). */
export async function inImportTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run("SET TimeZone = 'UTC'");
  // Query progress for watchProgress, never printed.
  await conn.run('SET enable_progress_bar = true');
  await conn.run('SET enable_progress_bar_print = false');
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await conn.run('COMMIT');
    return result;
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Trace ids of the spans a source just added (for the live event), at most `limit`. */
export async function traceIdsOfSource(conn: DuckDBConnection, sources: string[], limit: number): Promise<string[]> {
  if (sources.length === 0) return [];
  const r = await conn.runAndReadAll(
    `SELECT DISTINCT trace_id FROM span_data WHERE source IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]'))) LIMIT ${Math.trunc(limit)}`,
    [JSON.stringify(sources)],
  );
  return r.getRowObjectsJS().map((row) => String(row.trace_id));
}

// ---- export ---------------------------------------------------------------------------------

/** The condition, checked as read-only SQL over the public views exactly like `query`. */
export async function checkExportCondition(conn: DuckDBConnection, where: string): Promise<void> {
  const text = where.trim();
  if (!text) return;
  if (text.includes(';')) throw new RefusedSqlError('The condition must not contain ";".');
  const parsed = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [`SELECT * FROM spans WHERE (${text})`]);
  checkSerializedSql(String(parsed.getRowObjectsJS()[0]?.tree ?? ''));
}

/**
 * Writes the `spans` view (all, a checked condition, some traces) to `outPath` as zstd Parquet
 * with `tracedeck.schema` metadata. Returns the rows written.
 */
export async function exportSpansParquet(
  conn: DuckDBConnection,
  outPath: string,
  selection: { where?: string; traceIds?: string[] },
): Promise<number> {
  const where: string[] = [];
  const params: DuckDBValue[] = [outPath];
  if (selection.where && selection.where.trim()) {
    await checkExportCondition(conn, selection.where);
    where.push(`(${selection.where.trim()})`);
  }
  if (selection.traceIds) {
    params.push(JSON.stringify(selection.traceIds));
    where.push(`trace_id IN (SELECT unnest(from_json($2::VARCHAR, '["VARCHAR"]')))`);
  }
  const sql = `COPY (SELECT * FROM spans ${where.length ? `WHERE ${where.join(' AND ')}` : ''})
    TO $1 (FORMAT parquet, COMPRESSION zstd, KV_METADATA {'tracedeck.schema': '${CURRENT_SCHEMA_VERSION}'})`;
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await conn.run(sql, params);
    await conn.run('COMMIT');
    return Number(result.rowsChanged);
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** One trace's spans with every column, JSON as text (for OTLP JSON and the outline). */
export interface FullSpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  trace_state: string;
  flags: number;
  name: string;
  kind: string;
  start_ns: string;
  end_ns: string;
  status_code: string;
  status_message: string;
  service_name: string | null;
  scope_name: string | null;
  scope_version: string | null;
  attributes: string;
  resource_attributes: string;
  scope_attributes: string;
  events: string;
  links: string;
  span_type: string | null;
  llm_model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  resource_schema_url: string;
  scope_schema_url: string;
  dropped_attributes_count: number;
  dropped_events_count: number;
  dropped_links_count: number;
}

export async function readTraceSpans(conn: DuckDBConnection, traceId: string): Promise<FullSpanRow[]> {
  const r = await conn.runAndReadAll(
    `SELECT trace_id, span_id, parent_span_id, trace_state, flags::INTEGER AS flags, name, kind,
            epoch_ns(start_time)::VARCHAR AS start_ns, epoch_ns(end_time)::VARCHAR AS end_ns,
            status_code, status_message, service_name, scope_name, scope_version,
            attributes::VARCHAR AS attributes, resource_attributes::VARCHAR AS resource_attributes,
            scope_attributes::VARCHAR AS scope_attributes, events::VARCHAR AS events, links::VARCHAR AS links,
            span_type, llm_model, input_tokens::DOUBLE AS input_tokens, output_tokens::DOUBLE AS output_tokens,
            cost_usd, resource_schema_url, scope_schema_url, dropped_attributes_count::INTEGER AS dropped_attributes_count,
            dropped_events_count::INTEGER AS dropped_events_count, dropped_links_count::INTEGER AS dropped_links_count
     FROM span_data WHERE trace_id = $1 ORDER BY start_time, span_id`,
    [traceId],
  );
  return r.getRowObjectsJS() as unknown as FullSpanRow[];
}

// ---- OTLP JSON rows (decoded in JS) in the same transaction ---------------------------------

/** Appends decoded rows through the staging table; the caller holds the transaction. Returns rows inserted. */
export async function insertSpanRows(conn: DuckDBConnection, rows: readonly SpanRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { traceIds, repeatFree } = await stageSpanRows(conn, rows);
  const inserted = await storeStagedSpans(conn, rows.length, false, traceIds, !repeatFree);
  for (const statement of CLEAR_STAGING) await conn.run(statement);
  return inserted;
}

// ---- cost from the price table for imported LLM spans that do not state it -------------------

/** Models of the given sources' spans that have tokens but no cost. */
export async function modelsWithoutCost(conn: DuckDBConnection, sources: string[]): Promise<string[]> {
  const r = await conn.runAndReadAll(
    `SELECT DISTINCT llm_model FROM span_data
     WHERE source IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))
       AND cost_usd IS NULL AND llm_model IS NOT NULL AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)
     LIMIT 10000`,
    [JSON.stringify(sources)],
  );
  return r.getRowObjectsJS().map((row) => String(row.llm_model));
}

const UNPRICED_SPANS_OF_MODEL = `source IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]'))) AND llm_model = $2 AND cost_usd IS NULL
       AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)`;

/**
 * cost_usd = input × inputPrice + output × outputPrice for those spans of one model; their
 * traces (also those of an earlier import of the same path) are noted for resummarizeImported.
 */
export async function applyModelPrice(conn: DuckDBConnection, sources: string[], model: string, inputUsd: number, outputUsd: number): Promise<void> {
  await noteImportedTraces(conn, `SELECT trace_id FROM span_data WHERE ${UNPRICED_SPANS_OF_MODEL}`, [JSON.stringify(sources), model]);
  await conn.run(
    `UPDATE span_data SET cost_usd = coalesce(input_tokens, 0) * $3::DOUBLE + coalesce(output_tokens, 0) * $4::DOUBLE
     WHERE ${UNPRICED_SPANS_OF_MODEL}`,
    [JSON.stringify(sources), model, inputUsd, outputUsd],
  );
}

/**
 * Polls the running statement's progress (DuckDB's query progress, 0–100) every `everyMs`
 * while a long INSERT runs, so a 1M-span file shows rows/s before it is done. Returns the stop
 * function. (The progress bar must be enabled on the connection: inImportTransaction does it.)
 */
export function watchProgress(conn: DuckDBConnection, onPercent: (percent: number) => void, everyMs = 250): () => void {
  const timer = setInterval(() => {
    try {
      const p = conn.progress.percentage;
      if (p >= 0) onPercent(Math.min(p, 100));
    } catch {
      // no statement running
    }
  }, everyMs);
  return () => clearInterval(timer);
}

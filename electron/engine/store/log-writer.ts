// SQL for OTLP log records: the staging table the batched writer appends to, the insert into
// log_data, and the read of one span's records. Part of store/ (the only module with SQL).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanLog } from '../../../shared/model';
import type { LogRow } from '../ingest-logs';
import { plainInsert } from './span-staging';

export const LOG_STAGING_DDL = `CREATE TEMP TABLE log_staging (
  time_ns BIGINT, observed_ns BIGINT, trace_id VARCHAR, span_id VARCHAR, severity_text VARCHAR,
  severity_number INTEGER, event_name VARCHAR, body VARCHAR, attributes VARCHAR, service_name VARCHAR,
  resource_attributes VARCHAR, scope_name VARCHAR, source VARCHAR, flags UINTEGER,
  dropped_attributes_count UINTEGER, scope_version VARCHAR, scope_attributes VARCHAR,
  resource_schema_url VARCHAR, scope_schema_url VARCHAR, value_types VARCHAR)`;

/**
 * Moves the staged records into log_data; a record already there (an exporter's retry) or twice
 * in the batch is stored once.
 */
const INSERT_LOGS_FROM_STAGING = `
  INSERT OR IGNORE INTO log_data (time, observed_time, trace_id, span_id, severity_text, severity_number, event_name,
                        body, attributes, service_name, resource_attributes, scope_name, source, flags,
                        dropped_attributes_count, scope_version, scope_attributes, resource_schema_url,
                        scope_schema_url, value_types, record_key)
  SELECT make_timestamp_ns(time_ns), make_timestamp_ns(observed_ns), trace_id, span_id, severity_text,
         severity_number, event_name, body::JSON, attributes::JSON, service_name, resource_attributes::JSON,
         scope_name, source, flags, dropped_attributes_count, scope_version, scope_attributes::JSON,
         resource_schema_url, scope_schema_url, value_types::JSON,
         -- The record's identity (schema.ts, version 5); chr(31) keeps fields apart.
         md5(concat_ws(chr(31), coalesce(time_ns::VARCHAR, '-'), coalesce(observed_ns::VARCHAR, '-'),
                       coalesce(trace_id, '-'), coalesce(span_id, '-'), severity_text, severity_number::VARCHAR,
                       event_name, coalesce(body, '-'), attributes, resource_attributes, coalesce(scope_name, '-'),
                       coalesce(scope_version, '-'), scope_attributes, flags::VARCHAR))
  FROM log_staging`;

/**
 * The same without OR IGNORE, what a write tries first (span-staging.ts plainInsert): a
 * 200-record write took 19-23 instead of 31-35 ms (scratch, stores of 0-500k records).
 */
const INSERT_NEW_LOGS_FROM_STAGING = plainInsert(INSERT_LOGS_FROM_STAGING);

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function nullableVarchar(a: Appender, value: string | null): void {
  if (value === null) a.appendNull();
  else a.appendVarchar(value);
}

function nullableBigInt(a: Appender, value: bigint | null): void {
  if (value === null) a.appendNull();
  else a.appendBigInt(value);
}

/**
 * Inside the writer's open transaction: stages the rows and moves them into log_data. Without
 * `ignoreDuplicates` a record whose key is taken fails the statement (a duplicate-key error).
 */
export async function writeLogRows(conn: DuckDBConnection, rows: readonly LogRow[], ignoreDuplicates = true): Promise<void> {
  if (rows.length === 0) return;
  const a = await conn.createAppender('log_staging', 'main', 'temp');
  for (const r of rows) {
    nullableBigInt(a, r.timeNs);
    nullableBigInt(a, r.observedTimeNs);
    nullableVarchar(a, r.traceId);
    nullableVarchar(a, r.spanId);
    a.appendVarchar(r.severityText);
    a.appendInteger(r.severityNumber);
    a.appendVarchar(r.eventName);
    nullableVarchar(a, r.bodyJson);
    a.appendVarchar(r.attributesJson);
    nullableVarchar(a, r.serviceName);
    a.appendVarchar(r.resourceAttributesJson);
    nullableVarchar(a, r.scopeName);
    a.appendVarchar(r.source);
    a.appendUInteger(r.flags);
    a.appendUInteger(r.droppedAttributesCount);
    nullableVarchar(a, r.scopeVersion);
    a.appendVarchar(r.scopeAttributesJson);
    a.appendVarchar(r.resourceSchemaUrl);
    a.appendVarchar(r.scopeSchemaUrl);
    nullableVarchar(a, r.valueTypesJson);
    a.endRow();
  }
  a.closeSync();
  await conn.run(ignoreDuplicates ? INSERT_LOGS_FROM_STAGING : INSERT_NEW_LOGS_FROM_STAGING);
  await conn.run('DELETE FROM log_staging');
}

/** At most this many records per span: a span with more is a logging loop, not a prompt. */
export const MAX_SPAN_LOGS = 1000;

/** One span's log records in time order (records without a time last, in arrival order). */
export async function readSpanLogs(conn: DuckDBConnection, traceId: string, spanId: string): Promise<SpanLog[]> {
  const result = await conn.runAndReadAll(
    `SELECT epoch_ns(time)::VARCHAR AS time_ns, epoch_ns(observed_time)::VARCHAR AS observed_ns, severity_text,
            severity_number, event_name, body::VARCHAR AS body, attributes::VARCHAR AS attributes, scope_name
     FROM log_data WHERE trace_id = $1 AND span_id = $2
     ORDER BY coalesce(time, observed_time) NULLS LAST
     LIMIT ${MAX_SPAN_LOGS}`,
    [traceId, spanId],
  );
  return result.getRowObjectsJS().map((r) => ({
    timeNs: r.time_ns === null ? null : String(r.time_ns),
    observedTimeNs: r.observed_ns === null ? null : String(r.observed_ns),
    severityText: String(r.severity_text ?? ''),
    severityNumber: Number(r.severity_number ?? 0),
    eventName: String(r.event_name ?? ''),
    bodyJson: r.body === null ? null : String(r.body),
    attributesJson: String(r.attributes),
    scopeName: r.scope_name === null ? null : String(r.scope_name),
  }));
}

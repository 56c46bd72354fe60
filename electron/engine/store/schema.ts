// Versioned schema migrations. Each migration moves the store from version N-1 to N inside one
// transaction; `tracedeck_meta.schema_version` records where a store is. A store written by a
// newer Tracedeck (a version above the last one here) is refused and left untouched.
//
// The public contract is the `spans`, `traces` and `logs` views (DESIGN.md): add columns to
// them, never rename. Internal tables may change freely between versions.

import { BUILD_TRACE_ATTRIBUTES, BUILD_TRACE_SUMMARY, TRACE_ATTRIBUTES_DDL, TRACE_SUMMARY_DDL, TRACES_FROM_SUMMARY } from './trace-summary';

/** Columns of the `spans` view in contract order; then the OTLP extras, added at the end. */
export const SPANS_VIEW_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'start_time',
  'end_time',
  'duration_ns',
  'status_code',
  'status_message',
  'service_name',
  'scope_name',
  'scope_version',
  'attributes',
  'resource_attributes',
  'events',
  'links',
  'span_type',
  'llm_provider',
  'llm_model',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'session_id',
  'user_id',
  'source',
  'trace_state',
  'flags',
  'dropped_attributes_count',
  'dropped_events_count',
  'dropped_links_count',
  'resource_schema_url',
  'scope_schema_url',
  'scope_attributes',
] as const;

/** span_data's columns as version 1 created them (version 4 added value_types). */
const SPAN_DATA_V1_COLUMNS = `
        trace_id VARCHAR NOT NULL,
        span_id VARCHAR NOT NULL,
        parent_span_id VARCHAR,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        start_time TIMESTAMP_NS NOT NULL,
        end_time TIMESTAMP_NS NOT NULL,
        duration_ns BIGINT NOT NULL,
        status_code VARCHAR NOT NULL,
        status_message VARCHAR NOT NULL,
        service_name VARCHAR,
        scope_name VARCHAR,
        scope_version VARCHAR,
        attributes JSON NOT NULL,
        resource_attributes JSON NOT NULL,
        events JSON NOT NULL,
        links JSON NOT NULL,
        span_type VARCHAR,
        llm_provider VARCHAR,
        llm_model VARCHAR,
        input_tokens BIGINT,
        output_tokens BIGINT,
        total_tokens BIGINT,
        cost_usd DOUBLE,
        session_id VARCHAR,
        user_id VARCHAR,
        source VARCHAR NOT NULL,
        trace_state VARCHAR NOT NULL,
        flags UINTEGER NOT NULL,
        dropped_attributes_count UINTEGER NOT NULL,
        dropped_events_count UINTEGER NOT NULL,
        dropped_links_count UINTEGER NOT NULL,
        resource_schema_url VARCHAR NOT NULL,
        scope_schema_url VARCHAR NOT NULL,
        scope_attributes JSON NOT NULL`;

/**
 * One trace's row of the `traces` view, aggregated over span_data (callers add WHERE and
 * GROUP BY trace_id): the view of migrations 1–5. The root is the span without a parent; a trace whose
 * root has not arrived (or was never exported) falls back to its earliest span, so it still has
 * a name in the list. A migration that changes the view must define its own copy, so migration
 * 1 stays as it was. Since version 6 the view reads trace_summary (trace-summary.ts), which is
 * kept equal to this aggregate; the aggregate remains the definition it is tested against.
 */
export const TRACES_AGGREGATE = `
  SELECT
    trace_id,
    coalesce(arg_min(name, start_time) FILTER (WHERE parent_span_id IS NULL), arg_min(name, start_time)) AS root_name,
    coalesce(arg_min(service_name, start_time) FILTER (WHERE parent_span_id IS NULL), arg_min(service_name, start_time)) AS service_name,
    min(start_time) AS start_time,
    max(end_time) AS end_time,
    epoch_ns(max(end_time)) - epoch_ns(min(start_time)) AS duration_ns,
    count(*) AS span_count,
    count(*) FILTER (WHERE status_code = 'error') AS error_count,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cost_usd) AS cost_usd,
    arg_min(session_id, start_time) FILTER (WHERE session_id IS NOT NULL) AS session_id
  FROM span_data`;

export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'spans and traces',
    statements: [
      `CREATE TABLE span_data (${SPAN_DATA_V1_COLUMNS},
        -- An exporter that retries re-sends the same spans: (trace_id, span_id) is unique.
        PRIMARY KEY (trace_id, span_id)
      )`,
      `CREATE VIEW spans AS SELECT ${SPANS_VIEW_COLUMNS.join(', ')} FROM span_data`,
      `CREATE VIEW traces AS ${TRACES_AGGREGATE} GROUP BY trace_id`,
    ],
  },
  {
    version: 2,
    description: 'logs',
    statements: [
      `CREATE TABLE log_data (
        time TIMESTAMP_NS,
        observed_time TIMESTAMP_NS,
        trace_id VARCHAR,
        span_id VARCHAR,
        severity_text VARCHAR,
        severity_number INTEGER,
        event_name VARCHAR,
        body JSON,
        attributes JSON NOT NULL,
        service_name VARCHAR,
        resource_attributes JSON NOT NULL,
        scope_name VARCHAR,
        source VARCHAR NOT NULL
      )`,
      `CREATE VIEW logs AS
        SELECT time, observed_time, trace_id, span_id, severity_text, severity_number, event_name, body,
               attributes, service_name, resource_attributes, scope_name
        FROM log_data`,
    ],
  },
  {
    version: 3,
    description: 'log records keep every OTLP field',
    statements: [
      // The OTLP LogRecord fields the `logs` view did not have yet (flags, dropped count, scope
      // version and attributes, schema URLs), added to the view at the end (add, never rename).
      // (DuckDB cannot add a column with a NOT NULL constraint; the writer always fills them.)
      'ALTER TABLE log_data ADD COLUMN flags UINTEGER DEFAULT 0',
      'ALTER TABLE log_data ADD COLUMN dropped_attributes_count UINTEGER DEFAULT 0',
      'ALTER TABLE log_data ADD COLUMN scope_version VARCHAR',
      "ALTER TABLE log_data ADD COLUMN scope_attributes JSON DEFAULT '{}'",
      "ALTER TABLE log_data ADD COLUMN resource_schema_url VARCHAR DEFAULT ''",
      "ALTER TABLE log_data ADD COLUMN scope_schema_url VARCHAR DEFAULT ''",
      `CREATE OR REPLACE VIEW logs AS
        SELECT time, observed_time, trace_id, span_id, severity_text, severity_number, event_name, body,
               attributes, service_name, resource_attributes, scope_name, source, flags,
               dropped_attributes_count, scope_version, scope_attributes, resource_schema_url, scope_schema_url
        FROM log_data`,
    ],
  },
  {
    version: 4,
    description: 'value_types: where JSON values are bytes or non-finite doubles',
    statements: [
      // NULL for nearly every row; else {column: {JSON path: 'bytes' | 'double'}} for the values
      // whose JSON does not say their OTLP type (otlp/attributes-json.ts, ValueTypes).
      'ALTER TABLE span_data ADD COLUMN value_types JSON',
      'ALTER TABLE log_data ADD COLUMN value_types JSON',
      `CREATE OR REPLACE VIEW spans AS SELECT ${[...SPANS_VIEW_COLUMNS, 'value_types'].join(', ')} FROM span_data`,
      `CREATE OR REPLACE VIEW logs AS
        SELECT time, observed_time, trace_id, span_id, severity_text, severity_number, event_name, body,
               attributes, service_name, resource_attributes, scope_name, source, flags,
               dropped_attributes_count, scope_version, scope_attributes, resource_schema_url, scope_schema_url,
               value_types
        FROM log_data`,
    ],
  },
  {
    version: 5,
    description: 'log records are not duplicated by exporter retries',
    statements: [
      // OTLP log records carry no id: a record's key is a hash of everything it says (times,
      // ids, severity, event name, body, attributes, resource, scope). A re-sent request then
      // adds nothing; two records identical to the nanosecond are stored once. Rows written
      // before this version keep a NULL key (NULLs never conflict).
      'ALTER TABLE log_data ADD COLUMN record_key VARCHAR',
      'CREATE UNIQUE INDEX log_data_record_key ON log_data (record_key)',
    ],
  },
  {
    version: 6,
    description: 'a summary row and attribute index per trace for the trace list',
    statements: [
      // trace_summary (trace-summary.ts) holds the `traces` aggregate per trace, kept in the same
      // transaction as every change to span_data; the view reads it instead of aggregating every
      // span on each query. Same columns, types and rows as before (the view is a contract).
      // trace_attributes: the attribute key/values of each trace's spans, for equality filters.
      TRACE_SUMMARY_DDL,
      BUILD_TRACE_SUMMARY,
      TRACE_ATTRIBUTES_DDL,
      BUILD_TRACE_ATTRIBUTES,
      `CREATE OR REPLACE VIEW traces AS ${TRACES_FROM_SUMMARY}`,
    ],
  },
  {
    version: 7,
    description: 'span keys kept unique by the writer instead of an index',
    statements: [
      // DuckDB writes a table's whole key index at every checkpoint and checks it on every
      // insert: at 4M spans a checkpoint took 1.8 s against 0.2 s without the key, and 100k
      // inserted spans 0.8-1.1 s against 0.2 s, both growing with the store (store/README.md,
      // "Span keys"). (trace_id, span_id) stays unique: every insert into span_data skips the
      // keys it finds stored, looking only at the stored spans of its own traces
      // (span-staging.ts insertStagedSpans, span-import.ts). DuckDB cannot drop a key in place:
      // the table is copied, in the same column order.
      `CREATE TABLE span_data_unkeyed (${SPAN_DATA_V1_COLUMNS},
        value_types JSON
      )`,
      'INSERT INTO span_data_unkeyed SELECT * FROM span_data',
      'DROP TABLE span_data',
      'ALTER TABLE span_data_unkeyed RENAME TO span_data',
      `CREATE OR REPLACE VIEW spans AS SELECT ${[...SPANS_VIEW_COLUMNS, 'value_types'].join(', ')} FROM span_data`,
    ],
  },
];

export const CURRENT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The views `tracedeck query` may read; everything else in the store is internal. */
export const PUBLIC_VIEWS = ['spans', 'traces', 'logs'] as const;

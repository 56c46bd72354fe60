// The WHERE clause of the trace list, built from fixed SQL fragments and bound parameters only:
// no filter value, attribute key or search text ever becomes SQL text. Attribute keys travel
// as bound JSON pointers ('/http.status_code'), so a key with quotes, dots or slashes is just a key.
//
// Trace-level conditions (time, service, status, duration) test the `traces` view's columns,
// which since schema version 6 read trace_summary (one row per trace). Span-level ones (name,
// span type, model, attributes, text) ask for "a span of this trace that ...", as a semi-join
// on span_data, each condition on its own (they may be met by different spans of the trace).
// With a "from" time, those span scans start there: every span of a trace starts at or after
// the trace's start, so spans before it cannot belong to a trace that passes the filter, and
// DuckDB skips the row groups that lie wholly before it.
import type { DuckDBValue } from '@duckdb/node-api';
import type { AttributeCondition, TraceFilter } from '../../../shared/model';
import { attributePair } from './trace-summary';

export interface FilterSql {
  /** '' or 'WHERE ...' over the `traces` view, with $1..$n placeholders. */
  where: string;
  params: DuckDBValue[];
  /** Whether a condition reads span_data or log_data (a semi-join), not only the trace rows. */
  readsSpans: boolean;
}


/** RFC 6901 JSON pointer of a single top-level key (DuckDB's json_extract accepts it). */
export function jsonPointer(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface FilterOptions {
  /**
   * Whether trace_attributes may answer `key = value` (trace-summary.ts: it does unless some
   * span's attributes are not a JSON object); otherwise the condition scans the spans.
   */
  attributeIndex?: boolean;
}

export function traceFilterSql(filter: TraceFilter = {}, options: FilterOptions = {}): FilterSql {
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  /** Conditions on trace_id that select whole traces by their spans. */
  const traceIdConditions: string[] = [];
  let spansFrom = '';
  if (filter.fromNs) {
    const from = bind(BigInt(filter.fromNs));
    conditions.push(`start_time >= make_timestamp_ns(${from}::BIGINT)`);
    spansFrom = `start_time >= make_timestamp_ns(${from}::BIGINT) AND `;
  }
  const spanCondition = (sql: string): void => {
    traceIdConditions.push(`trace_id IN (SELECT trace_id FROM span_data WHERE ${spansFrom}(${sql}))`);
  };

  if (filter.toNs) conditions.push(`start_time < make_timestamp_ns(${bind(BigInt(filter.toNs))}::BIGINT)`);
  if (filter.services && filter.services.length > 0) {
    conditions.push(`service_name IN (SELECT unnest(from_json(${bind(JSON.stringify(filter.services))}::VARCHAR, '["VARCHAR"]')))`);
  }
  if (filter.status === 'error') conditions.push('error_count > 0');
  if (filter.status === 'ok') conditions.push('error_count = 0');
  if (filter.minDurationNs !== undefined) conditions.push(`duration_ns >= ${bind(BigInt(filter.minDurationNs))}::BIGINT`);
  if (filter.maxDurationNs !== undefined) conditions.push(`duration_ns <= ${bind(BigInt(filter.maxDurationNs))}::BIGINT`);

  if (filter.name) spanCondition(`contains(lower(name), ${bind(filter.name.toLowerCase())}::VARCHAR)`);
  if (filter.spanTypes && filter.spanTypes.length > 0) {
    spanCondition(`span_type IN (SELECT unnest(from_json(${bind(JSON.stringify(filter.spanTypes))}::VARCHAR, '["VARCHAR"]')))`);
  }
  if (filter.models && filter.models.length > 0) {
    spanCondition(`llm_model IN (SELECT unnest(from_json(${bind(JSON.stringify(filter.models))}::VARCHAR, '["VARCHAR"]')))`);
  }
  for (const condition of filter.attributes ?? []) {
    if (condition.op === '=' && options.attributeIndex) {
      // "A span of the trace has key = value" is "the trace has that attribute pair".
      const pair = attributePair(`${bind(condition.scope === 'resource' ? 'resource' : 'span')}::VARCHAR`, `${bind(condition.key)}::VARCHAR`, `${bind(condition.value ?? '')}::VARCHAR`);
      traceIdConditions.push(`trace_id IN (SELECT trace_id FROM trace_attributes WHERE pair = ${pair})`);
    } else {
      spanCondition(attributeSql(condition, bind));
    }
  }
  if (filter.text) {
    const needle = bind(filter.text.toLowerCase());
    traceIdConditions.push(
      `(trace_id IN (SELECT trace_id FROM span_data WHERE ${spansFrom}(contains(lower(name), ${needle}::VARCHAR)
          OR contains(lower(attributes::VARCHAR), ${needle}::VARCHAR)
          OR contains(lower(events::VARCHAR), ${needle}::VARCHAR)))
        OR trace_id IN (SELECT trace_id FROM log_data WHERE trace_id IS NOT NULL
          AND contains(lower(body::VARCHAR), ${needle}::VARCHAR)))`,
    );
  }
  const all = [...conditions, ...traceIdConditions];
  return { where: all.length > 0 ? `WHERE ${all.join('\n AND ')}` : '', params, readsSpans: traceIdConditions.length > 0 };
}

function attributeSql(condition: AttributeCondition, bind: (value: DuckDBValue) => string): string {
  const column = condition.scope === 'resource' ? 'resource_attributes' : 'attributes';
  const path = bind(jsonPointer(condition.key));
  const valueText = `json_extract_string(${column}, ${path}::VARCHAR)`;
  switch (condition.op) {
    case 'exists':
      return `json_extract(${column}, ${path}::VARCHAR) IS NOT NULL`;
    case '=':
      return `${valueText} = ${bind(condition.value ?? '')}::VARCHAR`;
    case '!=':
      return `${valueText} <> ${bind(condition.value ?? '')}::VARCHAR`;
    case 'contains':
      return `contains(lower(${valueText}), ${bind((condition.value ?? '').toLowerCase())}::VARCHAR)`;
    case '>':
      return `TRY_CAST(${valueText} AS DOUBLE) > ${bind(Number(condition.value))}::DOUBLE`;
    case '<':
      return `TRY_CAST(${valueText} AS DOUBLE) < ${bind(Number(condition.value))}::DOUBLE`;
  }
}

// The WHERE clause of the trace list, built from fixed SQL fragments and bound parameters only:
// no filter value, attribute key or search text ever becomes SQL text. Attribute keys travel
// as bound JSON pointers ('/http.status_code'), so a key with quotes, dots or slashes is just a key.
//
// Trace-level conditions (time, service, status, duration) test the `traces` view's columns;
// span-level ones (name, span type, model, attributes, text) ask for "a span of this trace
// that ...", as a semi-join on span_data, each condition on its own (they may be met by
// different spans of the trace).
import type { DuckDBValue } from '@duckdb/node-api';
import type { AttributeCondition, TraceFilter } from '../../../shared/model';
import { TRACES_AGGREGATE } from './schema';

export interface FilterSql {
  /**
   * What to select trace rows from: the `traces` view, or — when there are span-level
   * conditions — the same aggregate over only the spans of traces that meet them. DuckDB does
   * not push a semi-join on trace_id below the view's GROUP BY, so without this every page
   * aggregates every span in the store (3.4 s at 5M spans) however few traces match.
   */
  from: string;
  /** '' or 'WHERE ...' over the trace rows, with $1..$n placeholders (shared with `from`). */
  where: string;
  params: DuckDBValue[];
}


/** RFC 6901 JSON pointer of a single top-level key (DuckDB's json_extract accepts it). */
export function jsonPointer(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Conditions beyond the trace list's filter, for the views across traces (aggregate-flame.ts). */
export interface ExtraTraceConditions {
  /** Only this trace. */
  traceId?: string;
  /** Only traces with a span of exactly this name. */
  spanName?: string;
}

export function traceFilterSql(filter: TraceFilter = {}, extra: ExtraTraceConditions = {}): FilterSql {
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  /** Conditions on trace_id that select whole traces by their spans (applied before aggregating). */
  const traceIdConditions: string[] = [];
  const spanCondition = (sql: string): void => {
    traceIdConditions.push(`trace_id IN (SELECT trace_id FROM span_data WHERE ${sql})`);
  };

  if (filter.fromNs) conditions.push(`epoch_ns(start_time) >= ${bind(BigInt(filter.fromNs))}::BIGINT`);
  if (filter.toNs) conditions.push(`epoch_ns(start_time) < ${bind(BigInt(filter.toNs))}::BIGINT`);
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
  for (const condition of filter.attributes ?? []) spanCondition(attributeSql(condition, bind));
  if (extra.spanName !== undefined) spanCondition(`name = ${bind(extra.spanName)}::VARCHAR`);
  if (extra.traceId !== undefined) traceIdConditions.push(`trace_id = ${bind(extra.traceId)}::VARCHAR`);
  if (filter.text) {
    const needle = bind(filter.text.toLowerCase());
    traceIdConditions.push(
      `(trace_id IN (SELECT trace_id FROM span_data WHERE contains(lower(name), ${needle}::VARCHAR)
          OR contains(lower(attributes::VARCHAR), ${needle}::VARCHAR)
          OR contains(lower(events::VARCHAR), ${needle}::VARCHAR))
        OR trace_id IN (SELECT trace_id FROM log_data WHERE trace_id IS NOT NULL
          AND contains(lower(body::VARCHAR), ${needle}::VARCHAR)))`,
    );
  }
  const from =
    traceIdConditions.length > 0
      ? `(${TRACES_AGGREGATE} WHERE ${traceIdConditions.join('\n AND ')} GROUP BY trace_id) AS matching_traces`
      : 'traces';
  return { from, where: conditions.length > 0 ? `WHERE ${conditions.join('\n AND ')}` : '', params };
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

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
import { attributePair, MAX_INDEXED_VALUE_BYTES } from './trace-summary';

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

/** Conditions beyond the trace list's filter, for the views across traces (aggregate-flame.ts). */
export interface ExtraTraceConditions {
  /** Only this trace. */
  traceId?: string;
  /** Only traces with a span of exactly this name. */
  spanName?: string;
}

export interface FilterOptions extends ExtraTraceConditions {
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
    if (condition.op === '=' && options.attributeIndex && Buffer.byteLength(condition.value ?? '', 'utf8') <= MAX_INDEXED_VALUE_BYTES) {
      // "A span of the trace has key = value" is "the trace has that attribute pair".
      const pair = attributePair(`${bind(condition.scope === 'resource' ? 'resource' : 'span')}::VARCHAR`, `${bind(condition.key)}::VARCHAR`, `${bind(condition.value ?? '')}::VARCHAR`);
      traceIdConditions.push(`trace_id IN (SELECT trace_id FROM trace_attributes WHERE pair = ${pair})`);
    } else {
      spanCondition(attributeSql(condition, bind));
    }
  }
  if (options.spanName !== undefined) spanCondition(`name = ${bind(options.spanName)}::VARCHAR`);
  if (options.traceId !== undefined) traceIdConditions.push(`trace_id = ${bind(options.traceId)}::VARCHAR`);
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    const has = foldedContains(needle, bind);
    traceIdConditions.push(
      `(trace_id IN (SELECT trace_id FROM span_data WHERE ${spansFrom}(${has('name')} OR ${has('attributes::VARCHAR')} OR ${has('events::VARCHAR')}))
        OR trace_id IN (SELECT trace_id FROM log_data WHERE trace_id IS NOT NULL AND ${has('body::VARCHAR')}))`,
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

/** ASCII letters from the rarest in English text to the commonest. */
const LETTERS_BY_RARITY = 'zqxjkvbpygfwmucldrhsnioate';

/**
 * The codepoints DuckDB's lower() maps to the ASCII character `c` (it maps codepoint by
 * codepoint; tests/unit/store/trace-filter.test.ts checks this list against DuckDB over every
 * codepoint): c, its upper case, and the two non-ASCII letters that lower to ASCII.
 */
export function lowerSources(c: string): string[] {
  const sources = [c];
  if (c >= 'a' && c <= 'z') sources.push(c.toUpperCase());
  if (c === 'i') sources.push('\u0130'); // İ
  if (c === 'k') sources.push('\u212a'); // Kelvin sign
  return sources;
}

/**
 * The needle's character to look for before lowering a whole text: its rarest ASCII letter, else
 * a digit or other ASCII character that JSON text is not full of; null when it has none.
 */
export function prefilterChar(needle: string): string | null {
  let best: string | null = null;
  let bestRank = Infinity;
  for (const c of needle) {
    const letter = LETTERS_BY_RARITY.indexOf(c);
    const rank = letter >= 0 ? letter : c < '\u0080' && !' "{}[]:,'.includes(c) ? 100 : Infinity;
    if (rank < bestRank) [best, bestRank] = [c, rank];
  }
  return best;
}

/**
 * `contains(lower(column), needle)` for the full-text search (needle already lower case), with
 * a cheap exact prefilter: lower(text) can only contain the needle if the text contains one of
 * the characters that lower to the needle's rarest character, and most texts do not, so they
 * skip lower() (which copies the whole text; it was most of the search's time).
 */
function foldedContains(needle: string, bind: (value: DuckDBValue) => string): (column: string) => string {
  const needleParam = bind(needle);
  const c = prefilterChar(needle);
  const sourceParams = c === null ? [] : lowerSources(c).map((source) => bind(source));
  return (column) => {
    const full = `contains(lower(${column}), ${needleParam}::VARCHAR)`;
    if (sourceParams.length === 0) return full;
    return `CASE WHEN ${sourceParams.map((p) => `contains(${column}, ${p}::VARCHAR)`).join(' OR ')} THEN ${full} ELSE false END`;
  };
}

// One trace's spans for the trace views (TraceApi.getTraceColumns, and getTrace from the same
// columns), built for 100,000-span traces.
//
// Where the time goes at 100,000 spans (scratch runs on the 2-core box): reading a number column
// of a result through its vectors costs ~10–20 ms, a VARCHAR column ~200 ms (every value copied
// out of DuckDB and decoded on its own), and DuckDB's to_json of 200,000 ids ~5× a string_agg of
// them (one JSON text of every column, the earlier design, cost 0.6–0.8 s in SQL and 0.3–0.4 s
// more to read and recode in JS). So two statements in one snapshot:
//   - the rows in trace order with only numbers: offsets, durations, tokens, cost, event counts
//     and event times, and the repeated strings (name, kind, service, ...) as codes into one small
//     dictionary a column that DuckDB builds;
//   - one row of text: the dictionaries, span ids and parent ids as newline-joined lines (JSON
//     instead for a trace whose values hold a newline).
// Tokens, cost and event times go sparse: most spans have none.
// Offsets and durations are BIGINT differences in nanoseconds: exact as doubles below 2^53 (104 days).
import type { DuckDBConnection, DuckDBDataChunk, DuckDBListValue } from '@duckdb/node-api';
import type { SparseColumn, SpanColumns, TraceColumns, TraceDetail } from '../../../shared/model';
import { addSparse, emptySparse, traceDetailFromColumns } from '../../../shared/span-columns';

/** The columns whose values repeat (span_data column, SpanColumns field), sent as codes into `strings`. */
const CODED = [
  ['name', 'name'],
  ['kind', 'kind'],
  ['service_name', 'serviceName'],
  ['status_code', 'statusCode'],
  ['span_type', 'spanType'],
  ['llm_model', 'llmModel'],
] as const;
const CODED_COLUMNS = CODED.map(([column]) => column);

/**
 * The trace's spans, its time bounds, and a dictionary per coded column (d0 … d5: its distinct
 * values, coded in value order). One dictionary per column: a join against one dictionary of all
 * six columns' values (a UNION) cost ~3-4× the CPU of the six small ones (scratch run, 100,000 spans).
 */
const traceSpans = (more: string): string => `
  spans AS MATERIALIZED (
    SELECT span_id, parent_span_id, ${CODED_COLUMNS.join(', ')}, start_time,
           epoch_ns(start_time) AS start_ns, epoch_ns(end_time) AS end_ns${more}
    FROM span_data WHERE trace_id = $1
  ),
  bounds AS (SELECT min(start_ns) AS t0, max(end_ns) AS t1 FROM spans),
  ${CODED_COLUMNS.map(
    (column, i) => `d${i} AS MATERIALIZED (
    SELECT value, (row_number() OVER (ORDER BY value) - 1)::INTEGER AS code
    FROM (SELECT DISTINCT ${column} AS value FROM spans WHERE ${column} IS NOT NULL)
  )`,
  ).join(',\n  ')}`;
/** What the text statements read; the numbers statement reads the rest too. */
const TRACE_SPANS = traceSpans('');

/** The number columns, in this order, one row a span in trace order (then the event times). A null code is -1. */
const NUMBER_COLUMNS = [
  ...CODED.map(([, field]) => field),
  'startOffsetNs', 'durationNs', 'inputTokens', 'outputTokens', 'costUsd', 'eventCount',
] as const;
/** Trace order: start time, then span id. */
const TRACE_ORDER = 'spans.start_time, spans.span_id';

const TRACE_NUMBERS_SQL = `
  WITH ${traceSpans(', input_tokens, output_tokens, cost_usd, json_array_length(events)::INTEGER AS event_count, events')}
  SELECT ${CODED.map((_, i) => `coalesce(d${i}.code, -1)`).join(', ')},
         (spans.start_ns - bounds.t0)::DOUBLE, (spans.end_ns - spans.start_ns)::DOUBLE,
         spans.input_tokens::DOUBLE, spans.output_tokens::DOUBLE, spans.cost_usd::DOUBLE, coalesce(spans.event_count, 0),
         CASE WHEN spans.event_count > 0 THEN
           list_transform(json_extract_string(spans.events, '$[*].time_unix_nano'), x -> (TRY_CAST(x AS BIGINT) - bounds.t0)::DOUBLE)
         END
  FROM spans CROSS JOIN bounds
  ${CODED_COLUMNS.map((column, i) => `LEFT JOIN d${i} ON d${i}.value = spans.${column}`).join('\n  ')}
  ORDER BY ${TRACE_ORDER}`;

/**
 * The trace's text: its dictionaries, span ids and parent ids in trace order, each as one string
 * of lines. string_agg is ~5× cheaper here than to_json of the same lists (JSON-escaping 200,000
 * strings), and splitting at newlines cheaper than JSON.parse. When a value holds a newline (or a
 * parent id is '', which would read as none), TRACE_TEXT_JSON_SQL is asked instead.
 */
const TRACE_TEXT_SQL = `
  WITH ${TRACE_SPANS}
  SELECT bounds.t0::VARCHAR AS start_ns, (bounds.t1 - bounds.t0)::DOUBLE AS duration_ns, count(*)::INTEGER AS n,
         ${CODED.map((_, i) => `(SELECT {n: count(*)::INTEGER, s: string_agg(value, chr(10) ORDER BY code), nl: coalesce(bool_or(contains(value, chr(10))), false)} FROM d${i}) AS d${i},`).join('\n         ')}
         string_agg(span_id, chr(10) ORDER BY ${TRACE_ORDER}) AS ids,
         string_agg(coalesce(parent_span_id, ''), chr(10) ORDER BY ${TRACE_ORDER}) AS parents,
         NOT coalesce(bool_or(contains(span_id, chr(10)) OR contains(parent_span_id, chr(10)) OR parent_span_id = ''), false)
           AS ids_as_lines
  FROM spans CROSS JOIN bounds
  GROUP BY bounds.t0, bounds.t1`;

/** The same lists as JSON, for the trace whose values TRACE_TEXT_SQL cannot give as lines. */
const TRACE_TEXT_JSON_SQL = `
  WITH ${TRACE_SPANS}
  SELECT to_json({
           strings: [${CODED.map((_, i) => `coalesce((SELECT list(value ORDER BY code) FROM d${i}), [])`).join(', ')}],
           i: list(span_id ORDER BY ${TRACE_ORDER}),
           p: list(parent_span_id ORDER BY ${TRACE_ORDER})
         })::VARCHAR AS text
  FROM spans`;

interface TraceText {
  /** Each coded column's dictionary (CODED order), values in code order. */
  strings: string[][];
  i: string[];
  p: (string | null)[];
}

/** TRACE_TEXT_SQL's lines as lists (n values each; '' parents are none). */
function textFromLines(head: Record<string, unknown>, n: number): TraceText {
  const strings = CODED.map((_, d) => {
    const dictionary = head[`d${d}`] as { n: number; s: string | null };
    return dictionary.n === 0 ? [] : String(dictionary.s).split('\n');
  });
  const i = String(head.ids).split('\n');
  const p = String(head.parents).split('\n').map((id) => (id === '' ? null : id));
  if (i.length !== n || p.length !== n) throw new Error(`trace ids: ${i.length} span ids and ${p.length} parent ids for ${n} spans`);
  return { strings, i, p };
}

type NumberColumn = (typeof NUMBER_COLUMNS)[number];
/** The columns most spans have no value for, sent sparse. */
const SPARSE: ReadonlySet<NumberColumn> = new Set(['inputTokens', 'outputTokens', 'costUsd']);

interface TraceNumbers {
  dense: Record<NumberColumn, number[]>;
  sparse: Record<NumberColumn, SparseColumn<number>>;
  eventOffsetsNs: SparseColumn<number[]>;
}

/** Calls `visit` with each row's value of result column `c`, rows in order. */
function forEachValue(chunks: DuckDBDataChunk[], c: number, visit: (row: number, value: unknown) => void): void {
  let row = 0;
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(c);
    const m = chunk.rowCount;
    for (let j = 0; j < m; j++) visit(row + j, vector.getItem(j));
    row += m;
  }
}

/**
 * Copies the result's columns out of its chunks: each number read once from its vector (no
 * conversion objects), the event times only of the spans that have events.
 */
function readNumbers(chunks: DuckDBDataChunk[], n: number): TraceNumbers {
  const dense = {} as Record<NumberColumn, number[]>;
  const sparse = {} as Record<NumberColumn, SparseColumn<number>>;
  NUMBER_COLUMNS.forEach((name, c) => {
    if (SPARSE.has(name)) {
      const out = (sparse[name] = emptySparse<number>());
      forEachValue(chunks, c, (row, value) => addSparse(out, row, value as number | null));
    } else {
      const out = (dense[name] = new Array<number>(n));
      forEachValue(chunks, c, (row, value) => (out[row] = value as number));
    }
  });
  const eventCount = dense.eventCount;
  const eventOffsetsNs = emptySparse<number[]>();
  forEachValue(chunks, NUMBER_COLUMNS.length, (row, value) => {
    if (!eventCount[row]) return;
    const times = (value as DuckDBListValue | null)?.items ?? [];
    const offsets = times.filter((t): t is number => typeof t === 'number');
    if (offsets.length > 0) addSparse(eventOffsetsNs, row, offsets);
  });
  return { dense, sparse, eventOffsetsNs };
}

/** The trace's spans as columns, ordered by start time, then span id; null when the trace has none. */
export async function readTraceColumns(conn: DuckDBConnection, traceId: string): Promise<TraceColumns | null> {
  // Both statements read one snapshot, so a span stored in between cannot shift the rows.
  await conn.run('BEGIN TRANSACTION');
  let head: Record<string, unknown> | undefined;
  let json: string | undefined;
  let chunks: DuckDBDataChunk[];
  try {
    head = (await conn.runAndReadAll(TRACE_TEXT_SQL, [traceId])).getRowObjectsJS()[0];
    if (!head) return null;
    const dictionariesAsLines = CODED.every((_, d) => (head![`d${d}`] as { nl: boolean }).nl === false);
    if (head.ids_as_lines !== true || !dictionariesAsLines) json = String((await conn.runAndReadAll(TRACE_TEXT_JSON_SQL, [traceId])).getRowObjectsJS()[0]!.text);
    const numbers = await conn.run(TRACE_NUMBERS_SQL, [traceId]);
    if (numbers.rowCount !== Number(head.n)) throw new Error(`trace ${traceId}: ${numbers.rowCount} rows of numbers for ${String(head.n)} spans`);
    chunks = [];
    for (let k = 0; k < numbers.chunkCount; k++) chunks.push(numbers.getChunk(k));
  } finally {
    await conn.run('ROLLBACK').catch(() => undefined);
  }
  const n = Number(head.n);
  const text = json === undefined ? textFromLines(head, n) : (JSON.parse(json) as TraceText);
  const { dense: numbers, sparse, eventOffsetsNs } = readNumbers(chunks, n);
  // One string table: the dictionaries one after the other, each column's codes shifted past
  // the dictionaries before its own.
  let offset = 0;
  CODED.forEach(([, field], d) => {
    const codes = numbers[field];
    if (offset > 0) for (let i = 0; i < n; i++) if (codes[i]! >= 0) codes[i]! += offset;
    offset += text.strings[d]!.length;
  });
  const spans: SpanColumns = {
    spanId: text.i,
    parentSpanId: text.p,
    strings: text.strings.flat(),
    name: numbers.name,
    kind: numbers.kind,
    serviceName: numbers.serviceName,
    statusCode: numbers.statusCode,
    spanType: numbers.spanType,
    llmModel: numbers.llmModel,
    startOffsetNs: numbers.startOffsetNs,
    durationNs: numbers.durationNs,
    inputTokens: sparse.inputTokens,
    outputTokens: sparse.outputTokens,
    costUsd: sparse.costUsd,
    eventCount: numbers.eventCount,
    eventOffsetsNs,
  };
  return { traceId, startNs: String(head.start_ns), durationNs: Number(head.duration_ns), spans };
}

/** The same spans as one SpanSummary object each (TraceApi.getTrace). */
export async function readTraceDetail(conn: DuckDBConnection, traceId: string): Promise<TraceDetail | null> {
  const columns = await readTraceColumns(conn, traceId);
  return columns && traceDetailFromColumns(columns);
}

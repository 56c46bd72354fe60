// Span rows as the columns of the staging tables (span-staging.ts), built without DuckDB: an
// ingest worker turns its rows into this form and sends it to the engine thread, which copies
// the columns straight into DuckDB's data chunks.
//
// Every column a worker sends is binary: numbers in a typed array, strings as one UTF-8 buffer
// with each row's end offset, NULLs in a validity mask laid out as DuckDB's own. It hands the
// buffers over without copying (stagedBuffers, postMessage's transfer list), so the engine thread
// creates no JavaScript string or number per value: a number column is one copy into its vector,
// a string one call with its bytes. Parts staged on the engine thread itself keep their strings
// as they are (stageRows without `binary`). (Arrays of values, structured-cloned, cost the engine
// thread ~16% of its time under full-rate ingest in deserialising alone, and the strings were
// converted to UTF-8 again on the way into DuckDB.)
//
// The shapes follow span-staging.ts: the columns every span of a resource/scope shares go once
// per group; kind and status as enum numbers; the values nearly every span has the default for
// (empty status message and trace state, no events, no links) as NULL.
import { SPAN_KINDS, STATUS_CODES, type SpanRow } from '../span-row';

/**
 * Which rows of a column are not NULL: DuckDB's validity mask (64-bit words, bit i set = row i
 * valid, little-endian), so each 2,048-row chunk's part is copied as it is; null when none is NULL.
 */
export type Validity = Uint8Array | null;

export type StagedColumn =
  | { kind: 'text'; bytes: Uint8Array; /** Row i's bytes end at ends[i] and start at ends[i - 1] (0 for row 0). */ ends: Uint32Array; valid: Validity }
  /** Strings as they are, for parts staged on the engine thread itself (stageRows without `binary`). */
  | { kind: 'strings'; values: readonly (string | null)[]; valid: Validity }
  | { kind: 'number'; values: Uint8Array | Uint32Array | BigInt64Array | Float64Array; valid: Validity };

export interface StagedSpans {
  count: number;
  /** span_staging's columns in order (SPAN_COLUMNS), group_no numbering `groups` from 0. */
  spans: StagedColumn[];
  /** span_group_staging's columns after group_no (GROUP_COLUMNS), one row per group. */
  groups: StagedColumn[];
  groupCount: number;
  /** The traces the spans belong to, each once (for the live "spans added" event). */
  traceIds: string[];
  /**
   * Whether no span id is there twice, so that no (trace_id, span_id) is: the writer then skips
   * its check for keys staged twice (span-staging.ts insertStagedSpans). False may be a span id
   * two traces share, which only costs that check.
   */
  repeatFree: boolean;
}

/** The buffers of a staged part, for postMessage's transfer list (each once). */
export function stagedBuffers(staged: StagedSpans): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of [...staged.spans, ...staged.groups]) {
    if (column.kind === 'strings') continue;
    buffers.add((column.kind === 'text' ? column.bytes : column.values).buffer as ArrayBuffer);
    if (column.kind === 'text') buffers.add(column.ends.buffer as ArrayBuffer);
    if (column.valid) buffers.add(column.valid.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/** How many rows a staged column holds. */
export const stagedRows = (column: StagedColumn): number => (column.kind === 'text' ? column.ends.length : column.values.length);

/** Row `i` of a staged column as a value (tests and checks; the writer copies columns whole). */
export function stagedValue(column: StagedColumn, i: number): string | number | bigint | null {
  if (column.valid && !(column.valid[i >> 3]! & (1 << (i & 7)))) return null;
  if (column.kind !== 'text') return column.values[i]!;
  return DECODER.decode(column.bytes.subarray(i === 0 ? 0 : column.ends[i - 1]!, column.ends[i]!));
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** A mask of `n` rows, all valid. */
export const allValid = (n: number): Uint8Array => new Uint8Array(Math.ceil(n / 64) * 8).fill(0xff);

/** Builds one column's validity mask, made only once a row is NULL. */
export class ValidityBuilder {
  mask: Validity = null;
  constructor(private readonly n: number) {}
  setNull(i: number): void {
    this.mask ??= allValid(this.n);
    this.mask[i >> 3]! &= ~(1 << (i & 7));
  }
}

/**
 * A string column from its rows' values (null = NULL), each encoded into one buffer
 * sized for ASCII (ids, names, most JSON): a column with any other character overflows it
 * somewhere and is encoded again into room for the worst case (3 bytes a UTF-16 unit). A lone
 * surrogate becomes U+FFFD, as DuckDB's own string conversion made it.
 */
export function textColumn(values: readonly (string | null)[], binary: boolean): StagedColumn {
  const n = values.length;
  const validity = new ValidityBuilder(n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) validity.setNull(i);
    else chars += v.length;
  }
  if (!binary) return { kind: 'strings', values, valid: validity.mask };
  const encoded =
    (chars < n * SHORT_STRING ? encodeJoined(values, n, chars) : encodeAll(values, n, new Uint8Array(chars))) ??
    encodeAll(values, n, new Uint8Array(chars * 3))!;
  return { kind: 'text', bytes: encoded.bytes, ends: encoded.ends, valid: validity.mask };
}

/**
 * Columns of short strings on average are joined and encoded in one call (a call per string
 * costs more than its bytes), long ones string by string (joining long strings costs more).
 */
const SHORT_STRING = 64;

/** The rows joined and encoded in one piece, when they are all ASCII (else null). */
function encodeJoined(values: readonly (string | null)[], n: number, chars: number): { bytes: Uint8Array; ends: Uint32Array } | null {
  const bytes = new Uint8Array(chars);
  const { read, written } = ENCODER.encodeInto(values.join(''), bytes);
  if (read !== chars || written !== chars) return null;
  const ends = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) at += v.length;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** The rows' UTF-8 bytes back to back in `bytes` and where each ends; null when they do not fit. */
function encodeAll(values: readonly (string | null)[], n: number, bytes: Uint8Array): { bytes: Uint8Array; ends: Uint32Array } | null {
  const ends = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) {
      const { read, written } = ENCODER.encodeInto(v, bytes.subarray(at));
      if (read !== v.length) return null;
      at += written;
    }
    ends[i] = at;
  }
  return { bytes: at === bytes.length ? bytes : bytes.slice(0, at), ends };
}

type NumberArray = Uint8Array | Uint32Array | BigInt64Array | Float64Array;

/** Columns of span_staging (SPAN_COLUMNS) and of span_group_staging after group_no. */
export const STAGED_SPAN_COLUMNS = 28;
export const STAGED_GROUP_COLUMNS = 8;

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

/** A number column that is never NULL. */
const numbers = (values: NumberArray): StagedColumn => ({ kind: 'number', values, valid: null });

/** span_staging's text columns, by the name stageRows and ingest-staged.ts give them. */
export type SpanTextColumns = Record<
  | 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'statusMessage' | 'attributes' | 'events' | 'links' | 'spanType' | 'llmProvider'
  | 'llmModel' | 'sessionId' | 'userId' | 'traceState' | 'valueTypes',
  StagedColumn
>;

/** span_staging's number columns, set row by row (stageRows; ingest-staged.ts stageRequest). */
export class SpanNumbers {
  readonly groupNo: Uint32Array;
  readonly kindNo: Uint8Array;
  readonly statusNo: Uint8Array;
  readonly startNs: BigInt64Array;
  readonly endNs: BigInt64Array;
  readonly flags: Uint32Array;
  readonly droppedAttributes: Uint32Array;
  readonly droppedEvents: Uint32Array;
  readonly droppedLinks: Uint32Array;
  private readonly inputTokens: BigInt64Array;
  private readonly outputTokens: BigInt64Array;
  private readonly totalTokens: BigInt64Array;
  private readonly costUsd: Float64Array;
  private readonly inputValid: ValidityBuilder;
  private readonly outputValid: ValidityBuilder;
  private readonly totalValid: ValidityBuilder;
  private readonly costValid: ValidityBuilder;

  constructor(n: number) {
    this.groupNo = new Uint32Array(n);
    this.kindNo = new Uint8Array(n);
    this.statusNo = new Uint8Array(n);
    this.startNs = new BigInt64Array(n);
    this.endNs = new BigInt64Array(n);
    this.flags = new Uint32Array(n);
    this.droppedAttributes = new Uint32Array(n);
    this.droppedEvents = new Uint32Array(n);
    this.droppedLinks = new Uint32Array(n);
    this.inputTokens = new BigInt64Array(n);
    this.outputTokens = new BigInt64Array(n);
    this.totalTokens = new BigInt64Array(n);
    this.costUsd = new Float64Array(n);
    this.inputValid = new ValidityBuilder(n);
    this.outputValid = new ValidityBuilder(n);
    this.totalValid = new ValidityBuilder(n);
    this.costValid = new ValidityBuilder(n);
  }

  /** Row `j`'s token counts and cost (null = NULL). */
  usage(j: number, llm: Pick<SpanRow, 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd'>): void {
    tokens(this.inputTokens, this.inputValid, j, llm.inputTokens);
    tokens(this.outputTokens, this.outputValid, j, llm.outputTokens);
    tokens(this.totalTokens, this.totalValid, j, llm.totalTokens);
    if (llm.costUsd === null) this.costValid.setNull(j);
    else this.costUsd[j] = llm.costUsd;
  }

  /** All of span_staging's columns, in its order (span-staging.ts SPAN_COLUMNS), with the text ones given. */
  columns(t: SpanTextColumns): StagedColumn[] {
    const withNulls = (values: NumberArray, valid: ValidityBuilder): StagedColumn => ({ kind: 'number', values, valid: valid.mask });
    return [
      numbers(this.groupNo), t.traceId, t.spanId, t.parentSpanId, t.name, numbers(this.kindNo), numbers(this.startNs), numbers(this.endNs),
      numbers(this.statusNo), t.statusMessage, t.attributes, t.events, t.links, t.spanType, t.llmProvider, t.llmModel,
      withNulls(this.inputTokens, this.inputValid), withNulls(this.outputTokens, this.outputValid),
      withNulls(this.totalTokens, this.totalValid), withNulls(this.costUsd, this.costValid),
      t.sessionId, t.userId, t.traceState, numbers(this.flags), numbers(this.droppedAttributes), numbers(this.droppedEvents),
      numbers(this.droppedLinks), t.valueTypes,
    ];
  }
}

function tokens(out: BigInt64Array, valid: ValidityBuilder, j: number, v: number | null): void {
  if (v === null) valid.setNull(j);
  else out[j] = BigInt(Math.trunc(v));
}

/** A group's values in span_group_staging's order after group_no, and the key that tells groups apart. */
export function groupValues(g: Pick<SpanRow, GroupField>): { values: (string | null)[]; key: string } {
  const values = [g.serviceName, g.scopeName, g.scopeVersion, g.resourceAttributesJson, g.resourceSchemaUrl, g.scopeSchemaUrl, g.scopeAttributesJson, g.source];
  // The fields cannot contain U+0000 unescaped (JSON and ids); U+0001 stands for NULL.
  return { values, key: values.map((v) => v ?? '\u0001').join('\u0000') };
}

type GroupField =
  | 'serviceName' | 'scopeName' | 'scopeVersion' | 'resourceAttributesJson' | 'resourceSchemaUrl' | 'scopeSchemaUrl' | 'scopeAttributesJson' | 'source';

/**
 * The rows in staging form. `binary`: strings encoded to UTF-8 too, for a part that crosses to
 * another thread (an ingest worker's: its buffers are transferred); without it they stay strings,
 * which costs less on the thread that writes them (encoding them there would only add a step).
 */
export function stageRows(rows: readonly SpanRow[], binary = false): StagedSpans {
  const n = rows.length;
  // Each column's values as they are set: strings (and NULLs) in arrays, encoded once a column
  // is whole; numbers straight into their typed arrays (SpanNumbers).
  // Filled in order from empty, so that they stay packed arrays (new Array(n) would stay holey).
  const strings = (): (string | null)[] => [];
  const traceId = strings(), spanId = strings(), parentSpanId = strings(), name = strings(), statusMessage = strings();
  const attributes = strings(), events = strings(), links = strings(), spanType = strings(), llmProvider = strings();
  const llmModel = strings(), sessionId = strings(), userId = strings(), traceState = strings(), valueTypes = strings();
  const num = new SpanNumbers(n);
  const groups: (string | null)[][] = Array.from({ length: STAGED_GROUP_COLUMNS }, () => []);
  const groupNo = new Map<string, number>();
  const traceIds = new Set<string>();
  const spanIds = new Set<string>();
  let previous: SpanRow | null = null;
  let previousGroup = 0;
  for (let j = 0; j < n; j++) {
    const r = rows[j]!;
    // Rows of one request come in runs that share the very same strings: compare with the last.
    if (previous === null || !sameGroup(previous, r)) {
      const { values, key } = groupValues(r);
      let no = groupNo.get(key);
      if (no === undefined) {
        no = groupNo.size;
        groupNo.set(key, no);
        for (let c = 0; c < STAGED_GROUP_COLUMNS; c++) groups[c]!.push(values[c]!);
      }
      previousGroup = no;
      previous = r;
    }
    traceIds.add(r.traceId);
    spanIds.add(r.spanId);
    num.groupNo[j] = previousGroup;
    traceId[j] = r.traceId;
    spanId[j] = r.spanId;
    parentSpanId[j] = r.parentSpanId;
    name[j] = r.name;
    num.kindNo[j] = Math.max(0, SPAN_KINDS.indexOf(r.kind));
    num.startNs[j] = r.startNs;
    num.endNs[j] = r.endNs;
    num.statusNo[j] = Math.max(0, STATUS_CODES.indexOf(r.statusCode));
    statusMessage[j] = nullIf(r.statusMessage, '');
    attributes[j] = r.attributesJson;
    events[j] = nullIf(r.eventsJson, '[]');
    links[j] = nullIf(r.linksJson, '[]');
    spanType[j] = r.spanType;
    llmProvider[j] = r.llmProvider;
    llmModel[j] = r.llmModel;
    num.usage(j, r);
    sessionId[j] = r.sessionId;
    userId[j] = r.userId;
    traceState[j] = nullIf(r.traceState, '');
    num.flags[j] = r.flags;
    num.droppedAttributes[j] = r.droppedAttributesCount;
    num.droppedEvents[j] = r.droppedEventsCount;
    num.droppedLinks[j] = r.droppedLinksCount;
    valueTypes[j] = r.valueTypesJson ?? null;
  }
  const text = (values: (string | null)[]): StagedColumn => textColumn(values, binary);
  const spans = num.columns({
    traceId: text(traceId), spanId: text(spanId), parentSpanId: text(parentSpanId), name: text(name), statusMessage: text(statusMessage),
    attributes: text(attributes), events: text(events), links: text(links), spanType: text(spanType), llmProvider: text(llmProvider),
    llmModel: text(llmModel), sessionId: text(sessionId), userId: text(userId), traceState: text(traceState), valueTypes: text(valueTypes),
  });
  const groupCount = groupNo.size;
  return {
    count: n,
    spans,
    groups: groups.map((values) => textColumn(values, binary)),
    groupCount,
    traceIds: [...traceIds],
    repeatFree: spanIds.size === n,
  };
}

/** The part's group numbers moved up by `first` (mod 2^32), in a new column: the part's own stays as it came. */
export function renumberGroups(column: StagedColumn, first: number): StagedColumn {
  if (column.kind !== 'number') throw new Error('group_no is a number column');
  const values = new Uint32Array(column.values.length);
  for (let i = 0; i < values.length; i++) values[i] = (Number(column.values[i]) + first) >>> 0;
  return { kind: 'number', values, valid: column.valid };
}

/** The group numbers `first` .. `first + count - 1` (mod 2^32) as group_no's column of span_group_staging. */
export function groupNumbers(first: number, count: number): StagedColumn {
  const values = new Uint32Array(count);
  for (let i = 0; i < count; i++) values[i] = (first + i) >>> 0;
  return { kind: 'number', values, valid: null };
}

// Decodes an OTLP/JSON ExportTraceServiceRequest (OTLP specification, "JSON Protobuf Encoding")
// into a DecodedTraceRequest, the same shape decode-proto.ts produces.
//
// What is accepted, following the proto3 JSON mapping with OTLP's exceptions:
// - Field names in lowerCamelCase and in the proto's original snake_case; unknown fields are
//   ignored; null means "not set".
// - trace_id / span_id / parent_span_id as hex strings, any case (lowercased); not hex → error.
// - int64 / uint64 / fixed64 (times, intValue) as decimal strings or JSON numbers, exactly:
//   JSON.parse would round a number beyond 2^53, so a body holding any number literal that
//   might not be exact in a double (16+ significant digits, or an exponent) is parsed with the
//   exact parser below instead, which keeps such literals as text.
// - uint32 (counts, flags) as numbers or decimal strings; enums as integers or names
//   ("SPAN_KIND_SERVER", "STATUS_CODE_ERROR"; case-insensitive, prefix optional).
//   An intValue given as a JSON number beyond int64 reads as a double (see intValueField).
// - doubleValue as a number or a string, including "NaN", "Infinity", "-Infinity".
// - bytesValue as base64, standard or URL-safe, padded or not.
// Anything else of the wrong type throws OtlpDecodeError naming the field's path, e.g.
// `resourceSpans[0].scopeSpans[0].spans[3].name: expected a string, got number`.
import {
  KeyValueList,
  OtlpDecodeError,
  type AnyValue,
  type DecodedEvent,
  type DecodedLink,
  type DecodedLogRecord,
  type DecodedLogsRequest,
  type DecodedResource,
  type DecodedResourceLogs,
  type DecodedResourceSpans,
  type DecodedScope,
  type DecodedScopeLogs,
  type DecodedScopeSpans,
  type DecodedSpan,
  type DecodedTraceRequest,
  type KeyValue,
} from './types';

/** Deepest AnyValue nesting (arrays and kvlists) accepted, as for protobuf. */
const MAX_VALUE_DEPTH = 128;
/** Deepest JSON nesting the exact parser accepts. */
const MAX_JSON_DEPTH = 512;

/**
 * Decodes a JSON-encoded ExportTraceServiceRequest. Throws OtlpDecodeError for text that is not
 * one, and only OtlpDecodeError.
 */
export function decodeTraceRequestJson(text: string): DecodedTraceRequest {
  return decodeJsonRequest(text, readRequest);
}

/** Decodes a JSON-encoded ExportLogsServiceRequest; throws OtlpDecodeError, and only that. */
export function decodeLogsRequestJson(text: string): DecodedLogsRequest {
  return decodeJsonRequest(text, readLogsRequest);
}

function decodeJsonRequest<T>(text: string, readRequest: (root: unknown) => T): T {
  let root: unknown;
  if (MAYBE_INEXACT_NUMBER.test(text)) {
    root = new ExactJsonParser(text).parse();
  } else {
    try {
      root = JSON.parse(text);
    } catch (error) {
      throw new OtlpDecodeError(`invalid JSON: ${(error as Error).message}`);
    }
  }
  // JSON.parse turns an escaped lone surrogate ("\ud800") into a string no UTF-8 can hold;
  // proto3 strings must be valid UTF-8, so such a request is malformed (as in protobuf).
  try {
    if (SURROGATE_ESCAPE.test(text)) rejectLoneSurrogates(root, 'request');
    return readRequest(root);
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    // Nothing else is expected; never let a malformed body surface as another error type.
    throw new OtlpDecodeError(`malformed JSON request: ${(error as Error).message}`);
  }
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A UTF-16 surrogate without its partner. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function rejectLoneSurrogates(v: unknown, path: string): void {
  if (typeof v === 'string') {
    if (LONE_SURROGATE.test(v)) throw new OtlpDecodeError(`${path}: string is not valid Unicode (a lone surrogate escape)`);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) rejectLoneSurrogates(v[i], `${path}[${i}]`);
  } else if (typeof v === 'object' && v !== null && !(v instanceof JsonNumber)) {
    for (const key of Object.keys(v)) {
      if (LONE_SURROGATE.test(key)) throw new OtlpDecodeError(`${path}: key is not valid Unicode (a lone surrogate escape)`);
      rejectLoneSurrogates((v as Record<string, unknown>)[key], `${path}.${key}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Exact numbers
//
// A number literal that JSON.parse might not return exactly: 16 or more mantissa characters
// (digits and the point; 2^53 has 16 digits) or an exponent, right after a character that can
// precede a JSON value. Matches inside strings are false alarms that only cost the slower path.
const MAYBE_INEXACT_NUMBER = /[-:,[\s](?:[0-9.]{16}|[0-9][0-9.]*[eE])/;

/** A number literal kept as its text, from the exact parser. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const NUMBER_TEXT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
/** A plain decimal integer (in a quoted int64, leading zeros are tolerated). */
const INTEGER_TEXT = /^-?[0-9]+$/;

/**
 * A JSON parser giving the same values as JSON.parse, except that numbers with 16 or more
 * significant characters or an exponent come back as JsonNumber (their text), so int64 values
 * stay exact. Used only when the quick scan above finds such a literal.
 */
class ExactJsonParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): unknown {
    const value = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new OtlpDecodeError(`invalid JSON: ${message} at position ${this.i}`);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  private value(depth: number): unknown {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (Number.isNaN(c)) this.fail('unexpected end of input');
        this.fail(`unexpected character ${JSON.stringify(this.s[this.i])}`);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail('unexpected token');
    this.i += word.length;
    return value;
  }

  private number(): number | JsonNumber {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (m === null) this.fail('invalid number');
    const text = m[0];
    this.i += text.length;
    const exponent = text.search(/[eE]/);
    const mantissa = exponent < 0 ? text.length : exponent;
    const digits = mantissa - (text.charCodeAt(0) === 0x2d ? 1 : 0) - (text.includes('.') ? 1 : 0);
    if (exponent >= 0 || digits >= 16) return new JsonNumber(text);
    return Number(text);
  }

  private string(): string {
    const s = this.s;
    const start = this.i; // the opening quote
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      // NaN past the end: `c < 0x20` would be false, so test for the end first.
      if (!(c >= 0x20)) {
        this.i = i;
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in string');
      }
      i++;
    }
    this.i = i + 1;
    if (!escaped) return s.slice(start + 1, i);
    try {
      return JSON.parse(s.slice(start, i + 1)) as string;
    } catch {
      this.i = start;
      return this.fail('invalid escape in string');
    }
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH}`);
    this.i++; // [
    const out: unknown[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x2c) continue;
      if (c === 0x5d) return out;
      this.i--;
      this.fail("expected ',' or ']'");
    }
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH}`);
    this.i++; // {
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('expected a property name');
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("expected ':'");
      this.i++;
      const value = this.value(depth);
      // As JSON.parse: "__proto__" is an ordinary own property, never the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x2c) continue;
      if (c === 0x7d) return out;
      this.i--;
      this.fail("expected ',' or '}'");
    }
  }
}

const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;

/**
 * The exact integer a JSON number text denotes (fraction and exponent allowed when the value is
 * whole), or null when it is not an integer.
 */
function integerFromText(text: string): bigint | null {
  if (INTEGER_TEXT.test(text)) return BigInt(text);
  if (!NUMBER_TEXT.test(text)) return null;
  const negative = text.charCodeAt(0) === 0x2d;
  const body = negative ? text.slice(1) : text;
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  let exponent = e < 0 ? 0 : Number(body.slice(e + 1));
  const point = mantissa.indexOf('.');
  let digits = mantissa;
  if (point >= 0) {
    digits = mantissa.slice(0, point) + mantissa.slice(point + 1);
    exponent -= mantissa.length - point - 1;
  }
  digits = digits.replace(/^0+/, '');
  if (digits === '') return 0n;
  // Drop trailing zeros into the exponent, then the value is an integer iff exponent >= 0.
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  if (exponent < 0) return null;
  // Anything longer than 20 digits is beyond 64 bits anyway; keep BigInt work bounded.
  if (trimmed.length + exponent > 21) return negative ? -TWO_64 : TWO_64;
  const value = BigInt(trimmed) * 10n ** BigInt(exponent);
  return negative ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Field readers. `path` names the field for error messages.

type JsonObject = Record<string, unknown>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof JsonNumber) return 'number';
  return typeof v;
}

function fail(path: string, message: string): never {
  throw new OtlpDecodeError(`${path}: ${message}`);
}

function wrongType(path: string, expected: string, v: unknown): never {
  fail(path, `expected ${expected}, got ${typeName(v)}`);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** An optional embedded message: undefined when absent or null. */
function objectField(v: unknown, path: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) wrongType(path, 'an object', v);
  return v;
}

/** A repeated field: [] when absent or null. */
function arrayField(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) wrongType(path, 'an array', v);
  return v;
}

function stringField(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  wrongType(path, 'a string', v);
}

/** uint32: a whole number or decimal string in 0..2^32-1. */
function uint32Field(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
    fail(path, `expected an unsigned 32-bit integer, got ${v}`);
  }
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' || v instanceof JsonNumber) {
    const text = typeof v === 'string' ? v : v.text;
    const n = integerFromText(text);
    if (n !== null && n >= 0n && n <= 0xffffffffn) return Number(n);
    fail(path, `expected an unsigned 32-bit integer, got ${JSON.stringify(text)}`);
  }
  wrongType(path, 'an unsigned 32-bit integer', v);
}

/** int64 (signed) or uint64/fixed64 (unsigned), exactly, from a number or a decimal string. */
function int64Field(v: unknown, path: string, unsigned: boolean): bigint {
  let n: bigint | null;
  let shown: string;
  if (typeof v === 'number') {
    // The quick path only lets through numbers with at most 15 digits and no exponent: exact.
    n = Number.isInteger(v) ? BigInt(v) : null;
    shown = String(v);
  } else if (typeof v === 'string') {
    n = integerFromText(v);
    shown = JSON.stringify(v);
  } else if (v instanceof JsonNumber) {
    n = integerFromText(v.text);
    shown = v.text;
  } else if (v === undefined || v === null) {
    return 0n;
  } else {
    wrongType(path, 'an integer (number or decimal string)', v);
  }
  if (n === null) fail(path, `expected an integer, got ${shown}`);
  if (unsigned ? n < 0n || n >= TWO_64 : n < -TWO_63 || n >= TWO_63) {
    fail(path, `${shown} is out of range for ${unsigned ? 'uint64' : 'int64'}`);
  }
  return n;
}

/**
 * AnyValue.intValue, with one leniency: the OpenTelemetry JS JSON serializer sends every whole
 * JS number as intValue, even beyond int64 (-1.5e300), where its protobuf serializer sends a
 * double_value. A JSON number literal beyond int64 therefore reads as the double it is (a
 * quoted one is still an error), so both encodings of the same span decode alike.
 */
function intValueField(v: unknown, path: string): bigint | number {
  if (v instanceof JsonNumber) {
    const n = integerFromText(v.text);
    if (n !== null && (n < -TWO_63 || n >= TWO_63)) return Number(v.text);
  }
  return int64Field(v, path, false);
}

function doubleField(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof JsonNumber) return Number(v.text);
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (NUMBER_TEXT.test(v)) return Number(v);
    fail(path, `expected a number, got ${JSON.stringify(v)}`);
  }
  if (v === undefined || v === null) return 0;
  wrongType(path, 'a number', v);
}

function boolField(v: unknown, path: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  wrongType(path, 'a boolean', v);
}

/** An enum: its number, or its name (case-insensitive, the type prefix optional). */
function enumField(v: unknown, path: string, prefix: string, names: readonly string[]): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
    fail(path, `expected an enum number, got ${v}`);
  }
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string') {
    let name = v.toUpperCase();
    if (name.startsWith(prefix)) name = name.slice(prefix.length);
    const index = names.indexOf(name);
    if (index >= 0) return index;
    if (/^-?[0-9]+$/.test(v)) {
      const n = Number(v);
      if (n >= -0x80000000 && n <= 0x7fffffff) return n;
    }
    fail(path, `unknown value ${JSON.stringify(v)} (expected one of ${names.map((n) => prefix + n).join(', ')} or a number)`);
  }
  wrongType(path, 'an enum number or name', v);
}

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;
const ANY_HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A trace or span id: hex (OTLP/JSON's exception to proto3's base64), lowercased. */
function idField(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') wrongType(path, 'a hex string', v);
  if (LOWER_HEX.test(v)) return v;
  if (ANY_HEX.test(v)) return v.toLowerCase();
  fail(path, `expected a hex string with an even number of digits, got ${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)}`);
}

const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  BASE64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}
BASE64_VALUES[0x2d] = 62; // '-' (URL-safe)
BASE64_VALUES[0x5f] = 63; // '_' (URL-safe)

/** bytes: base64, standard or URL-safe alphabet, with or without padding. */
function bytesField(v: unknown, path: string): Uint8Array {
  if (v === undefined || v === null) return new Uint8Array(0);
  if (typeof v !== 'string') wrongType(path, 'a base64 string', v);
  let len = v.length;
  if (len > 0 && v.charCodeAt(len - 1) === 0x3d) len--;
  if (len > 0 && v.charCodeAt(len - 1) === 0x3d) len--;
  const padded = len !== v.length;
  if (len % 4 === 1 || (padded && v.length % 4 !== 0)) fail(path, 'invalid base64');
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = v.charCodeAt(i);
    const d = c < 128 ? BASE64_VALUES[c]! : -1;
    if (d < 0) fail(path, `invalid base64 character ${JSON.stringify(v[i])}`);
    bits = (bits << 6) | d;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >>> nbits) & 0xff;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Messages

function readRequest(root: unknown): DecodedTraceRequest {
  if (!isObject(root)) wrongType('request', 'a JSON object', root);
  const list = arrayField(root.resourceSpans ?? root.resource_spans, 'resourceSpans');
  const resourceSpans: DecodedResourceSpans[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) resourceSpans[i] = readResourceSpans(list[i], `resourceSpans[${i}]`);
  return { resourceSpans };
}

function message(v: unknown, path: string): JsonObject {
  if (!isObject(v)) wrongType(path, 'an object', v);
  return v;
}

function readResourceSpans(v: unknown, path: string): DecodedResourceSpans {
  const o = message(v, path);
  const resource = readResource(objectField(o.resource, `${path}.resource`), `${path}.resource`);
  const list = arrayField(o.scopeSpans ?? o.scope_spans, `${path}.scopeSpans`);
  const scopeSpans: DecodedScopeSpans[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) scopeSpans[i] = readScopeSpans(list[i], `${path}.scopeSpans[${i}]`);
  return { resource, schemaUrl: stringField(o.schemaUrl ?? o.schema_url, `${path}.schemaUrl`), scopeSpans };
}

function readResource(o: JsonObject | undefined, path: string): DecodedResource {
  if (o === undefined) return { attributes: [], droppedAttributesCount: 0 };
  return {
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
  };
}

function readScope(o: JsonObject | undefined, path: string): DecodedScope {
  if (o === undefined) return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  return {
    name: stringField(o.name, `${path}.name`),
    version: stringField(o.version, `${path}.version`),
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
  };
}

function readScopeSpans(v: unknown, path: string): DecodedScopeSpans {
  const o = message(v, path);
  const scope = readScope(objectField(o.scope, `${path}.scope`), `${path}.scope`);
  const list = arrayField(o.spans, `${path}.spans`);
  const spans: DecodedSpan[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) spans[i] = readSpan(list[i], `${path}.spans[${i}]`);
  return { scope, schemaUrl: stringField(o.schemaUrl ?? o.schema_url, `${path}.schemaUrl`), spans };
}

function readSpan(v: unknown, path: string): DecodedSpan {
  const o = message(v, path);
  const status = objectField(o.status, `${path}.status`);
  const eventList = arrayField(o.events, `${path}.events`);
  const events: DecodedEvent[] = new Array(eventList.length);
  for (let i = 0; i < eventList.length; i++) events[i] = readEvent(eventList[i], `${path}.events[${i}]`);
  const linkList = arrayField(o.links, `${path}.links`);
  const links: DecodedLink[] = new Array(linkList.length);
  for (let i = 0; i < linkList.length; i++) links[i] = readLink(linkList[i], `${path}.links[${i}]`);
  return {
    traceId: idField(o.traceId ?? o.trace_id, `${path}.traceId`),
    spanId: idField(o.spanId ?? o.span_id, `${path}.spanId`),
    parentSpanId: idField(o.parentSpanId ?? o.parent_span_id, `${path}.parentSpanId`),
    traceState: stringField(o.traceState ?? o.trace_state, `${path}.traceState`),
    flags: uint32Field(o.flags, `${path}.flags`),
    name: stringField(o.name, `${path}.name`),
    kind: enumField(o.kind, `${path}.kind`, 'SPAN_KIND_', SPAN_KINDS),
    startTimeUnixNano: int64Field(o.startTimeUnixNano ?? o.start_time_unix_nano, `${path}.startTimeUnixNano`, true),
    endTimeUnixNano: int64Field(o.endTimeUnixNano ?? o.end_time_unix_nano, `${path}.endTimeUnixNano`, true),
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
    events,
    droppedEventsCount: uint32Field(o.droppedEventsCount ?? o.dropped_events_count, `${path}.droppedEventsCount`),
    links,
    droppedLinksCount: uint32Field(o.droppedLinksCount ?? o.dropped_links_count, `${path}.droppedLinksCount`),
    statusCode: status === undefined ? 0 : enumField(status.code, `${path}.status.code`, 'STATUS_CODE_', STATUS_CODES),
    statusMessage: status === undefined ? '' : stringField(status.message, `${path}.status.message`),
  };
}

function readEvent(v: unknown, path: string): DecodedEvent {
  const o = message(v, path);
  return {
    timeUnixNano: int64Field(o.timeUnixNano ?? o.time_unix_nano, `${path}.timeUnixNano`, true),
    name: stringField(o.name, `${path}.name`),
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
  };
}

function readLink(v: unknown, path: string): DecodedLink {
  const o = message(v, path);
  return {
    traceId: idField(o.traceId ?? o.trace_id, `${path}.traceId`),
    spanId: idField(o.spanId ?? o.span_id, `${path}.spanId`),
    traceState: stringField(o.traceState ?? o.trace_state, `${path}.traceState`),
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
    flags: uint32Field(o.flags, `${path}.flags`),
  };
}

/** A repeated KeyValue field. Element paths are only built for an error message. */
function readAttributes(v: unknown, path: string, depth = 0): KeyValue[] {
  const list = arrayField(v, path);
  const out: KeyValue[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    if (!isObject(kv)) wrongType(`${path}[${i}]`, 'an object', kv);
    const key = kv.key;
    out[i] = [
      typeof key === 'string' ? key : stringField(key, `${path}[${i}].key`),
      readAnyValue(kv.value, path, i, '.value', depth),
    ];
  }
  return out;
}

/**
 * The AnyValue at `${listPath}[${index}]${suffix}` (suffix '.value' in a KeyValue list, '' in an
 * ArrayValue); the path is only built for an error message.
 */
function readAnyValue(v: unknown, listPath: string, index: number, suffix: string, depth: number): AnyValue {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) wrongType(`${listPath}[${index}]${suffix}`, 'an AnyValue object', v);
  let result: AnyValue = null;
  let found: string | null = null;
  for (const key in v) {
    const x = v[key];
    if (x === undefined || x === null) continue;
    let value: AnyValue;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        value = typeof x === 'string' ? x : stringField(x, `${listPath}[${index}]${suffix}.${key}`);
        break;
      case 'intValue':
      case 'int_value':
        value = intValueField(x, `${listPath}[${index}]${suffix}.${key}`);
        break;
      case 'boolValue':
      case 'bool_value':
        value = boolField(x, `${listPath}[${index}]${suffix}.${key}`);
        break;
      case 'doubleValue':
      case 'double_value':
        value = doubleField(x, `${listPath}[${index}]${suffix}.${key}`);
        break;
      case 'bytesValue':
      case 'bytes_value':
        value = bytesField(x, `${listPath}[${index}]${suffix}.${key}`);
        break;
      case 'arrayValue':
      case 'array_value':
        value = readArrayValue(x, `${listPath}[${index}]${suffix}.${key}`, depth + 1);
        break;
      case 'kvlistValue':
      case 'kvlist_value':
        value = readKvlistValue(x, `${listPath}[${index}]${suffix}.${key}`, depth + 1);
        break;
      default:
        continue; // unknown fields are ignored
    }
    if (found !== null) fail(`${listPath}[${index}]${suffix}`, `more than one value set (${found} and ${key})`);
    found = key;
    result = value;
  }
  return result;
}

function readArrayValue(v: unknown, path: string, depth: number): AnyValue[] {
  if (depth > MAX_VALUE_DEPTH) fail(path, `values nested deeper than ${MAX_VALUE_DEPTH}`);
  if (!isObject(v)) wrongType(path, 'an object with "values"', v);
  const list = arrayField(v.values, `${path}.values`);
  const out: AnyValue[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = readAnyValue(list[i], `${path}.values`, i, '', depth);
  return out;
}

function readKvlistValue(v: unknown, path: string, depth: number): KeyValueList {
  if (depth > MAX_VALUE_DEPTH) fail(path, `values nested deeper than ${MAX_VALUE_DEPTH}`);
  if (!isObject(v)) wrongType(path, 'an object with "values"', v);
  return new KeyValueList(readAttributes(v.values, `${path}.values`, depth));
}

// ---------------------------------------------------------------------------------------------
// Logs (collector/logs/v1/logs_service.proto, logs/v1/logs.proto)

const SEVERITY_NAMES = [
  'UNSPECIFIED',
  'TRACE', 'TRACE2', 'TRACE3', 'TRACE4',
  'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4',
  'INFO', 'INFO2', 'INFO3', 'INFO4',
  'WARN', 'WARN2', 'WARN3', 'WARN4',
  'ERROR', 'ERROR2', 'ERROR3', 'ERROR4',
  'FATAL', 'FATAL2', 'FATAL3', 'FATAL4',
];

function readLogsRequest(root: unknown): DecodedLogsRequest {
  if (!isObject(root)) wrongType('request', 'a JSON object', root);
  const list = arrayField(root.resourceLogs ?? root.resource_logs, 'resourceLogs');
  const resourceLogs: DecodedResourceLogs[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) resourceLogs[i] = readResourceLogs(list[i], `resourceLogs[${i}]`);
  return { resourceLogs };
}

function readResourceLogs(v: unknown, path: string): DecodedResourceLogs {
  const o = message(v, path);
  const resource = readResource(objectField(o.resource, `${path}.resource`), `${path}.resource`);
  const list = arrayField(o.scopeLogs ?? o.scope_logs, `${path}.scopeLogs`);
  const scopeLogs: DecodedScopeLogs[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) scopeLogs[i] = readScopeLogs(list[i], `${path}.scopeLogs[${i}]`);
  return { resource, schemaUrl: stringField(o.schemaUrl ?? o.schema_url, `${path}.schemaUrl`), scopeLogs };
}

function readScopeLogs(v: unknown, path: string): DecodedScopeLogs {
  const o = message(v, path);
  const scope = readScope(objectField(o.scope, `${path}.scope`), `${path}.scope`);
  const list = arrayField(o.logRecords ?? o.log_records, `${path}.logRecords`);
  const logRecords: DecodedLogRecord[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) logRecords[i] = readLogRecord(list[i], `${path}.logRecords[${i}]`);
  return { scope, schemaUrl: stringField(o.schemaUrl ?? o.schema_url, `${path}.schemaUrl`), logRecords };
}

function readLogRecord(v: unknown, path: string): DecodedLogRecord {
  const o = message(v, path);
  return {
    timeUnixNano: int64Field(o.timeUnixNano ?? o.time_unix_nano, `${path}.timeUnixNano`, true),
    observedTimeUnixNano: int64Field(o.observedTimeUnixNano ?? o.observed_time_unix_nano, `${path}.observedTimeUnixNano`, true),
    severityNumber: enumField(o.severityNumber ?? o.severity_number, `${path}.severityNumber`, 'SEVERITY_NUMBER_', SEVERITY_NAMES),
    severityText: stringField(o.severityText ?? o.severity_text, `${path}.severityText`),
    body: readAnyValue(o.body, path, 0, '.body', 0),
    attributes: readAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32Field(o.droppedAttributesCount ?? o.dropped_attributes_count, `${path}.droppedAttributesCount`),
    flags: uint32Field(o.flags, `${path}.flags`),
    traceId: idField(o.traceId ?? o.trace_id, `${path}.traceId`),
    spanId: idField(o.spanId ?? o.span_id, `${path}.spanId`),
    eventName: stringField(o.eventName ?? o.event_name, `${path}.eventName`),
  };
}

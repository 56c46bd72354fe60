// Renders decoded OTLP values as the JSON text stored in the `attributes`, `events`, `links`
// and `resource_attributes` columns, keeping OTLP types apart:
//   int64 → an integer literal, exact beyond 2^53 (DuckDB's JSON keeps the text)
//   double → always with a fraction or exponent (1.0, not 1), so it reads back as a double;
//            NaN and ±Infinity, which JSON cannot hold, as the strings "NaN", "Infinity", "-Infinity"
//   bytes → base64 text; kvlist → object; array → array; empty value → null.
//
// Two of these are not told apart by the JSON alone: bytes (base64 text) and non-finite doubles
// (strings). To keep the round trip exact, the renderers report where such values are to a
// ValueTypes collector; the store keeps that as the `value_types` column: NULL for almost every
// span, else e.g. {"attributes": {"$.\"blob\"": "bytes"}, "events": {"$[0].attributes.\"x\"": "double"}}
// (column → DuckDB JSON path → OTLP type). Everything else keeps the JSON natural to query.
import { KeyValueList, type AnyValue, type DecodedEvent, type DecodedLink, type KeyValue } from './types';

export function doubleToJson(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  // An integral value below 1e21 prints without a fraction or exponent; beyond, with an exponent.
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
}

/** An int64 as its decimal text (through a number when exact: faster than BigInt's own). */
function int64Text(value: bigint): string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? String(n) : value.toString();
}

/** Collects the paths of values whose JSON form does not say their OTLP type (see above). */
export class ValueTypes {
  /** The column being rendered. */
  column = 'attributes';
  found: Record<string, Record<string, 'bytes' | 'double'>> | null = null;

  record(path: string, type: 'bytes' | 'double'): void {
    this.found ??= {};
    (this.found[this.column] ??= {})[path] = type;
  }

  /** The JSON text for the value_types column, or null when every value speaks for itself. */
  toJson(): string | null {
    return this.found === null ? null : JSON.stringify(this.found);
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** Strings up to this many UTF-16 units are copied in a loop; longer ones through the native encoder. */
const LOOP_MAX = 64;

/** A buffer grown past this for one value is given back once that value is taken. */
const KEPT_CAPACITY = 1 << 20;

/**
 * A growable buffer of UTF-8 that the renderers below write JSON into. An ingest worker's text
 * columns are such buffers (ingest-staged.ts), so a span's JSON goes straight into the bytes the
 * engine thread hands DuckDB: building it as a string cost the worker a concatenation per value,
 * then flattening and encoding the result (~40% of its time a span, with the row objects). The
 * string renderers (keyValuesToJson and the rest) write here and decode, so the JSON's rules are
 * written once.
 */
export class JsonBytes {
  bytes: Uint8Array;
  at = 0;
  /** Whether a byte at or above 0x80 may have been written since the last `reset`. */
  wide = false;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
  }

  reset(): void {
    this.at = 0;
    this.wide = false;
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    next.set(this.bytes.subarray(0, this.at));
    this.bytes = next;
  }

  /** ASCII text that needs no JSON escaping (numbers, literals, ISO times, hex ids). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.bytes;
    let at = this.at;
    for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Any text as UTF-8, unquoted (a lone surrogate becomes U+FFFD, as TextEncoder makes it). */
  text(s: string): void {
    const n = s.length;
    if (n <= LOOP_MAX) {
      this.room(n);
      const b = this.bytes;
      let at = this.at;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at++] = c;
      }
      if (i === n) {
        this.at = at;
        return;
      }
    }
    // Room for ASCII first; text that needs more (up to 3 bytes a UTF-16 unit) gets it for the rest.
    this.room(n);
    const { read, written } = ENCODER.encodeInto(s, this.bytes.subarray(this.at));
    this.at += written;
    if (read < n) {
      this.room((n - read) * 3);
      this.at += ENCODER.encodeInto(s.substring(read), this.bytes.subarray(this.at)).written;
    }
    this.wide = true;
  }

  /** A JSON string literal, exactly as JSON.stringify writes it. */
  quoted(s: string): void {
    const n = s.length;
    if (n <= LOOP_MAX) {
      this.room(n + 2);
      const b = this.bytes;
      let at = this.at;
      b[at++] = 0x22;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) break;
        b[at++] = c;
      }
      if (i === n) {
        b[at++] = 0x22;
        this.at = at;
        return;
      }
    }
    // Escapes, non-ASCII text, long text: the native serializer (which also escapes lone surrogates).
    this.text(JSON.stringify(s));
  }

  private view: { bytes: Uint8Array; buffer: Buffer } | null = null;

  /** The bytes from `start` on, all ASCII, as a string (Buffer's native slice: no copy). */
  private latin1(start: number): string {
    if (this.view?.bytes !== this.bytes) this.view = { bytes: this.bytes, buffer: Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length) };
    return this.view.buffer.toString('latin1', start, this.at);
  }

  /** One member of an object, `"key":value` (after a comma unless `first`); `path` is the object's. */
  private member(key: string, value: AnyValue, first: boolean, types?: ValueTypes, path = '$'): void {
    this.key(key, !first);
    // The path is built only for the values that can need it (containers, bytes, doubles).
    this.anyValue(value, types, types !== undefined && needsPath(value) ? `${path}.${quoteKey(key)}` : path);
  }

  /** An object's key with its colon (and the comma before it, after the first): copied from the bytes kept for it. */
  private key(key: string, comma: boolean): void {
    let bytes = keyBytes.get(key);
    if (bytes === undefined) {
      const text = `,${JSON.stringify(key)}:`;
      bytes = ENCODER.encode(text);
      // Only ASCII keys of a usual length are kept (the rest are written as they come).
      if (bytes.length !== text.length || bytes.length > LOOP_MAX) {
        if (comma) this.ascii(',');
        this.quoted(key);
        this.ascii(':');
        return;
      }
      if (keyBytes.size >= MAX_QUOTED_KEYS) keyBytes.clear();
      keyBytes.set(key, bytes);
    }
    const n = bytes.length;
    this.room(n);
    const b = this.bytes;
    let at = this.at;
    for (let i = comma ? 0 : 1; i < n; i++) b[at++] = bytes[i]!;
    this.at = at;
  }

  /** The bytes from `start` on as a string, and the buffer back to `start`. */
  takeString(start: number): string {
    const slice = this.bytes.subarray(start, this.at);
    const text = this.wide ? DECODER.decode(slice) : this.latin1(start);
    this.at = start;
    if (start === 0) {
      this.wide = false;
      // One huge value must not keep its room for good.
      if (this.bytes.length > KEPT_CAPACITY) this.bytes = new Uint8Array(KEPT_CAPACITY);
    }
    return text;
  }

  /** `path` (a DuckDB JSON path such as $."a"[0]) is only used when `types` is given. */
  anyValue(value: AnyValue, types?: ValueTypes, path = '$'): void {
    switch (typeof value) {
      case 'string':
        this.quoted(value);
        return;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return;
      case 'bigint':
        this.ascii(int64Text(value));
        return;
      case 'number':
        if (types && !Number.isFinite(value)) types.record(path, 'double');
        this.ascii(doubleToJson(value));
        return;
      default:
        if (value === null) this.ascii('null');
        else if (value instanceof Uint8Array) {
          types?.record(path, 'bytes');
          this.ascii(`"${bytesToBase64(value)}"`);
        } else if (value instanceof KeyValueList) this.keyValues(value.entries, types, path);
        else {
          this.ascii('[');
          for (let i = 0; i < value.length; i++) {
            if (i > 0) this.ascii(',');
            const v = value[i]!;
            this.anyValue(v, types, types !== undefined && needsPath(v) ? `${path}[${i}]` : path);
          }
          this.ascii(']');
        }
    }
  }

  /** A JSON object of the attributes; a repeated key keeps its last value, as OTLP maps do. */
  keyValues(attributes: readonly KeyValue[], types?: ValueTypes, path = '$'): void {
    if (attributes.length === 0) {
      this.ascii('{}');
      return;
    }
    // Nearly every list has distinct keys: render in one pass. Otherwise keep each key's last
    // value at the position of that last occurrence (a Map re-inserted on repeats).
    let entries: readonly KeyValue[] = attributes;
    if (hasRepeatedKey(attributes)) {
      const last = new Map<string, AnyValue>();
      for (const [key, value] of attributes) {
        last.delete(key);
        last.set(key, value);
      }
      entries = [...last];
    }
    this.ascii('{');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      this.member(entry[0], entry[1], i === 0, types, path);
    }
    this.ascii('}');
  }

  events(events: readonly DecodedEvent[], types?: ValueTypes): void {
    if (events.length === 0) {
      this.ascii('[]');
      return;
    }
    this.ascii('[');
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      this.ascii(i === 0 ? '{"time":"' : ',{"time":"');
      const ns = int64Text(e.timeUnixNano);
      this.ascii(nanosToIso(e.timeUnixNano, ns));
      this.ascii('","time_unix_nano":');
      this.ascii(ns);
      this.ascii(',"name":');
      this.quoted(e.name);
      this.ascii(',"attributes":');
      this.keyValues(e.attributes, types, `$[${i}].attributes`);
      if (e.droppedAttributesCount) this.ascii(`,"dropped_attributes_count":${e.droppedAttributesCount}`);
      this.ascii('}');
    }
    this.ascii(']');
  }

  links(links: readonly DecodedLink[], types?: ValueTypes): void {
    if (links.length === 0) {
      this.ascii('[]');
      return;
    }
    this.ascii('[');
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      this.ascii(i === 0 ? '{"trace_id":' : ',{"trace_id":');
      this.quoted(l.traceId);
      this.ascii(',"span_id":');
      this.quoted(l.spanId);
      this.ascii(',"trace_state":');
      this.quoted(l.traceState);
      this.ascii(',"attributes":');
      this.keyValues(l.attributes, types, `$[${i}].attributes`);
      this.ascii(`,"flags":${l.flags}`);
      if (l.droppedAttributesCount) this.ascii(`,"dropped_attributes_count":${l.droppedAttributesCount}`);
      this.ascii('}');
    }
    this.ascii(']');
  }
}

/** Values whose rendering may record their path (containers, bytes, doubles). */
const needsPath = (value: AnyValue): boolean => value !== null && (typeof value === 'object' || typeof value === 'number');

/** The buffer the string renderers write into (they run to the end synchronously, so one will do). */
const scratch = new JsonBytes();

/** Renders through `scratch` and returns the text (nested calls each take their own part). */
function render(write: (out: JsonBytes) => void): string {
  const start = scratch.at;
  try {
    write(scratch);
  } catch (error) {
    scratch.at = start; // what a failed rendering wrote is not kept for the next
    throw error;
  }
  return scratch.takeString(start);
}

/** `path` (a DuckDB JSON path such as $."a"[0]) is only used when `types` is given. */
export function anyValueToJson(value: AnyValue, types?: ValueTypes, path = '$'): string {
  return render((out) => out.anyValue(value, types, path));
}

/**
 * JSON.stringify of attribute keys, remembered, for the value paths: keys repeat on every span
 * (the same ~10-50 per instrumentation). Bounded, since keys are free text: a flood of distinct
 * keys empties it.
 */
const quotedKeys = new Map<string, string>();
/** The same as `,"key":` in UTF-8, for JsonBytes.key. */
const keyBytes = new Map<string, Uint8Array>();
const MAX_QUOTED_KEYS = 8192;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size >= MAX_QUOTED_KEYS) quotedKeys.clear();
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Whether a key appears twice; attribute lists are short, so pairs are compared up to 16 keys. */
function hasRepeatedKey(attributes: readonly KeyValue[]): boolean {
  const n = attributes.length;
  if (n > 16) return new Set(attributes.map(([key]) => key)).size !== n;
  for (let i = 1; i < n; i++) {
    const key = attributes[i]![0];
    for (let j = 0; j < i; j++) if (attributes[j]![0] === key) return true;
  }
  return false;
}

/** A JSON object of the attributes; a repeated key keeps its last value, as OTLP maps do. */
export function keyValuesToJson(attributes: readonly KeyValue[], types?: ValueTypes, path = '$'): string {
  return render((out) => out.keyValues(attributes, types, path));
}

/** The ISO text of the last whole second asked for: event times of one batch share seconds. */
let lastIsoSecond = NaN;
let lastIsoPrefix = '';

/** YYYY-MM-DDTHH:MM:SS of whole seconds since the epoch (the last one remembered). */
function isoPrefix(seconds: number): string {
  if (seconds !== lastIsoSecond) {
    lastIsoPrefix = new Date(seconds * 1000).toISOString().slice(0, 19);
    lastIsoSecond = seconds;
  }
  return lastIsoPrefix;
}

/** ISO 8601 UTC with all nine fractional digits, from nanoseconds since the epoch. */
export function nanosToIso(ns: bigint, decimal?: string): string {
  // From the decimal text when there is one (a time after 1970-01-01T00:00:01): no BigInt division.
  if (decimal !== undefined && decimal.length > 9 && decimal.charCodeAt(0) !== 0x2d) {
    return `${isoPrefix(Number(decimal.slice(0, -9)))}.${decimal.slice(-9)}Z`;
  }
  let seconds = ns / 1_000_000_000n;
  let frac = ns - seconds * 1_000_000_000n;
  if (frac < 0n) {
    seconds -= 1n;
    frac += 1_000_000_000n;
  }
  return `${isoPrefix(Number(seconds))}.${frac.toString().padStart(9, '0')}Z`;
}

export function eventsToJson(events: readonly DecodedEvent[], types?: ValueTypes): string {
  return render((out) => out.events(events, types));
}

export function linksToJson(links: readonly DecodedLink[], types?: ValueTypes): string {
  return render((out) => out.links(links, types));
}

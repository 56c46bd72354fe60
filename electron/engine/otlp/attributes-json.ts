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
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
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

/** `path` (a DuckDB JSON path such as $."a"[0]) is only used when `types` is given. */
export function anyValueToJson(value: AnyValue, types?: ValueTypes, path = '$'): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (types && !Number.isFinite(value)) types.record(path, 'double');
      return doubleToJson(value);
    default:
      if (value === null) return 'null';
      if (value instanceof Uint8Array) {
        types?.record(path, 'bytes');
        return JSON.stringify(bytesToBase64(value));
      }
      if (value instanceof KeyValueList) return keyValuesToJson(value.entries, types, path);
      if (!types) return `[${value.map((v) => anyValueToJson(v)).join(',')}]`;
      return `[${value.map((v, i) => anyValueToJson(v, types, `${path}[${i}]`)).join(',')}]`;
  }
}

/**
 * JSON.stringify of attribute keys, remembered: keys repeat on every span (the same ~10-50 per
 * instrumentation), and quoting them again was a fifth of rendering a span's attributes.
 * Bounded, since keys are free text: a flood of distinct keys empties it.
 */
const quotedKeys = new Map<string, string>();
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
  if (attributes.length === 0) return '{}';
  // Nearly every list has distinct keys: render in one pass. Otherwise keep each key's last
  // value at the position of that last occurrence (a Map re-inserted on repeats).
  let entries: Iterable<KeyValue> = attributes;
  if (hasRepeatedKey(attributes)) {
    const last = new Map<string, AnyValue>();
    for (const [key, value] of attributes) {
      last.delete(key);
      last.set(key, value);
    }
    entries = last;
  }
  let out = '{';
  for (const [key, value] of entries) {
    const quoted = quoteKey(key);
    // The path is built only for the values that can need it (containers, bytes, doubles).
    const needsPath = types !== undefined && value !== null && (typeof value === 'object' || typeof value === 'number');
    out += `${out.length === 1 ? '' : ','}${quoted}:${anyValueToJson(value, types, needsPath ? `${path}.${quoted}` : path)}`;
  }
  return `${out}}`;
}

/** The ISO text of the last whole second asked for: event times of one batch share seconds. */
let lastIsoSecond = NaN;
let lastIsoPrefix = '';

/** ISO 8601 UTC with all nine fractional digits, from nanoseconds since the epoch. */
export function nanosToIso(ns: bigint): string {
  let seconds = ns / 1_000_000_000n;
  let frac = ns - seconds * 1_000_000_000n;
  if (frac < 0n) {
    seconds -= 1n;
    frac += 1_000_000_000n;
  }
  const s = Number(seconds);
  if (s !== lastIsoSecond) {
    lastIsoPrefix = new Date(s * 1000).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
    lastIsoSecond = s;
  }
  return `${lastIsoPrefix}.${frac.toString().padStart(9, '0')}Z`;
}

export function eventsToJson(events: readonly DecodedEvent[], types?: ValueTypes): string {
  if (events.length === 0) return '[]';
  return `[${events
    .map(
      (e, i) =>
        `{"time":"${nanosToIso(e.timeUnixNano)}","time_unix_nano":${e.timeUnixNano},"name":${JSON.stringify(e.name)},` +
        `"attributes":${keyValuesToJson(e.attributes, types, `$[${i}].attributes`)}` +
        `${e.droppedAttributesCount ? `,"dropped_attributes_count":${e.droppedAttributesCount}` : ''}}`,
    )
    .join(',')}]`;
}

export function linksToJson(links: readonly DecodedLink[], types?: ValueTypes): string {
  if (links.length === 0) return '[]';
  return `[${links
    .map(
      (l, i) =>
        `{"trace_id":${JSON.stringify(l.traceId)},"span_id":${JSON.stringify(l.spanId)},` +
        `"trace_state":${JSON.stringify(l.traceState)},"attributes":${keyValuesToJson(l.attributes, types, `$[${i}].attributes`)},"flags":${l.flags}` +
        `${l.droppedAttributesCount ? `,"dropped_attributes_count":${l.droppedAttributesCount}` : ''}}`,
    )
    .join(',')}]`;
}

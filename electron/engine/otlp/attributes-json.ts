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

/** A JSON object of the attributes; a repeated key keeps its last value, as OTLP maps do. */
export function keyValuesToJson(attributes: readonly KeyValue[], types?: ValueTypes, path = '$'): string {
  if (attributes.length === 0) return '{}';
  const seen = new Map<string, string>();
  for (const [key, value] of attributes) {
    if (seen.has(key)) seen.delete(key);
    // The path is built only for the values that can need it (containers, bytes, doubles).
    const needsPath = types !== undefined && value !== null && (typeof value === 'object' || typeof value === 'number');
    seen.set(key, anyValueToJson(value, types, needsPath ? `${path}.${JSON.stringify(key)}` : path));
  }
  let out = '{';
  let first = true;
  for (const [key, json] of seen) {
    out += `${first ? '' : ','}${JSON.stringify(key)}:${json}`;
    first = false;
  }
  return `${out}}`;
}

/** ISO 8601 UTC with all nine fractional digits, from nanoseconds since the epoch. */
export function nanosToIso(ns: bigint): string {
  const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n);
  const frac = ns - ms * 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, -1)}${frac.toString().padStart(6, '0')}Z`;
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

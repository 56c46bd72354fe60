// Full fidelity: a span sent over OTLP/HTTP JSON with every AnyValue type (int64 at both ends
// of its range and beyond 2^53, doubles incl. NaN and ±Infinity, bytes, nested arrays and
// kvlists, empty values), events, links, trace_state, flags, dropped counts, resource and scope
// attributes and schema URLs is read back through the `spans` view and rebuilt: it equals what
// the decoder made of the request. The JSON columns plus `value_types` are lossless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceRequestJson } from '../../electron/engine/otlp/decode-json';
import { KeyValueList, type AnyValue, type KeyValue } from '../../electron/engine/otlp/types';
import { startRuntime, type Runtime } from '../../electron/server/runtime';
import { tempDir } from '../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;
beforeAll(async () => {
  dir = tempDir();
  runtime = await startRuntime({ dataDir: dir.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
  dir.remove();
});

// ---- a JSON reader that keeps the stored number kinds: integers → bigint, others → number ----
type Json = string | number | bigint | boolean | null | Json[] | { [key: string]: Json };
function parseStoredJson(text: string): Json {
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (): Json => {
    ws();
    const c = text[i]!;
    if (c === '{') {
      i++;
      const out: { [key: string]: Json } = {};
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // :
        out[key] = value();
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: Json[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i))!;
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:true|false|null|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/.exec(text.slice(i))!;
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return /[.eE]/.test(m[0]) ? Number(m[0]) : BigInt(m[0]);
  };
  return value();
}

type Types = Record<string, string>;

/** Stored JSON + value_types → the OTLP AnyValue it came from. */
function toAnyValue(v: Json, types: Types, path: string): AnyValue {
  const type = types[path];
  if (type === 'bytes') return Uint8Array.from(Buffer.from(v as string, 'base64'));
  if (type === 'double') return Number(v);
  if (Array.isArray(v)) return v.map((x, k) => toAnyValue(x, types, `${path}[${k}]`));
  if (v !== null && typeof v === 'object') return new KeyValueList(toKeyValues(v, types, path));
  return v as AnyValue;
}
function toKeyValues(o: Json, types: Types, path = '$'): KeyValue[] {
  return Object.entries(o as Record<string, Json>).map(([k, v]) => [k, toAnyValue(v, types, `${path}.${JSON.stringify(k)}`)]);
}

const kv = (key: string, value: object) => ({ key, value });
const everyType = [
  kv('s', { stringValue: 'text with "quotes" and ünïcode 😀' }),
  kv('s.empty', { stringValue: '' }),
  kv('b', { boolValue: false }),
  kv('i.max', { intValue: '9223372036854775807' }),
  kv('i.min', { intValue: '-9223372036854775808' }),
  kv('i.big', { intValue: '9007199254740993' }),
  kv('i.small', { intValue: 42 }),
  kv('d', { doubleValue: 1.5 }),
  kv('d.whole', { doubleValue: 2 }),
  kv('d.nan', { doubleValue: 'NaN' }),
  kv('d.inf', { doubleValue: 'Infinity' }),
  kv('d.ninf', { doubleValue: '-Infinity' }),
  kv('s.looks.like.nan', { stringValue: 'NaN' }),
  kv('bytes', { bytesValue: 'AAEC/w==' }),
  kv('s.looks.like.base64', { stringValue: 'AAEC/w==' }),
  kv('empty', {}),
  kv('arr', { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 1 }, { stringValue: 'x' }, { bytesValue: '3q2+7w==' }, {}, { arrayValue: { values: [{ boolValue: true }] } }] } }),
  kv('map', { kvlistValue: { values: [kv('inner', { kvlistValue: { values: [kv('deep', { bytesValue: 'AQ==' }), kv('n', { intValue: '-1' })] } }), kv('list', { arrayValue: { values: [] } })] } }),
];

const TRACE = '5b8efff798038103d269b633813fc60c';
const request = {
  resourceSpans: [
    {
      resource: { attributes: [kv('service.name', { stringValue: 'fidelity' }), kv('r.bytes', { bytesValue: 'AAA=' })], droppedAttributesCount: 3 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [
        {
          scope: { name: 'scope-x', version: '9.9', attributes: [kv('scope.attr', { intValue: '7' })], droppedAttributesCount: 1 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
          spans: [
            {
              traceId: TRACE,
              spanId: 'eee19b7ec3c1b174',
              parentSpanId: 'eee19b7ec3c1b173',
              traceState: 'vendor=a:b,other=c',
              flags: 769,
              name: 'everything',
              kind: 3,
              startTimeUnixNano: '1795392000123456789',
              endTimeUnixNano: '1795392001987654321',
              attributes: everyType,
              droppedAttributesCount: 5,
              events: [
                { timeUnixNano: '1795392000500000001', name: 'e1', attributes: everyType.slice(10, 17), droppedAttributesCount: 2 },
                { timeUnixNano: '1795392000600000002', name: 'e2' },
              ],
              droppedEventsCount: 6,
              links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'k=v', attributes: everyType.slice(12, 15), droppedAttributesCount: 4, flags: 257 }],
              droppedLinksCount: 7,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
};

describe('OTLP round trip through the spans view', () => {
  it('gives back every field of the span exactly', async () => {
    const body = JSON.stringify(request);
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(response.status).toBe(200);
    const expected = decodeTraceRequestJson(body).resourceSpans[0]!;
    const span = expected.scopeSpans[0]!.spans[0]!;

    const r = await runtime.engine.query(
      `SELECT trace_id, span_id, parent_span_id, trace_state, flags, name, kind, epoch_ns(start_time)::VARCHAR AS s,
              epoch_ns(end_time)::VARCHAR AS e, status_code, status_message, service_name, scope_name, scope_version,
              attributes::VARCHAR AS a, resource_attributes::VARCHAR AS ra, scope_attributes::VARCHAR AS sa,
              events::VARCHAR AS ev, links::VARCHAR AS li, value_types::VARCHAR AS vt,
              dropped_attributes_count AS da, dropped_events_count AS de, dropped_links_count AS dl,
              resource_schema_url AS rsu, scope_schema_url AS ssu
       FROM spans WHERE trace_id = '${TRACE}'`,
    );
    expect(r.rows).toHaveLength(1);
    const row = Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0]![i]])) as Record<string, string | number | null>;
    expect(row).toMatchObject({
      trace_id: TRACE,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      trace_state: span.traceState,
      flags: span.flags,
      name: span.name,
      kind: 'client',
      s: span.startTimeUnixNano.toString(),
      e: span.endTimeUnixNano.toString(),
      status_code: 'error',
      status_message: 'boom',
      service_name: 'fidelity',
      scope_name: 'scope-x',
      scope_version: '9.9',
      da: 5,
      de: 6,
      dl: 7,
      rsu: expected.schemaUrl,
      ssu: expected.scopeSpans[0]!.schemaUrl,
    });
    const allTypes = JSON.parse(String(row.vt)) as Record<string, Types>;
    expect(toKeyValues(parseStoredJson(String(row.a)), allTypes.attributes ?? {})).toEqual(span.attributes);
    expect(toKeyValues(parseStoredJson(String(row.ra)), allTypes.resource_attributes ?? {})).toEqual(expected.resource.attributes);
    expect(toKeyValues(parseStoredJson(String(row.sa)), allTypes.scope_attributes ?? {})).toEqual(expected.scopeSpans[0]!.scope.attributes);

    const events = parseStoredJson(String(row.ev)) as { [k: string]: Json }[];
    expect(
      events.map((e, i) => ({
        timeUnixNano: e.time_unix_nano,
        name: e.name,
        attributes: toKeyValues(e.attributes!, allTypes.events ?? {}, `$[${i}].attributes`),
        droppedAttributesCount: Number(e.dropped_attributes_count ?? 0n),
      })),
    ).toEqual(span.events);
    const links = parseStoredJson(String(row.li)) as { [k: string]: Json }[];
    expect(
      links.map((l, i) => ({
        traceId: l.trace_id,
        spanId: l.span_id,
        traceState: l.trace_state,
        attributes: toKeyValues(l.attributes!, allTypes.links ?? {}, `$[${i}].attributes`),
        droppedAttributesCount: Number(l.dropped_attributes_count ?? 0n),
        flags: Number(l.flags),
      })),
    ).toEqual(span.links);
  });

  it('leaves value_types NULL for a span whose JSON says every type', async () => {
    const plain = structuredClone(request);
    const s = plain.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    s.spanId = '1111111111111111';
    s.attributes = everyType.filter((a) => !/bytes|nan|inf|^arr|^map/.test(a.key));
    s.events = [];
    s.links = [];
    plain.resourceSpans[0]!.resource.attributes = [kv('service.name', { stringValue: 'fidelity' })];
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(plain) });
    expect(response.status).toBe(200);
    const r = await runtime.engine.query(`SELECT value_types FROM spans WHERE span_id = '1111111111111111'`);
    expect(r.rows).toEqual([[null]]);
  });
});

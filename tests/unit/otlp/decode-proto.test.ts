import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequestProto } from '../../../electron/engine/otlp/decode-proto';
import { MAX_DEPTH } from '../../../electron/engine/otlp/protobuf';
import { KeyValueList, OtlpDecodeError, type AnyValue, type DecodedSpan, type DecodedTraceRequest, type KeyValue } from '../../../electron/engine/otlp/types';

const FIXTURES = join(import.meta.dirname, '../../fixtures/otlp');
const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));

const allSpans = (req: DecodedTraceRequest): DecodedSpan[] => req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
const attr = (attributes: KeyValue[], key: string): AnyValue | undefined => attributes.find(([k]) => k === key)?.[1];

function groupByTrace(spans: DecodedSpan[]): Map<string, DecodedSpan[]> {
  const traces = new Map<string, DecodedSpan[]>();
  for (const s of spans) traces.set(s.traceId, [...(traces.get(s.traceId) ?? []), s]);
  return traces;
}

/** Checks what every fixture trace has: one root answer_question span, 4 spans, parents inside the trace. */
function expectAgentTraces(spans: DecodedSpan[], traceCount: number, llmName: string): void {
  const traces = groupByTrace(spans);
  expect(traces.size).toBe(traceCount);
  for (const [traceId, trace] of traces) {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace).toHaveLength(4);
    const roots = trace.filter((s) => s.parentSpanId === '');
    expect(roots.map((s) => s.name)).toEqual(['answer_question']);
    const ids = new Set(trace.map((s) => s.spanId));
    expect(ids.size).toBe(4);
    for (const s of trace) {
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      if (s !== roots[0]) {
        expect(s.parentSpanId).toBe(roots[0]!.spanId);
        expect(ids.has(s.parentSpanId)).toBe(true);
      }
      expect(typeof s.startTimeUnixNano).toBe('bigint');
      expect(s.endTimeUnixNano).toBeGreaterThanOrEqual(s.startTimeUnixNano);
      // 2026-11, in nanoseconds: the fixtures' clock.
      expect(s.startTimeUnixNano).toBeGreaterThan(1_790_000_000_000_000_000n);
      expect(s.startTimeUnixNano).toBeLessThan(1_800_000_000_000_000_000n);
      expect(s.flags & 0xff).toBe(TraceFlags.SAMPLED);
    }
    expect(trace.map((s) => s.name).sort()).toEqual(['answer_question', llmName, llmName, 'run_sql'].sort());
    // The root encloses its children.
    for (const s of trace) expect(s.startTimeUnixNano).toBeGreaterThanOrEqual(roots[0]!.startTimeUnixNano);
  }
}

describe('decodeTraceRequestProto: captured fixtures', () => {
  it('decodes the official GenAI instrumentation request: 3 traces of 4 spans', () => {
    const req = decodeTraceRequestProto(fixture('genai-official-openai.pb'));
    expect(req.resourceSpans).toHaveLength(1);
    const rs = req.resourceSpans[0]!;
    expect(attr(rs.resource.attributes, 'service.name')).toBe('sql-agent-otel');
    expect(attr(rs.resource.attributes, 'service.version')).toBe('0.3.0');
    expect(rs.scopeSpans.map((ss) => [ss.scope.name, ss.spans.length])).toEqual([
      ['@opentelemetry/instrumentation-openai', 6],
      ['sql-agent', 6],
    ]);
    expect(rs.scopeSpans[0]!.scope.version).toBe('0.21.0');

    const spans = allSpans(req);
    expect(spans).toHaveLength(12);
    expectAgentTraces(spans, 3, 'chat gpt-4o-mini');

    const llm = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(llm).toHaveLength(6);
    for (const s of llm) {
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
      expect(attr(s.attributes, 'gen_ai.usage.input_tokens')).toBe(57n);
      expect(attr(s.attributes, 'gen_ai.usage.output_tokens')).toBe(17n);
      expect(typeof attr(s.attributes, 'gen_ai.request.model')).toBe('string');
    }
    const root = spans.find((s) => s.name === 'answer_question')!;
    expect(root.kind).toBe(1); // SPAN_KIND_INTERNAL
    expect(typeof attr(root.attributes, 'session.id')).toBe('string');
    expect(typeof attr(root.attributes, 'input.value')).toBe('string');
  });

  it('decodes the OpenInference request: 3 traces of 4 spans', () => {
    const req = decodeTraceRequestProto(fixture('openinference-openai.pb'));
    const rs = req.resourceSpans[0]!;
    expect(req.resourceSpans).toHaveLength(1);
    expect(attr(rs.resource.attributes, 'service.name')).toBe('sql-agent-openinference');
    expect(rs.scopeSpans[0]!.scope).toMatchObject({ name: '@arizeai/openinference-instrumentation-openai', version: '4.2.7' });

    const spans = allSpans(req);
    expect(spans).toHaveLength(12);
    expectAgentTraces(spans, 3, 'OpenAI Chat Completions');

    const llm = spans.filter((s) => s.name === 'OpenAI Chat Completions');
    for (const s of llm) expect(attr(s.attributes, 'openinference.span.kind')).toBe('LLM');
    // The first LLM call of each trace reports its token counts as int64.
    const counted = llm.filter((s) => attr(s.attributes, 'llm.token_count.prompt') !== undefined);
    expect(counted).toHaveLength(3);
    for (const s of counted) {
      expect(attr(s.attributes, 'llm.token_count.prompt')).toBe(57n);
      expect(attr(s.attributes, 'llm.token_count.completion')).toBe(17n);
      expect(attr(s.attributes, 'llm.token_count.total')).toBe(74n);
      expect(s.statusCode).toBe(1); // STATUS_CODE_OK
    }
  });

  it('gives plain Uint8Arrays for bytes and never aliases the body', () => {
    const body = Buffer.from(encodeRequest([{ key: 'b', value: { bytes: Uint8Array.of(1, 2, 3) } }]));
    const value = attr(allSpans(decodeTraceRequestProto(body))[0]!.attributes, 'b') as Uint8Array;
    expect(value.constructor).toBe(Uint8Array);
    expect([...value]).toEqual([1, 2, 3]);
    body.fill(0);
    expect([...value]).toEqual([1, 2, 3]);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trips through the OpenTelemetry JS SDK's own protobuf serializer.

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const OTHER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const ROOT_ID = 'eee19b7ec3c1b174';
const CHILD_ID = 'aaa19b7ec3c1b173';
const LINKED_ID = 'b7ad6b7169203331';
const T0 = 1_795_392_000_123_456_789n;
const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

/** Every AnyValue kind the JS serializer can write (it writes ints from JS numbers). */
const RICH_ATTRIBUTES = {
  'str': 'héllo ✓ 𝄞',
  'empty.str': '',
  'bool.t': true,
  'bool.f': false,
  'int': 42,
  'int.neg': -7,
  'int.zero': 0,
  'int.big': 2 ** 60, // beyond 2^53, exact in a double: the serializer sends it as int_value
  'int.min': -(2 ** 63),
  'double': 0.25,
  'double.neg': -1.5e300,
  'double.inf': Infinity,
  'double.nan': NaN,
  'bytes': Uint8Array.of(0, 1, 254, 255),
  'array.str': ['a', 'b'],
  'array.mixed': [1, 'two', true, 3.5],
  'array.empty': [],
  'kvlist': { name: 'n', nested: { deeper: [1, { x: 'y' }] }, flag: false },
} as unknown as Attributes;

function richSpans(): ReadableSpan[] {
  const resource = resourceFromAttributes({ 'service.name': 'roundtrip', 'host.cores': 8 }, { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
  const scope = { name: 'tracedeck.test', version: '9.9.9', schemaUrl: 'https://opentelemetry.io/schemas/1.29.0' };
  const traceState = new TraceState('vendor=abc,other=x-y');
  const root: ReadableSpan = {
    name: 'GET /rich',
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: TRACE_ID, spanId: ROOT_ID, traceFlags: TraceFlags.SAMPLED, traceState }),
    parentSpanContext: { traceId: TRACE_ID, spanId: 'f000000000000001', traceFlags: TraceFlags.SAMPLED, isRemote: true },
    startTime: hr(T0),
    endTime: hr(T0 + 5_000_000n),
    status: { code: SpanStatusCode.ERROR, message: 'boom: ✗' },
    attributes: RICH_ATTRIBUTES,
    links: [
      {
        context: { traceId: OTHER_TRACE_ID, spanId: LINKED_ID, traceFlags: TraceFlags.NONE, traceState: new TraceState('k=v'), isRemote: true },
        attributes: { 'link.reason': 'retry-of', 'link.n': 3 },
        droppedAttributesCount: 2,
      } as Link,
    ],
    events: [
      { name: 'exception', time: hr(T0 + 1_500n), attributes: { 'exception.message': 'bad', 'exception.count': 1, nested: [true, false] } as Attributes, droppedAttributesCount: 1 },
      { name: 'empty-event', time: hr(T0 + 2_000n) },
    ],
    duration: hr(5_000_000n),
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 3,
    droppedEventsCount: 4,
    droppedLinksCount: 5,
  };
  const child: ReadableSpan = {
    ...root,
    name: 'SELECT',
    kind: SpanKind.CLIENT,
    spanContext: () => ({ traceId: TRACE_ID, spanId: CHILD_ID, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: { traceId: TRACE_ID, spanId: ROOT_ID, traceFlags: TraceFlags.SAMPLED, isRemote: false },
    startTime: hr(T0 + 1_000_001n),
    endTime: hr(T0 + 2_000_000n),
    status: { code: SpanStatusCode.OK },
    attributes: { 'db.system': 'duckdb' },
    links: [],
    events: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  return [root, child];
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** What the decoder must give back for RICH_ATTRIBUTES. */
const EXPECTED_RICH: KeyValue[] = [
  ['str', 'héllo ✓ 𝄞'],
  ['empty.str', ''],
  ['bool.t', true],
  ['bool.f', false],
  ['int', 42n],
  ['int.neg', -7n],
  ['int.zero', 0n],
  ['int.big', 1152921504606846976n],
  ['int.min', -9223372036854775808n],
  ['double', 0.25],
  ['double.neg', -1.5e300],
  ['double.inf', Infinity],
  ['double.nan', NaN],
  ['bytes', bytes(0, 1, 254, 255)],
  ['array.str', ['a', 'b']],
  ['array.mixed', [1n, 'two', true, 3.5]],
  ['array.empty', []],
  ['kvlist', new KeyValueList([['name', 'n'], ['nested', new KeyValueList([['deeper', [1n, new KeyValueList([['x', 'y']])]]])], ['flag', false]])],
];

describe('decodeTraceRequestProto: round trip through @opentelemetry/otlp-transformer', () => {
  it('gives back every field and every AnyValue type the SDK serializer writes', () => {
    const req = decodeTraceRequestProto(ProtobufTraceSerializer.serializeRequest(richSpans())!);
    expect(req.resourceSpans).toHaveLength(1);
    const rs = req.resourceSpans[0]!;
    expect(rs.resource).toEqual({ attributes: [['service.name', 'roundtrip'], ['host.cores', 8n]], droppedAttributesCount: 0 });
    expect(rs.schemaUrl).toBe('https://opentelemetry.io/schemas/1.30.0');
    expect(rs.scopeSpans).toHaveLength(1);
    const ss = rs.scopeSpans[0]!;
    expect(ss.scope).toEqual({ name: 'tracedeck.test', version: '9.9.9', attributes: [], droppedAttributesCount: 0 });
    expect(ss.schemaUrl).toBe('https://opentelemetry.io/schemas/1.29.0');
    expect(ss.spans).toHaveLength(2);
    const [root, child] = ss.spans as [DecodedSpan, DecodedSpan];

    expect(root).toEqual({
      traceId: TRACE_ID,
      spanId: ROOT_ID,
      parentSpanId: 'f000000000000001',
      traceState: 'vendor=abc,other=x-y',
      flags: 0x301, // sampled | HAS_IS_REMOTE | IS_REMOTE
      name: 'GET /rich',
      kind: 2,
      startTimeUnixNano: T0,
      endTimeUnixNano: T0 + 5_000_000n,
      attributes: EXPECTED_RICH,
      droppedAttributesCount: 3,
      events: [
        { timeUnixNano: T0 + 1_500n, name: 'exception', attributes: [['exception.message', 'bad'], ['exception.count', 1n], ['nested', [true, false]]], droppedAttributesCount: 1 },
        { timeUnixNano: T0 + 2_000n, name: 'empty-event', attributes: [], droppedAttributesCount: 0 },
      ],
      droppedEventsCount: 4,
      links: [
        { traceId: OTHER_TRACE_ID, spanId: LINKED_ID, traceState: 'k=v', attributes: [['link.reason', 'retry-of'], ['link.n', 3n]], droppedAttributesCount: 2, flags: 0x300 },
      ],
      droppedLinksCount: 5,
      statusCode: 2,
      statusMessage: 'boom: ✗',
    } satisfies DecodedSpan);
    // toEqual already tells bigint from number and Uint8Array from Buffer; the types, spelled out:
    expect(typeof attr(root.attributes, 'int.big')).toBe('bigint');
    expect(Number.isNaN(attr(root.attributes, 'double.nan'))).toBe(true);
    expect(attr(root.attributes, 'bytes')).toBeInstanceOf(Uint8Array);
    expect(attr(root.attributes, 'kvlist')).toBeInstanceOf(KeyValueList);

    expect(child).toMatchObject({ spanId: CHILD_ID, parentSpanId: ROOT_ID, traceState: '', kind: 3, flags: 0x101, statusCode: 1, statusMessage: '' });
    expect(child.attributes).toEqual([['db.system', 'duckdb']]);
  });

  it('decodes spans recorded by a real BasicTracerProvider', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'live' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('live-tracer', '0.1.0');
    const root = tracer.startSpan('root', { kind: SpanKind.SERVER, startTime: hr(T0), attributes: { 'http.response.status_code': 200 } });
    const ctx = (await import('@opentelemetry/api')).trace.setSpan((await import('@opentelemetry/api')).context.active(), root);
    const child = tracer.startSpan('child', { startTime: hr(T0 + 10n) }, ctx);
    child.addEvent('tick', { n: 1 }, hr(T0 + 11n));
    child.end(hr(T0 + 20n));
    root.end(hr(T0 + 30n));
    await provider.forceFlush();
    const finished = exporter.getFinishedSpans();
    expect(finished).toHaveLength(2);

    const spans = allSpans(decodeTraceRequestProto(ProtobufTraceSerializer.serializeRequest(finished)!));
    const byName = new Map(spans.map((s) => [s.name, s]));
    const r = byName.get('root')!;
    const c = byName.get('child')!;
    expect(r.traceId).toBe(root.spanContext().traceId);
    expect(r.spanId).toBe(root.spanContext().spanId);
    expect(r.parentSpanId).toBe('');
    expect(c.parentSpanId).toBe(r.spanId);
    expect(c.traceId).toBe(r.traceId);
    expect([r.startTimeUnixNano, r.endTimeUnixNano, c.startTimeUnixNano, c.endTimeUnixNano]).toEqual([T0, T0 + 30n, T0 + 10n, T0 + 20n]);
    expect(c.events).toEqual([{ timeUnixNano: T0 + 11n, name: 'tick', attributes: [['n', 1n]], droppedAttributesCount: 0 }]);
    expect(attr(r.attributes, 'http.response.status_code')).toBe(200n);
    await provider.shutdown();
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-encoded requests: what the SDK serializer cannot write (any int64, unknown fields, groups,
// merges), and malformed bodies.

type Part = Uint8Array | number[];
const concat = (...parts: Part[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
function varint(value: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);
const vint = (field: number, value: bigint | number): number[] => [...tag(field, 0), ...varint(value)];
const len = (field: number, ...parts: Part[]): number[] => {
  const payload = concat(...parts);
  return [...tag(field, 2), ...varint(payload.length), ...payload];
};
const str = (field: number, s: string): number[] => len(field, new TextEncoder().encode(s));
const fixed64 = (field: number, value: bigint): number[] => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, value, true);
  return [...tag(field, 1), ...b];
};
const fixed32 = (field: number, value: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, true);
  return [...tag(field, 5), ...b];
};
const double = (field: number, value: number): number[] => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return [...tag(field, 1), ...b];
};
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

type V = { s: string } | { b: boolean } | { i: bigint } | { d: number } | { bytes: Uint8Array } | { arr: V[] } | { kv: KV[] } | Record<string, never>;
interface KV {
  key: string;
  value?: V;
}
function anyValue(v: V): number[] {
  if ('s' in v) return str(1, v.s);
  if ('b' in v) return vint(2, v.b ? 1 : 0);
  if ('i' in v) return vint(3, v.i);
  if ('d' in v) return double(4, v.d);
  if ('arr' in v) return len(5, ...v.arr.map((x) => len(1, anyValue(x))));
  if ('kv' in v) return len(6, ...v.kv.map((x) => len(1, keyValue(x))));
  if ('bytes' in v) return len(7, v.bytes);
  return [];
}
const keyValue = (kv: KV): number[] => [...str(1, kv.key), ...(kv.value ? len(2, anyValue(kv.value)) : [])];

function spanBody(attributes: KV[], extra: Part[] = []): number[] {
  return [
    ...len(1, hex(TRACE_ID)),
    ...len(2, hex(ROOT_ID)),
    ...str(5, 'hand-made'),
    ...fixed64(7, T0),
    ...fixed64(8, T0 + 1n),
    ...attributes.flatMap((a) => len(9, keyValue(a))),
    ...extra.flatMap((p) => [...p]),
  ];
}
function encodeRequest(attributes: KV[], extraSpanFields: Part[] = []): Uint8Array {
  return concat(len(1, len(1, len(1, keyValue({ key: 'service.name', value: { s: 'hand' } }))), len(2, len(2, spanBody(attributes, extraSpanFields)))));
}
const onlySpan = (body: Uint8Array): DecodedSpan => {
  const spans = allSpans(decodeTraceRequestProto(body));
  expect(spans).toHaveLength(1);
  return spans[0]!;
};

describe('decodeTraceRequestProto: hand-encoded requests', () => {
  it('reads int64 values exactly, across the whole range', () => {
    const values = [0n, 1n, -1n, 127n, 128n, 9007199254740991n, 9007199254740993n, -9007199254740993n, 2n ** 53n, -(2n ** 53n), 2n ** 62n + 12345n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 32n), 2n ** 32n - 1n];
    const span = onlySpan(encodeRequest(values.map((i, n) => ({ key: `k${n}`, value: { i } }))));
    expect(span.attributes).toEqual(values.map((i, n) => [`k${n}`, i]));
    for (const [, v] of span.attributes) expect(typeof v).toBe('bigint');
  });

  it('reads doubles bit-exactly, bools from any non-zero varint, and empty values as null', () => {
    const body = encodeRequest(
      [
        { key: 'd0', value: { d: -0 } },
        { key: 'd1', value: { d: 5e-324 } },
        { key: 'd2', value: { d: -Infinity } },
        { key: 'none', value: {} },
        { key: 'missing' },
      ],
      [len(9, str(1, 'bool.wide'), len(2, vint(2, 2n ** 40n)))],
    );
    const span = onlySpan(body);
    expect(Object.is(attr(span.attributes, 'd0'), -0)).toBe(true);
    expect(attr(span.attributes, 'd1')).toBe(5e-324);
    expect(attr(span.attributes, 'd2')).toBe(-Infinity);
    expect(attr(span.attributes, 'none')).toBeNull();
    expect(attr(span.attributes, 'missing')).toBeNull();
    expect(attr(span.attributes, 'bool.wide')).toBe(true);
  });

  it('reads every span field, including negative enums and uint32 counts sent as wide varints', () => {
    const body = encodeRequest([], [
      str(3, 'a=b'),
      len(4, hex('0102030405060708')),
      vint(6, -1), // an enum out of range stays as sent; ingest decides
      vint(10, 7),
      vint(12, 2n ** 32n + 9n), // uint32: the low 32 bits
      vint(14, 1),
      len(15, str(2, 'msg'), vint(3, 2)),
      fixed32(16, 0xffffffff),
      len(11, fixed64(1, 5n), str(2, 'ev'), vint(4, 6)),
      len(13, len(1, hex('ff'.repeat(16))), len(2, hex('ee'.repeat(8))), str(3, 'x=y'), len(4, keyValue({ key: 'l', value: { b: false } })), vint(5, 1), fixed32(6, 1)),
    ]);
    const span = onlySpan(body);
    expect(span).toMatchObject({
      traceState: 'a=b',
      parentSpanId: '0102030405060708',
      kind: -1,
      droppedAttributesCount: 7,
      droppedEventsCount: 9,
      droppedLinksCount: 1,
      statusCode: 2,
      statusMessage: 'msg',
      flags: 0xffffffff,
    });
    expect(span.events).toEqual([{ timeUnixNano: 5n, name: 'ev', attributes: [], droppedAttributesCount: 6 }]);
    expect(span.links).toEqual([{ traceId: 'ff'.repeat(16), spanId: 'ee'.repeat(8), traceState: 'x=y', attributes: [['l', false]], droppedAttributesCount: 1, flags: 1 }]);
  });

  it('gives ids of any length as lowercase hex, leaving validation to ingest', () => {
    const body = concat(len(1, len(2, len(2, len(1, hex('ABCDEF')), len(2, []), len(4, hex('00'.repeat(8)))))));
    const span = onlySpan(body);
    expect([span.traceId, span.spanId, span.parentSpanId]).toEqual(['abcdef', '', '0000000000000000']);
  });

  it('skips unknown fields of every wire type at every level, including groups', () => {
    const unknown: Part[] = [
      vint(99, 123456789012n),
      fixed64(98, 1n),
      len(97, [1, 2, 3]),
      fixed32(96, 7),
      [...tag(95, 3), ...vint(1, 1), ...tag(94, 3), ...str(2, 'in group'), ...tag(94, 4), ...tag(95, 4)],
      vint(1000, 1), // ResourceSpans' reserved deprecated field number
    ];
    const u = (): number[] => unknown.flatMap((p) => [...p]);
    const body = concat(
      u(),
      len(
        1,
        u(),
        len(1, u(), len(1, keyValue({ key: 'service.name', value: { s: 'svc' } }), vint(3, 5)), len(3, str(1, 'entity-ref'))), // Resource.entity_refs
        len(
          2,
          len(1, str(1, 'scope'), u()),
          len(2, spanBody([{ key: 'a', value: { kv: [{ key: 'b', value: { arr: [{ s: 'c' }] } }] } }], [u(), len(11, str(2, 'e'), u()), len(13, u()), len(15, u())])),
          u(),
        ),
      ),
    );
    const req = decodeTraceRequestProto(body);
    const rs = req.resourceSpans[0]!;
    expect(rs.resource.attributes).toEqual([['service.name', 'svc']]);
    expect(rs.scopeSpans[0]!.scope.name).toBe('scope');
    const span = rs.scopeSpans[0]!.spans[0]!;
    expect(span.name).toBe('hand-made');
    expect(span.attributes).toEqual([['a', new KeyValueList([['b', ['c']]])]]);
    expect(span.events.map((e) => e.name)).toEqual(['e']);
    expect(span.links).toHaveLength(1);
  });

  it('treats the profiles-only string_value_strindex as an empty value and ignores key_strindex', () => {
    const body = encodeRequest([], [len(9, str(1, 'k'), vint(3, 4), len(2, vint(8, 3)))]);
    expect(onlySpan(body).attributes).toEqual([['k', null]]);
  });

  it('merges a singular message field sent twice, as protobuf does', () => {
    const resource1 = len(1, len(1, keyValue({ key: 'a', value: { s: '1' } })));
    const resource2 = len(1, len(1, keyValue({ key: 'b', value: { s: '2' } })), vint(2, 4));
    const body = concat(len(1, resource1, resource2, len(2, len(2, spanBody([], [len(15, str(2, 'first')), len(15, vint(3, 1))]), str(5, 'renamed')))));
    const rs = decodeTraceRequestProto(body).resourceSpans[0]!;
    expect(rs.resource).toEqual({ attributes: [['a', '1'], ['b', '2']], droppedAttributesCount: 4 });
    const span = rs.scopeSpans[0]!.spans[0]!;
    expect([span.name, span.statusMessage, span.statusCode]).toEqual(['renamed', 'first', 1]);
  });

  it('reads many distinct and repeated short strings exactly (the intern cache never confuses them)', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `k${i}` : i % 3 === 1 ? `key.${(i * 7919) % 10007}.x` : `é${i}`));
    const attributes = keys.map((key, i) => ({ key, value: { s: keys[(i * 31) % keys.length]! } }));
    for (let round = 0; round < 2; round++) {
      const span = onlySpan(encodeRequest(attributes));
      expect(span.attributes).toEqual(keys.map((key, i) => [key, keys[(i * 31) % keys.length]]));
    }
    // 40 and 41 bytes, 128 and 129 bytes: either side of the cached and the JavaScript-checked sizes.
    const edge = [40, 41, 128, 129, 5000].map((n) => 'a'.repeat(n - 1) + 'z');
    expect(onlySpan(encodeRequest(edge.map((key) => ({ key, value: { s: key } })))).attributes).toEqual(edge.map((k) => [k, k]));
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeTraceRequestProto(new Uint8Array(0))).toEqual({ resourceSpans: [] });
  });
});

function expectDecodeError(body: Uint8Array, message?: RegExp): void {
  let thrown: unknown;
  try {
    decodeTraceRequestProto(body);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OtlpDecodeError);
  if (message) expect((thrown as Error).message).toMatch(message);
}

/** Decodes or throws OtlpDecodeError; anything else fails the test. */
function decodeOrDecodeError(body: Uint8Array): 'ok' | 'error' {
  try {
    decodeTraceRequestProto(body);
    return 'ok';
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return 'error';
  }
}

describe('decodeTraceRequestProto: malformed bodies throw OtlpDecodeError', () => {
  const valid = ProtobufTraceSerializer.serializeRequest(richSpans())!;

  it('every truncation of a request with one resource_spans throws', () => {
    for (let n = 1; n < valid.length; n++) expectDecodeError(valid.subarray(0, n));
  });

  it('truncated fixed64, fixed32, double and varint values throw', () => {
    const body = encodeRequest([{ key: 'd', value: { d: 1.5 } }]);
    const cases: Part[] = [
      [...tag(7, 1), 1, 2, 3], // fixed64 with 3 bytes
      [...tag(16, 5), 1, 2], // fixed32 with 2 bytes
      [...tag(6, 0), 0x80, 0x80], // varint without its last byte
      [...tag(99, 1), 1], // unknown i64
      [...tag(99, 5), 1], // unknown i32
    ];
    for (const c of cases) {
      // The bad field is the last of the span, the span's length covering exactly its bytes.
      expectDecodeError(concat(len(1, len(2, len(2, c)))), /truncated/);
    }
    expect(decodeOrDecodeError(body)).toBe('ok');
  });

  it('rejects invalid wire types, field number 0, and stray or unterminated groups', () => {
    expectDecodeError(concat([(1 << 3) | 6, 0]), /invalid wire type 6/);
    expectDecodeError(concat([(1 << 3) | 7, 0]), /invalid wire type 7/);
    expectDecodeError(concat(len(1, [(2 << 3) | 7])), /invalid wire type 7/);
    expectDecodeError(concat([0x00, 0x01]), /field number 0/);
    expectDecodeError(concat(tag(5, 4)), /end-group/);
    expectDecodeError(concat(tag(5, 3), vint(1, 1)), /unterminated group/);
    expectDecodeError(concat(tag(5, 3), tag(6, 4)), /end-group for field 6/);
  });

  it('rejects a known field with the wrong wire type', () => {
    expectDecodeError(concat(vint(1, 5)), /ExportTraceServiceRequest field 1 has the wrong wire type/);
    expectDecodeError(concat(len(1, len(2, len(2, vint(5, 1))))), /Span field 5/);
    expectDecodeError(concat(len(1, len(2, len(2, vint(7, 1))))), /Span field 7/);
    expectDecodeError(concat(len(1, len(2, len(2, fixed64(16, 1n))))), /Span field 16/);
    expectDecodeError(encodeRequest([], [len(9, str(1, 'k'), len(2, fixed32(3, 1)))]), /AnyValue field 3/);
  });

  it('rejects overlong and overflowing varints', () => {
    const eleven = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expectDecodeError(concat(tag(99, 0), eleven), /longer than 10 bytes/);
    expectDecodeError(concat(len(1, len(2, len(2, tag(6, 0), eleven)))), /longer than 10 bytes/);
    expectDecodeError(concat(tag(99, 0), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]), /overflows 64 bits/);
    // Ten bytes ending in 0x01 are fine (how int64 -1 is sent).
    expect(decodeOrDecodeError(concat(tag(99, 0), varint(-1n)))).toBe('ok');
    // A tag wider than 32 bits.
    expectDecodeError(concat([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /tag wider than 32 bits/);
  });

  it('rejects lengths beyond the end of the body or of the enclosing message', () => {
    expectDecodeError(concat(tag(1, 2), varint(10), [1, 2, 3]), /length 10 beyond the end/);
    expectDecodeError(concat(tag(1, 2), varint(2n ** 31n)), /beyond the end/);
    expectDecodeError(concat(tag(1, 2), varint(2n ** 40n)), /beyond the end/);
    // The inner length fits the body but not the resource_spans that holds it.
    expectDecodeError(concat(tag(1, 2), varint(2), tag(2, 2), varint(5), [0, 0, 0, 0, 0]), /beyond the end of the message/);
  });

  it('rejects invalid UTF-8 in string fields (proto3 strings are UTF-8)', () => {
    const badName = [...tag(5, 2), 2, 0xc3, 0x28];
    expectDecodeError(concat(len(1, len(2, len(2, badName)))), /not valid UTF-8/);
    const longBad = [...tag(5, 2), 40, ...new Array(39).fill(0x61), 0xff];
    expectDecodeError(concat(len(1, len(2, len(2, longBad)))), /not valid UTF-8/);
    // Bytes values may hold anything.
    expect(decodeOrDecodeError(encodeRequest([{ key: 'raw', value: { bytes: Uint8Array.of(0xc3, 0x28, 0xff) } }]))).toBe('ok');
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    let value: V = { s: 'leaf' };
    for (let i = 0; i < MAX_DEPTH + 10; i++) value = { arr: [value] };
    expectDecodeError(encodeRequest([{ key: 'deep', value }]), /nested deeper/);
    let group: number[] = [];
    for (let i = 0; i < MAX_DEPTH + 10; i++) group = [...tag(7, 3), ...group, ...tag(7, 4)];
    expectDecodeError(concat(group), /nested deeper/);
    // 20 levels are fine.
    value = { s: 'leaf' };
    for (let i = 0; i < 20; i++) value = { kv: [{ key: `l${i}`, value }] };
    expect(decodeOrDecodeError(encodeRequest([{ key: 'ok', value }]))).toBe('ok');
  });

  it('random bytes and mutated requests only ever throw OtlpDecodeError, and quickly', () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const started = Date.now();
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const body = new Uint8Array(1 + Math.floor(random() * 300));
      for (let j = 0; j < body.length; j++) body[j] = Math.floor(random() * 256);
      outcomes[decodeOrDecodeError(body)]++;
    }
    for (let i = 0; i < 5000; i++) {
      const body = Uint8Array.from(valid);
      const flips = 1 + Math.floor(random() * 4);
      for (let j = 0; j < flips; j++) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      outcomes[decodeOrDecodeError(body)]++;
    }
    expect(outcomes.error).toBeGreaterThan(0);
    expect(outcomes.ok + outcomes.error).toBe(8000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

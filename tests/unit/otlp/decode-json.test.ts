import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequestJson } from '../../../electron/engine/otlp/decode-json';
import { decodeTraceRequestProto } from '../../../electron/engine/otlp/decode-proto';
import { KeyValueList, OtlpDecodeError, type AnyValue, type DecodedSpan, type DecodedTraceRequest, type KeyValue } from '../../../electron/engine/otlp/types';

const FIXTURES = join(import.meta.dirname, '../../fixtures/otlp');

const allSpans = (req: DecodedTraceRequest): DecodedSpan[] => req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
const attr = (attributes: KeyValue[], key: string): AnyValue | undefined => attributes.find(([k]) => k === key)?.[1];

/** A request with one span holding `span` fields over a valid base, and the given attributes. */
function request(span: Record<string, unknown> = {}, attributes: unknown[] = []): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json' } }] },
        scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: TRACE_ID, spanId: ROOT_ID, name: 'n', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes, ...span }] }],
      },
    ],
  });
}
const onlySpan = (text: string): DecodedSpan => {
  const spans = allSpans(decodeTraceRequestJson(text));
  expect(spans).toHaveLength(1);
  return spans[0]!;
};
/** The value of the one attribute of a request whose only attribute's AnyValue is `valueJson`. */
const valueOf = (valueJson: string): AnyValue => onlySpan(request({}, [{ key: 'k', value: '@VALUE@' }]).replace('"@VALUE@"', valueJson)).attributes[0]![1];

function expectDecodeError(text: string, message?: RegExp | string): void {
  let thrown: unknown;
  try {
    decodeTraceRequestJson(text);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OtlpDecodeError);
  if (message !== undefined) expect((thrown as Error).message).toMatch(message);
}

describe('decodeTraceRequestJson: captured fixture', () => {
  it('decodes the OpenInference JSON request: 2 traces of 4 spans', () => {
    const req = decodeTraceRequestJson(readFileSync(join(FIXTURES, 'openinference-openai.json'), 'utf8'));
    expect(req.resourceSpans).toHaveLength(1);
    const rs = req.resourceSpans[0]!;
    expect(attr(rs.resource.attributes, 'service.name')).toBe('sql-agent-openinference');
    expect(rs.scopeSpans.map((ss) => [ss.scope.name, ss.scope.version, ss.spans.length])).toEqual([
      ['@arizeai/openinference-instrumentation-openai', '4.2.7', 4],
      ['sql-agent', '', 4],
    ]);

    const spans = allSpans(req);
    expect(spans).toHaveLength(8);
    const traces = new Map<string, DecodedSpan[]>();
    for (const s of spans) traces.set(s.traceId, [...(traces.get(s.traceId) ?? []), s]);
    expect(traces.size).toBe(2);
    for (const [traceId, trace] of traces) {
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace).toHaveLength(4);
      const roots = trace.filter((s) => s.parentSpanId === '');
      expect(roots.map((s) => s.name)).toEqual(['answer_question']);
      for (const s of trace) {
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        if (s !== roots[0]) expect(s.parentSpanId).toBe(roots[0]!.spanId);
        expect(typeof s.startTimeUnixNano).toBe('bigint');
        expect(s.endTimeUnixNano).toBeGreaterThan(s.startTimeUnixNano);
        expect(s.startTimeUnixNano).toBeGreaterThan(1_790_000_000_000_000_000n);
        expect(s.flags).toBe(257);
      }
      expect(trace.map((s) => s.name).sort()).toEqual(['OpenAI Chat Completions', 'OpenAI Chat Completions', 'answer_question', 'run_sql']);
    }
    const first = spans[0]!;
    expect(first).toMatchObject({
      traceId: '01604a95b7618ffe1ee35951a73c141d',
      spanId: 'd35ba0d567eb6e27',
      parentSpanId: '02e5e941490cc15d',
      name: 'OpenAI Chat Completions',
      kind: 1,
      startTimeUnixNano: 1795346639723000000n,
      endTimeUnixNano: 1795346639788891325n,
      statusCode: 1,
    });
    expect(attr(first.attributes, 'llm.token_count.prompt')).toBe(57n);
    expect(attr(first.attributes, 'llm.token_count.total')).toBe(74n);
    expect(attr(first.attributes, 'openinference.span.kind')).toBe('LLM');
  });
});

// ---------------------------------------------------------------------------------------------
// The same spans through the SDK's JSON and protobuf serializers must decode to the same request.

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const OTHER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const ROOT_ID = 'eee19b7ec3c1b174';
const CHILD_ID = 'aaa19b7ec3c1b173';
const T0 = 1_795_392_000_123_456_789n;
const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

function sdkSpans(): ReadableSpan[] {
  const resource = resourceFromAttributes({ 'service.name': 'roundtrip', 'host.cores': 8 }, { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
  const scope = { name: 'tracedeck.test', version: '9.9.9', schemaUrl: 'https://opentelemetry.io/schemas/1.29.0' };
  const root: ReadableSpan = {
    name: 'GET /rich',
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: TRACE_ID, spanId: ROOT_ID, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('vendor=abc') }),
    parentSpanContext: { traceId: TRACE_ID, spanId: 'f000000000000001', traceFlags: TraceFlags.SAMPLED, isRemote: true },
    startTime: hr(T0),
    endTime: hr(T0 + 5_000_000n),
    status: { code: SpanStatusCode.ERROR, message: 'boom' },
    attributes: {
      str: 'héllo ✓ 𝄞 "quoted" \\ \n',
      'bool.t': true,
      int: 42,
      'int.neg': -7,
      double: 0.25,
      'double.big': -1.5e300, // whole: intValue in the SDK's JSON, double_value in its protobuf
      bytes: Uint8Array.of(0, 1, 254, 255),
      'array.mixed': [1, 'two', true, 3.5],
      kvlist: { name: 'n', nested: { deeper: [1, { x: 'y' }] } },
    } as unknown as Attributes,
    links: [{ context: { traceId: OTHER_TRACE_ID, spanId: CHILD_ID, traceFlags: TraceFlags.NONE, traceState: new TraceState('k=v'), isRemote: true }, attributes: { reason: 'retry' }, droppedAttributesCount: 2 } as Link],
    events: [{ name: 'exception', time: hr(T0 + 1_500n), attributes: { 'exception.message': 'bad' }, droppedAttributesCount: 1 }],
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
    parentSpanContext: { traceId: TRACE_ID, spanId: ROOT_ID, traceFlags: TraceFlags.SAMPLED },
    status: { code: SpanStatusCode.UNSET },
    attributes: { 'db.system': 'duckdb' },
    links: [],
    events: [],
  };
  return [root, child];
}

describe('decodeTraceRequestJson: round trip through @opentelemetry/otlp-transformer', () => {
  it('decodes the JSON serializer output exactly as the protobuf decoder decodes the protobuf output', () => {
    const spans = sdkSpans();
    const fromJson = decodeTraceRequestJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
    const fromProto = decodeTraceRequestProto(ProtobufTraceSerializer.serializeRequest(spans)!);
    // The JSON serializer omits what protobuf leaves at its default, and both decoders default alike.
    expect(fromJson).toEqual(fromProto);

    const root = allSpans(fromJson)[0]!;
    expect(root).toMatchObject({ traceId: TRACE_ID, spanId: ROOT_ID, parentSpanId: 'f000000000000001', traceState: 'vendor=abc', kind: 2, flags: 0x301, statusCode: 2, statusMessage: 'boom' });
    expect(root.startTimeUnixNano).toBe(T0);
    expect(root.attributes).toEqual([
      ['str', 'héllo ✓ 𝄞 "quoted" \\ \n'],
      ['bool.t', true],
      ['int', 42n],
      ['int.neg', -7n],
      ['double', 0.25],
      ['double.big', -1.5e300],
      ['bytes', Uint8Array.of(0, 1, 254, 255)],
      ['array.mixed', [1n, 'two', true, 3.5]],
      ['kvlist', new KeyValueList([['name', 'n'], ['nested', new KeyValueList([['deeper', [1n, new KeyValueList([['x', 'y']])]]])]])],
    ]);
    expect(root.links).toEqual([{ traceId: OTHER_TRACE_ID, spanId: CHILD_ID, traceState: 'k=v', attributes: [['reason', 'retry']], droppedAttributesCount: 2, flags: 0x300 }]);
    expect(root.events).toEqual([{ timeUnixNano: T0 + 1_500n, name: 'exception', attributes: [['exception.message', 'bad']], droppedAttributesCount: 1 }]);
  });

  it('reads a whole number beyond 2^53 exactly as the SDK JSON serializer wrote it', () => {
    // JSON.stringify writes 2^60 as its shortest form, 1152921504606847000, not 2^60's digits:
    // the JSON encoding loses the exact value before we see it, and we keep what was written.
    const [root] = sdkSpans();
    const span = { ...root!, attributes: { 'int.big': 2 ** 60 } };
    const text = new TextDecoder().decode(JsonTraceSerializer.serializeRequest([span])!);
    expect(text).toContain('{"intValue":1152921504606847000}');
    expect(allSpans(decodeTraceRequestJson(text))[0]!.attributes).toEqual([['int.big', 1152921504606847000n]]);
    expect(allSpans(decodeTraceRequestProto(ProtobufTraceSerializer.serializeRequest([span])!))[0]!.attributes).toEqual([['int.big', 2n ** 60n]]);
  });
});

describe('decodeTraceRequestJson: int64 values are exact', () => {
  it('reads 2^53 + 1 unquoted and quoted', () => {
    expect(valueOf('{"intValue": 9007199254740993}')).toBe(9007199254740993n);
    expect(valueOf('{"intValue": "9007199254740993"}')).toBe(9007199254740993n);
    expect(valueOf('{"intValue":-9007199254740993}')).toBe(-9007199254740993n);
    expect(valueOf('{"int_value":\n9007199254740993}')).toBe(9007199254740993n);
  });

  it('reads the int64 limits and rejects values beyond them', () => {
    expect(valueOf('{"intValue": 9223372036854775807}')).toBe(9223372036854775807n);
    expect(valueOf('{"intValue": -9223372036854775808}')).toBe(-9223372036854775808n);
    expect(valueOf('{"intValue": "-9223372036854775808"}')).toBe(-9223372036854775808n);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: '9223372036854775808' } }]), /attributes\[0\]\.value\.intValue: "9223372036854775808" is out of range for int64/);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: '-9223372036854775809' } }]), /out of range/);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: '1'.repeat(400) } }]), /out of range/);
  });

  it('accepts integral numbers written with a fraction or exponent, rejects others', () => {
    expect(valueOf('{"intValue": 1e3}')).toBe(1000n);
    expect(valueOf('{"intValue": 1.5e1}')).toBe(15n);
    expect(valueOf('{"intValue": 2.0}')).toBe(2n);
    expect(valueOf('{"intValue": 9.007199254740993e15}')).toBe(9007199254740993n);
    expect(valueOf('{"intValue": 1e18}')).toBe(1000000000000000000n);
    expect(valueOf('{"intValue": "12"}')).toBe(12n);
    expect(valueOf('{"intValue": 0}')).toBe(0n);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: 1.5 } }]), /expected an integer, got 1\.5/);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: '12abc' } }]), /expected an integer/);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: '' } }]), /expected an integer/);
    expectDecodeError(request({}, [{ key: 'k', value: { intValue: true } }]), /intValue: expected an integer/);
    // A number literal beyond int64 is read as the double it is (what the JS SDK's JSON
    // serializer sends for whole doubles like 1e300); a quoted one is an error.
    expect(valueOf('{"intValue": 1e300}')).toBe(1e300);
    expect(valueOf('{"intValue": -9223372036854775809}')).toBe(-(2 ** 63));
    expectDecodeError(valueJsonRequest('{"intValue": "1e300"}'), /out of range for int64/);
  });

  it('reads times as decimal strings or numbers beyond 2^53, and rejects negative times', () => {
    const text = request({ startTimeUnixNano: '@S@', endTimeUnixNano: '18446744073709551615', events: [{ timeUnixNano: '@E@', name: 'e' }] })
      .replace('"@S@"', '1795346639723000001')
      .replace('"@E@"', '1795346639723000003');
    const span = onlySpan(text);
    expect(span.startTimeUnixNano).toBe(1795346639723000001n);
    expect(span.endTimeUnixNano).toBe(18446744073709551615n);
    expect(span.events[0]!.timeUnixNano).toBe(1795346639723000003n);
    expect(onlySpan(request({ startTimeUnixNano: 1500 })).startTimeUnixNano).toBe(1500n);
    expectDecodeError(request({ startTimeUnixNano: '-1' }), /startTimeUnixNano: "-1" is out of range for uint64/);
    expectDecodeError(request({ endTimeUnixNano: '18446744073709551616' }), /out of range for uint64/);
  });

  it('gives the same request through the exact parser as through JSON.parse', () => {
    const text = readFileSync(join(FIXTURES, 'openinference-openai.json'), 'utf8');
    const quick = decodeTraceRequestJson(text);
    // One big number anywhere sends the whole body through the exact parser.
    const exact = decodeTraceRequestJson(text.replace('{"resourceSpans":', '{"ignored": 12345678901234567890, "resourceSpans":'));
    expect(exact).toEqual(quick);
    const pretty = decodeTraceRequestJson(JSON.stringify(JSON.parse(text), null, 2).replace('"resourceSpans"', '"x": 1e5, "resourceSpans"'));
    expect(pretty).toEqual(quick);
  });
});

function valueJsonRequest(valueJson: string): string {
  return request({}, [{ key: 'k', value: '@VALUE@' }]).replace('"@VALUE@"', valueJson);
}

describe('decodeTraceRequestJson: the OTLP/JSON mapping', () => {
  it('accepts the proto field names (snake_case) everywhere', () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }], dropped_attributes_count: 1 },
          schema_url: 'r-url',
          scope_spans: [
            {
              scope: { name: 'sc', version: 'v', attributes: [{ key: 'sa', value: { bool_value: true } }], dropped_attributes_count: 2 },
              schema_url: 's-url',
              spans: [
                {
                  trace_id: TRACE_ID,
                  span_id: ROOT_ID,
                  parent_span_id: CHILD_ID,
                  trace_state: 'a=b',
                  name: 'snake-span',
                  kind: 'SPAN_KIND_PRODUCER',
                  start_time_unix_nano: '10',
                  end_time_unix_nano: '20',
                  attributes: [
                    { key: 'i', value: { int_value: '5' } },
                    { key: 'd', value: { double_value: 1.25 } },
                    { key: 'b', value: { bytes_value: 'AQI=' } },
                    { key: 'a', value: { array_value: { values: [{ string_value: 'x' }] } } },
                    { key: 'kv', value: { kvlist_value: { values: [{ key: 'in', value: { int_value: 1 } }] } } },
                  ],
                  dropped_attributes_count: 3,
                  events: [{ time_unix_nano: '15', name: 'ev', attributes: [], dropped_attributes_count: 4 }],
                  dropped_events_count: 5,
                  links: [{ trace_id: OTHER_TRACE_ID, span_id: CHILD_ID, trace_state: 'l=1', attributes: [], dropped_attributes_count: 6, flags: 1 }],
                  dropped_links_count: 7,
                  status: { message: 'm', code: 'STATUS_CODE_ERROR' },
                  flags: 256,
                },
              ],
            },
          ],
        },
      ],
    });
    const req = decodeTraceRequestJson(text);
    const rs = req.resourceSpans[0]!;
    expect(rs.resource).toEqual({ attributes: [['service.name', 'snake']], droppedAttributesCount: 1 });
    expect(rs.schemaUrl).toBe('r-url');
    expect(rs.scopeSpans[0]!.scope).toEqual({ name: 'sc', version: 'v', attributes: [['sa', true]], droppedAttributesCount: 2 });
    expect(rs.scopeSpans[0]!.schemaUrl).toBe('s-url');
    expect(rs.scopeSpans[0]!.spans[0]).toEqual({
      traceId: TRACE_ID,
      spanId: ROOT_ID,
      parentSpanId: CHILD_ID,
      traceState: 'a=b',
      flags: 256,
      name: 'snake-span',
      kind: 4,
      startTimeUnixNano: 10n,
      endTimeUnixNano: 20n,
      attributes: [
        ['i', 5n],
        ['d', 1.25],
        ['b', Uint8Array.of(1, 2)],
        ['a', ['x']],
        ['kv', new KeyValueList([['in', 1n]])],
      ],
      droppedAttributesCount: 3,
      events: [{ timeUnixNano: 15n, name: 'ev', attributes: [], droppedAttributesCount: 4 }],
      droppedEventsCount: 5,
      links: [{ traceId: OTHER_TRACE_ID, spanId: CHILD_ID, traceState: 'l=1', attributes: [], droppedAttributesCount: 6, flags: 1 }],
      droppedLinksCount: 7,
      statusCode: 2,
      statusMessage: 'm',
    } satisfies DecodedSpan);
  });

  it('lowercases hex ids and rejects ids that are not hex', () => {
    const span = onlySpan(request({ traceId: TRACE_ID.toUpperCase(), spanId: 'EEE19b7eC3C1B174', parentSpanId: '' }));
    expect([span.traceId, span.spanId, span.parentSpanId]).toEqual([TRACE_ID, ROOT_ID, '']);
    // Lengths are ingest's business; hex-ness is the decoder's.
    expect(onlySpan(request({ spanId: 'abcd' })).spanId).toBe('abcd');
    expectDecodeError(request({ traceId: 'W46M/3mAOBA9JptjOBP8DA==' }), /spans\[0\]\.traceId: expected a hex string/);
    expectDecodeError(request({ spanId: 'eee19b7ec3c1b17' }), /spans\[0\]\.spanId: expected a hex string with an even number of digits/);
    expectDecodeError(request({ parentSpanId: 'zz' }), /parentSpanId/);
    expectDecodeError(request({ spanId: 12 }), /spans\[0\]\.spanId: expected a hex string, got number/);
    expectDecodeError(request({ links: [{ traceId: 'nothex', spanId: ROOT_ID }] }), /links\[0\]\.traceId/);
  });

  it('accepts enums as numbers or names', () => {
    const kinds: [unknown, number][] = [[0, 0], [3, 3], ['SPAN_KIND_SERVER', 2], ['SPAN_KIND_CONSUMER', 5], ['span_kind_client', 3], ['INTERNAL', 1], ['4', 4]];
    for (const [kind, expected] of kinds) expect(onlySpan(request({ kind })).kind).toBe(expected);
    const codes: [unknown, number][] = [[2, 2], ['STATUS_CODE_OK', 1], ['STATUS_CODE_ERROR', 2], ['STATUS_CODE_UNSET', 0]];
    for (const [code, expected] of codes) expect(onlySpan(request({ status: { code } })).statusCode).toBe(expected);
    expect(onlySpan(request({ status: {} })).statusCode).toBe(0);
    expectDecodeError(request({ kind: 'SPAN_KIND_SIDEWAYS' }), /spans\[0\]\.kind: unknown value "SPAN_KIND_SIDEWAYS"/);
    expectDecodeError(request({ kind: 1.5 }), /kind/);
    expectDecodeError(request({ status: { code: true } }), /status\.code/);
  });

  it('reads every AnyValue type', () => {
    expect(valueOf('{"stringValue": "s"}')).toBe('s');
    expect(valueOf('{"boolValue": false}')).toBe(false);
    expect(valueOf('{"doubleValue": 1}')).toBe(1);
    expect(valueOf('{"doubleValue": -2.5e-3}')).toBe(-0.0025);
    expect(valueOf('{"doubleValue": "1.5"}')).toBe(1.5);
    expect(valueOf('{"doubleValue": "NaN"}')).toBeNaN();
    expect(valueOf('{"doubleValue": "Infinity"}')).toBe(Infinity);
    expect(valueOf('{"doubleValue": "-Infinity"}')).toBe(-Infinity);
    expect(valueOf('{"doubleValue": 0.1000000000000000055511151231257827}')).toBe(0.1);
    expect(valueOf('{"bytesValue": "AAH+/w=="}')).toEqual(Uint8Array.of(0, 1, 254, 255));
    expect(valueOf('{"bytesValue": "AAH-_w"}')).toEqual(Uint8Array.of(0, 1, 254, 255));
    expect(valueOf('{"bytesValue": ""}')).toEqual(new Uint8Array(0));
    expect(valueOf('{"arrayValue": {"values": [{"intValue": "1"}, {}, {"arrayValue": {}}]}}')).toEqual([1n, null, []]);
    expect(valueOf('{"kvlistValue": {"values": [{"key": "a"}, {"key": "b", "value": {"kvlistValue": {"values": []}}}]}}')).toEqual(
      new KeyValueList([['a', null], ['b', new KeyValueList([])]]),
    );
    expect(valueOf('{}')).toBeNull();
    expect(valueOf('null')).toBeNull();
    expect(valueOf('{"stringValue": null, "intValue": "3"}')).toBe(3n);
    expect(valueOf('{"futureValue": 1, "stringValue": "known"}')).toBe('known');
  });

  it('rejects AnyValues of the wrong type, naming the field', () => {
    expectDecodeError(valueJsonRequest('{"stringValue": 5}'), /spans\[0\]\.attributes\[0\]\.value\.stringValue: expected a string, got number/);
    expectDecodeError(valueJsonRequest('{"boolValue": "true"}'), /boolValue: expected a boolean, got string/);
    expectDecodeError(valueJsonRequest('{"doubleValue": "fast"}'), /doubleValue: expected a number, got "fast"/);
    expectDecodeError(valueJsonRequest('{"bytesValue": "a*b="}'), /bytesValue: invalid base64 character/);
    expectDecodeError(valueJsonRequest('{"bytesValue": "A"}'), /bytesValue: invalid base64/);
    expectDecodeError(valueJsonRequest('{"arrayValue": []}'), /arrayValue: expected an object/);
    expectDecodeError(valueJsonRequest('{"arrayValue": {"values": [1]}}'), /arrayValue\.values\[0\]: expected an AnyValue object, got number/);
    expectDecodeError(valueJsonRequest('{"kvlistValue": {"values": [{"key": 1}]}}'), /kvlistValue\.values\[0\]\.key: expected a string/);
    expectDecodeError(valueJsonRequest('{"stringValue": "a", "intValue": 1}'), /attributes\[0\]\.value: more than one value set \(stringValue and intValue\)/);
    expectDecodeError(valueJsonRequest('"plain"'), /attributes\[0\]\.value: expected an AnyValue object, got string/);
  });

  it('rejects messages and fields of the wrong type with the path of the field', () => {
    expectDecodeError('{"resourceSpans": {}}', /^resourceSpans: expected an array, got object$/);
    expectDecodeError('{"resourceSpans": [5]}', /^resourceSpans\[0\]: expected an object, got number$/);
    expectDecodeError('{"resourceSpans": [{"scopeSpans": "x"}]}', /^resourceSpans\[0\]\.scopeSpans: expected an array, got string$/);
    expectDecodeError('{"resourceSpans": [{"resource": []}]}', /^resourceSpans\[0\]\.resource: expected an object, got array$/);
    expectDecodeError(request({ name: 5 }), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name: expected a string, got number$/);
    expectDecodeError(request({ attributes: {} }), /spans\[0\]\.attributes: expected an array, got object/);
    expectDecodeError(request({ attributes: [null] }), /spans\[0\]\.attributes\[0\]: expected an object, got null/);
    expectDecodeError(request({ events: [{ name: [] }] }), /spans\[0\]\.events\[0\]\.name: expected a string, got array/);
    expectDecodeError(request({ droppedAttributesCount: -1 }), /droppedAttributesCount: expected an unsigned 32-bit integer, got -1/);
    expectDecodeError(request({ flags: 2 ** 32 }), /flags: expected an unsigned 32-bit integer/);
    expectDecodeError(request({ status: 'ok' }), /spans\[0\]\.status: expected an object, got string/);
    expectDecodeError('[]', /^request: expected a JSON object, got array$/);
    expectDecodeError('null', /^request: expected a JSON object, got null$/);
  });

  it('ignores unknown fields and takes null or missing fields as defaults', () => {
    const text = JSON.stringify({
      future: { anything: [1, 2] },
      resourceSpans: [{ resource: null, schemaUrl: null, instrumentationLibrarySpans: 7, scopeSpans: [{ scope: null, spans: [{ traceId: null, name: null, kind: null, attributes: null, events: null, links: null, status: null, extra: true }] }] }],
    });
    const req = decodeTraceRequestJson(text);
    expect(req.resourceSpans[0]!.resource).toEqual({ attributes: [], droppedAttributesCount: 0 });
    expect(req.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: '', version: '', attributes: [], droppedAttributesCount: 0 });
    expect(req.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ traceId: '', name: '', kind: 0, attributes: [], events: [], links: [], statusCode: 0, statusMessage: '', startTimeUnixNano: 0n });
    expect(decodeTraceRequestJson('{}')).toEqual({ resourceSpans: [] });
    expect(decodeTraceRequestJson('{"resourceSpans": null}')).toEqual({ resourceSpans: [] });
  });
});

describe('decodeTraceRequestJson: malformed text throws OtlpDecodeError', () => {
  it('rejects invalid JSON on both parsing paths', () => {
    const bad = ['', '{', '{"resourceSpans": [}', '{"a": 1,}', "{'a': 1}", '{"a": tru}', '{"a": "\u0001"}', '{"a": 01}', '{"a": "x"} extra', '{"a": "\\x"}', '{"a" 1}'];
    for (const text of bad) {
      expectDecodeError(text, /invalid JSON/);
      // The same text behind a big number takes the exact parser.
      expectDecodeError(text.replace('{', '{"big": 12345678901234567890, '), /invalid JSON/);
    }
    expectDecodeError('{"big": 12345678901234567890', /invalid JSON/);
    expectDecodeError('{"big": 12345678901234567890, "s": "unterminated', /invalid JSON: unterminated string/);
    expectDecodeError('{"big": 12345678901234567890, "n": -}', /invalid JSON: invalid number/);
    expectDecodeError('{"big": 12345678901234567890, "n": 1.}', /invalid JSON/);
  });

  it('the exact parser reads strings, escapes and keys as JSON.parse does', () => {
    const name = 'tab\t "q" \\ \u00e9 \ud83d\ude00 \u2028 \u0000';
    const nested = JSON.stringify({ 'k\u00e9y': [true, false, null, -0.5, 1e-7, {}], s: name });
    const base = request({ name, attributes: [{ key: 'k\u00e9y', value: { stringValue: nested } }] });
    const exactText = base.replace('"resourceSpans"', '"big": 12345678901234567890, "resourceSpans"');
    expect(exactText).not.toBe(base);
    expect(decodeTraceRequestJson(exactText)).toEqual(decodeTraceRequestJson(base));
    const span = onlySpan(exactText);
    expect(span.name).toBe(name);
    expect(span.attributes).toEqual([['k\u00e9y', nested]]);
  });

  it('takes a "__proto__" key as an ordinary unknown field on both paths', () => {
    // Were "__proto__" to set the prototype, the inherited stringValue would count as a second value.
    const value = '{"__proto__": {"stringValue": "inherited"}, "intValue": "1"}';
    expect(valueOf(value)).toBe(1n);
    expect(valueOf(value.replace('"intValue": "1"', '"intValue": 12345678901234567'))).toBe(12345678901234567n);
    expect(({} as Record<string, unknown>).stringValue).toBeUndefined();
  });

  it('rejects nesting deeper than the limits without overflowing the stack', () => {
    let value = '{"stringValue": "leaf"}';
    for (let i = 0; i < 200; i++) value = `{"arrayValue": {"values": [${value}]}}`;
    expectDecodeError(valueJsonRequest(value), /nested deeper than 128/);
    const deep = `{"big": 12345678901234567890, "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expectDecodeError(deep, /invalid JSON: nested deeper/);
    // JSON.parse copes with deep nesting in an unknown field, which is then ignored.
    expect(decodeTraceRequestJson(`{"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toEqual({ resourceSpans: [] });
  });

  it('random text and mutated requests only ever throw OtlpDecodeError', () => {
    let seed = 0x9e3779b9;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const base = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans())!);
    const alphabet = '{}[]":,0123456789.eE-+ truefalsnul\\abcdefxyz';
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 4000; i++) {
      let text = base;
      const edits = 1 + Math.floor(random() * 3);
      for (let j = 0; j < edits; j++) {
        const at = Math.floor(random() * text.length);
        const ch = alphabet[Math.floor(random() * alphabet.length)]!;
        text = random() < 0.5 ? text.slice(0, at) + ch + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at);
      }
      try {
        decodeTraceRequestJson(text);
        outcomes.ok++;
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) throw error;
        outcomes.error++;
      }
    }
    expect(outcomes.error).toBeGreaterThan(0);
    expect(outcomes.ok).toBeGreaterThan(0);
  });
});

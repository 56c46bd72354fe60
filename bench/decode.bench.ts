// OTLP trace-request decoding: the engine's hand-written decoders against baselines measured in
// the same run. Run with `npm run bench decode` (= `npx tsx bench/decode.bench.ts`).
//
// The request: 512 spans (a root and children, 8 per trace) with 10 attributes of mixed types
// and 1 event each, serialized by the OpenTelemetry JS SDK's own serializers
// (@opentelemetry/otlp-transformer), as its exporters would send it.
//
// Protobuf baselines, both protobufjs with the schema below (same field numbers):
//   - "protobufjs decode": Type.decode alone (ids stay Uint8Array, int64/fixed64 become Long
//     objects) — less work than ours, which gives hex ids and bigints;
//   - "protobufjs + convert": decode, then convert to our DecodedTraceRequest shape, i.e. the same
//     output as ours.
// JSON baseline: JSON.parse alone (no conversion, int64 not exact).
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import protobuf from 'protobufjs';
import { decodeTraceRequestJson } from '../electron/engine/otlp/decode-json';
import { decodeTraceRequestProto } from '../electron/engine/otlp/decode-proto';
import { KeyValueList, type AnyValue, type DecodedTraceRequest, type KeyValue } from '../electron/engine/otlp/types';

const SPANS = 512;

// ---------------------------------------------------------------------------------------------
// The request

function hex(bytes: number, seed: number): string {
  let out = '';
  let x = seed * 2654435761;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += ((x >>> 16) & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

function makeSpans(): ReadableSpan[] {
  const resource = resourceFromAttributes({ 'service.name': 'bench-svc', 'service.version': '1.2.3', 'host.name': 'bench-host', 'process.pid': 4242 });
  const scope = { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' };
  const t0 = 1_795_392_000_000_000_000n;
  const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < SPANS; i++) {
    const trace = Math.floor(i / 8);
    const traceId = hex(16, trace + 1);
    const rootId = hex(8, trace * 8 + 1000);
    const spanId = i % 8 === 0 ? rootId : hex(8, i + 1000);
    const start = t0 + BigInt(i) * 1_000_000n;
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': `chatcmpl-${i}-abcdefghijklmnop`,
      'gen_ai.usage.input_tokens': 57 + i,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.request.temperature': 0.7,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': 'api.openai.com',
    };
    spans.push({
      name: i % 8 === 0 ? 'answer_question' : 'chat gpt-4o-mini',
      kind: i % 8 === 0 ? SpanKind.INTERNAL : SpanKind.CLIENT,
      spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext: i % 8 === 0 ? undefined : { traceId, spanId: rootId, traceFlags: TraceFlags.SAMPLED },
      startTime: hr(start),
      endTime: hr(start + 850_123n),
      status: { code: i % 50 === 0 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
      attributes,
      links: [],
      events: [{ name: 'gen_ai.content.completion', time: hr(start + 500_000n), attributes: { 'gen_ai.event.index': 0, 'gen_ai.event.content': 'The most popular albums are listed below.' } }],
      duration: hr(850_123n),
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// protobufjs baseline

const SCHEMA = `
syntax = "proto3";
package bench;
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;
const RequestType = protobuf.parse(SCHEMA, { keepCase: false }).root.lookupType('bench.ExportTraceServiceRequest');

/* eslint-disable @typescript-eslint/no-explicit-any -- protobufjs messages are untyped here */
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}
const toHex = (b: Uint8Array | undefined): string => (b && b.length ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex') : '');
const u64 = (l: LongLike | number | undefined): bigint =>
  l === undefined ? 0n : typeof l === 'number' ? BigInt(l) : (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
const i64 = (l: LongLike | number): bigint => (typeof l === 'number' ? BigInt(l) : BigInt.asIntN(64, (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0)));
function convValue(v: any): AnyValue {
  if (!v) return null;
  switch (v.value) {
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    case 'intValue':
      return i64(v.intValue);
    case 'doubleValue':
      return v.doubleValue;
    case 'bytesValue':
      return v.bytesValue;
    case 'arrayValue':
      return (v.arrayValue.values ?? []).map(convValue);
    case 'kvlistValue':
      return new KeyValueList(convKvs(v.kvlistValue.values));
    default:
      return null;
  }
}
const convKvs = (kvs: any[] | undefined): KeyValue[] => (kvs ?? []).map((kv) => [kv.key, convValue(kv.value)]);
function convert(m: any): DecodedTraceRequest {
  return {
    resourceSpans: m.resourceSpans.map((rs: any) => ({
      resource: { attributes: convKvs(rs.resource?.attributes), droppedAttributesCount: rs.resource?.droppedAttributesCount ?? 0 },
      schemaUrl: rs.schemaUrl,
      scopeSpans: rs.scopeSpans.map((ss: any) => ({
        scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '', attributes: convKvs(ss.scope?.attributes), droppedAttributesCount: ss.scope?.droppedAttributesCount ?? 0 },
        schemaUrl: ss.schemaUrl,
        spans: ss.spans.map((s: any) => ({
          traceId: toHex(s.traceId),
          spanId: toHex(s.spanId),
          parentSpanId: toHex(s.parentSpanId),
          traceState: s.traceState,
          flags: s.flags,
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: u64(s.startTimeUnixNano),
          endTimeUnixNano: u64(s.endTimeUnixNano),
          attributes: convKvs(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount,
          events: s.events.map((e: any) => ({ timeUnixNano: u64(e.timeUnixNano), name: e.name, attributes: convKvs(e.attributes), droppedAttributesCount: e.droppedAttributesCount })),
          droppedEventsCount: s.droppedEventsCount,
          links: s.links.map((l: any) => ({
            traceId: toHex(l.traceId),
            spanId: toHex(l.spanId),
            traceState: l.traceState,
            attributes: convKvs(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount,
            flags: l.flags,
          })),
          droppedLinksCount: s.droppedLinksCount,
          statusCode: s.status?.code ?? 0,
          statusMessage: s.status?.message ?? '',
        })),
      })),
    })),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

// ---------------------------------------------------------------------------------------------
// Timing: interleaved rounds, median per candidate (these machines are shared and noisy).

interface Candidate {
  name: string;
  run: () => unknown;
}

// A full GC before each timed round, so one candidate's garbage is not collected on another's time.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function measure(candidates: Candidate[], rounds = 9, roundMs = 400): Map<string, number> {
  const samples = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (const c of candidates) for (let i = 0; i < 50; i++) c.run(); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const c of candidates) {
      gc();
      let n = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < roundMs) {
        c.run();
        n++;
        elapsed = performance.now() - start;
      }
      samples.get(c.name)!.push((n / elapsed) * 1000);
    }
  }
  const medians = new Map<string, number>();
  for (const [name, s] of samples) medians.set(name, s.sort((a, b) => a - b)[Math.floor(s.length / 2)]!);
  return medians;
}

const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M spans/s`;

function main(): void {
  const spans = makeSpans();
  // A Buffer, as the HTTP receiver hands it over (protobufjs reads strings faster from a Buffer).
  const pb = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);

  // Both decoders must agree before their speed means anything.
  const ours = decodeTraceRequestProto(pb);
  const theirs = convert(RequestType.decode(pb));
  const same = (a: unknown, b: unknown): boolean =>
    JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v));
  if (!same(ours, theirs)) throw new Error('protobuf decoders disagree');
  if (!same(decodeTraceRequestJson(json), ours)) throw new Error('JSON and protobuf decoders disagree');
  const count = ours.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
  if (count !== SPANS) throw new Error(`expected ${SPANS} spans, decoded ${count}`);

  console.log(`Request: ${SPANS} spans, 10 attributes + 1 event each; protobuf ${(pb.length / 1024).toFixed(1)} KiB, JSON ${(json.length / 1024).toFixed(1)} KiB`);
  const rate = measure([
    { name: 'decodeTraceRequestProto', run: () => decodeTraceRequestProto(pb) },
    { name: 'protobufjs decode', run: () => RequestType.decode(pb) },
    { name: 'protobufjs + convert', run: () => convert(RequestType.decode(pb)) },
    { name: 'decodeTraceRequestJson', run: () => decodeTraceRequestJson(json) },
    { name: 'JSON.parse', run: () => JSON.parse(json) },
  ]);
  const spansPerSec = (name: string): number => rate.get(name)! * SPANS;
  const ourPb = spansPerSec('decodeTraceRequestProto');
  console.log('\nprotobuf');
  console.log(`  decodeTraceRequestProto   ${fmt(ourPb)}`);
  for (const name of ['protobufjs decode', 'protobufjs + convert']) {
    console.log(`  ${name.padEnd(24)}  ${fmt(spansPerSec(name))}   ours is ${(ourPb / spansPerSec(name)).toFixed(2)}x`);
  }
  const ourJson = spansPerSec('decodeTraceRequestJson');
  console.log('JSON');
  console.log(`  decodeTraceRequestJson    ${fmt(ourJson)}`);
  console.log(`  JSON.parse alone          ${fmt(spansPerSec('JSON.parse'))}   ours is ${(ourJson / spansPerSec('JSON.parse')).toFixed(2)}x`);
}

main();

// Test helper: reads the OTLP fixtures in tests/fixtures/otlp into the decoded shapes of
// electron/engine/otlp/types.ts, independently of the engine's own decoders. Protobuf bodies are
// read with protobufjs and the small schema below (a subset of opentelemetry-proto's
// common/resource/trace/logs messages, field numbers as in the spec); JSON bodies follow the
// OTLP/JSON mapping (hex ids, int64 as string or number).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { KeyValueList, type AnyValue, type KeyValue } from '../../../electron/engine/otlp/types';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/otlp');

const SCHEMA = `
syntax = "proto3";
package otlp;
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
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Resource { repeated KeyValue attributes = 1; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  repeated Event events = 11;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  bytes trace_id = 9;
  bytes span_id = 10;
  fixed64 observed_time_unix_nano = 11;
  string event_name = 12;
}
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const TraceRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const LogsRequest = root.lookupType('otlp.ExportLogsServiceRequest');

export interface FixtureSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  scopeName: string;
  attributes: KeyValue[];
  resourceAttributes: KeyValue[];
  events: { name: string; attributes: KeyValue[] }[];
}

export interface FixtureLog {
  traceId: string;
  spanId: string;
  eventName: string;
  body: AnyValue;
  attributes: KeyValue[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- protobufjs/JSON objects are untyped */

function hex(bytes: Uint8Array | undefined | null): string {
  if (!bytes) return '';
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One AnyValue from protobufjs's toObject (longs as strings, camelCase fields, oneofs named). */
function protoAnyValue(v: any): AnyValue {
  if (v == null) return null;
  if (v.stringValue !== undefined) return v.stringValue as string;
  if (v.boolValue !== undefined) return v.boolValue as boolean;
  if (v.intValue !== undefined) return BigInt(v.intValue as string);
  if (v.doubleValue !== undefined) return v.doubleValue as number;
  if (v.bytesValue !== undefined) return v.bytesValue as Uint8Array;
  if (v.arrayValue !== undefined) return ((v.arrayValue.values ?? []) as any[]).map(protoAnyValue);
  if (v.kvlistValue !== undefined) return new KeyValueList(protoKeyValues(v.kvlistValue.values));
  return null;
}

function protoKeyValues(list: any[] | undefined): KeyValue[] {
  return (list ?? []).map((kv) => [kv.key as string, protoAnyValue(kv.value)]);
}

/** One AnyValue from OTLP/JSON. */
function jsonAnyValue(v: any): AnyValue {
  if (v == null) return null;
  if (v.stringValue !== undefined) return v.stringValue as string;
  if (v.boolValue !== undefined) return v.boolValue as boolean;
  if (v.intValue !== undefined) return BigInt(v.intValue as string | number);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return Uint8Array.from(Buffer.from(v.bytesValue as string, 'base64'));
  if (v.arrayValue !== undefined) return ((v.arrayValue.values ?? []) as any[]).map(jsonAnyValue);
  if (v.kvlistValue !== undefined) return new KeyValueList(jsonKeyValues(v.kvlistValue.values));
  return null;
}

function jsonKeyValues(list: any[] | undefined): KeyValue[] {
  return (list ?? []).map((kv) => [kv.key as string, jsonAnyValue(kv.value)]);
}

const TO_OBJECT = { longs: String, bytes: Uint8Array as any, oneofs: false, defaults: false, arrays: true };

export function decodeTracesPb(file: string): FixtureSpan[] {
  const bytes = readFileSync(join(FIXTURES, file));
  const request: any = TraceRequest.toObject(TraceRequest.decode(bytes), TO_OBJECT);
  const out: FixtureSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resourceAttributes = protoKeyValues(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: s.name ?? '',
          scopeName: ss.scope?.name ?? '',
          attributes: protoKeyValues(s.attributes),
          resourceAttributes,
          events: ((s.events ?? []) as any[]).map((e) => ({ name: e.name ?? '', attributes: protoKeyValues(e.attributes) })),
        });
      }
    }
  }
  return out;
}

export function decodeLogsPb(file: string): FixtureLog[] {
  const bytes = readFileSync(join(FIXTURES, file));
  const request: any = LogsRequest.toObject(LogsRequest.decode(bytes), TO_OBJECT);
  const out: FixtureLog[] = [];
  for (const rl of request.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          traceId: hex(r.traceId),
          spanId: hex(r.spanId),
          eventName: r.eventName ?? '',
          body: protoAnyValue(r.body),
          attributes: protoKeyValues(r.attributes),
        });
      }
    }
  }
  return out;
}

export function decodeTracesJson(file: string): FixtureSpan[] {
  const request: any = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  const out: FixtureSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resourceAttributes = jsonKeyValues(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId ?? '',
          spanId: s.spanId ?? '',
          parentSpanId: s.parentSpanId ?? '',
          name: s.name ?? '',
          scopeName: ss.scope?.name ?? '',
          attributes: jsonKeyValues(s.attributes),
          resourceAttributes,
          events: ((s.events ?? []) as any[]).map((e) => ({ name: e.name ?? '', attributes: jsonKeyValues(e.attributes) })),
        });
      }
    }
  }
  return out;
}

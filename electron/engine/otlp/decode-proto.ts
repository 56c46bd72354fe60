// Decodes an OTLP/protobuf ExportTraceServiceRequest
// (opentelemetry/proto/collector/trace/v1/trace_service.proto) into a DecodedTraceRequest.
//
// Field numbers are those of opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto,
// resource/v1/resource.proto). Decisions:
// - Ids (bytes) become lowercase hex of whatever bytes were sent; lengths are checked by ingest.
// - Unknown fields of any wire type are skipped (newer senders, e.g. Resource.entity_refs = 3,
//   KeyValue.key_strindex = 3). AnyValue.string_value_strindex = 8, meant for profiles only, is
//   skipped too, so such a value reads as empty (null), as the proto asks of other signals.
// - A known field with the wrong wire type, truncation, bad varints, invalid UTF-8 in a string
//   and the like throw OtlpDecodeError (see protobuf.ts).
// - Proto3 merge rules: a repeated scalar field keeps its last value; a singular message field
//   sent twice (resource, scope, status) is merged, its repeated fields appended.
import { ProtoReader } from './protobuf';
import {
  emptyDecodedSpan,
  KeyValueList,
  OtlpDecodeError,
  type AnyValue,
  type DecodedEvent,
  type DecodedLink,
  type DecodedLogRecord,
  type DecodedLogsRequest,
  type DecodedResourceLogs,
  type DecodedScopeLogs,
  type DecodedResource,
  type DecodedResourceSpans,
  type DecodedScope,
  type DecodedScopeSpans,
  type DecodedSpan,
  type DecodedTraceRequest,
  type KeyValue,
} from './types';

// The switch cases below use the tag values (field number << 3 | wire type) as literals, the
// fastest form for V8; each case names its field. Wire types: varint 0, i64 1, len 2, i32 5.
const mask = (...fields: number[]): number => fields.reduce((m, f) => m | (1 << f), 0);

const KNOWN_REQUEST = mask(1);
const KNOWN_RESOURCE_SPANS = mask(1, 2, 3);
const KNOWN_SCOPE_SPANS = mask(1, 2, 3);
const KNOWN_SPAN = mask(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
const KNOWN_EVENT = mask(1, 2, 3, 4);
const KNOWN_LINK = mask(1, 2, 3, 4, 5, 6);
const KNOWN_STATUS = mask(2, 3);
const KNOWN_RESOURCE = mask(1, 2);
const KNOWN_SCOPE = mask(1, 2, 3, 4);
const KNOWN_KEY_VALUE = mask(1, 2);
const KNOWN_ANY_VALUE = mask(1, 2, 3, 4, 5, 6, 7);
const KNOWN_VALUES = mask(1);
const KNOWN_RESOURCE_LOGS = mask(1, 2, 3);
const KNOWN_SCOPE_LOGS = mask(1, 2, 3);
const KNOWN_LOG_RECORD = mask(1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12);

/**
 * Decodes a protobuf-encoded ExportTraceServiceRequest. Throws OtlpDecodeError for a body that
 * is not one, and only OtlpDecodeError.
 */
export function decodeTraceRequestProto(body: Uint8Array): DecodedTraceRequest {
  // A plain Uint8Array view, so that slices of bytes values are plain Uint8Arrays, not Buffers.
  const buf = body.constructor === Uint8Array ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const r = new ProtoReader(buf);
  const resourceSpans: DecodedResourceSpans[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === 10 /* LEN(1) resource_spans */) {
        const outer = r.enter();
        resourceSpans.push(readResourceSpans(r));
        r.leave(outer);
      } else {
        r.skip(tag, KNOWN_REQUEST, 'ExportTraceServiceRequest');
      }
    }
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    // Nothing else is expected; never let a malformed body surface as another error type.
    throw new OtlpDecodeError(`malformed protobuf request: ${(error as Error).message}`);
  }
  return { resourceSpans };
}

function readResourceSpans(r: ProtoReader): DecodedResourceSpans {
  const out: DecodedResourceSpans = {
    resource: { attributes: [], droppedAttributesCount: 0 },
    schemaUrl: '',
    scopeSpans: [],
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: {
        // resource = 1
        const outer = r.enter();
        readResource(r, out.resource);
        r.leave(outer);
        break;
      }
      case 18: {
        // scope_spans = 2
        const outer = r.enter();
        out.scopeSpans.push(readScopeSpans(r));
        r.leave(outer);
        break;
      }
      case 26: // schema_url = 3
        out.schemaUrl = r.string();
        break;
      default:
        r.skip(tag, KNOWN_RESOURCE_SPANS, 'ResourceSpans');
    }
  }
  return out;
}

function readResource(r: ProtoReader, out: DecodedResource): void {
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // attributes = 1
        out.attributes.push(readKeyValue(r));
        break;
      case 16: // dropped_attributes_count = 2
        out.droppedAttributesCount = r.uint32();
        break;
      default:
        r.skip(tag, KNOWN_RESOURCE, 'Resource');
    }
  }
}

function readScopeSpans(r: ProtoReader): DecodedScopeSpans {
  const out: DecodedScopeSpans = {
    scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
    schemaUrl: '',
    spans: [],
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: {
        // scope = 1
        const outer = r.enter();
        readScope(r, out.scope);
        r.leave(outer);
        break;
      }
      case 18: {
        // spans = 2
        const outer = r.enter();
        out.spans.push(readSpan(r));
        r.leave(outer);
        break;
      }
      case 26: // schema_url = 3
        out.schemaUrl = r.string();
        break;
      default:
        r.skip(tag, KNOWN_SCOPE_SPANS, 'ScopeSpans');
    }
  }
  return out;
}

function readScope(r: ProtoReader, out: DecodedScope): void {
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // name = 1
        out.name = r.string();
        break;
      case 18: // version = 2
        out.version = r.string();
        break;
      case 26: // attributes = 3
        out.attributes.push(readKeyValue(r));
        break;
      case 32: // dropped_attributes_count = 4
        out.droppedAttributesCount = r.uint32();
        break;
      default:
        r.skip(tag, KNOWN_SCOPE, 'InstrumentationScope');
    }
  }
}

function readSpan(r: ProtoReader): DecodedSpan {
  const span = emptyDecodedSpan();
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // trace_id = 1
        span.traceId = r.hex();
        break;
      case 18: // span_id = 2
        span.spanId = r.hex();
        break;
      case 26: // trace_state = 3
        span.traceState = r.string();
        break;
      case 34: // parent_span_id = 4
        span.parentSpanId = r.hex();
        break;
      case 42: // name = 5
        span.name = r.string();
        break;
      case 48: // kind = 6 (enum)
        span.kind = r.int32();
        break;
      case 57: // start_time_unix_nano = 7 (fixed64)
        span.startTimeUnixNano = r.fixed64();
        break;
      case 65: // end_time_unix_nano = 8 (fixed64)
        span.endTimeUnixNano = r.fixed64();
        break;
      case 74: // attributes = 9
        span.attributes.push(readKeyValue(r));
        break;
      case 80: // dropped_attributes_count = 10
        span.droppedAttributesCount = r.uint32();
        break;
      case 90: {
        // events = 11
        const outer = r.enter();
        span.events.push(readEvent(r));
        r.leave(outer);
        break;
      }
      case 96: // dropped_events_count = 12
        span.droppedEventsCount = r.uint32();
        break;
      case 106: {
        // links = 13
        const outer = r.enter();
        span.links.push(readLink(r));
        r.leave(outer);
        break;
      }
      case 112: // dropped_links_count = 14
        span.droppedLinksCount = r.uint32();
        break;
      case 122: {
        // status = 15
        const outer = r.enter();
        readStatus(r, span);
        r.leave(outer);
        break;
      }
      case 133: // flags = 16 (fixed32; a two-byte tag)
        span.flags = r.fixed32();
        break;
      default:
        r.skip(tag, KNOWN_SPAN, 'Span');
    }
  }
  return span;
}

function readStatus(r: ProtoReader, span: DecodedSpan): void {
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 18: // message = 2
        span.statusMessage = r.string();
        break;
      case 24: // code = 3 (enum)
        span.statusCode = r.int32();
        break;
      default:
        r.skip(tag, KNOWN_STATUS, 'Status');
    }
  }
}

function readEvent(r: ProtoReader): DecodedEvent {
  const event: DecodedEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 9: // time_unix_nano = 1 (fixed64)
        event.timeUnixNano = r.fixed64();
        break;
      case 18: // name = 2
        event.name = r.string();
        break;
      case 26: // attributes = 3
        event.attributes.push(readKeyValue(r));
        break;
      case 32: // dropped_attributes_count = 4
        event.droppedAttributesCount = r.uint32();
        break;
      default:
        r.skip(tag, KNOWN_EVENT, 'Span.Event');
    }
  }
  return event;
}

function readLink(r: ProtoReader): DecodedLink {
  const link: DecodedLink = { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // trace_id = 1
        link.traceId = r.hex();
        break;
      case 18: // span_id = 2
        link.spanId = r.hex();
        break;
      case 26: // trace_state = 3
        link.traceState = r.string();
        break;
      case 34: // attributes = 4
        link.attributes.push(readKeyValue(r));
        break;
      case 40: // dropped_attributes_count = 5
        link.droppedAttributesCount = r.uint32();
        break;
      case 53: // flags = 6 (fixed32)
        link.flags = r.fixed32();
        break;
      default:
        r.skip(tag, KNOWN_LINK, 'Span.Link');
    }
  }
  return link;
}

/** Reads one length-delimited KeyValue (the tag has been read). */
function readKeyValue(r: ProtoReader): KeyValue {
  const outer = r.enter();
  let key = '';
  let value: AnyValue = null;
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // key = 1
        key = r.string();
        break;
      case 18: // value = 2 (AnyValue; a repeated message field merges)
        value = readAnyValue(r, value);
        break;
      default:
        r.skip(tag, KNOWN_KEY_VALUE, 'KeyValue');
    }
  }
  r.leave(outer);
  return [key, value];
}

/**
 * Reads one length-delimited AnyValue (the tag has been read). `previous` is the value already
 * read for the same field, for proto's merge of a repeated singular message field: the oneof's
 * last member wins, except that two array_values or kvlist_values in a row are concatenated.
 */
function readAnyValue(r: ProtoReader, previous: AnyValue): AnyValue {
  const outer = r.enter();
  let value: AnyValue = previous;
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: // string_value = 1
        value = r.string();
        break;
      case 16: // bool_value = 2
        value = r.bool();
        break;
      case 24: // int_value = 3 (int64)
        value = r.int64();
        break;
      case 33: // double_value = 4
        value = r.double();
        break;
      case 42: {
        // array_value = 5 (ArrayValue { repeated AnyValue values = 1 })
        const values: AnyValue[] = Array.isArray(value) ? value : [];
        const inner = r.enter();
        while (r.more()) {
          const t = r.tag();
          if (t === 10) values.push(readAnyValue(r, null));
          else r.skip(t, KNOWN_VALUES, 'ArrayValue');
        }
        r.leave(inner);
        value = values;
        break;
      }
      case 50: {
        // kvlist_value = 6 (KeyValueList { repeated KeyValue values = 1 })
        const entries: KeyValue[] = value instanceof KeyValueList ? value.entries : [];
        const inner = r.enter();
        while (r.more()) {
          const t = r.tag();
          if (t === 10) entries.push(readKeyValue(r));
          else r.skip(t, KNOWN_VALUES, 'KeyValueList');
        }
        r.leave(inner);
        value = value instanceof KeyValueList ? value : new KeyValueList(entries);
        break;
      }
      case 58: // bytes_value = 7
        value = r.bytes();
        break;
      case 64: // string_value_strindex = 8 (profiles only): the value reads as empty
        r.int32();
        value = null;
        break;
      default:
        r.skip(tag, KNOWN_ANY_VALUE, 'AnyValue');
    }
  }
  r.leave(outer);
  return value;
}

// ---- logs -------------------------------------------------------------------------------------

/**
 * Decodes a protobuf-encoded ExportLogsServiceRequest
 * (collector/logs/v1/logs_service.proto; LogRecord fields from logs/v1/logs.proto). Same rules as
 * the trace decoder; throws OtlpDecodeError, and only that.
 */
export function decodeLogsRequestProto(body: Uint8Array): DecodedLogsRequest {
  const buf = body.constructor === Uint8Array ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const r = new ProtoReader(buf);
  const resourceLogs: DecodedResourceLogs[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === 10 /* LEN(1) resource_logs */) {
        const outer = r.enter();
        resourceLogs.push(readResourceLogs(r));
        r.leave(outer);
      } else {
        r.skip(tag, KNOWN_REQUEST, 'ExportLogsServiceRequest');
      }
    }
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`malformed protobuf request: ${(error as Error).message}`);
  }
  return { resourceLogs };
}

function readResourceLogs(r: ProtoReader): DecodedResourceLogs {
  const out: DecodedResourceLogs = { resource: { attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [] };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: {
        // resource = 1
        const outer = r.enter();
        readResource(r, out.resource);
        r.leave(outer);
        break;
      }
      case 18: {
        // scope_logs = 2
        const outer = r.enter();
        out.scopeLogs.push(readScopeLogs(r));
        r.leave(outer);
        break;
      }
      case 26: // schema_url = 3
        out.schemaUrl = r.string();
        break;
      default:
        r.skip(tag, KNOWN_RESOURCE_LOGS, 'ResourceLogs');
    }
  }
  return out;
}

function readScopeLogs(r: ProtoReader): DecodedScopeLogs {
  const out: DecodedScopeLogs = {
    scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
    schemaUrl: '',
    logRecords: [],
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 10: {
        // scope = 1
        const outer = r.enter();
        readScope(r, out.scope);
        r.leave(outer);
        break;
      }
      case 18: {
        // log_records = 2
        const outer = r.enter();
        out.logRecords.push(readLogRecord(r));
        r.leave(outer);
        break;
      }
      case 26: // schema_url = 3
        out.schemaUrl = r.string();
        break;
      default:
        r.skip(tag, KNOWN_SCOPE_LOGS, 'ScopeLogs');
    }
  }
  return out;
}

function readLogRecord(r: ProtoReader): DecodedLogRecord {
  const log: DecodedLogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case 9: // time_unix_nano = 1 (fixed64)
        log.timeUnixNano = r.fixed64();
        break;
      case 16: // severity_number = 2 (enum)
        log.severityNumber = r.int32();
        break;
      case 26: // severity_text = 3
        log.severityText = r.string();
        break;
      case 42: // body = 5 (AnyValue)
        log.body = readAnyValue(r, log.body);
        break;
      case 50: // attributes = 6
        log.attributes.push(readKeyValue(r));
        break;
      case 56: // dropped_attributes_count = 7
        log.droppedAttributesCount = r.uint32();
        break;
      case 69: // flags = 8 (fixed32)
        log.flags = r.fixed32();
        break;
      case 74: // trace_id = 9
        log.traceId = r.hex();
        break;
      case 82: // span_id = 10
        log.spanId = r.hex();
        break;
      case 89: // observed_time_unix_nano = 11 (fixed64)
        log.observedTimeUnixNano = r.fixed64();
        break;
      case 98: // event_name = 12
        log.eventName = r.string();
        break;
      default:
        r.skip(tag, KNOWN_LOG_RECORD, 'LogRecord');
    }
  }
  return log;
}

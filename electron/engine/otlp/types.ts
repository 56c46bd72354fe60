// What the OTLP decoders produce: an ExportTraceServiceRequest, decoded from protobuf or JSON
// into one shape. Field meanings follow opentelemetry-proto (trace/v1/trace.proto,
// common/v1/common.proto, resource/v1/resource.proto).
//
// AnyValue keeps every OTLP type apart using JavaScript's own types:
//   string → string, bool → boolean, int64 → bigint (exact beyond 2^53), double → number,
//   bytes → Uint8Array, array → AnyValue[], kvlist → KeyValueList, empty value → null.

export type AnyValue = string | boolean | bigint | number | Uint8Array | AnyValue[] | KeyValueList | null;

export type KeyValue = [key: string, value: AnyValue];

/** An OTLP KeyValueList (a map). A class, so it is told apart from an array of values. */
export class KeyValueList {
  constructor(readonly entries: KeyValue[]) {}
}

export interface DecodedResource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface DecodedScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface DecodedEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface DecodedLink {
  /** Lowercase hex of the id bytes as sent (length not validated here). */
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface DecodedSpan {
  /** Lowercase hex of the id bytes as sent; validation (16/8 bytes, not all zero) is ingest's job. */
  traceId: string;
  spanId: string;
  /** '' when the span is a root. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  /** SpanKind enum: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: DecodedEvent[];
  droppedEventsCount: number;
  links: DecodedLink[];
  droppedLinksCount: number;
  /** StatusCode enum: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
}

/** A span with every field at its protobuf default: what a span whose fields are all left out of the wire decodes to. */
export function emptyDecodedSpan(): DecodedSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 0,
    statusMessage: '',
  };
}

export interface DecodedScopeSpans {
  scope: DecodedScope;
  schemaUrl: string;
  spans: DecodedSpan[];
}

export interface DecodedResourceSpans {
  resource: DecodedResource;
  schemaUrl: string;
  scopeSpans: DecodedScopeSpans[];
}

export interface DecodedTraceRequest {
  resourceSpans: DecodedResourceSpans[];
}

/** Thrown by the decoders for a body that is not a valid request; becomes HTTP 400. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

// ---- logs (logs/v1/logs.proto, collector/logs/v1/logs_service.proto) ---------------------------

export interface DecodedLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** SeverityNumber enum, 0 (unspecified) to 24. */
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  /** Lowercase hex of the id bytes as sent; '' when the record is not linked to a span. */
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface DecodedScopeLogs {
  scope: DecodedScope;
  schemaUrl: string;
  logRecords: DecodedLogRecord[];
}

export interface DecodedResourceLogs {
  resource: DecodedResource;
  schemaUrl: string;
  scopeLogs: DecodedScopeLogs[];
}

export interface DecodedLogsRequest {
  resourceLogs: DecodedResourceLogs[];
}

// Turns a decoded OTLP trace request into store rows: validates each span (OTLP: a span with a
// malformed id is rejected on its own and reported through partial_success), flattens resource
// and scope onto every span, and adds the LLM columns from the semantic-convention mapping.
import type { SpanKind, StatusCode } from '../../shared/model';
import { eventsToJson, keyValuesToJson, linksToJson, ValueTypes } from './otlp/attributes-json';
import { stageRequest } from './ingest-staged';
import { decodeTraceBody } from './otlp/decode-body';
import type { OtlpEncoding } from './otlp/responses';
import type { DecodedResourceSpans, DecodedScopeSpans, DecodedTraceRequest, KeyValue } from './otlp/types';
import { normalizeLlmColumns } from './semconv/normalize';
import type { PriceTable } from './semconv/prices';
import { SPAN_KINDS, STATUS_CODES, type SpanRow } from './span-row';
import { stageRows, type StagedSpans } from './store/staged-spans';

export interface IngestResult {
  rows: SpanRow[];
  rejected: number;
  /** Why spans were rejected (the first few reasons), for partial_success.error_message. */
  errorMessage: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function stringAttribute(attributes: readonly KeyValue[], key: string): string | null {
  for (const [k, v] of attributes) if (k === key && typeof v === 'string') return v;
  return null;
}

/** A span's parent as stored: none for a root ('' or the all-zero id some senders use). */
export const storedParentSpanId = (parentSpanId: string): string | null =>
  parentSpanId === '' || parentSpanId === ZERO_SPAN_ID ? null : parentSpanId;

/** What every span of a resource shares: its attributes as JSON (and their value types), its service. */
export function resourceContext(rs: DecodedResourceSpans): { attributes: KeyValue[]; json: string; types: ValueTypes; serviceName: string | null } {
  const attributes = rs.resource.attributes;
  const types = new ValueTypes();
  types.column = 'resource_attributes';
  return { attributes, json: keyValuesToJson(attributes, types), types, serviceName: stringAttribute(attributes, 'service.name') };
}

/** The same for a scope's attributes. */
export function scopeContext(ss: DecodedScopeSpans): { json: string; types: ValueTypes } {
  const types = new ValueTypes();
  types.column = 'scope_attributes';
  return { json: keyValuesToJson(ss.scope.attributes, types), types };
}

/** A span's value_types JSON: its own columns' (`types`), its resource's and its scope's. */
export function spanValueTypes(types: ValueTypes, resource: ValueTypes, scope: ValueTypes): string | null {
  if (resource.found || scope.found) types.found = { ...types.found, ...resource.found, ...scope.found };
  return types.toJson();
}

function spanProblem(traceId: string, spanId: string, parentSpanId: string, startNs: bigint, endNs: bigint): string | null {
  if (!TRACE_ID.test(traceId) || traceId === ZERO_TRACE_ID) return `invalid trace_id "${traceId}" (need 16 bytes, not all zero)`;
  if (!SPAN_ID.test(spanId) || spanId === ZERO_SPAN_ID) return `invalid span_id "${spanId}" in trace ${traceId} (need 8 bytes, not all zero)`;
  if (parentSpanId !== '' && !SPAN_ID.test(parentSpanId)) return `invalid parent_span_id "${parentSpanId}" of span ${spanId}`;
  if (endNs < startNs) return `span ${spanId} ends before it starts`;
  if (endNs > MAX_TIME_NS) return `span ${spanId} has a time beyond 2262-04-11 (more than 2^63-1 ns since 1970)`;
  return null;
}

/** TIMESTAMP_NS holds signed 64-bit nanoseconds; OTLP's fixed64 times can exceed that. */
export const MAX_TIME_NS = (1n << 63n) - 1n;

/**
 * What a request's answer needs (OTLP partial_success): how many of its spans are rejected and
 * why, and which ones (`valid`, one flag per span in request order). Cheap next to building rows,
 * so an ingest worker sends it first and the answer need not wait for the rows (ingest-pool.ts).
 */
export interface RequestVerdict {
  valid: Uint8Array;
  /** Spans that will be stored. */
  count: number;
  rejected: number;
  errorMessage: string;
}

/** The verdict as the answer needs it (what a worker posts before the rows: ingest-pool.ts). */
export type IngestVerdict = Omit<RequestVerdict, 'valid'>;

export function requestVerdict(request: DecodedTraceRequest): RequestVerdict {
  let total = 0;
  for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) total += ss.spans.length;
  const valid = new Uint8Array(total);
  const problems: string[] = [];
  let rejected = 0;
  let i = 0;
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        let problem = spanProblem(span.traceId, span.spanId, span.parentSpanId, span.startTimeUnixNano, span.endTimeUnixNano);
        if (!problem) {
          for (const event of span.events) {
            if (event.timeUnixNano > MAX_TIME_NS) problem = `an event of span ${span.spanId} has a time beyond 2262-04-11`;
          }
        }
        if (problem) {
          rejected++;
          if (problems.length < 5) problems.push(problem);
        } else valid[i] = 1;
        i++;
      }
    }
  }
  const errorMessage =
    rejected === 0 ? '' : `${rejected} span(s) rejected: ${problems.join('; ')}${rejected > problems.length ? '; ...' : ''}`;
  return { valid, count: total - rejected, rejected, errorMessage };
}

export function requestToRows(request: DecodedTraceRequest, source: string, prices?: PriceTable, verdict = requestVerdict(request)): IngestResult {
  const rows: SpanRow[] = [];
  const { valid, rejected, errorMessage } = verdict;
  let i = 0;
  for (const rs of request.resourceSpans) {
    const resource = resourceContext(rs);
    for (const ss of rs.scopeSpans) {
      const scope = scopeContext(ss);
      for (const span of ss.spans) {
        if (valid[i++] !== 1) continue;
        const llm = normalizeLlmColumns(
          { name: span.name, attributes: span.attributes, resourceAttributes: resource.attributes, events: span.events },
          prices,
        );
        const types = new ValueTypes();
        const attributesJson = keyValuesToJson(span.attributes, types);
        types.column = 'events';
        const eventsJson = eventsToJson(span.events, types);
        types.column = 'links';
        const linksJson = linksToJson(span.links, types);
        rows.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: storedParentSpanId(span.parentSpanId),
          traceState: span.traceState,
          flags: span.flags,
          name: span.name,
          kind: (SPAN_KINDS[span.kind] ?? 'unspecified') as SpanKind,
          startNs: span.startTimeUnixNano,
          endNs: span.endTimeUnixNano,
          statusCode: (STATUS_CODES[span.statusCode] ?? 'unset') as StatusCode,
          statusMessage: span.statusMessage,
          serviceName: resource.serviceName,
          scopeName: ss.scope.name || null,
          scopeVersion: ss.scope.version || null,
          attributesJson,
          resourceAttributesJson: resource.json,
          scopeAttributesJson: scope.json,
          eventsJson,
          linksJson,
          droppedAttributesCount: span.droppedAttributesCount,
          droppedEventsCount: span.droppedEventsCount,
          droppedLinksCount: span.droppedLinksCount,
          resourceSchemaUrl: rs.schemaUrl,
          scopeSchemaUrl: ss.schemaUrl,
          valueTypesJson: spanValueTypes(types, resource.types, scope.types),
          ...llm,
          source,
        });
      }
    }
  }
  return { rows, rejected, errorMessage };
}

/** A trace request's body (decompressed) to store rows. Throws OtlpDecodeError when it is not a valid request. */
export function traceBodyToRows(body: Uint8Array, encoding: OtlpEncoding, source: string, prices?: PriceTable): IngestResult {
  return requestToRows(decodeTraceBody(body, encoding), source, prices);
}

/** A request's valid spans in staging form (store/staged-spans.ts), and what was rejected. */
export interface StagedIngestResult {
  staged: StagedSpans;
  rejected: number;
  errorMessage: string;
}

/**
 * A trace request's body to its spans in staging form: what an ingest worker does with each
 * request (ingest-pool.ts; `binary`, to transfer the part: store/staged-spans.ts), and the
 * engine thread when there is no worker.
 */
export function traceBodyToStaged(
  body: Uint8Array,
  encoding: OtlpEncoding,
  source: string,
  prices?: PriceTable,
  binary = false,
  onVerdict?: (verdict: IngestVerdict) => void,
): StagedIngestResult {
  const request = decodeTraceBody(body, encoding);
  const verdict = requestVerdict(request);
  onVerdict?.({ count: verdict.count, rejected: verdict.rejected, errorMessage: verdict.errorMessage });
  const { rejected, errorMessage } = verdict;
  // A worker's part is written as binary columns directly (ingest-staged.ts); the engine thread
  // keeps its strings (store/staged-spans.ts stageRows).
  if (binary) return { staged: stageRequest(request, verdict, source, prices), rejected, errorMessage };
  return { staged: stageRows(requestToRows(request, source, prices, verdict).rows), rejected, errorMessage };
}

// One span as the store writes it: the columns of the `spans` view plus the OTLP fields the
// view does not show (trace_state, flags, dropped counts, schema URLs, scope attributes).
// JSON columns arrive as JSON text, rendered by attributes-json.ts so OTLP types survive.
import type { SpanKind, SpanType, StatusCode } from '../../shared/model';

export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  statusCode: StatusCode;
  statusMessage: string;
  serviceName: string | null;
  scopeName: string | null;
  scopeVersion: string | null;
  attributesJson: string;
  resourceAttributesJson: string;
  scopeAttributesJson: string;
  eventsJson: string;
  linksJson: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  resourceSchemaUrl: string;
  scopeSchemaUrl: string;
  /**
   * Where a JSON column holds a value whose JSON does not say its OTLP type (bytes as base64,
   * non-finite doubles as strings): see ValueTypes in otlp/attributes-json.ts. Null or absent
   * when there is none (nearly always).
   */
  valueTypesJson?: string | null;
  spanType: SpanType | null;
  llmProvider: string | null;
  llmModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  costUsd: number | null;
  sessionId: string | null;
  userId: string | null;
  /** otlp-http, otlp-grpc, or the imported file's path. */
  source: string;
}

export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];

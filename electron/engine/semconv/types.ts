// Shapes shared by the semantic-convention mapping (normalize.ts), the price table (prices.ts) and
// whoever shows their results. Plain types only.
import type { SpanType } from '../../../shared/model';
import type { AnyValue, KeyValue } from '../otlp/types';

/** The LLM columns of the `spans` view (DESIGN.md), as the store writes them. */
export interface LlmColumns {
  spanType: SpanType | null;
  llmProvider: string | null;
  /** The response model when the span names one, else the request model. */
  llmModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  /** What the span says it cost, else what the price table says; null = "no price". */
  costUsd: number | null;
  sessionId: string | null;
  userId: string | null;
}

/** The parts of a span the mapping reads. DecodedSpan (otlp/types.ts) plus its resource fits. */
export interface SpanForNormalize {
  name: string;
  attributes: KeyValue[];
  resourceAttributes: KeyValue[];
  events?: { name: string; attributes: KeyValue[] }[];
}

/**
 * Token counts as the price table needs them. `inputTokens` counts every prompt token, the
 * cached ones included (the OpenTelemetry and OpenInference reading); the cache counts say how
 * many of those were read from, or written to, a prompt cache. Reasoning tokens are part of
 * `outputTokens`.
 */
export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
}

/** Everything normalizeLlmSpan finds: the columns plus the detail the span view shows. */
export interface NormalizedLlmSpan extends LlmColumns {
  requestModel: string | null;
  responseModel: string | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  /** Where costUsd came from: the span's own attributes, the price table, or nowhere. */
  costSource: 'span' | 'table' | null;
  /**
   * True when the span's token counts sum up its children's (an agent or workflow span, the
   * Vercel AI SDK's outer ai.generateText span). The token and cost columns are left empty on
   * such spans so that per-trace sums count every model call once; the counts found are still
   * reported here in `aggregateUsage`.
   */
  aggregate: boolean;
  aggregateUsage: (TokenUsage & { totalTokens: number | null; costUsd: number | null }) | null;
}

export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id?: string; name: string; arguments: string }
  | { type: 'tool_result'; id?: string; content: string }
  /** Anything else (images, audio, reasoning, unknown part types), as text. `kind` names it. */
  | { type: 'other'; kind?: string; value: string };

export interface ChatMessage {
  /** system, user, assistant, tool, … as the instrumentation wrote it (lowercased). */
  role: string;
  parts: MessagePart[];
  finishReason?: string;
  /** The tool or participant name some conventions attach to a message. */
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** The parameters' JSON schema, as JSON text. */
  parameters?: string;
}

export interface RetrievedDocument {
  id?: string;
  content: string;
  score?: number;
  /** Metadata as JSON text. */
  metadata?: string;
}

export interface NormalizedMessages {
  input: ChatMessage[];
  output: ChatMessage[];
  /** System instructions given apart from the messages (gen_ai.system_instructions, …). */
  system?: string;
  /** Tools offered to the model. */
  tools?: ToolDefinition[];
  /** Documents a retriever returned (retrieval.documents.N.*, gen_ai.retrieval.documents). */
  documents?: RetrievedDocument[];
}

/** A log record that belongs to the span (same trace and span id), as extractMessages reads it. */
export interface LogForMessages {
  /** The record's event_name; when empty, its `event.name` attribute is used. */
  eventName: string;
  body: AnyValue;
  attributes: KeyValue[];
}

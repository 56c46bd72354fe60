// The normalised view of one LLM span, as the engine computes it (electron/engine/llm-view.ts)
// from the stored attributes, events and log records, whatever instrumentation wrote them. The
// renderer shows it as a transcript (renderer/src/llm/). Every string here is content from a
// span: show it as text, never as HTML or as a link.
import type { SpanType } from './model';

export type LlmMessagePart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id?: string; name: string; arguments: string }
  | { type: 'tool_result'; id?: string; content: string }
  /** Anything else (images, audio, reasoning, unknown part types), as text. `kind` names it. */
  | { type: 'other'; kind?: string; value: string };

export interface LlmMessage {
  /** system, user, assistant, tool, … as the instrumentation wrote it (lowercased). */
  role: string;
  parts: LlmMessagePart[];
  finishReason?: string;
  name?: string;
}

export interface LlmToolDefinition {
  name: string;
  description?: string;
  /** The parameters' JSON schema, as JSON text. */
  parameters?: string;
}

export interface LlmDocument {
  id?: string;
  content: string;
  score?: number;
  /** Metadata as JSON text. */
  metadata?: string;
}

/** A request parameter (temperature, max_tokens, …): its normalised name and its value as text. */
export interface LlmParameter {
  name: string;
  value: string;
}

export interface LlmView {
  traceId: string;
  spanId: string;
  spanType: SpanType | null;
  provider: string | null;
  /** The response model when the span names one, else the request model. */
  model: string | null;
  requestModel: string | null;
  responseModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  /** null = "no price" (unknown model or no token counts), never shown as $0. */
  costUsd: number | null;
  /** Where costUsd came from: the span's own attributes, the price table, or nowhere. */
  costSource: 'span' | 'table' | null;
  /** True for agent/chain spans whose counts sum their children's (columns left empty). */
  aggregate: boolean;
  sessionId: string | null;
  userId: string | null;
  parameters: LlmParameter[];
  /** The span's duration. */
  latencyNs: number;
  /** From the request's start to the first streamed token, when the span tells. */
  timeToFirstTokenNs: number | null;
  input: LlmMessage[];
  output: LlmMessage[];
  /** System instructions given apart from the messages. */
  system: string | null;
  tools: LlmToolDefinition[];
  documents: LlmDocument[];
}

// ---- sessions: traces grouped by session id (session.id, gen_ai.conversation.id, …) ------------

export interface SessionQuery {
  /** 1–1000, default 100. */
  limit?: number;
  offset?: number;
}

export interface SessionSummary {
  sessionId: string;
  /** Traces in the session (one per turn). */
  turns: number;
  firstStartNs: string;
  lastEndNs: string;
  llmCalls: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Sum over priced spans; null = no price at all. */
  costUsd: number | null;
  /** LLM calls with tokens but no price: costUsd is then a lower bound. */
  unpricedCalls: number;
  errorCount: number;
  userId: string | null;
}

export interface SessionPage {
  sessions: SessionSummary[];
  /** Sessions in the store. */
  total: number;
}

export interface SessionTurn {
  traceId: string;
  startNs: string;
  durationNs: number;
  rootName: string | null;
  /** The turn's input and output as text: the root's input/output, else the first LLM call's last user message and the last call's answer. */
  input: string | null;
  output: string | null;
  llmCalls: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  errorCount: number;
}

export interface SessionDetail {
  sessionId: string;
  /** In time order; at most 500 (the earliest). */
  turns: SessionTurn[];
  truncated: boolean;
}

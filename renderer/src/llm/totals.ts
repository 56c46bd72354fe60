// Per-trace LLM totals for the trace header. Pure; reads the span rows of TraceDetail, whose
// token and cost columns are empty on aggregate (agent/workflow) spans, so each model call
// counts once.
import type { SpanSummary } from '../../../shared/model';

export interface LlmTotals {
  /** Spans of type llm. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum of the priced spans' cost; null when no span has a price. */
  costUsd: number | null;
  /** LLM calls with token counts but no price (unknown model): the cost is a lower bound. */
  unpriced: number;
}

export function traceLlmTotals(spans: readonly SpanSummary[]): LlmTotals {
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd: number | null = null;
  let unpriced = 0;
  for (const s of spans) {
    if (s.spanType === 'llm') calls++;
    inputTokens += s.inputTokens ?? 0;
    outputTokens += s.outputTokens ?? 0;
    if (s.costUsd !== null) costUsd = (costUsd ?? 0) + s.costUsd;
    else if (s.inputTokens !== null || s.outputTokens !== null) unpriced++;
  }
  return { calls, inputTokens, outputTokens, costUsd, unpriced };
}

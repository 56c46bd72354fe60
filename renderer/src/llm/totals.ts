// Per-trace totals for the trace header: LLM calls, tokens and cost, and the error count. Pure;
// read from the trace's columns (SpanColumns, as the engine sends them) while the trace is laid
// out (tree/packed-trace.ts), in the trace-layout worker for large traces: a loop over 10,000
// span objects on the main thread cost ~15-20 ms of a 10,000-span open there (getters, cold
// code), the columns' sparse token and cost lists only a pass over the LLM spans. Token and cost
// columns are empty on aggregate (agent/workflow) spans, so each model call counts once.
import type { SpanColumns } from '../../../shared/model';

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

export interface TraceTotals {
  /** Spans whose status is error. */
  errors: number;
  llm: LlmTotals;
}

/** How many spans' coded column `codes` holds `value` (codes index `strings`; -1 is null). */
function countCoded(strings: readonly string[], codes: readonly number[], value: string): number {
  let count = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 && strings[codes[i]!] === value) count++;
  return count;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Spans with a token count and no price. */
function countUnpriced(columns: SpanColumns): number {
  const seen = new Uint8Array(columns.spanId.length);
  for (const i of columns.costUsd.at) seen[i] = 1;
  let count = 0;
  for (const { at } of [columns.inputTokens, columns.outputTokens]) {
    for (const i of at) {
      if (seen[i] === 1) continue;
      seen[i] = 1;
      count++;
    }
  }
  return count;
}

export function traceTotals(columns: SpanColumns): TraceTotals {
  const { strings, inputTokens, outputTokens, costUsd } = columns;
  return {
    errors: countCoded(strings, columns.statusCode, 'error'),
    llm: {
      calls: countCoded(strings, columns.spanType, 'llm'),
      inputTokens: sum(inputTokens.values),
      outputTokens: sum(outputTokens.values),
      costUsd: costUsd.values.length > 0 ? sum(costUsd.values) : null,
      unpriced: countUnpriced(columns),
    },
  };
}

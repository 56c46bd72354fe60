// The trace header's LLM totals: calls, tokens in/out, cost ("no price" when nothing is priced,
// never $0; "+ n unpriced" when some calls have no price). Nothing for a trace without LLM spans.
import { formatCost, formatCount } from '../format';
import type { LlmTotals } from './totals';

/** `totals` are counted with the trace's layout (llm/totals.ts, state/selection.ts). */
export function TraceLlmTotals({ totals: t }: { totals: LlmTotals }) {
  if (t.calls === 0 && t.inputTokens === 0 && t.outputTokens === 0) return null;
  return (
    <span className="llm-totals" aria-label="LLM totals">
      <span>
        {formatCount(t.calls)} LLM {t.calls === 1 ? 'call' : 'calls'}
      </span>
      <span title="Input / output tokens">
        {formatCount(t.inputTokens)} in · {formatCount(t.outputTokens)} out
      </span>
      <span title="Cost">
        {t.costUsd === null ? <span className="muted">no price</span> : formatCost(t.costUsd)}
        {t.costUsd !== null && t.unpriced > 0 && <span className="muted"> + {formatCount(t.unpriced)} unpriced</span>}
      </span>
    </span>
  );
}

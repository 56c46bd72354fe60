// A span row's token badge in the tree: total tokens, in/out in the tooltip. Nothing for spans
// without counts (aggregate agent/workflow spans keep theirs empty so each call counts once).
import type { SpanSummary } from '../../../shared/model';
import { formatCount } from '../format';
import { compactCount } from './token-count';

export function SpanTokensBadge({ span }: { span: Pick<SpanSummary, 'inputTokens' | 'outputTokens' | 'llmModel'> }) {
  if (span.inputTokens === null && span.outputTokens === null) return null;
  const total = (span.inputTokens ?? 0) + (span.outputTokens ?? 0);
  const title = `${formatCount(span.inputTokens ?? 0)} input · ${formatCount(span.outputTokens ?? 0)} output tokens${span.llmModel ? ` · ${span.llmModel}` : ''}`;
  return (
    <span className="badge tokens mono" title={title}>
      {compactCount(total)} tok
    </span>
  );
}

// SpanSummary builders for the renderer's pure-layout tests.
import type { SpanSummary } from '../../../shared/model';

/** [spanId, parentId, startOffsetNs, durationNs, name?] */
export type SpanSpec = [string, string | null, number, number, string?];

export function spansOf(specs: SpanSpec[]): SpanSummary[] {
  return specs
    // Asserted rather than annotated: fields other issues add to SpanSummary stay absent here.
    .map(([spanId, parentSpanId, startOffsetNs, durationNs, name]) => ({
      spanId,
      parentSpanId,
      name: name ?? spanId,
      kind: 'internal' as const,
      serviceName: 'svc',
      startOffsetNs,
      durationNs,
      statusCode: 'unset' as const,
      spanType: null,
      llmModel: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      eventCount: 0,
    }) as SpanSummary)
    .sort((a, b) => a.startOffsetNs - b.startOffsetNs);
}

import { describe, expect, it } from 'vitest';
import type { SpanSummary } from '../../../../shared/model';
import { spanColumnsFrom } from '../../../../shared/span-columns';
import { traceTotals } from '../../../../renderer/src/llm/totals';

const span = (over: Partial<SpanSummary>): SpanSummary => ({
  spanId: 's',
  parentSpanId: null,
  name: 'x',
  kind: 'client',
  serviceName: null,
  startOffsetNs: 0,
  durationNs: 1,
  statusCode: 'unset',
  spanType: null,
  llmModel: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  eventCount: 0,
  ...over,
});

const totalsOf = (spans: SpanSummary[]) => traceTotals(spanColumnsFrom(spans));

describe('traceTotals', () => {
  it('sums calls, tokens and cost; counts unpriced calls; agent spans (empty columns) add nothing', () => {
    const t = totalsOf([
      span({ spanType: 'agent' }),
      span({ spanType: 'llm', inputTokens: 100, outputTokens: 10, costUsd: 0.001 }),
      span({ spanType: 'llm', inputTokens: 50, outputTokens: 5, costUsd: 0.0005 }),
      span({ spanType: 'llm', inputTokens: 7, outputTokens: 3 }),
      span({ spanType: 'llm', inputTokens: 4 }),
      span({ spanType: 'llm', outputTokens: 0 }),
      span({ spanType: 'tool' }),
    ]).llm;
    expect(t).toMatchObject({ calls: 5, inputTokens: 161, outputTokens: 18, unpriced: 3 });
    expect(t.costUsd).toBeCloseTo(0.0015, 12);
  });

  it('gives a null cost ("no price"), not 0, when no call is priced', () => {
    expect(totalsOf([span({ spanType: 'llm', inputTokens: 1, outputTokens: 1 })]).llm.costUsd).toBeNull();
    expect(totalsOf([]).llm).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null, unpriced: 0 });
  });

  it('counts spans whose status is error, not other fields that read "error"', () => {
    const t = totalsOf([
      span({ statusCode: 'error' }),
      span({ name: 'error', statusCode: 'ok' }),
      span({ serviceName: 'error', statusCode: 'error' }),
      span({ spanType: 'llm', statusCode: 'unset' }),
    ]);
    expect(t.errors).toBe(2);
    expect(t.llm.calls).toBe(1);
  });
});

describe('compactCount', () => {
  it('shortens token counts for the tree badge', async () => {
    const { compactCount } = await import('../../../../renderer/src/llm/token-count');
    expect([compactCount(950), compactCount(1_234), compactCount(45_600), compactCount(2_500_000)]).toEqual(['950', '1.2k', '46k', '2.5M']);
  });
});

// The transcript's pure helpers: folding, JSON pretty-printing, and the usage facts ("no price",
// never $0, for a model without a price).
import { describe, expect, it } from 'vitest';
import type { LlmView } from '../../../../shared/llm';
import { foldPoint, prettyJson, usageFacts } from '../../../../renderer/src/llm/transcript-format';

const view = (over: Partial<LlmView>): LlmView => ({
  traceId: 't',
  spanId: 's',
  spanType: 'llm',
  provider: null,
  model: 'house-model',
  requestModel: null,
  responseModel: null,
  inputTokens: 10,
  outputTokens: 5,
  totalTokens: 15,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  reasoningTokens: 2,
  costUsd: null,
  costSource: null,
  aggregate: false,
  sessionId: null,
  userId: null,
  parameters: [],
  latencyNs: 1_500_000_000,
  timeToFirstTokenNs: null,
  input: [],
  output: [],
  system: null,
  tools: [],
  documents: [],
  ...over,
});

describe('transcript helpers', () => {
  it('folds at 1,200 characters or 16 lines, whichever comes first', () => {
    expect(foldPoint('short')).toBeNull();
    expect(foldPoint('x'.repeat(1_201))).toBe(1_200);
    expect(foldPoint('line\n'.repeat(20))).toBe(16 * 5 - 1);
    expect(foldPoint('line\n'.repeat(15))).toBeNull();
  });

  it('pretty-prints JSON keeping numbers exact, and leaves other text alone', () => {
    expect(prettyJson('{"id":12345678901234567890,"x":1.0}')).toBe('{\n  "id": 12345678901234567890,\n  "x": 1.0\n}');
    expect(prettyJson('{not json')).toBe('{not json');
    expect(prettyJson('plain <b>text</b>')).toBe('plain <b>text</b>');
  });

  it('says "no price" for a priced call without a known model, and never $0', () => {
    const facts = Object.fromEntries(usageFacts(view({})));
    expect(facts.Cost).toBe('no price');
    expect(facts.Tokens).toBe('10 in · 5 out · 2 reasoning');
    const priced = Object.fromEntries(usageFacts(view({ costUsd: 0.0123, costSource: 'span', timeToFirstTokenNs: 250_000_000 })));
    expect(priced.Cost).toBe('$0.0123 (as reported)');
    expect(priced['Time to first token']).toBeDefined();
  });
});

// The price table: loading and checking a file, matching model names, the arithmetic of a call's
// cost, user overrides, and the bundled table itself.
import { describe, expect, it } from 'vitest';
import bundled from '../../../resources/prices.json';
import {
  compilePattern,
  costFor,
  DEFAULT_PRICE_TABLE,
  findPrice,
  loadPriceTable,
  mergePriceTables,
  PriceTableError,
} from '../../../electron/engine/semconv/prices';

const table = loadPriceTable({
  taken: '2026-01-01',
  source: 'test',
  models: [
    { pattern: 'gpt-4o-mini*', input: 1, output: 2, cacheRead: 0.5 },
    { pattern: 'gpt-4o*', input: 10, output: 20 },
    { pattern: '/^claude-(sonnet|opus)-4-\\d$/', input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  ],
});

describe('loadPriceTable', () => {
  it('loads parsed JSON and JSON text alike', () => {
    const text = JSON.stringify({ taken: '2026-02-02', source: 's', models: [{ pattern: 'm', input: 1e-6, output: 2e-6 }] });
    const t = loadPriceTable(text);
    expect(t.taken).toBe('2026-02-02');
    expect(t.models).toEqual([{ pattern: 'm', input: 1e-6, output: 2e-6 }]);
    expect(loadPriceTable(JSON.parse(text) as unknown).models).toEqual(t.models);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['no models', { taken: '2026-01-01' }],
    ['a row without a pattern', { models: [{ input: 1, output: 1 }] }],
    ['a negative price', { models: [{ pattern: 'm', input: -1, output: 1 }] }],
    ['a price as text', { models: [{ pattern: 'm', input: '1', output: 1 }] }],
    ['a bad cache price', { models: [{ pattern: 'm', input: 1, output: 1, cacheRead: 'cheap' }] }],
    ['a bad regex', { models: [{ pattern: '/(/', input: 1, output: 1 }] }],
  ] as const)('rejects %s', (_name, json) => {
    expect(() => loadPriceTable(json)).toThrow(PriceTableError);
  });

  it('names the bad row', () => {
    expect(() => loadPriceTable({ models: [{ pattern: 'ok', input: 1, output: 1 }, { pattern: 'bad', input: 1 }] })).toThrow(/models\[1\] \(bad\)/);
  });
});

describe('patterns', () => {
  it.each([
    ['gpt-4o*', 'gpt-4o-2024-08-06', true],
    ['gpt-4o*', 'GPT-4O', true],
    ['gpt-4o*', 'ft:gpt-4o', false],
    ['gpt-4?', 'gpt-4o', true],
    ['gpt-4?', 'gpt-4', false],
    ['gpt-4.1', 'gpt-4x1', false],
    ['/^o[13]-mini$/', 'O3-MINI', true],
    ['/^o[13]-mini$/', 'o3-mini-high', false],
    ['/gemini/', 'models/gemini-2.5-pro', true],
  ] as const)('%s matches %s: %s', (pattern, name, matches) => {
    expect(compilePattern(pattern).test(name)).toBe(matches);
  });
});

describe('findPrice', () => {
  it('takes the first matching row, so the more specific one listed first wins', () => {
    expect(findPrice('gpt-4o-mini-2024-07-18', table)?.pattern).toBe('gpt-4o-mini*');
    expect(findPrice('gpt-4o-2024-08-06', table)?.pattern).toBe('gpt-4o*');
  });

  it('tries the name without a provider path or a Bedrock vendor prefix', () => {
    expect(findPrice('openai/gpt-4o-mini', table)?.pattern).toBe('gpt-4o-mini*');
    expect(findPrice('us.anthropic.claude-sonnet-4-5', table)?.pattern).toBe('/^claude-(sonnet|opus)-4-\\d$/');
    expect(findPrice('anthropic.claude-opus-4-8', table)?.pattern).toBe('/^claude-(sonnet|opus)-4-\\d$/');
  });

  it('finds nothing for unknown, empty or missing names', () => {
    expect(findPrice('llama-99', table)).toBeNull();
    expect(findPrice('', table)).toBeNull();
    expect(findPrice(null, table)).toBeNull();
  });
});

describe('costFor', () => {
  it('prices input and output tokens', () => {
    expect(costFor('gpt-4o', { inputTokens: 3, outputTokens: 4 }, table)).toBe(3 * 10 + 4 * 20);
  });

  it('prices cache reads and writes at their own rates and the rest of the input at the input rate', () => {
    const usage = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 60, cacheWriteTokens: 30 };
    expect(costFor('claude-sonnet-4-5', usage, table)).toBeCloseTo(10 * 3 + 60 * 0.3 + 30 * 3.75 + 10 * 15, 9);
  });

  it('prices cache tokens at the input rate when the row has no cache price', () => {
    expect(costFor('gpt-4o', { inputTokens: 100, outputTokens: 0, cacheReadTokens: 50, cacheWriteTokens: 50 }, table)).toBe(1000);
    expect(costFor('gpt-4o-mini', { inputTokens: 100, outputTokens: 0, cacheWriteTokens: 50 }, table)).toBe(100);
  });

  it('never counts more cached tokens than input tokens', () => {
    expect(costFor('gpt-4o-mini', { inputTokens: 10, outputTokens: 0, cacheReadTokens: 50 }, table)).toBe(10 * 0.5);
  });

  it('gives null, not 0, for a model without a price', () => {
    expect(costFor('my-model', { inputTokens: 1000, outputTokens: 1000 }, table)).toBeNull();
    expect(costFor(null, { inputTokens: 1000, outputTokens: 1000 }, table)).toBeNull();
  });

  it('gives null without any token count, and counts a missing side as zero', () => {
    expect(costFor('gpt-4o', { inputTokens: null, outputTokens: null }, table)).toBeNull();
    expect(costFor('gpt-4o', { inputTokens: 5, outputTokens: null }, table)).toBe(50);
    expect(costFor('gpt-4o', { inputTokens: 0, outputTokens: 0 }, table)).toBe(0);
  });

  it('uses the bundled table by default', () => {
    expect(costFor('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(0.15 + 0.6, 9);
  });
});

describe('mergePriceTables', () => {
  const user = loadPriceTable({
    taken: '2026-06-06',
    source: 'my contract',
    models: [
      { pattern: 'gpt-4o*', input: 5, output: 6 },
      { pattern: 'my-model', input: 7, output: 8 },
    ],
  });
  const merged = mergePriceTables(table, user);

  it('replaces a base row with the same pattern in place', () => {
    expect(merged.models.map((m) => m.pattern)).toEqual(['my-model', 'gpt-4o-mini*', 'gpt-4o*', '/^claude-(sonnet|opus)-4-\\d$/']);
    expect(costFor('gpt-4o', { inputTokens: 1, outputTokens: 1 }, merged)).toBe(11);
    // The more specific base row still comes first.
    expect(costFor('gpt-4o-mini', { inputTokens: 1, outputTokens: 1 }, merged)).toBe(3);
  });

  it("puts the user's new rows first", () => {
    expect(costFor('my-model', { inputTokens: 1, outputTokens: 1 }, merged)).toBe(15);
    const shadow = mergePriceTables(table, loadPriceTable({ models: [{ pattern: 'gpt-4o-mini-2024*', input: 0, output: 0 }] }));
    expect(costFor('gpt-4o-mini-2024-07-18', { inputTokens: 9, outputTokens: 9 }, shadow)).toBe(0);
  });

  it("takes the user file's date and keeps both sources", () => {
    expect(merged.taken).toBe('2026-06-06');
    expect(merged.source).toContain('my contract');
    expect(merged.source).toContain('test');
  });

  it('returns the base table when there is no user file', () => {
    expect(mergePriceTables(table, null)).toBe(table);
    expect(mergePriceTables(table, loadPriceTable({ models: [] }))).toBe(table);
  });
});

describe('the bundled table (resources/prices.json)', () => {
  it('says when the prices were taken and where from', () => {
    expect(DEFAULT_PRICE_TABLE.taken).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICE_TABLE.source.length).toBeGreaterThan(20);
    const sources = (bundled as { sources: Record<string, { asOf: string; from: string }> }).sources;
    for (const row of DEFAULT_PRICE_TABLE.models) {
      expect(row.source && sources[row.source], `source of ${row.pattern}`).toBeTruthy();
    }
  });

  it('has per-token prices (not per million)', () => {
    for (const row of DEFAULT_PRICE_TABLE.models) {
      for (const price of [row.input, row.output, row.cacheRead ?? 0, row.cacheWrite ?? 0]) expect(price, row.pattern).toBeLessThan(0.001);
      if (row.cacheRead !== undefined) expect(row.cacheRead, row.pattern).toBeLessThanOrEqual(row.input);
    }
  });

  it('has no pattern twice', () => {
    const patterns = DEFAULT_PRICE_TABLE.models.map((m) => m.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
  });

  // [model name as instrumentations report it, $ per 1M input, $ per 1M output]
  it.each([
    ['gpt-4o-mini', 0.15, 0.6],
    ['gpt-4o-mini-2024-07-18', 0.15, 0.6],
    ['gpt-4o', 2.5, 10],
    ['gpt-4o-2024-08-06', 2.5, 10],
    ['gpt-4.1', 2, 8],
    ['gpt-4.1-mini-2025-04-14', 0.4, 1.6],
    ['gpt-4.1-nano', 0.1, 0.4],
    ['gpt-5', 1.25, 10],
    ['gpt-5-2025-08-07', 1.25, 10],
    ['gpt-5-mini', 0.25, 2],
    ['gpt-5-nano', 0.05, 0.4],
    ['gpt-5.4', 2.5, 15],
    ['gpt-5.4-mini', 0.75, 4.5],
    ['gpt-5.5', 5, 30],
    ['o3', 2, 8],
    ['o4-mini', 1.1, 4.4],
    ['text-embedding-3-small', 0.02, 0],
    ['claude-opus-4-8', 5, 25],
    ['claude-opus-4-5-20251101', 5, 25],
    ['claude-opus-4-1-20250805', 15, 75],
    ['claude-opus-4-20250514', 15, 75],
    ['claude-sonnet-4-5-20250929', 3, 15],
    ['claude-sonnet-4-20250514', 3, 15],
    ['claude-sonnet-5', 2, 10],
    ['claude-3-7-sonnet-20250219', 3, 15],
    ['claude-haiku-4-5', 1, 5],
    ['claude-3-5-haiku-20241022', 0.8, 4],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 3, 15],
    ['claude-sonnet-4-5@20250929', 3, 15],
    ['gemini-2.5-pro', 1.25, 10],
    ['models/gemini-2.5-flash', 0.3, 2.5],
    ['gemini-2.5-flash-lite', 0.1, 0.4],
    ['gemini-2.0-flash-001', 0.1, 0.4],
    ['mistral-large-2411', 2, 6],
    ['mistral-small-2506', 0.1, 0.3],
    ['codestral-2508', 0.3, 0.9],
    ['llama-3.3-70b-versatile', 0.59, 0.79],
    ['llama-3.1-8b-instant', 0.05, 0.08],
    ['meta-llama/llama-4-scout-17b-16e-instruct', 0.11, 0.34],
    ['openai/gpt-oss-120b', 0.15, 0.6],
  ] as const)('prices %s at $%s / $%s per million tokens', (model, input, output) => {
    const price = findPrice(model);
    expect(price, model).not.toBeNull();
    expect(price!.input * 1e6).toBeCloseTo(input, 9);
    expect(price!.output * 1e6).toBeCloseTo(output, 9);
  });

  it.each(['llama3.2:3b', 'my-finetune', 'ft:gpt-4o-mini-2024-07-18:org::abc', 'gpt-4o-mini-tts-custom-thing-2'])('has no price for %s', (model) => {
    expect(costFor(model, { inputTokens: 1000, outputTokens: 1000 })).toBeNull();
  });
});

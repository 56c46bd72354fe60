import { describe, expect, it } from 'vitest';
import { compareTraces } from '../../../renderer/src/compare/diff';
import type { SpanSummary } from '../../../shared/model';

let next = 0;
function span(name: string, parentSpanId: string | null, durationNs: number, spanId = `s${++next}`, startOffsetNs = next): SpanSummary {
  return {
    spanId, parentSpanId, name, kind: 'internal', serviceName: 'svc', startOffsetNs, durationNs, statusCode: 'unset',
    spanType: null, llmModel: null, inputTokens: null, outputTokens: null, costUsd: null, eventCount: 0,
  } as SpanSummary;
}

describe('compareTraces', () => {
  it('matches spans by name path, k-th repeat with k-th, and reports added, missing and deltas as a tree', () => {
    const a = [
      span('root', null, 100, 'ar'),
      span('db', 'ar', 10, 'ad1'),
      span('db', 'ar', 20, 'ad2'),
      span('cache', 'ar', 5, 'ac'),
      span('parse', 'ad1', 3, 'ap'),
    ];
    const b = [
      span('root', null, 150, 'br'),
      span('db', 'br', 12, 'bd1'),
      span('llm', 'br', 90, 'bl'),
      span('parse', 'bd1', 4, 'bp'),
    ];
    const result = compareTraces(a, b);
    expect(result.rows.map((r) => [r.depth, r.name, r.status, r.deltaNs, r.descendantCount])).toEqual([
      [0, 'root', 'both', 50, 5],
      [1, 'db', 'both', 2, 1],
      [2, 'parse', 'both', 1, 0],
      [1, 'db', 'missing', null, 0],
      [1, 'cache', 'missing', null, 0],
      [1, 'llm', 'added', null, 0],
    ]);
    expect(result.rows[1]!.a?.spanId).toBe('ad1');
    expect(result.rows[1]!.b?.spanId).toBe('bd1');
    expect([result.matched, result.added, result.missing]).toEqual([3, 1, 2]);
  });

  it('a span under a different parent name is not the same span', () => {
    const a = [span('root', null, 1, 'r1'), span('x', 'r1', 1, 'x1'), span('leaf', 'x1', 1, 'l1')];
    const b = [span('root', null, 1, 'r2'), span('y', 'r2', 1, 'y2'), span('leaf', 'y2', 1, 'l2')];
    const statuses = compareTraces(a, b).rows.map((r) => `${r.name}:${r.status}`);
    expect(statuses).toEqual(['root:both', 'x:missing', 'leaf:missing', 'y:added', 'leaf:added']);
  });

  it('handles empty sides and very deep traces without recursion', () => {
    expect(compareTraces([], []).rows).toEqual([]);
    expect(compareTraces([span('only', null, 1)], []).rows.map((r) => r.status)).toEqual(['missing']);
    const deep: SpanSummary[] = [];
    for (let i = 0; i < 20_000; i++) deep.push(span('n', i === 0 ? null : `d${i - 1}`, i, `d${i}`, i));
    const result = compareTraces(deep, deep);
    expect(result.rows).toHaveLength(20_000);
    expect(result.rows[19_999]!.depth).toBe(19_999);
    expect(result.rows[0]!.descendantCount).toBe(19_999);
    expect(result.matched).toBe(20_000);
  });
});

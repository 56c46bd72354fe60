// Self time, depths, sibling positions and the critical path, on small traces whose answers are
// worked out by hand, and on the deep/wide shapes that break recursive code.
import { describe, expect, it } from 'vitest';
import { computeSpanMetrics, markCriticalPath } from '../../../../renderer/src/tree/metrics';
import { buildSpanTree } from '../../../../renderer/src/tree/rows';
import { spansOf } from '../spans';

//  root 0────────────────100
//    a    10────40
//    b       30──────70          (overlaps a: async)
//      b1       40─50
//    c                 80─90
const sample = () =>
  spansOf([
    ['root', null, 0, 100],
    ['a', 'root', 10, 30],
    ['b', 'root', 30, 40],
    ['b1', 'b', 40, 10],
    ['c', 'root', 80, 10],
  ]);

describe('computeSpanMetrics', () => {
  it('computes self time with overlapping children merged, and depths', () => {
    const tree = buildSpanTree(sample());
    const m = computeSpanMetrics(tree);
    const at = (id: string) => tree.indexById.get(id)!;
    // root: children cover 10..70 and 80..90 = 70, self 30
    expect(m.selfNs[at('root')]).toBe(30);
    expect(m.selfNs[at('b')]).toBe(30);
    expect(m.selfNs[at('b1')]).toBe(10);
    expect(m.depth[at('root')]).toBe(0);
    expect(m.depth[at('b1')]).toBe(2);
    expect(m.maxDepth).toBe(2);
    expect([m.posInSet[at('a')], m.posInSet[at('b')], m.posInSet[at('c')]]).toEqual([1, 2, 3]);
    expect(m.setSize[at('c')]).toBe(3);
  });

  it('clips children that stick out of their parent', () => {
    const tree = buildSpanTree(spansOf([['p', null, 0, 10], ['late', 'p', 5, 100]]));
    expect(computeSpanMetrics(tree).selfNs[0]).toBe(5);
  });

  it('handles a 10,000-level chain and 100,000 siblings', () => {
    const deep = spansOf(Array.from({ length: 10_000 }, (_, i) => [`s${i}`, i ? `s${i - 1}` : null, i, 20_000 - 2 * i] as [string, string | null, number, number]));
    const d = computeSpanMetrics(buildSpanTree(deep));
    expect(d.maxDepth).toBe(9_999);
    expect(d.critical.reduce((a, b) => a + b, 0)).toBe(10_000);
    const wide = spansOf([['r', null, 0, 200_000], ...Array.from({ length: 100_000 }, (_, i) => [`c${i}`, 'r', i * 2, 1] as [string, string, number, number])]);
    const w = computeSpanMetrics(buildSpanTree(wide));
    expect(w.maxDepth).toBe(1);
    expect(w.selfNs[0]).toBe(100_000);
    expect(w.setSize[1]).toBe(100_000);
  });
});

describe('markCriticalPath', () => {
  it('walks back from the end: the last-finishing child, then what finished before it started', () => {
    const tree = buildSpanTree(sample());
    const critical = markCriticalPath(tree);
    const on = tree.spans.filter((_, i) => critical[i] === 1).map((s) => s.spanId).sort();
    // c ends last (90); before c started (80), b ended last (70), with b1 inside it; before b
    // started (30) the root was waiting on a. A child that starts after the cursor is not.
    expect(on).toEqual(['a', 'b', 'b1', 'c', 'root']);
    const late = buildSpanTree(spansOf([['r', null, 0, 100], ['x', 'r', 0, 50], ['y', 'r', 10, 20], ['z', 'r', 60, 40]]));
    const lateCritical = markCriticalPath(late);
    // z (60..100), then x (0..50, ended before z started); y ran inside x and ended earlier.
    expect(late.spans.filter((_, i) => lateCritical[i] === 1).map((s) => s.spanId).sort()).toEqual(['r', 'x', 'z']);
  });

  it('takes children that end together in start order, and sequential children all', () => {
    // a and b both end at 40: a (the earlier start) comes first, and once taken b starts after the cursor.
    const tied = buildSpanTree(spansOf([['r', null, 0, 100], ['a', 'r', 0, 40], ['b', 'r', 20, 20], ['c', 'r', 60, 40]]));
    const tiedCritical = markCriticalPath(tied);
    expect(tied.spans.filter((_, i) => tiedCritical[i] === 1).map((s) => s.spanId).sort()).toEqual(['a', 'c', 'r']);
    // Steps one after another (each ends before the next starts, ends rising): every one is critical.
    const steps = buildSpanTree(spansOf([['r', null, 0, 100], ['s1', 'r', 0, 20], ['s2', 'r', 25, 20], ['s3', 'r', 50, 20], ['s4', 'r', 75, 25]]));
    expect(Array.from(markCriticalPath(steps))).toEqual([1, 1, 1, 1, 1]);
  });
});

// The span tree's pure layout: ordering, depths, collapse, orphans, and the shapes that break
// recursive code (a 10,000-level chain, 100,000 siblings).
import { describe, expect, it } from 'vitest';
import type { SpanSummary } from '../../../shared/model';
import { ancestorsOf, buildSpanTree, buildVisibleRows, childCount, visibleRows } from '../../../renderer/src/tree/rows';

let offset = 0;
function span(spanId: string, parentSpanId: string | null, name = spanId): SpanSummary {
  return {
    spanId,
    parentSpanId,
    name,
    kind: 'internal',
    serviceName: 'svc',
    startOffsetNs: offset++,
    durationNs: 1,
    statusCode: 'unset',
    spanType: null,
    llmModel: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    eventCount: 0,
  };
}

/** "name@depth" for each visible row, the shape a reader sees. */
function outline(spans: SpanSummary[], collapsed: Iterable<string> = []): string[] {
  return buildVisibleRows(spans, new Set(collapsed)).map((r) => `${spans[r.index]!.name}@${r.depth}`);
}

// root ─┬─ a ─┬─ a1
//       │     └─ a2 ── a2x
//       └─ b ─── b1
// Listed in start order, which interleaves the branches.
const sample = (): SpanSummary[] => [
  span('root', null),
  span('a', 'root'),
  span('a1', 'a'),
  span('b', 'root'),
  span('a2', 'a'),
  span('b1', 'b'),
  span('a2x', 'a2'),
];

describe('visible rows of a span tree', () => {
  it('lists children under their parents, depth-first in start order, with depths', () => {
    expect(outline(sample())).toEqual(['root@0', 'a@1', 'a1@2', 'a2@2', 'a2x@3', 'b@1', 'b1@2']);
  });

  it('marks which rows have children and whether they are expanded', () => {
    const spans = sample();
    const rows = buildVisibleRows(spans, new Set(['a']));
    const flags = rows.map((r) => `${spans[r.index]!.name}:${r.hasChildren ? (r.expanded ? 'open' : 'closed') : 'leaf'}`);
    expect(flags).toEqual(['root:open', 'a:closed', 'b:open', 'b1:leaf']);
  });

  it('hides every descendant of a collapsed span, and only those', () => {
    expect(outline(sample(), ['a'])).toEqual(['root@0', 'a@1', 'b@1', 'b1@2']);
    expect(outline(sample(), ['a2'])).toEqual(['root@0', 'a@1', 'a1@2', 'a2@2', 'b@1', 'b1@2']);
    expect(outline(sample(), ['root'])).toEqual(['root@0']);
    // Collapsing a leaf changes nothing; a collapsed span inside a collapsed one stays hidden.
    expect(outline(sample(), ['a1'])).toEqual(outline(sample()));
    expect(outline(sample(), ['root', 'a'])).toEqual(['root@0']);
  });

  it('shows spans whose parent is missing at top level, marked, with their own subtrees', () => {
    const spans = [span('root', null), span('late', 'not-here'), span('late-child', 'late'), span('child', 'root')];
    const rows = buildVisibleRows(spans);
    expect(rows.map((r) => `${spans[r.index]!.name}@${r.depth}${r.orphan ? ' (parent missing)' : ''}`)).toEqual([
      'root@0',
      'child@1',
      'late@0 (parent missing)',
      'late-child@1',
    ]);
  });

  it('treats a span that is its own parent, and a loop of parents, as orphans instead of losing them', () => {
    const self = [span('s', 's')];
    expect(buildVisibleRows(self).map((r) => [r.depth, r.orphan])).toEqual([[0, true]]);

    const loop = [span('x', 'z'), span('y', 'x'), span('z', 'y'), span('w', 'y')];
    const rows = buildVisibleRows(loop);
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.orphan)).toHaveLength(1);
    expect(new Set(rows.map((r) => loop[r.index]!.name))).toEqual(new Set(['x', 'y', 'z', 'w']));
  });

  it('keeps the first of two spans with the same id as the parent of its children', () => {
    const spans = [span('p', null, 'first'), span('p', null, 'second'), span('c', 'p')];
    expect(outline(spans)).toEqual(['first@0', 'c@1', 'second@0']);
  });

  it('handles an empty trace and an empty-string parent id (some exporters send "" for none)', () => {
    expect(buildVisibleRows([])).toEqual([]);
    const rows = buildVisibleRows([span('r', '')]);
    expect(rows.map((r) => [r.depth, r.orphan])).toEqual([[0, false]]);
  });

  it('exposes parents, child counts and ancestors for keyboard navigation', () => {
    const spans = sample();
    const tree = buildSpanTree(spans);
    const idx = (id: string): number => tree.indexById.get(id)!;
    expect(tree.parent[idx('a2x')]).toBe(idx('a2'));
    expect(tree.parent[idx('root')]).toBe(-1);
    expect(childCount(tree, idx('a'))).toBe(2);
    expect(childCount(tree, idx('b1'))).toBe(0);
    expect(ancestorsOf(tree, idx('a2x')).map((i) => spans[i]!.name)).toEqual(['a2', 'a', 'root']);
  });

  it('lays out a 10,000-level chain without recursion', () => {
    const depth = 10_000;
    const spans = Array.from({ length: depth }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`));
    const tree = buildSpanTree(spans);
    const rows = visibleRows(tree, new Set());
    expect(rows).toHaveLength(depth);
    expect(rows.every((r, i) => r.index === i && r.depth === i)).toBe(true);
    expect(ancestorsOf(tree, depth - 1)).toHaveLength(depth - 1);

    // Collapsing in the middle hides the rest of the chain.
    expect(visibleRows(tree, new Set(['s4999']))).toHaveLength(5_000);
  });

  it('lays out a 10,000-level chain listed deepest first', () => {
    const depth = 10_000;
    const spans = Array.from({ length: depth }, (_, k) => {
      const i = depth - 1 - k;
      return span(`s${i}`, i === 0 ? null : `s${i - 1}`);
    });
    const rows = buildVisibleRows(spans);
    expect(rows).toHaveLength(depth);
    expect(rows[depth - 1]!.depth).toBe(depth - 1);
    expect(rows.some((r) => r.orphan)).toBe(false);
  });

  it('lays out 100,000 siblings in start order', () => {
    const width = 100_000;
    const spans = [span('root', null), ...Array.from({ length: width }, (_, i) => span(`c${i}`, 'root'))];
    const started = performance.now();
    const rows = buildVisibleRows(spans);
    const elapsed = performance.now() - started;
    expect(rows).toHaveLength(width + 1);
    expect(rows[0]!.depth).toBe(0);
    expect(rows.slice(1).every((r, k) => r.index === k + 1 && r.depth === 1)).toBe(true);
    expect(buildVisibleRows(spans, new Set(['root']))).toHaveLength(1);
    // Linear work: generous bound so slow CI machines pass, but a quadratic walk would not.
    expect(elapsed).toBeLessThan(2_000);
  });
});

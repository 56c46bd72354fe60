// Flame graph layout: frames by depth in start order, culling to about a frame per pixel, hit
// testing, zoom and pan transforms, search.
import { describe, expect, it } from 'vitest';
import { computeSpanMetrics } from '../../../../renderer/src/tree/metrics';
import { buildSpanTree } from '../../../../renderer/src/tree/rows';
import { forEachVisibleFrame, frameAt, layoutFlame, matchSpans, panBy, wholeView, zoomAround, zoomToSpan } from '../../../../renderer/src/flamegraph/layout';
import { spansOf, type SpanSpec } from '../spans';

function layoutOf(specs: SpanSpec[], durationNs: number) {
  const spans = spansOf(specs);
  const tree = buildSpanTree(spans);
  const m = computeSpanMetrics(tree);
  return { spans, tree, layout: layoutFlame(spans, m.depth, m.maxDepth, durationNs) };
}

const sample: SpanSpec[] = [
  ['root', null, 0, 100],
  ['b', 'root', 50, 40],
  ['a', 'root', 10, 30],
  ['a1', 'a', 12, 5],
  ['b1', 'b', 60, 20],
];

describe('layoutFlame', () => {
  it('groups frames by depth, in start order within a depth', () => {
    const { spans, layout } = layoutOf(sample, 100);
    const names = (d: number) => Array.from(layout.order.slice(layout.depthStart[d], layout.depthStart[d + 1])).map((i) => spans[i]!.name);
    expect(names(0)).toEqual(['root']);
    expect(names(1)).toEqual(['a', 'b']);
    expect(names(2)).toEqual(['a1', 'b1']);
    expect(layout.maxDepth).toBe(2);
  });

  it('visits frames in view space, only those in the window', () => {
    const { spans, layout } = layoutOf(sample, 100);
    const seen: string[] = [];
    forEachVisibleFrame(layout, { startNs: 40, endNs: 100 }, 600, 0, 10, (i, d, x0, x1) => seen.push(`${spans[i]!.name}@${d}:${Math.round(x0)}-${Math.round(x1)}`));
    // a ends exactly where the window starts (40): not drawn.
    expect(seen).toEqual(['root@0:0-600', 'b@1:100-500', 'b1@2:200-400']);
  });

  it('culls 100,000 sub-pixel siblings to about one frame per pixel', () => {
    const specs: SpanSpec[] = [['r', null, 0, 1_000_000]];
    for (let i = 0; i < 100_000; i++) specs.push([`c${i}`, 'r', i * 10, 5]);
    const { layout } = layoutOf(specs, 1_000_000);
    let atDepth1 = 0;
    const visited = forEachVisibleFrame(layout, wholeView(layout), 1000, 0, 5, (_i, d) => d === 1 && atDepth1++);
    expect(atDepth1).toBeLessThanOrEqual(1000);
    expect(atDepth1).toBeGreaterThan(900);
    expect(visited).toBe(atDepth1 + 1);
    // Zoomed to 1% of the trace, each sibling is ~5 px wide and all 1,000 in the window are drawn.
    atDepth1 = 0;
    forEachVisibleFrame(layout, { startNs: 0, endNs: 10_000 }, 1000, 1, 1, () => atDepth1++);
    expect(atDepth1).toBe(1000);
  });

  it('finds the frame under the pointer, and nothing in a gap', () => {
    const { spans, layout } = layoutOf(sample, 100);
    const view = wholeView(layout);
    expect(spans[frameAt(layout, view, 100, 1, 20)]!.name).toBe('a');
    expect(spans[frameAt(layout, view, 100, 2, 70)]!.name).toBe('b1');
    expect(frameAt(layout, view, 100, 1, 45)).toBe(-1);
    expect(frameAt(layout, view, 100, 7, 45)).toBe(-1);
  });
});

describe('zoom transforms', () => {
  it('zooms to a span exactly, and around an anchor keeping it in place', () => {
    const { tree, layout } = layoutOf(sample, 100);
    expect(zoomToSpan(layout, tree.indexById.get('b')!)).toEqual({ startNs: 50, endNs: 90 });
    const z = zoomAround({ startNs: 0, endNs: 100 }, 0.25, 2, 100);
    expect(z).toEqual({ startNs: 12.5, endNs: 62.5 });
    // The anchor (time 25) stays at 25% of the width.
    expect((25 - z.startNs) / (z.endNs - z.startNs)).toBeCloseTo(0.25);
  });

  it('clamps zooming out and panning to the trace', () => {
    expect(zoomAround({ startNs: 40, endNs: 60 }, 0.5, 0.01, 100)).toEqual({ startNs: 0, endNs: 100 });
    expect(panBy({ startNs: 80, endNs: 90 }, 5, 100)).toEqual({ startNs: 90, endNs: 100 });
    expect(panBy({ startNs: 10, endNs: 20 }, -5, 100)).toEqual({ startNs: 0, endNs: 10 });
    expect(zoomAround({ startNs: 0, endNs: 100 }, 0.5, 1e9, 100, 1).endNs).toBeCloseTo(50.5);
  });
});

describe('matchSpans', () => {
  it('matches name case-insensitively, and nothing for an empty query', () => {
    const spans = spansOf([['x', null, 0, 1, 'GET /Orders'], ['y', 'x', 0, 1, 'db']]);
    expect(matchSpans(spans, 'orders')).toEqual({ matches: new Uint8Array([1, 0]), count: 1 });
    expect(matchSpans(spans, '  ')).toBeNull();
  });
});

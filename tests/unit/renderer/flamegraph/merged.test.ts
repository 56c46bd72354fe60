// Layout of merged frames (aggregated flame graph, sandwich): placement in merged space, widest
// first, parallel children scaled into their parent, depth-first order that layout.ts's culling
// and hit testing rely on, the inverted callers half, and the notes on what the bounds cut.
import { describe, expect, it } from 'vitest';
import type { AggregateFrame } from '../../../../shared/aggregate';
import { forEachVisibleFrame, frameAt, wholeView, zoomToSpan } from '../../../../renderer/src/flamegraph/layout';
import { frameBoundNotes, layoutMerged, layoutSandwich, meanNs, traceBoundNote } from '../../../../renderer/src/flamegraph/merged';

/** [name, parent index, total, count?, errors?] */
type Spec = [string, number, number, number?, number?];
const framesOf = (specs: Spec[]): AggregateFrame[] =>
  specs.map(([name, parent, totalNs, count = 1, errorCount = 0]) => ({
    parent,
    name,
    depth: 0,
    count,
    traceCount: 1,
    totalNs,
    selfNs: 0,
    errorCount,
    serviceName: 'svc',
    spanType: null,
    kind: 'internal',
  }));

const placement = (m: ReturnType<typeof layoutMerged>) => m.frames.map((f) => `${f.name}@${f.depth}:${f.startOffsetNs}+${f.durationNs}`);

describe('layoutMerged', () => {
  it('places top frames side by side and children from their parent’s left edge, widest first, depth-first', () => {
    // As the store sends them: by depth, not in drawing order.
    const m = layoutMerged(
      framesOf([
        ['small root', -1, 10],
        ['root', -1, 100],
        ['b', 1, 30],
        ['a', 1, 50],
        ['a1', 3, 20],
        ['s1', 0, 4],
      ]),
    );
    expect(placement(m)).toEqual(['root@0:0+100', 'a@1:0+50', 'a1@2:0+20', 'b@1:50+30', 'small root@0:100+10', 's1@1:100+4']);
    expect(Array.from(m.parent)).toEqual([-1, 0, 1, 0, -1, 4]);
    expect(m.extentNs).toBe(110);
    expect(m.maxDepth).toBe(2);
  });

  it('breaks ties of width by name, so the same frames always lay out the same', () => {
    const m = layoutMerged(framesOf([['r', -1, 10], ['zeta', 0, 5], ['alpha', 0, 5]]));
    expect(m.frames.map((f) => f.name)).toEqual(['r', 'alpha', 'zeta']);
  });

  it('scales children that add up to more than their parent (parallel work), grandchildren with them', () => {
    // p is 100 wide; its children add up to 200 → halved; c1's own child (80 of c1's 120) too.
    const m = layoutMerged(framesOf([['p', -1, 100], ['c1', 0, 120], ['c2', 0, 80], ['g', 1, 80]]));
    expect(placement(m)).toEqual(['p@0:0+100', 'c1@1:0+60', 'g@2:0+40', 'c2@1:60+40']);
    // The tooltip figures stay true.
    expect(m.frames[1]!.totalNs).toBe(120);
    // A child wider than a scaled parent is squeezed into it as well.
    const deep = layoutMerged(framesOf([['p', -1, 100], ['c', 0, 200], ['g', 1, 300]]));
    expect(placement(deep)).toEqual(['p@0:0+100', 'c@1:0+100', 'g@2:0+100']);
  });

  it('gives layout.ts frames it can cull, hit-test and zoom into', () => {
    const m = layoutMerged(framesOf([['root', -1, 100], ['a', 0, 60], ['b', 0, 40], ['a1', 1, 30], ['b1', 2, 40]]));
    const view = wholeView(m.layout);
    const seen: string[] = [];
    forEachVisibleFrame(m.layout, view, 1000, 0, 10, (i, d, x0, x1) => seen.push(`${m.frames[i]!.name}@${d}:${Math.round(x0)}-${Math.round(x1)}`));
    expect(seen).toEqual(['root@0:0-1000', 'a@1:0-600', 'b@1:600-1000', 'a1@2:0-300', 'b1@2:600-1000']);
    expect(m.frames[frameAt(m.layout, view, 1000, 2, 700)]!.name).toBe('b1');
    expect(frameAt(m.layout, view, 1000, 2, 450)).toBe(-1);
    const b = m.frames.findIndex((f) => f.name === 'b');
    expect(zoomToSpan(m.layout, b)).toEqual({ startNs: 60, endNs: 100 });
  });

  it('inverted: depth 0 in the bottom row', () => {
    const m = layoutMerged(framesOf([['focus', -1, 10], ['caller', 0, 6], ['grand caller', 1, 6], ['other caller', 0, 4]]), { inverted: true });
    expect(m.frames.map((f, i) => `${f.name}:${m.row[i]}`)).toEqual(['focus:2', 'caller:1', 'grand caller:0', 'other caller:1']);
    expect(m.frames[frameAt(m.layout, wholeView(m.layout), 100, 2, 50)]!.name).toBe('focus');
    expect(m.frames[frameAt(m.layout, wholeView(m.layout), 100, 0, 10)]!.name).toBe('grand caller');
  });

  it('paints a frame red when most of its spans failed, and takes bad parent links as tops', () => {
    const m = layoutMerged(framesOf([['mostly failing', -1, 10, 3, 2], ['sometimes failing', -1, 5, 3, 1], ['forward link', 5, 1]]));
    expect(m.frames.map((f) => `${f.name}:${f.statusCode}`)).toEqual(['mostly failing:error', 'sometimes failing:unset', 'forward link:unset']);
    expect(m.frames[2]!.parent).toBe(-1);
  });

  it('lays out nothing, and deep chains without recursion', () => {
    expect(layoutMerged([]).frames).toEqual([]);
    const chain: Spec[] = Array.from({ length: 20_000 }, (_, i) => [`f${i}`, i - 1, 20_000 - i]);
    const m = layoutMerged(framesOf(chain));
    expect(m.maxDepth).toBe(19_999);
    expect(m.frames[19_999]!.durationNs).toBe(1);
  });
});

describe('layoutSandwich', () => {
  it('puts callers (inverted) and callees on one x scale', () => {
    const callers = framesOf([['llm', -1, 160, 6], ['agent', 0, 60, 3], ['chain', 0, 80, 1], ['tool', 0, 10, 1], ['agent', 3, 10, 1]]);
    const callees = framesOf([['llm', -1, 160, 6], ['parse', 0, 10], ['llm', 0, 10]]);
    const { callers: up, callees: down } = layoutSandwich({ callers, callees });
    expect(up.extentNs).toBe(160);
    expect(down.extentNs).toBe(160);
    expect(up.inverted).toBe(true);
    expect(down.inverted).toBe(false);
    // The focus is the bottom row above and the top row below, full width in both.
    expect(up.row[0]).toBe(up.maxDepth);
    expect(down.row[0]).toBe(0);
    expect(placement(up)).toEqual(['llm@0:0+160', 'chain@1:0+80', 'agent@1:80+60', 'tool@1:140+10', 'agent@2:140+10']);
    expect(placement(down)).toEqual(['llm@0:0+160', 'llm@1:0+10', 'parse@1:10+10']);
  });
});

describe('figures and bound notes', () => {
  it('mean per span, and what the bounds left out', () => {
    expect(meanNs({ totalNs: 150, count: 2 })).toBe(75);
    expect(meanNs({ totalNs: 0, count: 0 })).toBe(0);
    expect(traceBoundNote(1000, 1000)).toBeNull();
    expect(traceBoundNote(1000, 2345)).toBe('Merged the newest 1,000 of 2,345 matching traces.');
    expect(frameBoundNotes(10, 10, false, 128)).toEqual([]);
    expect(frameBoundNotes(5000, 12000, true, 128)).toEqual(['Showing the 5,000 widest of 12,000 frames.', 'Nesting deeper than 128 levels is not shown.']);
  });
});

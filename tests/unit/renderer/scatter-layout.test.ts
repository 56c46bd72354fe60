import { describe, expect, it } from 'vitest';
import { brushRange, scatterLayout } from '../../../renderer/src/scatter/layout';
import type { TraceSummary } from '../../../shared/model';

const T0 = 1_795_392_000_000_000_000n;
const trace = (id: string, offsetMs: number, durationNs: number, errorCount = 0): TraceSummary => ({
  traceId: id, rootName: `r-${id}`, serviceName: 's', startNs: (T0 + BigInt(offsetMs) * 1_000_000n).toString(), durationNs,
  spanCount: 1, errorCount, inputTokens: null, outputTokens: null, costUsd: null, sessionId: null,
});

describe('scatter layout', () => {
  it('places traces by start (x) and log duration (y, longest on top), errors marked', () => {
    const layout = scatterLayout([trace('a', 0, 1_000), trace('b', 500, 1_000_000, 2), trace('c', 1000, 1_000_000_000)])!;
    const [first, middle, last] = layout.points.map((p) => p.x);
    expect(first).toBeCloseTo(0.02 / 1.04, 6);
    expect(middle).toBeCloseTo(0.5, 9);
    expect(last).toBeCloseTo(1.02 / 1.04, 6);
    expect(layout.points.map((p) => Number(p.y.toFixed(6)))).toEqual([1, 0.5, 0]);
    expect(layout.points.map((p) => p.error)).toEqual([false, true, false]);
  });

  it('gives one trace a visible place', () => {
    const layout = scatterLayout([trace('a', 0, 5)])!;
    expect(layout.points[0]!.x).toBe(0.5);
    expect(layout.points[0]!.y).toBeGreaterThan(0);
    expect(layout.points[0]!.y).toBeLessThan(1);
    expect(scatterLayout([])).toBeNull();
  });

  it('turns a brush into an exact nanosecond range that includes its edges', () => {
    const layout = { startNs: T0, endNs: T0 + 1_000_000_000n };
    expect(brushRange(layout, 0.75, 0.25)).toEqual({
      fromNs: (T0 + 250_000_000n).toString(),
      toNs: (T0 + 750_000_001n).toString(),
    });
    expect(brushRange(layout, -1, 2)).toEqual({ fromNs: T0.toString(), toNs: (T0 + 1_000_000_001n).toString() });
    const real = scatterLayout([trace('a', 0, 1), trace('c', 1000, 1)])!;
    expect(real.startNs).toBe(T0 - 20_000_000n);
    expect(real.endNs).toBe(T0 + 1_020_000_000n);
  });
});

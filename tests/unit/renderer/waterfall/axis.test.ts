import { describe, expect, it } from 'vitest';
import { axisTicks, barFractions, timeFraction, wholeTrace, windowFromFractions } from '../../../../renderer/src/waterfall/axis';

describe('waterfall axis', () => {
  it('places bars as fractions of the window and drops bars outside it', () => {
    const w = { startNs: 100, endNs: 200 };
    const bar = barFractions(w, 150, 10)!;
    expect(bar.left).toBe(0.5);
    expect(bar.width).toBeCloseTo(0.1);
    expect(barFractions(w, 50, 100)).toEqual({ left: 0, width: 0.5 });
    expect(barFractions(w, 300, 10)).toBeNull();
    expect(timeFraction(w, 250)).toBe(1.5);
  });

  it('puts round ticks inside the window', () => {
    const ticks = axisTicks(wholeTrace(30_000_000_000), 6);
    expect(ticks.map((t) => t.ns)).toEqual([0, 5e9, 10e9, 15e9, 20e9, 25e9, 30e9]);
    expect(ticks[1]!.fraction).toBeCloseTo(1 / 6);
    expect(axisTicks({ startNs: 5, endNs: 5 }, 6)).toEqual([]);
  });

  it('turns a minimap drag into a window, in either direction, never empty', () => {
    expect(windowFromFractions(1000, 0.75, 0.25)).toEqual({ startNs: 250, endNs: 750 });
    const tiny = windowFromFractions(1000, 0.5, 0.5, 0.01);
    expect(tiny.endNs - tiny.startNs).toBeCloseTo(10);
  });
});

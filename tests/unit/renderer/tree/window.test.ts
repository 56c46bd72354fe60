// The virtualised timeline's row window (renderer/src/tree/window.ts): which rows are in the DOM.
import { describe, expect, it } from 'vitest';
import { rowWindow, sameWindow } from '../../../../renderer/src/tree/window';

describe('rowWindow', () => {
  it('covers the viewport plus the overscan on both sides', () => {
    // Rows of 24 px, a 240 px viewport scrolled to row 100: rows 100..109 visible, 8 more each side.
    expect(rowWindow(2400, 240, 24, 100_000, 8)).toEqual({ first: 92, last: 118 });
  });

  it('counts a partly visible row at either edge', () => {
    // Scrolled 12 px into row 100, the viewport ends halfway through row 110.
    expect(rowWindow(2412, 240, 24, 100_000, 0)).toEqual({ first: 100, last: 111 });
  });

  it('clips to the list at the top and the bottom', () => {
    expect(rowWindow(0, 240, 24, 100_000, 8)).toEqual({ first: 0, last: 18 });
    expect(rowWindow(24 * 99_995, 240, 24, 100_000, 8)).toEqual({ first: 99_987, last: 100_000 });
    expect(rowWindow(0, 600, 24, 5, 8)).toEqual({ first: 0, last: 5 });
  });

  it('is empty, not inverted, when the list shrank below the scroll position (rows collapsed)', () => {
    expect(rowWindow(24 * 5_000, 240, 24, 3, 8)).toEqual({ first: 3, last: 3 });
    expect(rowWindow(0, 240, 24, 0, 8)).toEqual({ first: 0, last: 0 });
  });

  it('stays the same while a scroll moves less than a row boundary', () => {
    const at = rowWindow(2404, 240, 24, 100_000, 8);
    expect(sameWindow(rowWindow(2410, 240, 24, 100_000, 8), at)).toBe(true);
    expect(sameWindow(rowWindow(2424, 240, 24, 100_000, 8), at)).toBe(false);
  });
});

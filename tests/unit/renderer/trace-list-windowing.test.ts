// The virtualised trace list's geometry: rows for a scroll position, pages for rows, the scaling
// of lists taller than a browser allows, keyboard reveal, and which cached pages to drop.
import { describe, expect, it } from 'vitest';
import {
  listTopForScrollTop,
  listTopToReveal,
  MAX_SCROLL_HEIGHT_PX,
  maxListTop,
  maxScrollTop,
  pageCount,
  pagesForRows,
  pagesToEvict,
  rowsPerPage,
  rowWindow,
  scrollHeight,
  scrollScale,
  scrollTopForListTop,
  type ListGeometry,
} from '../../../renderer/src/trace-list/windowing';

const small: ListGeometry = { rowCount: 3_000, rowHeight: 26, viewportHeight: 520 };
const huge: ListGeometry = { rowCount: 10_000_000, rowHeight: 26, viewportHeight: 520 };

describe('rows for a scroll position', () => {
  it('renders the rows in view plus the overscan, placed at whole rows', () => {
    // listTop 2,600 = row 100 at the top; 520 px = 20 rows in view.
    expect(rowWindow(small, 2_600, 2_600, 5)).toEqual({ first: 95, end: 125, firstTop: 95 * 26 });
    // Half a row scrolled: row 100 is partly visible, row 120 too.
    expect(rowWindow(small, 2_613, 2_613, 0)).toEqual({ first: 100, end: 121, firstTop: 2_600 });
  });

  it('clamps at both ends and is empty for an empty list', () => {
    expect(rowWindow(small, 0, 0, 8)).toEqual({ first: 0, end: 28, firstTop: 0 });
    const end = rowWindow(small, 1e9, maxScrollTop(small), 8);
    expect(end.end).toBe(3_000);
    expect(end.first).toBe(3_000 - 20 - 8);
    // The last row's bottom is the container's bottom.
    expect(end.firstTop + (end.end - end.first) * 26).toBe(scrollHeight(small));
    expect(rowWindow({ ...small, rowCount: 0 }, 0, 0, 8)).toEqual({ first: 0, end: 0, firstTop: 0 });
    // Fewer rows than fit: all of them.
    expect(rowWindow({ ...small, rowCount: 7 }, 0, 0, 8)).toEqual({ first: 0, end: 7, firstTop: 0 });
  });

  it('finds the store pages under a range of rows', () => {
    expect(pagesForRows(0, 30, 200)).toEqual([0]);
    expect(pagesForRows(190, 230, 200)).toEqual([0, 1]);
    expect(pagesForRows(200, 400, 200)).toEqual([1]);
    expect(pagesForRows(5, 5, 200)).toEqual([]);
    expect(pageCount(3_000, 200)).toBe(15);
    expect(pageCount(3_001, 200)).toBe(16);
    expect(pageCount(0, 200)).toBe(0);
  });
});

describe('lists taller than a browser allows', () => {
  it('leaves a list that fits unscaled', () => {
    expect(scrollHeight(small)).toBe(78_000);
    expect(scrollScale(small)).toBe(1);
    expect(listTopForScrollTop(1_234, small)).toBe(1_234);
    expect(scrollTopForListTop(1_234, small)).toBe(1_234);
  });

  it('caps the scroll space and maps its ends to the list’s ends', () => {
    expect(scrollHeight(huge)).toBe(MAX_SCROLL_HEIGHT_PX);
    const scale = scrollScale(huge);
    expect(scale).toBeCloseTo((260_000_000 - 520) / (MAX_SCROLL_HEIGHT_PX - 520), 9);
    expect(listTopForScrollTop(0, huge)).toBe(0);
    expect(listTopForScrollTop(maxScrollTop(huge), huge)).toBeCloseTo(maxListTop(huge), 3);
    expect(scrollTopForListTop(maxListTop(huge), huge)).toBeCloseTo(maxScrollTop(huge), 6);
    expect(listTopForScrollTop(5_000_000, huge)).toBeCloseTo(5_000_000 * scale, 3);
    // Out of range stays in range.
    expect(listTopForScrollTop(-5, huge)).toBe(0);
    expect(scrollTopForListTop(1e12, huge)).toBe(maxScrollTop(huge));
    expect(scrollHeight({ ...small, maxScrollHeight: 20_000 })).toBe(20_000);
  });

  it('draws the rows of the list position inside the part of the scroll space on screen', () => {
    // Halfway down ten million rows: row ~5,000,000 at the top of the viewport.
    const scrollTop = maxScrollTop(huge) / 2;
    const listTop = listTopForScrollTop(scrollTop, huge);
    const w = rowWindow(huge, listTop, scrollTop, 0);
    expect(w.first).toBe(Math.floor(listTop / 26));
    expect(Math.abs(w.first - 5_000_000)).toBeLessThan(20);
    // Row `first` starts at most one row above the viewport's top, inside the scroll space.
    expect(w.firstTop).toBeLessThanOrEqual(scrollTop);
    expect(w.firstTop).toBeGreaterThan(scrollTop - 26);
    // 20 rows in 520 px, 21 when the top one is cut.
    expect(w.end - w.first).toBe(listTop % 26 === 0 ? 20 : 21);
    // At the very end the last row (of ten million) is the bottom of the scroll space.
    const last = rowWindow(huge, maxListTop(huge), maxScrollTop(huge), 0);
    expect(last.end).toBe(10_000_000);
    expect(last.firstTop + (last.end - last.first) * 26).toBeCloseTo(MAX_SCROLL_HEIGHT_PX, 3);
  });
});

describe('keyboard movement', () => {
  it('scrolls as little as possible to reveal a row', () => {
    expect(listTopToReveal(10, 0, small)).toBe(0); // already in view
    expect(listTopToReveal(20, 0, small)).toBe(26); // one row below: scroll one row
    expect(listTopToReveal(5, 2_600, small)).toBe(130); // above: to its top
    expect(listTopToReveal(2_999, 0, small)).toBe(maxListTop(small));
    expect(listTopToReveal(9_999_999, 0, huge)).toBe(maxListTop(huge));
    expect(rowsPerPage(small)).toBe(19);
    expect(rowsPerPage({ ...small, viewportHeight: 10 })).toBe(1);
  });
});

describe('bounded page cache', () => {
  it('drops the least recently used pages first, never those still needed', () => {
    const lastUsed = new Map([
      [0, 10],
      [3, 1],
      [4, 2],
      [7, 3],
      [9, 4],
    ]);
    expect(pagesToEvict(lastUsed, new Set([0]), 5)).toEqual([]);
    expect(pagesToEvict(lastUsed, new Set([0]), 3)).toEqual([3, 4]);
    expect(pagesToEvict(lastUsed, new Set([0, 3]), 3)).toEqual([4, 7]);
    // Everything needed: nothing can go, even over the bound.
    expect(pagesToEvict(lastUsed, new Set([0, 3, 4, 7, 9]), 2)).toEqual([]);
  });
});

// The virtualised trace list's geometry, pure (no DOM, no React): which rows a scroll position
// shows, which store pages those rows need, and how a list taller than a browser allows is
// squeezed into a scroll space it does allow.
//
// Two coordinate spaces, named as such in identifiers:
//   - "list space" (listTop): row i starts at i × rowHeight; as tall as all the matching rows.
//   - "scroll space" (scrollTop): the scroll container's own pixels, at most MAX_SCROLL_HEIGHT_PX
//     tall. Below that bound the two are the same; above it, list space is scaled into scroll
//     space (the scrollbar still spans the whole list, a pixel of it covering several rows).
// Rows are always drawn at whole-row spacing near the viewport, so a scaled list still reads
// normally; only the scrollbar thumb moves faster.

/**
 * Browsers cap an element's height (Firefox ~17.9M px, Chrome and Safari ~33.5M px; beyond it
 * the element is silently clipped). 10M px leaves room under all of them: 384,615 rows of 26 px
 * scroll unscaled, a million rows scale by 2.6, ten million by 26.
 */
export const MAX_SCROLL_HEIGHT_PX = 10_000_000;

export interface ListGeometry {
  /** Rows in the whole list (the store's `total`). */
  rowCount: number;
  rowHeight: number;
  /** Height of the area the rows show in (the scroll container minus its sticky header). */
  viewportHeight: number;
  /** The scroll space's cap; MAX_SCROLL_HEIGHT_PX unless a test wants a smaller one. */
  maxScrollHeight?: number;
}

/** The list's height in list space. */
export function listHeight(g: ListGeometry): number {
  return Math.max(0, g.rowCount) * g.rowHeight;
}

/** The height the rows' container gets in scroll space (the list's, capped). */
export function scrollHeight(g: ListGeometry): number {
  return Math.min(listHeight(g), g.maxScrollHeight ?? MAX_SCROLL_HEIGHT_PX);
}

/** The furthest listTop: the last row's bottom at the viewport's bottom. */
export function maxListTop(g: ListGeometry): number {
  return Math.max(0, listHeight(g) - g.viewportHeight);
}

/** The furthest scrollTop of the rows' container. */
export function maxScrollTop(g: ListGeometry): number {
  return Math.max(0, scrollHeight(g) - g.viewportHeight);
}

/**
 * List-space pixels per scroll-space pixel: 1 while the list fits the cap, else the ratio of the
 * two scroll ranges, so scrollTop 0 is the first row and the furthest scrollTop the last.
 */
export function scrollScale(g: ListGeometry): number {
  const scrollRange = maxScrollTop(g);
  const listRange = maxListTop(g);
  return scrollRange > 0 && listRange > scrollRange ? listRange / scrollRange : 1;
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

export function listTopForScrollTop(scrollTop: number, g: ListGeometry): number {
  return clamp(scrollTop * scrollScale(g), 0, maxListTop(g));
}

export function scrollTopForListTop(listTop: number, g: ListGeometry): number {
  return clamp(listTop / scrollScale(g), 0, maxScrollTop(g));
}

export interface RowWindow {
  /** First row to render (overscan included). */
  first: number;
  /** One past the last row to render. */
  end: number;
  /** Where row `first` goes, in the rows' container's (scroll-space) pixels. */
  firstTop: number;
}

/**
 * The rows to render for a position: those in the viewport plus `overscan` either side. `listTop`
 * is where the viewport is in list space; `scrollTop` where the container actually scrolled to
 * (the two differ by the scale, and by rounding when the view keeps `listTop` itself). Row i is
 * placed at scrollTop + (i × rowHeight − listTop): exactly where list space says, shifted to the
 * part of the container that is on screen.
 */
export function rowWindow(g: ListGeometry, listTop: number, scrollTop: number, overscan: number): RowWindow {
  if (g.rowCount <= 0 || g.rowHeight <= 0) return { first: 0, end: 0, firstTop: 0 };
  const top = clamp(listTop, 0, maxListTop(g));
  const firstVisible = Math.floor(top / g.rowHeight);
  const endVisible = Math.ceil((top + Math.max(g.viewportHeight, 0)) / g.rowHeight);
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(g.rowCount, Math.max(endVisible, firstVisible + 1) + overscan);
  return { first, end, firstTop: scrollTop + first * g.rowHeight - top };
}

/** The store pages (of `pageSize` rows) that rows [first, end) fall in, in order. */
export function pagesForRows(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** How many pages a list of `rowCount` rows has. */
export function pageCount(rowCount: number, pageSize: number): number {
  return Math.max(0, Math.ceil(rowCount / pageSize));
}

/** The listTop that brings row `index` fully into view, moving as little as possible. */
export function listTopToReveal(index: number, listTop: number, g: ListGeometry): number {
  const rowTop = index * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  let next = listTop;
  if (rowTop < listTop) next = rowTop;
  else if (rowBottom > listTop + g.viewportHeight) next = rowBottom - g.viewportHeight;
  return clamp(next, 0, maxListTop(g));
}

/** Rows a Page Up / Page Down moves: a viewport less one row, so one row stays in sight. */
export function rowsPerPage(g: ListGeometry): number {
  return Math.max(1, Math.floor(g.viewportHeight / g.rowHeight) - 1);
}

/**
 * Which cached pages to drop to keep at most `maxPages`: never one in `keep` (what the viewport
 * needs now), otherwise the least recently used first. `lastUsed` maps page -> a use counter.
 */
export function pagesToEvict(lastUsed: ReadonlyMap<number, number>, keep: ReadonlySet<number>, maxPages: number): number[] {
  const excess = lastUsed.size - maxPages;
  if (excess <= 0) return [];
  return [...lastUsed]
    .filter(([page]) => !keep.has(page))
    .sort((a, b) => a[1] - b[1])
    .slice(0, excess)
    .map(([page]) => page);
}

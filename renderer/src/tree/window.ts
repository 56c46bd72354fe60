// Which rows of a virtualised list are in the DOM, pure: the rows in the viewport plus
// `overscan` above and below (a fast wheel then shows no blank rows), clipped to the list.
// The trace timeline (views/TraceTimeline.tsx) re-renders only when this window changes.

export interface RowWindow {
  /** First row rendered (inclusive). */
  first: number;
  /** Row after the last one rendered (exclusive). */
  last: number;
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): RowWindow {
  const first = Math.max(0, Math.min(rowCount, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.max(first, Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan));
  return { first, last };
}

export function sameWindow(a: RowWindow, b: RowWindow): boolean {
  return a.first === b.first && a.last === b.last;
}

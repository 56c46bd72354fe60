// Flame graph layout, pure (no DOM): which frame sits at which depth, where, and which frames a
// given zoom shows at a given pixel width. draw.ts only paints what this returns.
//
// Coordinate spaces, named as in the identifiers:
//   trace space   nanoseconds from the trace's start (x) and nesting depth (y)
//   view space    the zoomed window of trace space (`FlameView`) mapped to 0..widthPx
import type { SpanSummary } from '../../../shared/model';

/**
 * Where a frame lies in trace space: a span's own offset and duration, or, for merged frames
 * (merged.ts), the place their layout gives them.
 */
export type FramePlacement = Pick<SpanSummary, 'startOffsetNs' | 'durationNs'>;

/** What the search matches on. */
export type SearchableFrame = Pick<SpanSummary, 'name' | 'serviceName' | 'spanType'>;

export interface FlameLayout {
  durationNs: number;
  maxDepth: number;
  /** Span indexes grouped by depth (depth 0 first), by start time within a depth. */
  order: Int32Array;
  /** The frames at depth d are order[depthStart[d]] .. order[depthStart[d + 1] - 1]. */
  depthStart: Int32Array;
  /** Trace-space start and end of each frame, aligned with `order`. */
  frameStart: Float64Array;
  frameEnd: Float64Array;
  /**
   * Running maximum of frameEnd within each depth, aligned with `order`: frames at one depth can
   * overlap (async children of different parents), so "the first frame that ends after x" needs a
   * monotone array to binary-search.
   */
  maxEndSoFar: Float64Array;
  /** position[spanIndex] = index into `order`. */
  position: Int32Array;
}

/** The zoomed window, in trace space. */
export interface FlameView {
  startNs: number;
  endNs: number;
}

/**
 * Lays out one trace. `depth` comes from tree/metrics.ts; spans are in start order (as
 * TraceDetail.spans is), so a stable counting sort by depth keeps start order within a depth.
 * (Merged frames come in the same shape: placed by merged.ts, in start order within a depth.)
 */
export function layoutFlame(spans: readonly FramePlacement[], depth: Int32Array, maxDepth: number, durationNs: number): FlameLayout {
  return layoutFlameColumns(
    spans.map((s) => s.startOffsetNs),
    spans.map((s) => s.durationNs),
    depth,
    maxDepth,
    durationNs,
  );
}

/** The same from the frames' start and duration columns (what the trace-layout worker holds). */
export function layoutFlameColumns(
  startOffsetNs: ArrayLike<number>,
  frameDurationNs: ArrayLike<number>,
  depth: Int32Array,
  maxDepth: number,
  durationNs: number,
): FlameLayout {
  const n = startOffsetNs.length;
  const depthStart = new Int32Array(maxDepth + 2);
  for (let i = 0; i < n; i++) depthStart[depth[i]! + 1]!++;
  for (let d = 0; d <= maxDepth; d++) depthStart[d + 1]! += depthStart[d]!;
  const fill = depthStart.slice(0, maxDepth + 1);
  const order = new Int32Array(n);
  const position = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = fill[depth[i]!]!++;
    order[p] = i;
    position[i] = p;
  }
  const frameStart = new Float64Array(n);
  const frameEnd = new Float64Array(n);
  const maxEndSoFar = new Float64Array(n);
  for (let d = 0; d <= maxDepth; d++) {
    let running = -Infinity;
    for (let p = depthStart[d]!; p < depthStart[d + 1]!; p++) {
      const i = order[p]!;
      frameStart[p] = startOffsetNs[i]!;
      frameEnd[p] = startOffsetNs[i]! + frameDurationNs[i]!;
      running = Math.max(running, frameEnd[p]!);
      maxEndSoFar[p] = running;
    }
  }
  return { durationNs: Math.max(durationNs, 1), maxDepth, order, depthStart, frameStart, frameEnd, maxEndSoFar, position };
}

export function wholeView(layout: FlameLayout): FlameView {
  return { startNs: 0, endNs: layout.durationNs };
}

/** Zooming into a frame shows exactly its time range (at least 1 ns wide). */
export function zoomToSpan(layout: FlameLayout, spanIndex: number): FlameView {
  const p = layout.position[spanIndex]!;
  const startNs = layout.frameStart[p]!;
  return { startNs, endNs: Math.max(layout.frameEnd[p]!, startNs + 1) };
}

/**
 * Zooms by `factor` (> 1 zooms in) keeping the time under `anchor` (0..1 of the width) in
 * place, clamped to the trace and to at least `minWidthNs`.
 */
export function zoomAround(view: FlameView, anchor: number, factor: number, durationNs: number, minWidthNs = 1): FlameView {
  const width = view.endNs - view.startNs;
  const anchorNs = view.startNs + anchor * width;
  const next = Math.min(Math.max(width / factor, minWidthNs), durationNs);
  let startNs = anchorNs - anchor * next;
  startNs = Math.max(0, Math.min(startNs, durationNs - next));
  return { startNs, endNs: startNs + next };
}

/** Pans by a fraction of the current width, clamped to the trace. */
export function panBy(view: FlameView, fraction: number, durationNs: number): FlameView {
  const width = view.endNs - view.startNs;
  const startNs = Math.max(0, Math.min(view.startNs + fraction * width, durationNs - width));
  return { startNs, endNs: startNs + width };
}

/** Trace space → view space x. */
export function viewX(view: FlameView, widthPx: number, ns: number): number {
  return ((ns - view.startNs) / (view.endNs - view.startNs)) * widthPx;
}

/** The first position in [lo, hi) whose value is > x (arr ascending there). */
function firstAbove(arr: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position in [lo, hi) whose value is >= x (arr ascending there). */
function firstAtLeast(arr: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export type FrameVisitor = (spanIndex: number, depth: number, x0: number, x1: number) => void;

/**
 * Calls `visit` for each frame to draw at depths [fromDepth, toDepth] in view space, culled to
 * about one frame per pixel: frames narrower than a pixel are drawn only when no other narrow
 * frame already claimed that pixel column at that depth (a 100,000-sibling row becomes ~1,000
 * one-pixel frames). Returns how many frames it visited.
 */
export function forEachVisibleFrame(layout: FlameLayout, view: FlameView, widthPx: number, fromDepth: number, toDepth: number, visit: FrameVisitor): number {
  let visited = 0;
  const last = Math.min(toDepth, layout.maxDepth);
  for (let d = Math.max(0, fromDepth); d <= last; d++) {
    const lo = layout.depthStart[d]!;
    const hi = layout.depthStart[d + 1]!;
    // Frames that end after the window starts and start before it ends.
    const first = firstAbove(layout.maxEndSoFar, lo, hi, view.startNs);
    const end = firstAtLeast(layout.frameStart, first, hi, view.endNs);
    let claimedColumn = -Infinity;
    for (let p = first; p < end; p++) {
      if (layout.frameEnd[p]! < view.startNs) continue;
      const x0 = viewX(view, widthPx, layout.frameStart[p]!);
      const x1 = viewX(view, widthPx, layout.frameEnd[p]!);
      if (x1 - x0 < 1) {
        const column = Math.floor(x0);
        if (column <= claimedColumn) continue;
        claimedColumn = column;
      }
      visit(layout.order[p]!, d, Math.max(x0, 0), Math.min(x1, widthPx));
      visited++;
    }
  }
  return visited;
}

/**
 * The frame under view-space x at `depth`, or -1. Frames narrower than a pixel are hit within
 * half a pixel, so the one-pixel slivers that culling draws can still be hovered and clicked.
 * Where frames overlap, the one that starts last (drawn on top) wins.
 */
export function frameAt(layout: FlameLayout, view: FlameView, widthPx: number, depth: number, x: number): number {
  if (depth < 0 || depth > layout.maxDepth || widthPx <= 0) return -1;
  const lo = layout.depthStart[depth]!;
  const hi = layout.depthStart[depth + 1]!;
  const nsPerPx = (view.endNs - view.startNs) / widthPx;
  const ns = view.startNs + x * nsPerPx;
  const slack = nsPerPx / 2;
  // Candidates start at or before ns + slack; walk back while an earlier frame could still reach ns.
  let p = firstAbove(layout.frameStart, lo, hi, ns + slack) - 1;
  for (; p >= lo && layout.maxEndSoFar[p]! >= ns - slack; p--) {
    if (layout.frameEnd[p]! >= ns - slack) return layout.order[p]!;
  }
  return -1;
}

/** 1 for spans whose name, service or type contains `query` (case-insensitive); null when empty. */
export function matchSpans(spans: readonly SearchableFrame[], query: string): { matches: Uint8Array; count: number } | null {
  const needle = query.trim().toLowerCase();
  if (!needle) return null;
  const matches = new Uint8Array(spans.length);
  let count = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (
      s.name.toLowerCase().includes(needle) ||
      (s.serviceName?.toLowerCase().includes(needle) ?? false) ||
      (s.spanType?.includes(needle) ?? false)
    ) {
      matches[i] = 1;
      count++;
    }
  }
  return { matches, count };
}

// Layout of merged frames (the aggregated flame graph and the two halves of a sandwich), pure:
// places the store's frames (shared/aggregate.ts) in a trace space of their own, so layout.ts's
// culling, hit testing and zoom and draw.ts's painting serve them as they serve one trace's spans.
//
// Merged space: x runs over total time, the top frames side by side (widest first); a frame's
// children start at its left edge, widest first, each as wide as its total. Children can add up
// to more than their parent (spans that ran in parallel, or outlived their parent): they are then
// scaled down together to fit inside it, and their own children with them. The tooltip shows the
// true figures; only the widths are scaled. y is depth, or, inverted (a sandwich's callers, the
// focus at the bottom), maxDepth − depth.
import type { AggregateFrame, SpanSandwich } from '../../../shared/aggregate';
import type { StatusCode } from '../../../shared/model';
import { formatCount } from '../format';
import { layoutFlame, type FlameLayout, type FramePlacement } from './layout';

export interface PlacedFrame extends AggregateFrame, FramePlacement {
  /** 'error' when most of the merged spans failed (painted red); else 'unset'. */
  statusCode: StatusCode;
  /** Depth below the top frames, recomputed from the parent links (0 at the top). */
  depth: number;
}

export interface MergedFlame {
  /** Depth-first: a frame, then its children widest first; `parent` indexes this list. */
  frames: PlacedFrame[];
  parent: Int32Array;
  /** The row each frame is drawn in, from the top: its depth, or maxDepth − depth when inverted. */
  row: Int32Array;
  maxDepth: number;
  /** Width of merged space (ns): the top frames' totals, or the extent asked for. */
  extentNs: number;
  inverted: boolean;
  layout: FlameLayout;
}

export interface MergedLayoutOptions {
  /** Rows counted from the bottom: depth 0 in the last row. */
  inverted?: boolean;
  /** Width of merged space when it should be wider than the top frames (a shared x scale). */
  extentNs?: number;
}

/** Siblings widest first; equal widths by name, so the same data always lays out the same. */
function widestFirst(frames: readonly AggregateFrame[]): (a: number, b: number) => number {
  return (a, b) => frames[b]!.totalNs - frames[a]!.totalNs || (frames[a]!.name < frames[b]!.name ? -1 : frames[a]!.name > frames[b]!.name ? 1 : a - b);
}

/**
 * Places `frames` (each `parent` an earlier index or -1, as the store sends them). A frame whose
 * parent index does not point backwards is treated as a top frame. Iterative (no recursion), O(n log n).
 */
export function layoutMerged(frames: readonly AggregateFrame[], options: MergedLayoutOptions = {}): MergedFlame {
  const n = frames.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  const tops: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = frames[i]!.parent;
    if (p >= 0 && p < i) children[p]!.push(i);
    else tops.push(i);
  }
  const order = widestFirst(frames);
  tops.sort(order);
  for (const list of children) list.sort(order);

  const placed: PlacedFrame[] = [];
  const parent = new Int32Array(n);
  let maxDepth = 0;
  let topsWidth = 0;
  for (const t of tops) topsWidth += Math.max(0, frames[t]!.totalNs);

  // Depth-first with an explicit stack of (source index, new parent index, start, width, depth).
  const stack: [number, number, number, number, number][] = [];
  let x = 0;
  const topPlacements: [number, number][] = tops.map((t) => {
    const w = Math.max(0, frames[t]!.totalNs);
    const at: [number, number] = [x, w];
    x += w;
    return at;
  });
  for (let k = tops.length - 1; k >= 0; k--) stack.push([tops[k]!, -1, topPlacements[k]![0], topPlacements[k]![1], 0]);
  while (stack.length > 0) {
    const [source, newParent, start, width, depth] = stack.pop()!;
    const f = frames[source]!;
    const index = placed.length;
    placed.push({ ...f, parent: newParent, depth, startOffsetNs: start, durationNs: width, statusCode: f.errorCount * 2 > f.count ? 'error' : 'unset' });
    parent[index] = newParent;
    if (depth > maxDepth) maxDepth = depth;
    const kids = children[source]!;
    if (kids.length === 0) continue;
    let sum = 0;
    for (const c of kids) sum += Math.max(0, frames[c]!.totalNs);
    // Scale of this frame (its width per ns of its total), and no wider than the frame in all.
    const own = f.totalNs > 0 ? width / f.totalNs : 0;
    const factor = sum > 0 ? Math.min(own, width / sum) : 0;
    let cx = start;
    const spots: [number, number][] = kids.map((c) => {
      const w = Math.max(0, frames[c]!.totalNs) * factor;
      const at: [number, number] = [cx, w];
      cx += w;
      return at;
    });
    for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k]!, index, spots[k]![0], spots[k]![1], depth + 1]);
  }

  const inverted = options.inverted ?? false;
  const row = new Int32Array(n);
  for (let i = 0; i < n; i++) row[i] = inverted ? maxDepth - placed[i]!.depth : placed[i]!.depth;
  const extentNs = Math.max(options.extentNs ?? 0, topsWidth);
  return { frames: placed, parent, row, maxDepth, extentNs, inverted, layout: layoutFlame(placed, row, maxDepth, extentNs) };
}

/**
 * A sandwich's two halves on one x scale: the callers inverted (the focus in the bottom row, its
 * callers stacked above it), the callees below (the focus on top).
 */
export function layoutSandwich(sandwich: Pick<SpanSandwich, 'callers' | 'callees'>): { callers: MergedFlame; callees: MergedFlame } {
  const topWidth = (frames: readonly AggregateFrame[]): number => frames.reduce((sum, f) => sum + (f.parent < 0 ? Math.max(0, f.totalNs) : 0), 0);
  const extentNs = Math.max(topWidth(sandwich.callers), topWidth(sandwich.callees));
  return {
    callers: layoutMerged(sandwich.callers, { inverted: true, extentNs }),
    callees: layoutMerged(sandwich.callees, { extentNs }),
  };
}

/** Mean duration of the spans merged into a frame (ns). */
export function meanNs(frame: Pick<AggregateFrame, 'totalNs' | 'count'>): number {
  return frame.count > 0 ? frame.totalNs / frame.count : 0;
}

/** What the store's trace bound left out, in words; null when it cut nothing. */
export function traceBoundNote(traceCount: number, matchingTraces: number): string | null {
  return matchingTraces > traceCount ? `Merged the newest ${formatCount(traceCount)} of ${formatCount(matchingTraces)} matching traces.` : null;
}

/** What the frame and depth bounds left out of one graph, in words; empty when nothing. */
export function frameBoundNotes(shown: number, total: number, depthLimited: boolean, maxDepth: number): string[] {
  const notes: string[] = [];
  if (total > shown) notes.push(`Showing the ${formatCount(shown)} widest of ${formatCount(total)} frames.`);
  if (depthLimited) notes.push(`Nesting deeper than ${formatCount(maxDepth)} levels is not shown.`);
  return notes;
}

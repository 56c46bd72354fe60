// Per-span figures the trace views show next to the tree's structure, pure and O(n) (the critical
// path is O(n log n): it sorts each span's children by end time). Iterative throughout: a trace
// can be 10,000 levels deep, which overflows a recursive walk.
import type { SpanSummary } from '../../../shared/model';
import type { SpanTree, TreeStructure } from './rows';

/** Each span's start (ns from the trace start) and duration, by span index: columns, not objects. */
export interface SpanTiming {
  startOffsetNs: ArrayLike<number>;
  durationNs: ArrayLike<number>;
}

export function spanTiming(spans: readonly Pick<SpanSummary, 'startOffsetNs' | 'durationNs'>[]): SpanTiming {
  return { startOffsetNs: spans.map((s) => s.startOffsetNs), durationNs: spans.map((s) => s.durationNs) };
}

export interface SpanMetrics {
  /** depth[i] = nesting level of span i (0 for top-level spans). */
  depth: Int32Array;
  maxDepth: number;
  /**
   * Self time: the part of a span's duration not covered by any of its children (children that
   * overlap each other, as async calls do, are merged first, and clipped to the parent).
   */
  selfNs: Float64Array;
  /** 1 for spans on the trace's critical path (see `markCriticalPath`). */
  critical: Uint8Array;
  /** posInSet[i] = 1-based position of span i among its siblings; setSize[i] = sibling count (ARIA). */
  posInSet: Int32Array;
  setSize: Int32Array;
}

export function computeSpanMetrics(tree: SpanTree): SpanMetrics {
  return computeTreeMetrics(tree, spanTiming(tree.spans));
}

/** The same figures from the tree's structure and the spans' timing columns (what a worker holds). */
export function computeTreeMetrics(tree: TreeStructure, timing: SpanTiming): SpanMetrics {
  const n = tree.parent.length;
  const depth = new Int32Array(n);
  const posInSet = new Int32Array(n);
  const setSize = new Int32Array(n);
  const { childStart, childIndex, roots } = tree;
  const { startOffsetNs, durationNs } = timing;

  for (let k = 0; k < roots.length; k++) {
    posInSet[roots[k]!] = k + 1;
    setSize[roots[k]!] = roots.length;
  }
  // Breadth-first from the roots: a span's depth is known before its children are visited.
  let maxDepth = 0;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const r of roots) queue[tail++] = r;
  while (head < tail) {
    const i = queue[head++]!;
    const first = childStart[i]!;
    const end = childStart[i + 1]!;
    const d = depth[i]! + 1;
    for (let k = first; k < end; k++) {
      const c = childIndex[k]!;
      depth[c] = d;
      if (d > maxDepth) maxDepth = d;
      posInSet[c] = k - first + 1;
      setSize[c] = end - first;
      queue[tail++] = c;
    }
  }

  const selfNs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = startOffsetNs[i]!;
    const stop = start + durationNs[i]!;
    // Children are in start order, so one sweep merges their (clipped) intervals.
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let k = childStart[i]!; k < childStart[i + 1]!; k++) {
      const c = childIndex[k]!;
      const cs = Math.max(startOffsetNs[c]!, start);
      const ce = Math.min(startOffsetNs[c]! + durationNs[c]!, stop);
      if (ce <= cs) continue;
      if (cs > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = cs;
        runEnd = ce;
      } else if (ce > runEnd) runEnd = ce;
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    selfNs[i] = Math.max(0, durationNs[i]! - covered);
  }

  return { depth, maxDepth, selfNs, critical: criticalPathOf(tree, timing), posInSet, setSize };
}

/**
 * The critical path: the chain of work that decided when the trace finished. From the longest
 * top-level span, walk back in time: the child that finished last (before the parent's end) is
 * critical, then the child that finished last before that one started, and so on; each critical
 * child is treated the same way within its own bounds.
 */
export function markCriticalPath(tree: SpanTree): Uint8Array {
  return criticalPathOf(tree, spanTiming(tree.spans));
}

function criticalPathOf(tree: TreeStructure, { startOffsetNs, durationNs }: SpanTiming): Uint8Array {
  const { childStart, childIndex, roots } = tree;
  const critical = new Uint8Array(tree.parent.length);
  let root = -1;
  for (const r of roots) {
    if (root < 0 || durationNs[r]! > durationNs[root]!) root = r;
  }
  if (root < 0) return critical;
  const endOf = (i: number): number => startOffsetNs[i]! + durationNs[i]!;

  // Work items: (span, the time after which its work no longer matters).
  const stack: number[] = [root];
  const limits: number[] = [endOf(root)];
  // One array for every span's children, latest end first (a new array and a sort per span cost
  // ~15 ms at 10,000 spans where most spans are critical, as sequential steps are).
  const children: number[] = [];
  while (stack.length > 0) {
    const i = stack.pop()!;
    const limit = limits.pop()!;
    critical[i] = 1;
    childrenByEndDescending(childIndex, childStart[i]!, childStart[i + 1]!, endOf, children);
    let cursor = Math.min(endOf(i), limit);
    for (const c of children) {
      if (startOffsetNs[c]! >= cursor) continue;
      stack.push(c);
      limits.push(cursor);
      cursor = startOffsetNs[c]!;
    }
  }
  return critical;
}

/**
 * Fills `out` with childIndex[first..end) ordered by end time, latest first, ties in start order
 * (a stable sort). Children that end in the order they start (sequential work) are already that
 * order backwards, which one pass checks, so most spans need no sort.
 */
function childrenByEndDescending(childIndex: Int32Array, first: number, end: number, endOf: (i: number) => number, out: number[]): void {
  out.length = 0;
  let endsRise = true;
  for (let k = end - 1; k >= first; k--) {
    const c = childIndex[k]!;
    if (out.length > 0 && endOf(c) >= endOf(out[out.length - 1]!)) endsRise = false;
    out.push(c);
  }
  if (endsRise) return;
  out.reverse();
  out.sort((a, b) => endOf(b) - endOf(a));
}

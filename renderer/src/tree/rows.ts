// Span tree layout, pure (no DOM, no React): who is whose parent, and which spans are visible in
// which order at what depth. The span tree view draws these rows; the waterfall (issue 5) will
// align its bars to the same rows, and a virtualised list only needs `rows[i]`.
//
// Everything here is iterative and O(n): traces can be 10,000 levels deep (a recursive walk
// overflows the stack at a few thousand frames) or 100,000 spans wide.
import type { SpanSummary } from '../../../shared/model';
import { SpanIdIndex, type SpanIdLookup } from './span-index';

/**
 * The parent/child structure of one trace, built once per loaded trace: typed arrays only (and
 * the id index over the span ids), so a worker can build it and transfer it (tree/packed-trace.ts).
 */
export interface TreeStructure {
  /** parent[i] = index of span i's parent, or -1 when span i is shown at top level. */
  parent: Int32Array;
  /**
   * Children in compressed form: the children of span i are
   * childIndex[childStart[i]] .. childIndex[childStart[i + 1] - 1], in input (start-time) order.
   */
  childStart: Int32Array;
  childIndex: Int32Array;
  /** Top-level spans in input order: true roots first-come with orphans interleaved. */
  roots: Int32Array;
  /**
   * 1 when span i names a parent that is not in the trace (not yet arrived, or dropped), or
   * whose parent chain loops back to itself; such spans are shown at top level, marked.
   */
  orphan: Uint8Array;
  /** First index of each span id (a repeated id keeps its first occurrence). */
  indexById: SpanIdLookup;
}

export interface SpanTree extends TreeStructure {
  spans: readonly SpanSummary[];
}

/** One visible row of the tree. */
export interface TreeRow {
  /** Index into `SpanTree.spans`. */
  index: number;
  /** 0 for top-level spans. */
  depth: number;
  hasChildren: boolean;
  /** False when the span has children and is collapsed. */
  expanded: boolean;
  orphan: boolean;
}

/** Spans are expected in start order (TraceDetail.spans is); children keep that order. */
export function buildSpanTree(spans: readonly SpanSummary[]): SpanTree {
  const spanIds = spans.map((s) => s.spanId);
  const parentIds = spans.map((s) => s.parentSpanId);
  return { spans, ...buildTreeStructure(spanIds, parentIds) };
}

/** The tree of spans given as two columns: their ids and their parents' ids (null or '' for none). */
export function buildTreeStructure(spanIds: readonly string[], parentSpanIds: readonly (string | null)[]): TreeStructure & { indexById: SpanIdIndex } {
  const n = spanIds.length;
  const indexById = SpanIdIndex.build(spanIds);

  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const parentId = parentSpanIds[i]!;
    if (parentId === null || parentId === '') continue;
    const p = indexById.get(parentId);
    if (p === undefined || p === i) orphan[i] = 1;
    else parent[i] = p;
  }

  breakCycles(parent, orphan);

  // Count children, prefix-sum into start offsets, then fill in input order.
  const childStart = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) rootCount++;
    else childStart[p + 1]!++;
  }
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const childIndex = new Int32Array(n - rootCount);
  const fill = childStart.slice(0, n);
  const roots = new Int32Array(rootCount);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) roots[r++] = i;
    else childIndex[fill[p]!++] = i;
  }

  return { parent, childStart, childIndex, roots, orphan, indexById };
}

/**
 * Parent links can loop when span data is bad (A's parent is B, B's parent is A); no span of a
 * loop would ever be reached from a root. Walk up from every span once, colouring the path; a
 * walk that meets its own path cuts the link that closed the loop and marks that span an orphan.
 * Every span is coloured once, so the whole pass is O(n).
 */
function breakCycles(parent: Int32Array, orphan: Uint8Array): void {
  const UNSEEN = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Uint8Array(parent.length);
  const path: number[] = [];
  for (let start = 0; start < parent.length; start++) {
    if (state[start] !== UNSEEN) continue;
    let i = start;
    while (i >= 0 && state[i] === UNSEEN) {
      state[i] = ON_PATH;
      path.push(i);
      i = parent[i]!;
    }
    if (i >= 0 && state[i] === ON_PATH) {
      // The last span on the path points back into the path: cut its link.
      const last = path[path.length - 1]!;
      parent[last] = -1;
      orphan[last] = 1;
    }
    for (const j of path) state[j] = DONE;
    path.length = 0;
  }
}

export function childCount(tree: SpanTree, index: number): number {
  return tree.childStart[index + 1]! - tree.childStart[index]!;
}

/**
 * The rows to show, depth-first in start order, skipping the descendants of collapsed spans.
 * `collapsed` holds span ids, so it survives a reload of the trace that adds spans.
 */
export function visibleRows(tree: SpanTree, collapsed: ReadonlySet<string>): TreeRow[] {
  const { spans, childStart, childIndex, roots, orphan } = tree;
  const rows: TreeRow[] = [];
  // An explicit stack of (span, depth), children pushed in reverse so they pop in order.
  const stack: number[] = [];
  const depths: number[] = [];
  for (let k = roots.length - 1; k >= 0; k--) {
    stack.push(roots[k]!);
    depths.push(0);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const depth = depths.pop()!;
    const first = childStart[i]!;
    const end = childStart[i + 1]!;
    const hasChildren = end > first;
    // Nothing folded (every trace as it opens): no id to look up, no span object to read.
    const expanded = hasChildren && (collapsed.size === 0 || !collapsed.has(spans[i]!.spanId));
    rows.push({ index: i, depth, hasChildren, expanded, orphan: orphan[i] === 1 });
    if (expanded) {
      for (let k = end - 1; k >= first; k--) {
        stack.push(childIndex[k]!);
        depths.push(depth + 1);
      }
    }
  }
  return rows;
}

/** Convenience for callers that hold only the spans: build the tree and list its visible rows. */
export function buildVisibleRows(spans: readonly SpanSummary[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  return visibleRows(buildSpanTree(spans), collapsed);
}

/** Indexes of span `index`'s ancestors, nearest first (to expand them when it is selected). */
export function ancestorsOf(tree: SpanTree, index: number): number[] {
  const out: number[] = [];
  for (let p = tree.parent[index]!; p >= 0; p = tree.parent[p]!) out.push(p);
  return out;
}

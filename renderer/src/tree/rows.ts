// Span tree layout, pure (no DOM): which spans are visible in which order and at what depth.
// Iterative, O(n) per call: traces can be 10,000 levels deep or 100,000 spans wide, so no
// recursion and no per-row array copies.
import type { SpanSummary } from '../../../shared/model';

export interface SpanTreeIndex {
  /** children[i] = indexes of span i's children, in start order. */
  children: number[][];
  /** Spans with no parent, or whose parent is not in the trace (marked `orphan`). */
  roots: number[];
  orphan: boolean[];
  parent: Int32Array;
}

export interface TreeRow {
  index: number;
  depth: number;
  hasChildren: boolean;
  orphan: boolean;
}

/** Builds the parent/child index of a trace; spans are expected in start order. */
export function indexSpans(spans: readonly SpanSummary[]): SpanTreeIndex {
  const byId = new Map<string, number>();
  spans.forEach((s, i) => byId.set(s.spanId, i));
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  const orphan: boolean[] = new Array<boolean>(spans.length).fill(false);
  const parent = new Int32Array(spans.length).fill(-1);
  spans.forEach((s, i) => {
    const p = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
    if (p === undefined || p === i) {
      roots.push(i);
      orphan[i] = s.parentSpanId !== null;
    } else {
      children[p]!.push(i);
      parent[i] = p;
    }
  });
  return { children, roots, orphan, parent };
}

/** The rows to show, depth-first, skipping the descendants of collapsed spans. */
export function visibleRows(index: SpanTreeIndex, collapsed: ReadonlySet<number>): TreeRow[] {
  const rows: TreeRow[] = [];
  // Stack of [span, depth], pushed in reverse so children come out in start order.
  const stack: number[] = [];
  const depths: number[] = [];
  for (let r = index.roots.length - 1; r >= 0; r--) {
    stack.push(index.roots[r]!);
    depths.push(0);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const depth = depths.pop()!;
    const kids = index.children[i]!;
    rows.push({ index: i, depth, hasChildren: kids.length > 0, orphan: index.orphan[i]! });
    if (kids.length > 0 && !collapsed.has(i)) {
      for (let k = kids.length - 1; k >= 0; k--) {
        stack.push(kids[k]!);
        depths.push(depth + 1);
      }
    }
  }
  return rows;
}

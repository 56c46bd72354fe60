// Comparing two traces, pure (no DOM): spans are matched by their name path from the root
// ("GET /checkout › SELECT orders"), the k-th span with the same path under the same parent
// matching the k-th on the other side (in start order). The result is one merged tree,
// flattened depth-first into rows, with each span's durations on both sides and the delta;
// spans only in A are "missing" from B, spans only in B are "added".
//
// Iterative throughout: a trace can be thousands of levels deep.
import type { SpanSummary, StatusCode } from '../../../shared/model';

export type CompareStatus = 'both' | 'added' | 'missing';

export interface CompareSide {
  spanId: string;
  durationNs: number;
  statusCode: StatusCode;
}

export interface CompareRow {
  name: string;
  depth: number;
  status: CompareStatus;
  /** The span in trace A (the baseline), absent when added in B. */
  a: CompareSide | null;
  b: CompareSide | null;
  /** b.durationNs - a.durationNs when the span is on both sides, else null. */
  deltaNs: number | null;
  /** Rows below this one that belong to its subtree. */
  descendantCount: number;
}

export interface CompareSummary {
  rows: CompareRow[];
  matched: number;
  added: number;
  missing: number;
}

interface Forest {
  spans: readonly SpanSummary[];
  /** Top-level spans (roots and orphans), then children per span, each in start order. */
  roots: number[];
  children: number[][];
}

function forest(spans: readonly SpanSummary[]): Forest {
  const indexById = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!indexById.has(s.spanId)) indexById.set(s.spanId, i);
  });
  const order = spans.map((_, i) => i).sort((x, y) => spans[x]!.startOffsetNs - spans[y]!.startOffsetNs || x - y);
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  for (const i of order) {
    const parent = spans[i]!.parentSpanId;
    const p = parent === null ? undefined : indexById.get(parent);
    // A parent that is absent or the span itself: shown at top level.
    if (p === undefined || p === i) roots.push(i);
    else children[p]!.push(i);
  }
  return { spans, roots, children };
}

/** Pairs two lists of sibling spans by name, the k-th of a name with the k-th. */
function pairSiblings(a: readonly number[], b: readonly number[], aSpans: readonly SpanSummary[], bSpans: readonly SpanSummary[]): [number | null, number | null][] {
  const bByName = new Map<string, number[]>();
  for (const j of b) {
    const name = bSpans[j]!.name;
    const list = bByName.get(name);
    if (list) list.push(j);
    else bByName.set(name, [j]);
  }
  const used = new Set<number>();
  const pairs: [number | null, number | null][] = [];
  const taken = new Map<string, number>();
  for (const i of a) {
    const name = aSpans[i]!.name;
    const k = taken.get(name) ?? 0;
    const match = bByName.get(name)?.[k];
    taken.set(name, k + 1);
    if (match !== undefined) used.add(match);
    pairs.push([i, match ?? null]);
  }
  for (const j of b) if (!used.has(j)) pairs.push([null, j]);
  return pairs;
}

const side = (s: SpanSummary): CompareSide => ({ spanId: s.spanId, durationNs: s.durationNs, statusCode: s.statusCode });

export function compareTraces(aSpans: readonly SpanSummary[], bSpans: readonly SpanSummary[]): CompareSummary {
  const A = forest(aSpans);
  const B = forest(bSpans);
  const rows: CompareRow[] = [];
  let matched = 0;
  let added = 0;
  let missing = 0;
  // Work stack of [a index | null, b index | null, depth], pushed in reverse so rows come out in order;
  // a negative marker closes a row's subtree to count its descendants.
  type Item = { a: number | null; b: number | null; depth: number } | { close: number };
  const stack: Item[] = [];
  const pushPairs = (pairs: [number | null, number | null][], depth: number): void => {
    for (let p = pairs.length - 1; p >= 0; p--) stack.push({ a: pairs[p]![0], b: pairs[p]![1], depth });
  };
  pushPairs(pairSiblings(A.roots, B.roots, aSpans, bSpans), 0);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('close' in item) {
      rows[item.close]!.descendantCount = rows.length - item.close - 1;
      continue;
    }
    const a = item.a === null ? null : aSpans[item.a]!;
    const b = item.b === null ? null : bSpans[item.b]!;
    const status: CompareStatus = a && b ? 'both' : a ? 'missing' : 'added';
    if (status === 'both') matched++;
    else if (status === 'added') added++;
    else missing++;
    const at = rows.length;
    rows.push({
      name: (a ?? b)!.name,
      depth: item.depth,
      status,
      a: a ? side(a) : null,
      b: b ? side(b) : null,
      deltaNs: a && b ? b.durationNs - a.durationNs : null,
      descendantCount: 0,
    });
    stack.push({ close: at });
    const aChildren = item.a === null ? [] : A.children[item.a]!;
    const bChildren = item.b === null ? [] : B.children[item.b]!;
    pushPairs(pairSiblings(aChildren, bChildren, aSpans, bSpans), item.depth + 1);
  }
  return { rows, matched, added, missing };
}

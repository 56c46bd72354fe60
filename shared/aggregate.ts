// Views across many traces, computed by the store in SQL (electron/engine/store/aggregate-flame.ts):
// the aggregated flame graph of the traces a filter matches (spans merged by their name path
// from the root), and the sandwich of one span name (its callers merged upwards, its callees
// merged downwards). Both are bounded: at most `maxTraces` traces are merged, at most
// `maxFrames` frames come back, and nesting is followed to at most `maxDepth` levels; each
// result says when a bound cut something, so the UI can say so.

import type { SpanKind, SpanType } from './model';

/** The bounds of one aggregation; every field optional (defaults and limits in AGGREGATE_LIMITS). */
export interface AggregateOptions {
  /** Merge at most this many traces, the newest matching ones (by start). */
  maxTraces?: number;
  /** Return at most this many frames: the widest, a kept frame's parent always kept with it. */
  maxFrames?: number;
  /** Follow nesting to at most this many levels (the root is level 1). */
  maxDepth?: number;
  /** Only this trace (it must still match the filter). */
  traceId?: string;
}

export const AGGREGATE_LIMITS = {
  maxTraces: { default: 1000, max: 10_000 },
  maxFrames: { default: 5000, max: 20_000 },
  maxDepth: { default: 128, max: 1000 },
  /** Longest span name the sandwich accepts. */
  maxNameLength: 2000,
} as const;

/**
 * One merged frame: every span reached by the same path of span names. Frames come parents
 * first (ordered by depth, then widest first), so `parent` always points backwards.
 */
export interface AggregateFrame {
  /** Index of the parent frame in the same list; -1 for a top frame. */
  parent: number;
  name: string;
  /** 0 for a top frame. */
  depth: number;
  /** Spans merged into the frame. */
  count: number;
  /** Traces with at least one of them. */
  traceCount: number;
  /** Sum of their durations (ns). */
  totalNs: number;
  /**
   * Sum of their self times (ns): the part of each span's duration not covered by its children
   * (overlapping children merged first, clipped to the span), as the trace views compute it.
   */
  selfNs: number;
  /** Merged spans with status error. */
  errorCount: number;
  /** The most common service, span type and kind among the merged spans. */
  serviceName: string | null;
  spanType: SpanType | null;
  kind: SpanKind;
}

/** The aggregated flame graph of the traces a filter matches, and what its bounds left out. */
export interface AggregateFlame {
  frames: AggregateFrame[];
  /** Traces merged (at most maxTraces). */
  traceCount: number;
  /** Traces the filter matches in all (more than traceCount when the trace bound cut). */
  matchingTraces: number;
  /** Distinct frames before the frame bound (more than frames.length when it cut). */
  totalFrames: number;
  /** Some nesting went deeper than maxDepth and is not shown. */
  depthLimited: boolean;
  /** The bounds applied. */
  maxTraces: number;
  maxFrames: number;
  maxDepth: number;
  /** Spans of the merged traces. */
  spanCount: number;
  /** Of them, merged into some frame (the rest lie deeper than maxDepth, or in a loop of parents). */
  spansMerged: number;
}

/**
 * The sandwich of one span name. Its spans (only the outermost when the name nests inside
 * itself, so no time is counted twice) are the focus; both halves start from one frame of them.
 *
 * - `callers`: depth 0 is the focus, depth 1 their parents merged by name, depth 2 the
 *   grandparents, … (drawn inverted, above). A caller frame's count, total and self time are
 *   the focus spans' that were reached through that chain of callers: time attributed to it.
 * - `callees`: depth 0 is the focus, then what they call, merged by name path below them, with
 *   the callees' own counts, totals and self times.
 */
export interface SpanSandwich {
  name: string;
  /** Focus spans (outermost spans of that name). */
  focusCount: number;
  /** Spans of that name in the merged traces, nested ones included. */
  nameCount: number;
  callers: AggregateFrame[];
  callees: AggregateFrame[];
  /** Frames before the frame bound, per half (the bound applies to each half). */
  totalCallerFrames: number;
  totalCalleeFrames: number;
  callersDepthLimited: boolean;
  calleesDepthLimited: boolean;
  /** Traces with a span of that name merged, and how many the filter matches in all. */
  traceCount: number;
  matchingTraces: number;
  maxTraces: number;
  maxFrames: number;
  maxDepth: number;
}

// A trace laid out off the main thread, pure (no DOM, no Worker): the trace-layout worker
// (workers/trace-layout.worker.ts) only passes messages to these functions.
//
//   packTraceColumns   TraceColumns -> numbers in typed arrays (NaN where a number is null)
//   layOutTrace        -> the tree, its metrics and the flame graph layout, all typed arrays
//   transferablesOf    the buffers to transfer (zero-copy) instead of cloning them
//   unpackLaidOutTrace on the main thread: the SpanSummary objects and SpanTree the views read
//                      (unpackLaidOutTraceInSlices: the same in slices, between other tasks)
//
// Why this split (bench/README.md, render): at 100,000 spans, cloning 100,000 span objects out of
// a worker costs 0.7–1.3 s on the receiving side, several times what building them costs, and a
// Map of span ids ~0.1 s; typed arrays move for free. So everything but the span objects is built
// in the worker, and the main thread builds the objects in tight loops over typed columns. The
// span ids are the only long array of strings that is cloned; parent ids are not sent at all
// where the tree gives them back (spanId[parent[i]], or null at a root).
import type { SpanKind, SpanSummary, SpanType, StatusCode, TraceColumns, TraceDetail } from '../../../shared/model';
import { layoutFlame, layoutFlameColumns, type FlameLayout } from '../flamegraph/layout';
import { computeSpanMetrics, computeTreeMetrics, type SpanMetrics } from './metrics';
import { buildSpanTree, buildTreeStructure, type SpanTree, type TreeStructure } from './rows';
import { SpanIdIndex } from './span-index';

/** SpanColumns' numbers in typed arrays; NaN stands for null (JSON has no NaN, so none is lost). */
export interface NumericSpanColumns {
  strings: string[];
  name: Int32Array;
  kind: Int32Array;
  serviceName: Int32Array;
  statusCode: Int32Array;
  spanType: Int32Array;
  llmModel: Int32Array;
  startOffsetNs: Float64Array;
  durationNs: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  costUsd: Float64Array;
  eventCount: Float64Array;
  /** Span i's event offsets are eventOffsetsNs[eventStart[i]] .. [eventStart[i + 1] - 1]. */
  eventStart: Int32Array;
  eventOffsetsNs: Float64Array;
  /** 0 where SpanSummary.eventOffsetsNs is absent (as opposed to an empty list). */
  hasEventOffsets: Uint8Array;
}

/** What a worker is given to lay out: the fetched trace with its numbers packed. */
export interface PackedTrace {
  traceId: string;
  startNs: string;
  durationNs: number;
  spanId: string[];
  parentSpanId: (string | null)[];
  columns: NumericSpanColumns;
}

/** What a worker sends back. */
export interface LaidOutTrace {
  traceId: string;
  startNs: string;
  durationNs: number;
  spanId: string[];
  /** The parent ids the tree does not give back (orphans, '' for none), at these span indexes. */
  parentIdAt: Int32Array;
  parentIdValue: (string | null)[];
  columns: NumericSpanColumns;
  tree: Omit<TreeStructure, 'indexById'> & { idTable: Int32Array };
  metrics: SpanMetrics;
  flame: FlameLayout;
}

/** What the views read (state/selection.ts holds these). */
export interface TraceViewModel {
  trace: TraceDetail;
  tree: SpanTree;
  metrics: SpanMetrics;
  flame: FlameLayout;
}

function nullableNumbers(values: readonly (number | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? Number.NaN;
  return out;
}

export function packTraceColumns(trace: TraceColumns): PackedTrace {
  const c = trace.spans;
  const n = c.spanId.length;
  const eventStart = new Int32Array(n + 1);
  const hasEventOffsets = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const events = c.eventOffsetsNs[i];
    if (events) hasEventOffsets[i] = 1;
    eventStart[i + 1] = eventStart[i]! + (events?.length ?? 0);
  }
  const eventOffsetsNs = new Float64Array(eventStart[n]!);
  for (let i = 0; i < n; i++) {
    const events = c.eventOffsetsNs[i];
    if (events) eventOffsetsNs.set(events, eventStart[i]!);
  }
  return {
    traceId: trace.traceId,
    startNs: trace.startNs,
    durationNs: trace.durationNs,
    spanId: c.spanId,
    parentSpanId: c.parentSpanId,
    columns: {
      strings: c.strings,
      name: Int32Array.from(c.name),
      kind: Int32Array.from(c.kind),
      serviceName: Int32Array.from(c.serviceName),
      statusCode: Int32Array.from(c.statusCode),
      spanType: Int32Array.from(c.spanType),
      llmModel: Int32Array.from(c.llmModel),
      startOffsetNs: Float64Array.from(c.startOffsetNs),
      durationNs: Float64Array.from(c.durationNs),
      inputTokens: nullableNumbers(c.inputTokens),
      outputTokens: nullableNumbers(c.outputTokens),
      costUsd: nullableNumbers(c.costUsd),
      eventCount: Float64Array.from(c.eventCount),
      eventStart,
      eventOffsetsNs,
      hasEventOffsets,
    },
  };
}

export function layOutTrace(packed: PackedTrace): LaidOutTrace {
  const { spanId, parentSpanId, columns } = packed;
  const { indexById, ...structure } = buildTreeStructure(spanId, parentSpanId);
  const metrics = computeTreeMetrics({ ...structure, indexById }, columns);
  const flame = layoutFlameColumns(columns.startOffsetNs, columns.durationNs, metrics.depth, metrics.maxDepth, packed.durationNs);
  const parentIdAt: number[] = [];
  const parentIdValue: (string | null)[] = [];
  for (let i = 0; i < spanId.length; i++) {
    const p = structure.parent[i]!;
    if (parentSpanId[i] !== (p >= 0 ? spanId[p] : null)) {
      parentIdAt.push(i);
      parentIdValue.push(parentSpanId[i]!);
    }
  }
  return {
    traceId: packed.traceId,
    startNs: packed.startNs,
    durationNs: packed.durationNs,
    spanId,
    parentIdAt: Int32Array.from(parentIdAt),
    parentIdValue,
    columns,
    tree: { ...structure, idTable: indexById.table },
    metrics,
    flame,
  };
}

/** Every typed array's buffer in a message, once each (a buffer listed twice cannot be transferred). */
export function transferablesOf(message: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown, depth: number): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(message, 0);
  return [...buffers];
}

/**
 * Builds spans[from..to) from the columns; `exception` is the first parentIdAt entry at or after
 * `from`, and the one after `to` is returned (so slices can follow one another).
 */
function buildSpans(laid: LaidOutTrace, spans: SpanSummary[], from: number, to: number, exception: number): number {
  const { spanId, columns: c, tree, parentIdAt, parentIdValue } = laid;
  const { strings } = c;
  const text = (code: number): string | null => (code < 0 ? null : strings[code]!);
  const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
  for (let i = from; i < to; i++) {
    let parentSpanId: string | null;
    if (exception < parentIdAt.length && parentIdAt[exception] === i) parentSpanId = parentIdValue[exception++]!;
    else parentSpanId = tree.parent[i]! >= 0 ? spanId[tree.parent[i]!]! : null;
    // The same fields in the same order as spansFromColumns (shared/span-columns.ts).
    const span: SpanSummary = {
      spanId: spanId[i]!,
      parentSpanId,
      name: text(c.name[i]!) as string,
      kind: text(c.kind[i]!) as SpanKind,
      serviceName: text(c.serviceName[i]!),
      startOffsetNs: c.startOffsetNs[i]!,
      durationNs: c.durationNs[i]!,
      statusCode: text(c.statusCode[i]!) as StatusCode,
      spanType: text(c.spanType[i]!) as SpanType | null,
      llmModel: text(c.llmModel[i]!),
      inputTokens: orNull(c.inputTokens[i]!),
      outputTokens: orNull(c.outputTokens[i]!),
      costUsd: orNull(c.costUsd[i]!),
      eventCount: c.eventCount[i]!,
    };
    if (c.hasEventOffsets[i] === 1) {
      const start = c.eventStart[i]!;
      const events = new Array<number>(c.eventStart[i + 1]! - start);
      for (let k = 0; k < events.length; k++) events[k] = c.eventOffsetsNs[start + k]!;
      span.eventOffsetsNs = events;
    }
    spans[i] = span;
  }
  return exception;
}

function assemble(laid: LaidOutTrace, spans: SpanSummary[]): TraceViewModel {
  const { idTable, ...structure } = laid.tree;
  return {
    trace: { traceId: laid.traceId, startNs: laid.startNs, durationNs: laid.durationNs, spans },
    tree: { spans, ...structure, indexById: new SpanIdIndex(laid.spanId, idTable) },
    metrics: laid.metrics,
    flame: laid.flame,
  };
}

/** The main thread's share: the span objects from the typed columns, the rest as it came. */
export function unpackLaidOutTrace(laid: LaidOutTrace): TraceViewModel {
  const spans = new Array<SpanSummary>(laid.spanId.length);
  buildSpans(laid, spans, 0, spans.length, 0);
  return assemble(laid, spans);
}

/**
 * The same, `slice` spans at a time with `pause()` between slices, so the page stays responsive:
 * 100,000 span objects (and the garbage collection they bring) are ~50–150 ms of main-thread
 * work, which in one piece is one long task.
 */
export async function unpackLaidOutTraceInSlices(laid: LaidOutTrace, pause: () => Promise<void>, slice = 10_000): Promise<TraceViewModel> {
  const spans = new Array<SpanSummary>(laid.spanId.length);
  let exception = 0;
  for (let from = 0; from < spans.length; from += slice) {
    if (from > 0) await pause();
    exception = buildSpans(laid, spans, from, Math.min(spans.length, from + slice), exception);
  }
  return assemble(laid, spans);
}

/** A request to the trace-layout worker: fetch the trace itself (HTTP), or lay out one it is given. */
export type LayoutRequest = { id: number; kind: 'fetch'; traceId: string } | { id: number; kind: 'build'; trace: PackedTrace };

export type LayoutResponse =
  | { id: number; kind: 'done'; trace: LaidOutTrace }
  | { id: number; kind: 'missing' }
  | { id: number; kind: 'error'; message: string };

/** The worker's whole job, minus the postMessage: the answer and the buffers to transfer with it. */
export async function answerLayoutRequest(
  request: LayoutRequest,
  fetchColumns: (traceId: string) => Promise<TraceColumns | null>,
): Promise<{ response: LayoutResponse; transfer: ArrayBuffer[] }> {
  try {
    let packed: PackedTrace;
    if (request.kind === 'fetch') {
      const columns = await fetchColumns(request.traceId);
      if (!columns) return { response: { id: request.id, kind: 'missing' }, transfer: [] };
      packed = packTraceColumns(columns);
    } else packed = request.trace;
    const trace = layOutTrace(packed);
    return { response: { id: request.id, kind: 'done', trace }, transfer: transferablesOf(trace) };
  } catch (error) {
    return { response: { id: request.id, kind: 'error', message: error instanceof Error ? error.message : String(error) }, transfer: [] };
  }
}

/** The views' model built on the main thread from span objects (small traces, or no worker). */
export function buildTraceViewModel(trace: TraceDetail): TraceViewModel {
  const tree = buildSpanTree(trace.spans);
  const metrics = computeSpanMetrics(tree);
  const flame = layoutFlame(trace.spans, metrics.depth, metrics.maxDepth, trace.durationNs);
  return { trace, tree, metrics, flame };
}

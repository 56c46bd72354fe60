// A trace laid out off the main thread, pure (no DOM, no Worker): the trace-layout worker
// (workers/trace-layout.worker.ts) only passes messages to these functions.
//
//   packTraceColumns   TraceColumns -> numbers in typed arrays (NaN where a number is null)
//   layOutTrace        -> the tree, its metrics and the flame graph layout, all typed arrays
//   transferablesOf    the buffers to transfer (zero-copy) instead of cloning them
//   unpackLaidOutTrace on the main thread: SpanSummary objects over the columns, and the SpanTree
//
// Why this split (bench/README.md, render): at 100,000 spans, cloning 100,000 span objects out of
// a worker costs 0.7–1.3 s on the receiving side, several times what building them costs, and a
// Map of span ids ~0.1 s; typed arrays move for free. So everything is built in the worker as
// typed arrays, and the page wraps each span in a two-field object whose getters read the columns
// (ColumnarSpan). The span ids are the only long array of strings that is cloned; parent ids are
// not sent at all where the tree gives them back (spanId[parent[i]], or null at a root).
import type { SparseColumn, SpanKind, SpanSummary, SpanType, StatusCode, TraceColumns, TraceDetail } from '../../../shared/model';
import { scatterSparse, traceDetailFromColumns } from '../../../shared/span-columns';
import { layoutFlame, layoutFlameColumns, type FlameLayout } from '../flamegraph/layout';
import { traceTotals, type TraceTotals } from '../llm/totals';
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
  /** The header's totals, counted from the columns before packing (llm/totals.ts). */
  totals: TraceTotals;
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
  totals: TraceTotals;
}

/** What the views read (state/selection.ts holds these). */
export interface TraceViewModel {
  trace: TraceDetail;
  tree: SpanTree;
  metrics: SpanMetrics;
  flame: FlameLayout;
  totals: TraceTotals;
}

/** A sparse column as one double a span, NaN where it has no value. */
function nullableNumbers(column: SparseColumn<number>, n: number): Float64Array {
  return scatterSparse(column, new Float64Array(n).fill(Number.NaN));
}

export function packTraceColumns(trace: TraceColumns): PackedTrace {
  const c = trace.spans;
  const n = c.spanId.length;
  const eventStart = new Int32Array(n + 1);
  const hasEventOffsets = new Uint8Array(n);
  const { at, values } = c.eventOffsetsNs;
  for (let k = 0; k < at.length; k++) {
    hasEventOffsets[at[k]!] = 1;
    eventStart[at[k]! + 1] = values[k]!.length;
  }
  for (let i = 0; i < n; i++) eventStart[i + 1]! += eventStart[i]!;
  const eventOffsetsNs = new Float64Array(eventStart[n]!);
  for (let k = 0; k < at.length; k++) eventOffsetsNs.set(values[k]!, eventStart[at[k]!]!);
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
      inputTokens: nullableNumbers(c.inputTokens, n),
      outputTokens: nullableNumbers(c.outputTokens, n),
      costUsd: nullableNumbers(c.costUsd, n),
      eventCount: Float64Array.from(c.eventCount),
      eventStart,
      eventOffsetsNs,
      hasEventOffsets,
    },
    totals: traceTotals(c),
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
    totals: packed.totals,
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
 * A span read from the typed columns on demand: the page builds 100,000 of these in a few ms,
 * where 100,000 plain SpanSummary objects (15 fields, two boxed doubles each) cost 50–150 ms and
 * as much again in garbage collection, all of it on the main thread. The views read fields by
 * name as from any SpanSummary; each getter is an array read or two.
 */
class ColumnarSpan implements SpanSummary {
  readonly #trace: UnpackedColumns;
  readonly #i: number;

  constructor(trace: UnpackedColumns, i: number) {
    this.#trace = trace;
    this.#i = i;
  }

  get spanId(): string {
    return this.#trace.spanId[this.#i]!;
  }
  get parentSpanId(): string | null {
    return this.#trace.parentSpanIdOf(this.#i);
  }
  get name(): string {
    return this.#trace.text(this.#trace.columns.name[this.#i]!) as string;
  }
  get kind(): SpanKind {
    return this.#trace.text(this.#trace.columns.kind[this.#i]!) as SpanKind;
  }
  get serviceName(): string | null {
    return this.#trace.text(this.#trace.columns.serviceName[this.#i]!);
  }
  get startOffsetNs(): number {
    return this.#trace.columns.startOffsetNs[this.#i]!;
  }
  get durationNs(): number {
    return this.#trace.columns.durationNs[this.#i]!;
  }
  get statusCode(): StatusCode {
    return this.#trace.text(this.#trace.columns.statusCode[this.#i]!) as StatusCode;
  }
  get spanType(): SpanType | null {
    return this.#trace.text(this.#trace.columns.spanType[this.#i]!) as SpanType | null;
  }
  get llmModel(): string | null {
    return this.#trace.text(this.#trace.columns.llmModel[this.#i]!);
  }
  get inputTokens(): number | null {
    return orNull(this.#trace.columns.inputTokens[this.#i]!);
  }
  get outputTokens(): number | null {
    return orNull(this.#trace.columns.outputTokens[this.#i]!);
  }
  get costUsd(): number | null {
    return orNull(this.#trace.columns.costUsd[this.#i]!);
  }
  get eventCount(): number {
    return this.#trace.columns.eventCount[this.#i]!;
  }
  /** The same array every time (memoised rows compare props by identity). */
  get eventOffsetsNs(): number[] | undefined {
    return this.#trace.events.get(this.#i);
  }
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** What ColumnarSpan reads: the columns, and the two fields kept in another form. */
class UnpackedColumns {
  readonly spanId: readonly string[];
  readonly columns: NumericSpanColumns;
  /** Event offsets of the spans that carry them (few do), built once so each is one array. */
  readonly events = new Map<number, number[]>();
  readonly #laid: LaidOutTrace;

  constructor(laid: LaidOutTrace) {
    this.#laid = laid;
    this.spanId = laid.spanId;
    const c = (this.columns = laid.columns);
    for (let i = 0; i < laid.spanId.length; i++) {
      if (c.hasEventOffsets[i] !== 1) continue;
      this.events.set(i, Array.from(c.eventOffsetsNs.subarray(c.eventStart[i]!, c.eventStart[i + 1]!)));
    }
  }

  text(code: number): string | null {
    return code < 0 ? null : this.columns.strings[code]!;
  }

  parentSpanIdOf(i: number): string | null {
    const { parentIdAt, parentIdValue, tree } = this.#laid;
    // parentIdAt is ascending: binary search for i among the exceptions.
    let lo = 0;
    let hi = parentIdAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (parentIdAt[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    if (lo < parentIdAt.length && parentIdAt[lo] === i) return parentIdValue[lo]!;
    const p = tree.parent[i]!;
    return p >= 0 ? this.spanId[p]! : null;
  }
}

/** The main thread's share: one small object per span over the typed columns, the rest as it came. */
export function unpackLaidOutTrace(laid: LaidOutTrace): TraceViewModel {
  const source = new UnpackedColumns(laid);
  const spans = new Array<SpanSummary>(laid.spanId.length);
  for (let i = 0; i < spans.length; i++) spans[i] = new ColumnarSpan(source, i);
  const { idTable, ...structure } = laid.tree;
  return {
    trace: { traceId: laid.traceId, startNs: laid.startNs, durationNs: laid.durationNs, spans },
    tree: { spans, ...structure, indexById: new SpanIdIndex(laid.spanId, idTable) },
    metrics: laid.metrics,
    flame: laid.flame,
    totals: laid.totals,
  };
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
export function buildTraceViewModel(columns: TraceColumns): TraceViewModel {
  const trace = traceDetailFromColumns(columns);
  const tree = buildSpanTree(trace.spans);
  const metrics = computeSpanMetrics(tree);
  const flame = layoutFlame(trace.spans, metrics.depth, metrics.maxDepth, trace.durationNs);
  return { trace, tree, metrics, flame, totals: traceTotals(columns.spans) };
}

// The trace-layout worker's work (tree/packed-trace.ts), run here as the worker runs it: the
// request and the answer go through structuredClone with their transfer lists, as postMessage
// sends them. What the main thread assembles must equal what it builds alone (buildSpanTree,
// computeSpanMetrics, layoutFlame) on the same spans, whatever their shape.
import { describe, expect, it } from 'vitest';
import type { SpanSummary, TraceColumns } from '../../../../shared/model';
import { traceColumnsFrom } from '../../../../shared/span-columns';
import {
  answerLayoutRequest,
  buildTraceViewModel,
  packTraceColumns,
  transferablesOf,
  unpackLaidOutTrace,
  type LayoutRequest,
  type TraceViewModel,
} from '../../../../renderer/src/tree/packed-trace';
import { SpanIdIndex } from '../../../../renderer/src/tree/span-index';
import { spansOf } from '../spans';

const traceOf = (spans: SpanSummary[]): TraceColumns =>
  traceColumnsFrom({ traceId: 'ab'.repeat(16), startNs: '1795392000000000000', durationNs: 1_000_000, spans });

const FIELDS = ['spanId', 'parentSpanId', 'name', 'kind', 'serviceName', 'startOffsetNs', 'durationNs', 'statusCode', 'spanType', 'llmModel', 'inputTokens', 'outputTokens', 'costUsd', 'eventCount', 'eventOffsetsNs'] as const;

/**
 * A span's fields as a plain object (what it reads as, field by field): the worker path's spans
 * are getters over columns, the main thread's plain objects; the views see no difference.
 */
function plain(spans: readonly SpanSummary[]): Record<string, unknown>[] {
  return spans.map((s) => {
    const out: Record<string, unknown> = {};
    for (const key of FIELDS) if (s[key] !== undefined) out[key] = s[key];
    return out;
  });
}

/** postMessage's copy: a structured clone, the listed buffers moved rather than copied. */
function post<T>(message: T, transfer: ArrayBuffer[]): T {
  return structuredClone(message, { transfer });
}

/** The worker path: fetch in the worker (kind 'fetch'), or posted columns (kind 'build'). */
async function viaWorker(columns: TraceColumns, kind: 'fetch' | 'build'): Promise<TraceViewModel> {
  let request: LayoutRequest;
  if (kind === 'fetch') request = post({ id: 7, kind, traceId: columns.traceId }, []);
  else {
    const packed = packTraceColumns(columns);
    request = post({ id: 7, kind, trace: packed }, transferablesOf(packed.columns));
  }
  const { response, transfer } = await answerLayoutRequest(request, async () => columns);
  expect(transfer.length).toBeGreaterThan(20);
  const received = post(response, transfer);
  // Transferred, not copied: the sender's buffers are gone.
  expect(transfer.every((buffer) => buffer.byteLength === 0)).toBe(true);
  if (received.kind !== 'done') throw new Error(`worker answered ${received.kind}`);
  expect(received.id).toBe(7);
  return unpackLaidOutTrace(received.trace);
}

/**
 * The first place two typed arrays (or numbers) differ: 'same' when they do not. Vitest's
 * toEqual on a 100,000-element typed array takes ~0.5 s; a loop takes a millisecond.
 */
function firstDifference(a: unknown, b: unknown): string {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return Object.is(a, b) ? 'same' : `${String(a)} vs ${String(b)}`;
  const x = a as unknown as ArrayLike<number>;
  const y = b as unknown as ArrayLike<number>;
  if (a.constructor !== b.constructor || x.length !== y.length) return `${a.constructor.name}(${x.length}) vs ${b.constructor.name}(${y.length})`;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `at ${i}: ${x[i]} vs ${y[i]}`;
  return 'same';
}

function expectSameFields(actual: object, expected: object): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    expect({ key, difference: firstDifference((actual as Record<string, unknown>)[key], value) }).toEqual({ key, difference: 'same' });
  }
}

async function expectSameAsMainThread(spans: SpanSummary[]): Promise<TraceViewModel> {
  const columns = traceOf(spans);
  const main = buildTraceViewModel(columns);
  for (const kind of ['fetch', 'build'] as const) {
    const worker = await viaWorker(columns, kind);
    const { spans: workerSpans, ...workerTrace } = worker.trace;
    const { spans: mainSpans, ...mainTrace } = main.trace;
    expect(workerTrace).toEqual(mainTrace);
    expect(plain(workerSpans)).toEqual(plain(mainSpans));
    expect(worker.tree.spans).toBe(worker.trace.spans);
    const { spans: _ws, indexById: _wi, ...workerTree } = worker.tree;
    const { spans: _ms, indexById: _mi, ...mainTree } = main.tree;
    expectSameFields(workerTree, mainTree);
    expectSameFields(worker.metrics, main.metrics);
    expectSameFields(worker.flame, main.flame);
    expect(worker.totals).toEqual(main.totals);
    // (One assertion over all ids: an expect per span costs seconds at 100,000.)
    expect(spans.filter((s) => worker.tree.indexById.get(s.spanId) !== main.tree.indexById.get(s.spanId))).toEqual([]);
    expect(worker.tree.indexById.get('not-a-span')).toBeUndefined();
  }
  return main;
}

describe('the trace-layout worker', () => {
  it('builds the same tree, metrics and flame layout as the main thread, with orphans, loops, repeated ids and "" parents', async () => {
    const spans = spansOf([
      ['root', null, 0, 100],
      ['a', 'root', 10, 30],
      ['b', 'root', 30, 40],
      ['b1', 'b', 40, 10],
      ['late', 'not-here', 45, 5],
      ['late-child', 'late', 46, 2],
      ['self', 'self', 50, 1],
      ['x', 'z', 60, 1],
      ['y', 'x', 61, 1],
      ['z', 'y', 62, 1],
      ['root', null, 70, 5], // a repeated id: its children hang under the first
      ['c', 'root', 80, 10],
      ['empty-parent', '', 90, 1],
    ]);
    const main = await expectSameAsMainThread(spans);
    expect(Array.from(main.tree.orphan).filter((o) => o === 1)).toHaveLength(3);
  });

  it('carries every SpanSummary field: nulls, strings, events absent, empty and present', async () => {
    const spans = spansOf([
      ['root', null, 0, 100],
      ['llm', 'root', 1, 50],
      ['tool', 'root', 2, 10],
    ]);
    Object.assign(spans[1]!, { spanType: 'llm', llmModel: 'gpt-4o', inputTokens: 812, outputTokens: 0, costUsd: 0.0125, statusCode: 'error', kind: 'client', serviceName: null, eventCount: 2, eventOffsetsNs: [3, 40.5] });
    Object.assign(spans[2]!, { eventCount: 0, eventOffsetsNs: [] });
    const columns = traceOf(spans);
    const worker = await viaWorker(columns, 'fetch');
    expect(plain(worker.trace.spans)).toEqual(plain(spans));
    expect(plain(worker.trace.spans)[1]).toEqual(spans[1]);
    expect(worker.trace.spans[2]!.eventOffsetsNs).toEqual([]);
    expect(worker.trace.spans[0]!.eventOffsetsNs).toBeUndefined();
    // One array per span, the same on every read (memoised rows compare props by identity).
    expect(worker.trace.spans[1]!.eventOffsetsNs).toBe(worker.trace.spans[1]!.eventOffsetsNs);
    expect(worker.trace.spans[1]!.parentSpanId).toBe('root');
    expect(worker.trace.spans[0]!.parentSpanId).toBeNull();
  });

  it('lays out a 10,000-level chain and 100,000 siblings the same way', async () => {
    const chain = spansOf(Array.from({ length: 10_000 }, (_, i) => [`s${i}`, i === 0 ? null : `s${i - 1}`, i, 20_000 - 2 * i] as [string, string | null, number, number]));
    expect((await expectSameAsMainThread(chain)).metrics.maxDepth).toBe(9_999);
    const wide = spansOf([['root', null, 0, 300_000], ...Array.from({ length: 100_000 }, (_, i) => [`c${i}`, 'root', i + 1, 3] as [string, string, number, number])]);
    const main = await expectSameAsMainThread(wide);
    expect(main.tree.roots).toEqual(Int32Array.of(0));
  }, 60_000);

  it('answers missing for an unknown trace, and error when the fetch fails', async () => {
    expect((await answerLayoutRequest({ id: 1, kind: 'fetch', traceId: 'nope' }, async () => null)).response).toEqual({ id: 1, kind: 'missing' });
    const failed = await answerLayoutRequest({ id: 2, kind: 'fetch', traceId: 'x' }, async () => {
      throw new Error('Tracedeck is not reachable');
    });
    expect(failed.response).toEqual({ id: 2, kind: 'error', message: 'Tracedeck is not reachable' });
  });

  it('an empty trace lays out to nothing', async () => {
    const worker = await viaWorker(traceOf([]), 'fetch');
    expect(worker.trace.spans).toHaveLength(0);
    expect(worker.tree.roots).toHaveLength(0);
  });
});

describe('SpanIdIndex', () => {
  it('finds every id, keeps the first of a repeated id, and misses unknown ids', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => (i * 7919).toString(16).padStart(16, '0'));
    ids.push(ids[3]!);
    const index = SpanIdIndex.build(ids);
    expect(ids.every((id, i) => index.get(id) === (i === ids.length - 1 ? 3 : i))).toBe(true);
    expect(index.get('ffffffffffffffff')).toBeUndefined();
    expect(index.get('')).toBeUndefined();
    expect(SpanIdIndex.build([]).get('a')).toBeUndefined();
    // The table is at most half full, so probes stay short and a lookup always ends.
    expect(index.table.length).toBeGreaterThanOrEqual(2 * ids.length);
  });
});

// The renderer's stores against a fake TraceApi: what opens, what wins a race, how live events
// turn into refreshes. No DOM: the stores are plain zustand, driven through getState().
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TraceApi } from '../../../shared/api';
import type { LiveEvent, SpanDetail, SpanSummary, TraceColumns, TraceDetail, TracePage } from '../../../shared/model';
import { traceColumnsFrom } from '../../../shared/span-columns';
import { setApiForTesting } from '../../../renderer/src/api';
import { hashFor, parseHash } from '../../../renderer/src/routing/route';
import { LIVE_REFRESH_DELAY_MS, startLiveUpdates } from '../../../renderer/src/state/live';
import { useSelection } from '../../../renderer/src/state/selection';
import { useSpanTreeView } from '../../../renderer/src/state/span-tree';
import { useTraceList } from '../../../renderer/src/state/traces';
import { formatDuration } from '../../../renderer/src/format';

function summary(spanId: string, parentSpanId: string | null): SpanSummary {
  return {
    spanId,
    parentSpanId,
    name: `op ${spanId}`,
    kind: 'internal',
    serviceName: 'svc',
    startOffsetNs: 0,
    durationNs: 1,
    statusCode: 'unset',
    spanType: null,
    llmModel: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    eventCount: 0,
  };
}

function detail(traceId: string, spanId: string): SpanDetail {
  return { traceId, spanId, name: `op ${spanId}` } as SpanDetail;
}

/** A controllable fake: each call is recorded and resolved by the test (or at once). */
class FakeApi implements TraceApi {
  traces = new Map<string, TraceDetail>();
  calls: string[] = [];
  listeners: ((e: LiveEvent) => void)[] = [];
  /** When set, getSpan waits for release(spanId). */
  holdSpans = false;
  private held = new Map<string, () => void>();

  listTraces = async (): Promise<TracePage> => {
    this.calls.push('listTraces');
    return { traces: [], total: 0 };
  };
  getTrace = async (traceId: string): Promise<TraceDetail | null> => {
    this.calls.push(`getTrace ${traceId}`);
    return this.traces.get(traceId) ?? null;
  };
  /** What the trace view loads: the same trace as columns, the way the engine sends it. */
  getTraceColumns = async (traceId: string): Promise<TraceColumns | null> => {
    this.calls.push(`getTraceColumns ${traceId}`);
    const trace = this.traces.get(traceId);
    return trace ? traceColumnsFrom(trace) : null;
  };
  getSpan = async (traceId: string, spanId: string): Promise<SpanDetail | null> => {
    this.calls.push(`getSpan ${spanId}`);
    if (this.holdSpans) await new Promise<void>((resolve) => this.held.set(spanId, resolve));
    return detail(traceId, spanId);
  };
  getLlmView = async () => null;
  getAggregateFlame = async () => {
    throw new Error('not used by these stores');
  };
  getSpanSandwich = async () => {
    throw new Error('not used by these stores');
  };
  listSessions = async () => ({ sessions: [], total: 0 });
  getSession = async () => null;
  getSpanLogs = async () => [];
  importPaths = async () => ({ ok: true, files: [], imported: 0, elapsedMs: 0 });
  previewImport = async () => ({ traces: [], total: 0, files: [], rows: 0, elapsedMs: 0 });
  inspectImportFile = async (path: string) => ({ path, format: null, columns: [], preview: [], rowCount: 0, suggestedMapping: null });
  cancelImport = async () => false;
  cancelQuery = async () => false;
  clearAll = async () => undefined;
  pruneTraces = async () => ({ traces: 0, spans: 0 });
  exportParquet = async (path: string) => ({ path, rows: 0, bytes: 0, elapsedMs: 0 });
  exportTraceOtlpJson = async () => null;
  traceOutline = async () => null;
  getStats = async () => {
    this.calls.push('getStats');
    return { traceCount: 0, spanCount: 0, diskBytes: 0, spansReceived: 0, endpoints: {}, dataDir: '' };
  };
  query = async () => ({ columns: [], rows: [], truncated: false, elapsedMs: 0 });
  subscribe = (listener: (e: LiveEvent) => void) => {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  };
  emit(event: LiveEvent): void {
    for (const l of this.listeners) l(event);
  }
  release(spanId: string): void {
    this.held.get(spanId)?.();
  }
}

const TRACE = 'a'.repeat(32);
let api: FakeApi;

beforeEach(() => {
  api = new FakeApi();
  api.traces.set(TRACE, {
    traceId: TRACE,
    startNs: '1795392000000000000',
    durationNs: 10,
    // An orphan listed first: the root, not the orphan, is selected by default.
    spans: [summary('orphan', 'gone'), summary('root', null), summary('child', 'root'), summary('leaf', 'child')],
  });
  setApiForTesting(api);
  useSelection.getState().closeTrace();
});
afterEach(() => {
  vi.useRealTimers();
  setApiForTesting(null);
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('selection store', () => {
  it('opens a trace, builds its tree and selects the root span', async () => {
    await useSelection.getState().openTrace(TRACE);
    const s = useSelection.getState();
    expect(s.traceStatus).toBe('ready');
    expect(s.tree?.roots.length).toBe(2);
    expect(s.spanId).toBe('root');
    expect(s.span?.spanId).toBe('root');
  });

  it('reports an unknown trace as missing, and closing clears everything', async () => {
    await useSelection.getState().openTrace('f'.repeat(32));
    expect(useSelection.getState().traceStatus).toBe('missing');
    useSelection.getState().closeTrace();
    expect(useSelection.getState()).toMatchObject({ traceId: null, trace: null, spanId: null, traceStatus: 'idle' });
  });

  it('keeps the last selection when span details come back out of order', async () => {
    await useSelection.getState().openTrace(TRACE);
    api.holdSpans = true;
    const first = useSelection.getState().selectSpan('child');
    const second = useSelection.getState().selectSpan('leaf');
    api.release('leaf');
    await second;
    api.release('child');
    await first;
    expect(useSelection.getState().spanId).toBe('leaf');
    expect(useSelection.getState().span?.spanId).toBe('leaf');
  });

  it('expands the ancestors of a span selected inside a collapsed subtree', async () => {
    await useSelection.getState().openTrace(TRACE);
    useSpanTreeView.getState().setExpanded('root', false);
    useSpanTreeView.getState().setExpanded('child', false);
    await useSelection.getState().selectSpan('leaf');
    expect([...useSpanTreeView.getState().collapsed]).toEqual([]);
  });
});

describe('live updates', () => {
  it('answers a burst of events with one refresh, and reloads the open trace only when touched', async () => {
    await useSelection.getState().openTrace(TRACE);
    vi.useFakeTimers();
    const stop = startLiveUpdates(api);
    await vi.advanceTimersByTimeAsync(0);
    api.calls.length = 0;

    for (let i = 0; i < 50; i++) api.emit({ type: 'spans-added', count: 1, traceIds: ['other'] });
    await vi.advanceTimersByTimeAsync(LIVE_REFRESH_DELAY_MS + 1);
    expect(api.calls.filter((c) => c === 'listTraces')).toHaveLength(1);
    expect(api.calls.some((c) => c.startsWith('getTrace'))).toBe(false);

    api.calls.length = 0;
    api.emit({ type: 'spans-added', count: 3, traceIds: [TRACE] });
    await vi.advanceTimersByTimeAsync(LIVE_REFRESH_DELAY_MS + 1);
    expect(api.calls).toContain(`getTraceColumns ${TRACE}`);

    stop();
    expect(api.listeners).toHaveLength(0);
  });

  it('never runs two list refreshes at once', async () => {
    let inFlight = 0;
    let most = 0;
    api.listTraces = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await flush();
      inFlight--;
      return { traces: [], total: 0 };
    };
    await Promise.all(Array.from({ length: 10 }, () => useTraceList.getState().refresh()));
    expect(most).toBe(1);
    expect(useTraceList.getState().loaded).toBe(true);
  });
});

describe('URL hash and formatting', () => {
  it('round-trips trace and span ids through the hash', () => {
    const route = { traceId: 'abc/def', spanId: 'x y' };
    expect(parseHash(hashFor(route))).toEqual(route);
    expect(hashFor({ traceId: 't', spanId: null })).toBe('#/trace/t');
    expect(parseHash('#/trace/t')).toEqual({ traceId: 't', spanId: null });
    expect(parseHash('')).toEqual({ traceId: null, spanId: null });
    expect(parseHash('#/trace/%E0%A4%A')).toEqual({ traceId: null, spanId: null });
  });

  it('formats durations in the unit that fits', () => {
    expect(formatDuration(850)).toBe('850 ns');
    expect(formatDuration(12_300)).toBe('12.3 µs');
    expect(formatDuration(4_560_000)).toBe('4.56 ms');
    expect(formatDuration(1_200_000_000)).toBe('1.20 s');
    expect(formatDuration(123_400_000_000)).toBe('2 min 3.4 s');
  });
});

// What is open: one trace (its spans and their tree) and the selected span (its full detail).
// Plain state and API calls, no DOM: routing/hash.ts mirrors it in the URL, and tests can drive
// it with `useSelection.getState()`.
import { create } from 'zustand';
import type { SpanDetail, TraceDetail } from '../../../shared/model';
import { getApi } from '../api';
import type { FlameLayout } from '../flamegraph/layout';
import { errorMessage } from '../format';
import type { TraceTotals } from '../llm/totals';
import type { SpanMetrics } from '../tree/metrics';
import { ancestorsOf, type SpanTree } from '../tree/rows';
import { cancelTraceLoads, loadTraceViewModel, type LoadedTrace, type TraceBuildPath } from './trace-loader';
import { useTraceList } from './traces';
import { useSpanTreeView } from './span-tree';

/** idle: nothing asked; missing: the engine answered null (unknown id). */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'missing' | 'error';

export interface SelectionState {
  traceId: string | null;
  trace: TraceDetail | null;
  tree: SpanTree | null;
  /** Per-span figures and the flame graph's layout, built with the tree (in the worker when large). */
  metrics: SpanMetrics | null;
  flame: FlameLayout | null;
  /** The header's totals (LLM calls, tokens, cost, errors), counted with the layout. */
  totals: TraceTotals | null;
  /** Where the open trace was laid out (state/trace-loader.ts); the trace view shows it as data-built-by. */
  builtBy: TraceBuildPath | null;
  traceStatus: LoadStatus;
  traceError: string | null;
  spanId: string | null;
  span: SpanDetail | null;
  spanStatus: LoadStatus;
  spanError: string | null;
  /** Opens a trace and selects `spanId`, or its root span when none is given. */
  openTrace(traceId: string, spanId?: string | null): Promise<void>;
  selectSpan(spanId: string | null): Promise<void>;
  closeTrace(): void;
  /** Re-reads the open trace: spans may still be arriving, or it may not have existed yet. */
  reloadTrace(): Promise<void>;
}

const CLOSED = {
  traceId: null,
  trace: null,
  tree: null,
  metrics: null,
  flame: null,
  totals: null,
  builtBy: null,
  traceStatus: 'idle',
  traceError: null,
  spanId: null,
  span: null,
  spanStatus: 'idle',
  spanError: null,
} as const satisfies Partial<SelectionState>;

/** The span to select when a trace opens without one: its first true root, else its first span. */
function defaultSpanId(tree: SpanTree): string | null {
  let first = -1;
  for (const i of tree.roots) {
    if (tree.orphan[i] === 0) {
      first = i;
      break;
    }
  }
  if (first < 0) first = tree.roots[0] ?? -1;
  return first >= 0 ? tree.spans[first]!.spanId : null;
}

/** The trace list's span count for this trace, when its row is in the list's cache. */
function listedSpanCount(traceId: string): number | null {
  for (const rows of useTraceList.getState().pages.values()) {
    for (const row of rows) if (row.traceId === traceId) return row.spanCount;
  }
  return null;
}

// Responses can come back out of order (arrow keys select spans faster than a round trip);
// each request remembers its number and only the latest one may write.
let traceRequest = 0;
let spanRequest = 0;

export const useSelection = create<SelectionState>((set, get) => {
  const revealSpan = (spanId: string): void => {
    const { tree } = get();
    const index = tree?.indexById.get(spanId);
    if (!tree || index === undefined) return;
    useSpanTreeView.getState().expand(ancestorsOf(tree, index).map((i) => tree.spans[i]!.spanId));
  };

  const loadSpan = async (traceId: string, spanId: string): Promise<void> => {
    const request = ++spanRequest;
    set({ span: null, spanStatus: 'loading', spanError: null });
    try {
      const span = await getApi().getSpan(traceId, spanId);
      if (request !== spanRequest) return;
      set(span ? { span, spanStatus: 'ready' } : { span: null, spanStatus: 'missing' });
    } catch (error) {
      if (request === spanRequest) set({ spanStatus: 'error', spanError: errorMessage(error) });
    }
  };

  const setTrace = ({ trace, tree, metrics, flame, totals, builtBy }: LoadedTrace): SpanTree => {
    set({ trace, tree, metrics, flame, totals, builtBy, traceStatus: 'ready', traceError: null });
    return tree;
  };

  return {
    ...CLOSED,

    openTrace: async (traceId, spanId = null) => {
      const state = get();
      if (state.traceId === traceId && (state.traceStatus === 'ready' || state.traceStatus === 'loading')) {
        if (spanId && spanId !== state.spanId) await get().selectSpan(spanId);
        return;
      }
      const request = ++traceRequest;
      spanRequest++;
      useSpanTreeView.getState().reset();
      set({ ...CLOSED, traceId, spanId, traceStatus: 'loading' });
      try {
        const trace = await loadTraceViewModel(traceId, listedSpanCount(traceId));
        if (request !== traceRequest) return;
        if (!trace) {
          set({ traceStatus: 'missing' });
          return;
        }
        const tree = setTrace(trace);
        const chosen = get().spanId ?? defaultSpanId(tree);
        if (chosen) {
          set({ spanId: chosen });
          revealSpan(chosen);
          await loadSpan(traceId, chosen);
        }
      } catch (error) {
        if (request === traceRequest) set({ traceStatus: 'error', traceError: errorMessage(error) });
      }
    },

    selectSpan: async (spanId) => {
      const { traceId } = get();
      if (!traceId) return;
      if (spanId === null) {
        spanRequest++;
        set({ spanId: null, span: null, spanStatus: 'idle', spanError: null });
        return;
      }
      if (spanId === get().spanId && get().spanStatus !== 'error' && get().spanStatus !== 'missing') return;
      set({ spanId });
      revealSpan(spanId);
      await loadSpan(traceId, spanId);
    },

    closeTrace: () => {
      traceRequest++;
      cancelTraceLoads();
      spanRequest++;
      useSpanTreeView.getState().reset();
      set(CLOSED);
    },

    reloadTrace: async () => {
      const { traceId, trace: shown } = get();
      if (!traceId || get().traceStatus === 'loading') return;
      const request = ++traceRequest;
      try {
        const trace = await loadTraceViewModel(traceId, shown?.spans.length ?? listedSpanCount(traceId));
        if (request !== traceRequest) return;
        if (!trace) {
          // Cleared from the store, or still not arrived: say so rather than show stale spans.
          set({ trace: null, tree: null, metrics: null, flame: null, totals: null, builtBy: null, traceStatus: 'missing' });
          return;
        }
        const tree = setTrace(trace);
        const { spanId, spanStatus } = get();
        const chosen = spanId ?? defaultSpanId(tree);
        // A span that was not there before (a link opened early) may have arrived now.
        if (chosen && (chosen !== spanId || spanStatus === 'missing' || spanStatus === 'idle')) {
          set({ spanId: chosen });
          revealSpan(chosen);
          await loadSpan(traceId, chosen);
        }
      } catch {
        // Keep showing what we have; the next live event tries again.
      }
    },
  };
});

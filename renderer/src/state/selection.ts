// What is open: a trace (its spans) and a selected span (its detail). Mirrored in the URL
// hash (#/trace/<id>/span/<id>) so a reload or a pasted link opens the same view.
import { create } from 'zustand';
import type { SpanDetail, TraceDetail } from '../../../shared/model';
import { getApi } from '../api';

interface SelectionState {
  traceId: string | null;
  trace: TraceDetail | null;
  spanId: string | null;
  span: SpanDetail | null;
  error: string | null;
  openTrace(traceId: string, spanId?: string | null): Promise<void>;
  selectSpan(spanId: string | null): Promise<void>;
  close(): void;
  /** Re-reads the open trace (spans may still be arriving). */
  reloadTrace(): Promise<void>;
}

export function hashFor(traceId: string | null, spanId: string | null): string {
  if (!traceId) return '#/';
  return spanId ? `#/trace/${encodeURIComponent(traceId)}/span/${encodeURIComponent(spanId)}` : `#/trace/${encodeURIComponent(traceId)}`;
}

export function parseHash(hash: string): { traceId: string | null; spanId: string | null } {
  const m = /^#\/trace\/([^/]+)(?:\/span\/([^/]+))?$/.exec(hash);
  if (!m) return { traceId: null, spanId: null };
  return { traceId: decodeURIComponent(m[1]!), spanId: m[2] ? decodeURIComponent(m[2]) : null };
}

function writeHash(traceId: string | null, spanId: string | null): void {
  const next = hashFor(traceId, spanId);
  if (window.location.hash !== next && !(next === '#/' && window.location.hash === '')) {
    window.history.pushState(null, '', next);
  }
}

export const useSelection = create<SelectionState>((set, get) => ({
  traceId: null,
  trace: null,
  spanId: null,
  span: null,
  error: null,
  openTrace: async (traceId, spanId = null) => {
    set({ traceId, trace: null, spanId, span: null, error: null });
    writeHash(traceId, spanId);
    try {
      const trace = await getApi().getTrace(traceId);
      if (get().traceId !== traceId) return;
      if (!trace) {
        set({ error: `Trace ${traceId} was not found.` });
        return;
      }
      const first = spanId ?? trace.spans[0]?.spanId ?? null;
      set({ trace });
      if (first) await get().selectSpan(first);
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  selectSpan: async (spanId) => {
    const { traceId } = get();
    set({ spanId, span: null });
    writeHash(traceId, spanId);
    if (!traceId || !spanId) return;
    try {
      const span = await getApi().getSpan(traceId, spanId);
      if (get().spanId === spanId) set({ span });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  close: () => {
    set({ traceId: null, trace: null, spanId: null, span: null, error: null });
    writeHash(null, null);
  },
  reloadTrace: async () => {
    const { traceId } = get();
    if (!traceId) return;
    const trace = await getApi().getTrace(traceId);
    if (trace && get().traceId === traceId) set({ trace });
  },
}));

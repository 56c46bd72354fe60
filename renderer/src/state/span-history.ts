// Back/forward between the spans selected in the open trace (Alt+← / Alt+→ or the header
// buttons). The URL hash replaces its entry on each span change (arrow keys would otherwise bury
// the trace list under hundreds of browser history entries), so span history lives here.
import { create } from 'zustand';
import { useSelection } from './selection';

/** Older entries are dropped beyond this; a session of arrow-key browsing stays bounded. */
const MAX_ENTRIES = 500;

export interface SpanHistoryState {
  traceId: string | null;
  entries: string[];
  /** Index of the current entry in `entries`, -1 when empty. */
  cursor: number;
  back(): void;
  forward(): void;
}

/** Set while back/forward moves the selection, so that move is not recorded as a new entry. */
let navigating = false;

export const useSpanHistory = create<SpanHistoryState>((set, get) => {
  const go = (delta: number): void => {
    const { entries, cursor } = get();
    const next = cursor + delta;
    if (next < 0 || next >= entries.length) return;
    set({ cursor: next });
    navigating = true;
    try {
      void useSelection.getState().selectSpan(entries[next]!);
    } finally {
      navigating = false;
    }
  };
  return { traceId: null, entries: [], cursor: -1, back: () => go(-1), forward: () => go(1) };
});

/** Records selections from now on; returns the function that stops. */
export function startSpanHistory(): () => void {
  const record = (traceId: string | null, spanId: string | null): void => {
    const state = useSpanHistory.getState();
    if (traceId !== state.traceId) {
      useSpanHistory.setState({ traceId, entries: spanId ? [spanId] : [], cursor: spanId ? 0 : -1 });
      return;
    }
    if (!spanId || navigating || state.entries[state.cursor] === spanId) return;
    const entries = state.entries.slice(0, state.cursor + 1);
    entries.push(spanId);
    if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
    useSpanHistory.setState({ entries, cursor: entries.length - 1 });
  };
  const initial = useSelection.getState();
  record(initial.traceId, initial.spanId);
  return useSelection.subscribe((state, previous) => {
    if (state.traceId !== previous.traceId || state.spanId !== previous.spanId) record(state.traceId, state.spanId);
  });
}

// How the span tree is folded: the ids of collapsed spans. Kept apart from the data (selection.ts)
// so the waterfall can later align to the same visible rows, and kept by span id so a reload
// of a trace that is still receiving spans keeps what the user folded.
import { create } from 'zustand';

export interface SpanTreeViewState {
  collapsed: ReadonlySet<string>;
  toggle(spanId: string): void;
  setExpanded(spanId: string, expanded: boolean): void;
  /** Expands these spans (the ancestors of a span being selected, so it is visible). */
  expand(spanIds: readonly string[]): void;
  reset(): void;
}

export const useSpanTreeView = create<SpanTreeViewState>((set, get) => ({
  collapsed: new Set(),
  toggle: (spanId) => get().setExpanded(spanId, get().collapsed.has(spanId)),
  setExpanded: (spanId, expanded) => {
    const { collapsed } = get();
    if (collapsed.has(spanId) !== expanded) return;
    const next = new Set(collapsed);
    if (expanded) next.delete(spanId);
    else next.add(spanId);
    set({ collapsed: next });
  },
  expand: (spanIds) => {
    const { collapsed } = get();
    if (!spanIds.some((id) => collapsed.has(id))) return;
    const next = new Set(collapsed);
    for (const id of spanIds) next.delete(id);
    set({ collapsed: next });
  },
  reset: () => {
    if (get().collapsed.size > 0) set({ collapsed: new Set() });
  },
}));

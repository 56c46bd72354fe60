// The trace list: the current page, refreshed on demand and on live events.
import { create } from 'zustand';
import type { TraceSummary } from '../../../shared/model';
import { getApi } from '../api';

interface TraceListState {
  traces: TraceSummary[];
  total: number;
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

const PAGE_SIZE = 200;

export const useTraceList = create<TraceListState>((set) => ({
  traces: [],
  total: 0,
  loading: false,
  error: null,
  refresh: async () => {
    set({ loading: true });
    try {
      const page = await getApi().listTraces({ limit: PAGE_SIZE, sort: { by: 'start', dir: 'desc' } });
      set({ traces: page.traces, total: page.total, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  },
}));

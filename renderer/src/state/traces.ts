// The trace list: one page of trace summaries, newest first, refreshed on demand and by live
// events (state/live.ts). Refreshes never overlap: a refresh asked for while one is running
// runs once more after it, so a burst of requests costs at most two round trips.
import { create } from 'zustand';
import type { TraceQuery, TraceSortKey, TraceSummary } from '../../../shared/model';
import { getApi } from '../api';
import { errorMessage } from '../format';
import { EMPTY_FILTER_STATE, traceFilterFor, type FilterState } from './trace-filter';

/** One page; the list is not virtualised yet, and 200 rows render in a few ms. */
export const TRACE_PAGE_SIZE = 200;

export interface TraceListState {
  traces: TraceSummary[];
  /** How many traces match in all (the page may show fewer). */
  total: number;
  /** Sort and paging; the filter comes from `filterState` at each load. */
  query: TraceQuery;
  /** The filter text and time range the list shows (see state/trace-filter.ts). */
  filterState: FilterState;
  /** Parts of the filter text that were not understood (the rest still applies). */
  filterErrors: string[];
  /** Applies a new filter and reloads. */
  setFilter(state: FilterState): Promise<void>;
  /** Live tail paused: the list stays as it is and arrivals are only counted. */
  paused: boolean;
  /** Traces that arrived or changed while paused (distinct ids). */
  pausedArrivals: number;
  setPaused(paused: boolean): Promise<void>;
  /** Called by the live updates instead of refresh() while paused. */
  noteArrivals(traceIds: Iterable<string>): void;
  /** Sorts by a column (the same column again flips the direction) and reloads. */
  sortBy(by: TraceSortKey): Promise<void>;
  /** Shows the page starting at `offset` (clamped to 0) and reloads. */
  setOffset(offset: number): Promise<void>;
  /** Traces picked for comparison, at most two, oldest pick first. */
  comparePicks: string[];
  toggleComparePick(traceId: string): void;
  /** False until the first page arrived: the empty state waits for it. */
  loaded: boolean;
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

let running: Promise<void> | null = null;
const pausedIds = new Set<string>();
let again = false;

export const useTraceList = create<TraceListState>((set, get) => {
  const loadOnce = async (): Promise<void> => {
    set({ loading: true });
    try {
      const { filter, errors } = traceFilterFor(get().filterState, Date.now());
      set({ filterErrors: errors });
      const page = await getApi().listTraces({ ...get().query, filter });
      set({ traces: page.traces, total: page.total, loaded: true, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: errorMessage(error) });
    }
  };

  return {
    traces: [],
    total: 0,
    query: { sort: { by: 'start', dir: 'desc' }, limit: TRACE_PAGE_SIZE, offset: 0 },
    filterState: EMPTY_FILTER_STATE,
    filterErrors: [],
    loaded: false,
    loading: false,
    error: null,
    setFilter: (filterState) => {
      set({ filterState, query: { ...get().query, offset: 0 } });
      return get().refresh();
    },
    paused: false,
    pausedArrivals: 0,
    setPaused: (paused) => {
      pausedIds.clear();
      set({ paused, pausedArrivals: 0 });
      return paused ? Promise.resolve() : get().refresh();
    },
    noteArrivals: (traceIds) => {
      for (const id of traceIds) pausedIds.add(id);
      set({ pausedArrivals: pausedIds.size });
    },
    setOffset: (offset) => {
      set({ query: { ...get().query, offset: Math.max(0, Math.trunc(offset)) } });
      return get().refresh();
    },
    comparePicks: [],
    toggleComparePick: (traceId) => {
      const picks = get().comparePicks;
      set({ comparePicks: picks.includes(traceId) ? picks.filter((p) => p !== traceId) : [...picks, traceId].slice(-2) });
    },
    sortBy: (by) => {
      const current = get().query.sort ?? { by: 'start', dir: 'desc' };
      const dir = current.by === by ? (current.dir === 'desc' ? 'asc' : 'desc') : 'desc';
      set({ query: { ...get().query, sort: { by, dir }, offset: 0 } });
      return get().refresh();
    },
    refresh: () => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await loadOnce();
        } while (again);
        running = null;
      })();
      return running;
    },
  };
});

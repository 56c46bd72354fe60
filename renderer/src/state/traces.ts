// The trace list: the matching traces as a sparse, bounded cache of store pages. The view says
// which rows it shows (setVisibleRows) and only the pages under them are fetched, TRACE_PAGE_SIZE
// rows per listTraces call, at most MAX_PAGES_IN_FLIGHT at once; at most MAX_CACHED_PAGES are
// kept (least recently needed dropped first), so a list of millions never loads whole.
//
// Two counters keep answers honest:
//   - queryVersion: bumped by a new filter or sort. Every page is dropped and answers to older
//     queries are ignored when they arrive.
//   - epoch: bumped by refresh() (live updates). Cached pages stay on screen but are stale; the
//     ones in view are fetched again. A page already being fetched is not asked twice: its answer
//     arrives stale and is asked once more, so a burst of refreshes costs at most two round trips
//     per page in view.
import { create } from 'zustand';
import type { TraceFilter, TraceSortKey, TraceSummary } from '../../../shared/model';
import { getApi } from '../api';
import { errorMessage } from '../format';
import { pageCount, pagesForRows, pagesToEvict } from '../trace-list/windowing';
import { EMPTY_FILTER_STATE, traceFilterFor, type FilterState } from './trace-filter';

/**
 * Rows per store call (the store allows up to 1,000). 200 rows cover four screens: a scroll by
 * the wheel needs a new page every few seconds, and one page costs the same SQL as a smaller one.
 */
export const TRACE_PAGE_SIZE = 200;
/** 25 pages = 5,000 rows of summaries, a few MB at most. */
export const MAX_CACHED_PAGES = 25;
/** A scrollbar dragged across a million rows asks only for where it stops, two pages at a time. */
export const MAX_PAGES_IN_FLIGHT = 2;

export type TraceSort = { by: TraceSortKey; dir: 'asc' | 'desc' };

export interface TraceListState {
  /** Cached pages by page number (page p holds rows p × TRACE_PAGE_SIZE onwards). */
  pages: ReadonlyMap<number, readonly TraceSummary[]>;
  /** The first page (the top of the list in this sort): the scatter plot's dots. */
  traces: readonly TraceSummary[];
  /** How many traces match in all: the scrollbar spans this many rows. */
  total: number;
  sort: TraceSort;
  /** Bumped on each new filter or sort: the view scrolls back to the top. */
  queryVersion: number;
  /** The filter text and time range the list shows (see state/trace-filter.ts). */
  filterState: FilterState;
  /** Parts of the filter text that were not understood (the rest still applies). */
  filterErrors: string[];
  /** Applies a new filter and reloads. */
  setFilter(state: FilterState): Promise<void>;
  /** Sorts by a column (the same column again flips the direction) and reloads. */
  sortBy(by: TraceSortKey): Promise<void>;
  /** The rows [first, end) the view renders; fetches the pages under them that are missing. */
  setVisibleRows(first: number, end: number): Promise<void>;
  /**
   * Live tail paused: nothing is refreshed and arrivals are only counted. Pages fetched while
   * paused (scrolling to rows not cached) see the store as it was at the pause: traces that
   * started after it are left out, so the rows do not shift under the reader.
   */
  paused: boolean;
  /** When Pause was pressed (ms since the epoch), or null. */
  pausedAtMs: number | null;
  /** Traces that arrived or changed while paused (distinct ids). */
  pausedArrivals: number;
  setPaused(paused: boolean): Promise<void>;
  /** Called by the live updates instead of refresh() while paused. */
  noteArrivals(traceIds: Iterable<string>): void;
  /** Traces picked for comparison, at most two, oldest pick first. */
  comparePicks: string[];
  toggleComparePick(traceId: string): void;
  /** False until the first page arrived: the empty state waits for it. */
  loaded: boolean;
  /** A page is being fetched. */
  loading: boolean;
  error: string | null;
  /** Fetches the pages in view again (live updates call it); resolves when they are in. */
  refresh(): Promise<void>;
}

/** The row at `index`, or undefined while its page is not loaded. */
export function traceAt(pages: TraceListState['pages'], index: number): TraceSummary | undefined {
  return pages.get(Math.floor(index / TRACE_PAGE_SIZE))?.[index % TRACE_PAGE_SIZE];
}

// ---- fetching, outside React's state: nothing here is rendered ---------------------------------

/** The epoch each cached page was fetched in. */
const pageEpochs = new Map<number, number>();
/** Use counter per cached page, for least-recently-needed eviction. */
const pageLastUsed = new Map<number, number>();
let useCounter = 0;
/** Pages being fetched for the current queryVersion, with the epoch they were asked in. */
const inFlight = new Map<number, number>();
/** Pages whose fetch failed in this epoch: not asked again until the next refresh or query. */
const failed = new Set<number>();
let epoch = 0;
/** The epoch of the answer `total` came from: an older answer does not overwrite it. */
let totalEpoch = -1;
let visible = { first: 0, end: 0 };
const pausedIds = new Set<string>();
/** Resolved whenever no page is in flight and none is left to ask for. */
let idleWaiters: (() => void)[] = [];

function resetFetching(): void {
  pageEpochs.clear();
  pageLastUsed.clear();
  inFlight.clear();
  failed.clear();
  totalEpoch = -1;
}

/** The pages the view needs now: those under the rendered rows, and the first (the scatter's). */
function neededPages(total: number): number[] {
  const last = pageCount(total, TRACE_PAGE_SIZE) - 1;
  const pages = pagesForRows(visible.first, visible.end, TRACE_PAGE_SIZE).filter((p) => p <= last);
  return pages.includes(0) ? pages : [0, ...pages];
}

function filterForLoad(state: TraceListState): { filter: TraceFilter; errors: string[] } {
  const now = state.pausedAtMs ?? Date.now();
  const result = traceFilterFor(state.filterState, now);
  if (state.pausedAtMs !== null) {
    const pausedNs = (BigInt(Math.floor(state.pausedAtMs)) * 1_000_000n).toString();
    const toNs = result.filter.toNs;
    if (toNs === undefined || BigInt(toNs) > BigInt(pausedNs)) result.filter.toNs = pausedNs;
  }
  return result;
}

export const useTraceList = create<TraceListState>((set, get) => {
  const settleIfIdle = (): void => {
    if (inFlight.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const whenIdle = (): Promise<void> =>
    new Promise((resolve) => {
      idleWaiters.push(resolve);
      settleIfIdle();
    });

  const fetchPage = async (page: number): Promise<void> => {
    const version = get().queryVersion;
    const askedEpoch = epoch;
    inFlight.set(page, askedEpoch);
    const { filter, errors } = filterForLoad(get());
    // The same errors as a new array would re-render the filter bar on every page.
    const sameErrors = errors.length === get().filterErrors.length && errors.every((e, i) => e === get().filterErrors[i]);
    set(sameErrors ? { loading: true } : { loading: true, filterErrors: errors });
    try {
      const result = await getApi().listTraces({ filter, sort: get().sort, offset: page * TRACE_PAGE_SIZE, limit: TRACE_PAGE_SIZE });
      if (version !== get().queryVersion) return; // an answer to a filter or sort no longer shown
      inFlight.delete(page);
      failed.delete(page);
      const pages = new Map(get().pages);
      pages.set(page, result.traces);
      pageEpochs.set(page, askedEpoch);
      pageLastUsed.set(page, ++useCounter);
      let total = get().total;
      if (askedEpoch >= totalEpoch) {
        total = result.total;
        totalEpoch = askedEpoch;
      }
      // Pages past the end (the store was cleared or pruned) and the least recently needed go.
      const pagesNow = pageCount(total, TRACE_PAGE_SIZE);
      for (const p of [...pages.keys()]) {
        if (p >= pagesNow && p !== 0) dropPage(pages, p);
      }
      for (const p of pagesToEvict(pageLastUsed, new Set(neededPages(total)), MAX_CACHED_PAGES)) dropPage(pages, p);
      set({ pages, traces: pages.get(0) ?? [], total, loaded: true, error: null, loading: inFlight.size > 0 });
    } catch (error) {
      if (version !== get().queryVersion) return;
      inFlight.delete(page);
      failed.add(page);
      set({ error: errorMessage(error), loading: inFlight.size > 0 });
    } finally {
      if (version === get().queryVersion) pump();
    }
  };

  const dropPage = (pages: Map<number, readonly TraceSummary[]>, page: number): void => {
    pages.delete(page);
    pageEpochs.delete(page);
    pageLastUsed.delete(page);
  };

  /** Starts fetches for needed pages that are missing or stale, nearest the viewport first. */
  const pump = (): void => {
    const needed = neededPages(get().total);
    for (const page of needed) if (pageLastUsed.has(page)) pageLastUsed.set(page, ++useCounter);
    for (const page of needed) {
      if (inFlight.size >= MAX_PAGES_IN_FLIGHT) break;
      if (inFlight.has(page) || failed.has(page)) continue;
      if (pageEpochs.get(page) === epoch) continue;
      void fetchPage(page);
    }
    settleIfIdle();
  };

  const reload = (changes: Partial<TraceListState>): Promise<void> => {
    resetFetching();
    set({ ...changes, pages: new Map(), queryVersion: get().queryVersion + 1, error: null });
    visible = { first: 0, end: Math.min(visible.end - visible.first, TRACE_PAGE_SIZE) };
    pump();
    return whenIdle();
  };

  return {
    pages: new Map(),
    traces: [],
    total: 0,
    sort: { by: 'start', dir: 'desc' },
    queryVersion: 0,
    filterState: EMPTY_FILTER_STATE,
    filterErrors: [],
    loaded: false,
    loading: false,
    error: null,
    setFilter: (filterState) => reload({ filterState }),
    sortBy: (by) => {
      const current = get().sort;
      const dir = current.by === by ? (current.dir === 'desc' ? 'asc' : 'desc') : 'desc';
      return reload({ sort: { by, dir } });
    },
    setVisibleRows: (first, end) => {
      visible = { first: Math.max(0, Math.trunc(first)), end: Math.max(0, Math.trunc(end)) };
      pump();
      return whenIdle();
    },
    paused: false,
    pausedAtMs: null,
    pausedArrivals: 0,
    setPaused: (paused) => {
      pausedIds.clear();
      set({ paused, pausedAtMs: paused ? Date.now() : null, pausedArrivals: 0 });
      return paused ? Promise.resolve() : get().refresh();
    },
    noteArrivals: (traceIds) => {
      for (const id of traceIds) pausedIds.add(id);
      set({ pausedArrivals: pausedIds.size });
    },
    comparePicks: [],
    toggleComparePick: (traceId) => {
      const picks = get().comparePicks;
      set({ comparePicks: picks.includes(traceId) ? picks.filter((p) => p !== traceId) : [...picks, traceId].slice(-2) });
    },
    refresh: () => {
      epoch++;
      failed.clear();
      pump();
      return whenIdle();
    },
  };
});

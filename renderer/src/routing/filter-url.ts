// Keeps the trace-list filter and the URL's query string in step (?q=...&range=...). A new
// filter adds a history entry, so Back returns to the previous filter (in the browser and in
// the desktop window alike); the hash (#/trace/...) is left alone for routing/hash.ts.
import { filterStateFromSearch, searchForFilterState, type FilterState } from '../state/trace-filter';
import { useTraceList } from '../state/traces';

const same = (a: FilterState, b: FilterState): boolean =>
  a.text === b.text && a.range === b.range && a.fromNs === b.fromNs && a.toNs === b.toNs;

/** Applies the URL's filter, then follows changes both ways. Returns the function that stops. */
export function startFilterUrlSync(): () => void {
  const applyUrl = (): void => {
    const wanted = filterStateFromSearch(window.location.search);
    if (!same(wanted, useTraceList.getState().filterState)) void useTraceList.getState().setFilter(wanted);
  };
  const unsubscribe = useTraceList.subscribe((state, previous) => {
    if (same(state.filterState, previous.filterState)) return;
    const search = searchForFilterState(state.filterState, window.location.search);
    if (search === window.location.search) return;
    try {
      window.history.pushState(null, '', window.location.pathname + search + window.location.hash);
    } catch {
      // An origin that refuses the History API keeps the filter in memory only.
    }
  });
  // Set the filter before the first load asks for a page (no unfiltered flash).
  const initial = filterStateFromSearch(window.location.search);
  if (!same(initial, useTraceList.getState().filterState)) useTraceList.setState({ filterState: initial });
  window.addEventListener('popstate', applyUrl);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', applyUrl);
  };
}

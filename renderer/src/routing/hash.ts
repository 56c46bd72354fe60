// The open trace and span live in the URL hash (#/trace/<id>, #/trace/<id>/span/<id>), so a
// reload or a pasted link opens the same view. Opening or closing a trace adds a history entry
// (Back returns to the list); moving between spans replaces it, or arrow keys would bury the
// list under hundreds of entries.
import { useSelection, type SelectionState } from '../state/selection';
import { hashFor, parseHash, sameRoute } from './route';

function writeHash(hash: string, push: boolean): void {
  const url = hash === '' ? window.location.pathname + window.location.search : hash;
  try {
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  } catch {
    // Some origins (file:// in some shells) refuse the History API; a plain hash change works.
    if (push) window.location.hash = hash;
    else window.location.replace(hash === '' ? '#' : hash);
  }
}

/** Opens what the URL names, then keeps URL and selection in step. Returns the function that stops. */
export function startHashSync(): () => void {
  const applyUrl = (): void => {
    const route = parseHash(window.location.hash);
    const selection = useSelection.getState();
    if (!route.traceId) {
      if (selection.traceId) selection.closeTrace();
    } else if (route.traceId !== selection.traceId) {
      void selection.openTrace(route.traceId, route.spanId);
    } else if (route.spanId && route.spanId !== selection.spanId) {
      void selection.selectSpan(route.spanId);
    }
  };

  const onSelection = (state: SelectionState, previous: SelectionState): void => {
    if (state.traceId === previous.traceId && state.spanId === previous.spanId) return;
    if (sameRoute(parseHash(window.location.hash), state)) return;
    writeHash(hashFor(state), state.traceId !== previous.traceId);
  };

  applyUrl();
  const unsubscribe = useSelection.subscribe(onSelection);
  // Back/forward fire popstate; editing the address bar fires hashchange (and popstate).
  window.addEventListener('popstate', applyUrl);
  window.addEventListener('hashchange', applyUrl);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', applyUrl);
    window.removeEventListener('hashchange', applyUrl);
  };
}

// The top-level view the window shows follows the URL hash (parsing in top-view.ts, pure): a hook
// that re-renders on hash changes, and navigation to the views across traces.
import { useSyncExternalStore } from 'react';
import { sandwichHash } from './top-view';

export { AGGREGATE_HASH, compareHash, sandwichHash, viewForHash, type TopView } from './top-view';

/**
 * Opens a sandwich (a history entry, so Back returns). A function rather than an href, so no link
 * is ever built from span data (the name is encoded into the hash here).
 */
export function openSandwich(name: string, traceId: string | null = null): void {
  window.location.hash = sandwichHash(name, traceId);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

/** The current hash, re-rendering when it changes. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

// Which top-level view the window shows, from the URL hash: '#/sql' is the SQL console;
// anything else is the trace list (or the open trace, see routing/hash.ts).
import { useSyncExternalStore } from 'react';

export type TopView = 'traces' | 'sql';

export function viewForHash(hash: string): TopView {
  return /^#\/sql\/?$/.test(hash) ? 'sql' : 'traces';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

export function useTopView(): TopView {
  return useSyncExternalStore(subscribe, () => viewForHash(window.location.hash));
}

// Which top-level view the window shows, from the URL hash: '#/sql' is the SQL console,
// '#/sessions' the Sessions view, '#/compare/<a>/<b>' compares two traces; anything else is the trace list (or the open trace,
// see routing/hash.ts). Pure parsing, plus a hook that follows the hash.
import { useSyncExternalStore } from 'react';

export type TopView = { view: 'traces' } | { view: 'sql' } | { view: 'sessions' } | { view: 'compare'; a: string; b: string };

const COMPARE = /^#\/compare\/([^/]+)\/([^/]+)\/?$/;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function viewForHash(hash: string): TopView {
  if (/^#\/sql\/?$/.test(hash)) return { view: 'sql' };
  if (/^#\/sessions\/?$/.test(hash)) return { view: 'sessions' };
  const match = COMPARE.exec(hash);
  const a = match?.[1] ? decode(match[1]) : null;
  const b = match?.[2] ? decode(match[2]) : null;
  if (a && b) return { view: 'compare', a, b };
  return { view: 'traces' };
}

export function compareHash(a: string, b: string): string {
  return `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
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

// Which top-level view the window shows, from the URL hash: '#/sql' is the SQL console,
// '#/sessions' the Sessions view, '#/compare/<a>/<b>' compares two traces, '#/aggregate' is the
// aggregated flame graph of the filtered traces, '#/sandwich/<name>' one span name's callers and
// callees across them ('#/sandwich/<name>/in/<trace>' within one trace); anything else is the
// trace list (or the open trace, see routing/hash.ts). Pure (no window): unit-tested under node;
// view.ts follows the page's hash.

export type TopView =
  | { view: 'traces' }
  | { view: 'sql' }
  | { view: 'sessions' }
  | { view: 'compare'; a: string; b: string }
  | { view: 'aggregate' }
  | { view: 'sandwich'; name: string; traceId: string | null };

const COMPARE = /^#\/compare\/([^/]+)\/([^/]+)\/?$/;
const SANDWICH = /^#\/sandwich\/([^/]+)(?:\/in\/([^/]+))?\/?$/;

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
  if (/^#\/aggregate\/?$/.test(hash)) return { view: 'aggregate' };
  const sandwich = SANDWICH.exec(hash);
  const name = sandwich?.[1] ? decode(sandwich[1]) : null;
  if (sandwich && name) return { view: 'sandwich', name, traceId: sandwich[2] ? decode(sandwich[2]) : null };
  const match = COMPARE.exec(hash);
  const a = match?.[1] ? decode(match[1]) : null;
  const b = match?.[2] ? decode(match[2]) : null;
  if (a && b) return { view: 'compare', a, b };
  return { view: 'traces' };
}

export function compareHash(a: string, b: string): string {
  return `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
}

export const AGGREGATE_HASH = '#/aggregate';

/** A span name's sandwich across the filtered traces, or within one trace. */
export function sandwichHash(name: string, traceId: string | null = null): string {
  const base = `#/sandwich/${encodeURIComponent(name)}`;
  return traceId === null ? base : `${base}/in/${encodeURIComponent(traceId)}`;
}

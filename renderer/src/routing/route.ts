// The URL form of a route: #/trace/<id> and #/trace/<id>/span/<id>. Pure (no window), so it
// is unit-tested under node; routing/hash.ts applies it to the page.

export interface Route {
  traceId: string | null;
  spanId: string | null;
}

const ROUTE = /^#?\/trace\/([^/]+)(?:\/span\/([^/]+))?\/?$/;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function parseHash(hash: string): Route {
  const match = ROUTE.exec(hash);
  const traceId = match?.[1] ? decode(match[1]) : null;
  if (!traceId) return { traceId: null, spanId: null };
  return { traceId, spanId: match?.[2] ? decode(match[2]) : null };
}

/** '' for the trace list (no hash at all). */
export function hashFor(route: Route): string {
  if (!route.traceId) return '';
  const trace = `#/trace/${encodeURIComponent(route.traceId)}`;
  return route.spanId ? `${trace}/span/${encodeURIComponent(route.spanId)}` : trace;
}

export function sameRoute(a: Route, b: Route): boolean {
  return a.traceId === b.traceId && a.spanId === b.spanId;
}

// The top-level views named by the URL hash, including the views across traces: names with
// slashes, spaces and non-ASCII text travel encoded and come back whole.
import { describe, expect, it } from 'vitest';
import { AGGREGATE_HASH, compareHash, sandwichHash, viewForHash } from '../../../../renderer/src/routing/top-view';

describe('viewForHash', () => {
  it('names the list, SQL, sessions, compare and the aggregated flame graph', () => {
    expect(viewForHash('')).toEqual({ view: 'traces' });
    expect(viewForHash('#/sql')).toEqual({ view: 'sql' });
    expect(viewForHash('#/sessions/')).toEqual({ view: 'sessions' });
    expect(viewForHash(compareHash('a b', 'c'))).toEqual({ view: 'compare', a: 'a b', b: 'c' });
    expect(viewForHash(AGGREGATE_HASH)).toEqual({ view: 'aggregate' });
    expect(viewForHash('#/aggregate/')).toEqual({ view: 'aggregate' });
    expect(viewForHash('#/aggregated')).toEqual({ view: 'traces' });
  });

  it('round-trips a sandwich of any span name, across traces or in one', () => {
    for (const name of ['llm call', 'GET /api/orders/{id}', 'résumé · 検索', '100%', 'a/in/b']) {
      expect(viewForHash(sandwichHash(name))).toEqual({ view: 'sandwich', name, traceId: null });
      expect(viewForHash(sandwichHash(name, 'ab'.repeat(16)))).toEqual({ view: 'sandwich', name, traceId: 'ab'.repeat(16) });
    }
    expect(sandwichHash('GET /x')).toBe('#/sandwich/GET%20%2Fx');
    // A malformed escape is not a name.
    expect(viewForHash('#/sandwich/%E0%A4%A')).toEqual({ view: 'traces' });
    expect(viewForHash('#/sandwich/')).toEqual({ view: 'traces' });
  });
});

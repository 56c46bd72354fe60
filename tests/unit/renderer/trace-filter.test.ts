import { describe, expect, it } from 'vitest';
import {
  filterStateFromSearch,
  parseSavedFilters,
  searchForFilterState,
  traceFilterFor,
  withSavedFilter,
} from '../../../renderer/src/state/trace-filter';

describe('trace-list filter state', () => {
  it('turns a relative time range into fromNs at the given moment', () => {
    const now = 1_795_392_000_000;
    expect(traceFilterFor({ text: '', range: 'all' }, now).filter).toEqual({});
    expect(traceFilterFor({ text: '', range: '5m' }, now).filter).toEqual({ fromNs: ((now - 300_000) * 1e6).toFixed(0) });
    const { filter, errors } = traceFilterFor({ text: 'status:error status:nope', range: '1h' }, now);
    expect(filter).toEqual({ status: 'error', fromNs: ((now - 3_600_000) * 1e6).toFixed(0) });
    expect(errors).toHaveLength(1);
  });

  it('round-trips through the query string and keeps other parameters', () => {
    const state = { text: 'service:a "x y" k=v&w', range: '24h' as const };
    const search = searchForFilterState(state, '?other=1');
    expect(search).toContain('other=1');
    expect(filterStateFromSearch(search)).toEqual(state);
    expect(searchForFilterState({ text: ' ', range: 'all' }, '?q=old&range=5m')).toBe('');
    expect(filterStateFromSearch('?range=forever')).toEqual({ text: '', range: 'all' });
  });

  it('reads saved filters defensively and replaces by name', () => {
    expect(parseSavedFilters('not json')).toEqual([]);
    expect(parseSavedFilters('[{"name":"","text":"x"},{"name":"a","text":"x","range":"bad"},3]')).toEqual([{ name: 'a', text: 'x', range: 'all' }]);
    const list = withSavedFilter([{ name: 'b', text: '1', range: 'all' }], { name: 'a', text: '2', range: '5m' });
    expect(list.map((f) => f.name)).toEqual(['a', 'b']);
    expect(withSavedFilter(list, { name: 'b', text: '3', range: 'all' }).find((f) => f.name === 'b')?.text).toBe('3');
  });
});

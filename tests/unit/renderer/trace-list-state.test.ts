// The trace-list store driven with a fake API: paging, filters, sorting, pause and compare picks.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TraceApi } from '../../../shared/api';
import type { TraceQuery } from '../../../shared/model';
import { setApiForTesting } from '../../../renderer/src/api';
import { useTraceList } from '../../../renderer/src/state/traces';

const queries: TraceQuery[] = [];
const fake = {
  listTraces: async (query: TraceQuery) => {
    queries.push(query);
    return { traces: [], total: 1000 };
  },
} as unknown as TraceApi;

beforeEach(() => {
  queries.length = 0;
  setApiForTesting(fake);
});
afterAll(() => setApiForTesting(null));

describe('useTraceList', () => {
  it('pages with offsets, and a new filter starts again at the first page', async () => {
    await useTraceList.getState().setOffset(200);
    expect(queries.at(-1)).toMatchObject({ offset: 200, limit: 200 });
    await useTraceList.getState().setFilter({ text: 'status:error http.status_code=500', range: 'all' });
    expect(queries.at(-1)).toMatchObject({ offset: 0, filter: { status: 'error', attributes: [{ key: 'http.status_code', op: '=', value: '500' }] } });
    await useTraceList.getState().setOffset(-5);
    expect(queries.at(-1)?.offset).toBe(0);
  });

  it('sorts by a column, flipping the direction on a second click', async () => {
    await useTraceList.getState().sortBy('duration');
    expect(queries.at(-1)?.sort).toEqual({ by: 'duration', dir: 'desc' });
    await useTraceList.getState().sortBy('duration');
    expect(queries.at(-1)?.sort).toEqual({ by: 'duration', dir: 'asc' });
  });

  it('counts distinct arrivals while paused and reloads on resume', async () => {
    await useTraceList.getState().setPaused(true);
    const before = queries.length;
    useTraceList.getState().noteArrivals(['a', 'b']);
    useTraceList.getState().noteArrivals(['b', 'c']);
    expect(useTraceList.getState().pausedArrivals).toBe(3);
    expect(queries.length).toBe(before);
    await useTraceList.getState().setPaused(false);
    expect(useTraceList.getState().pausedArrivals).toBe(0);
    expect(queries.length).toBe(before + 1);
  });

  it('keeps at most two compare picks, dropping the oldest', () => {
    const { toggleComparePick } = useTraceList.getState();
    toggleComparePick('x');
    toggleComparePick('y');
    toggleComparePick('z');
    expect(useTraceList.getState().comparePicks).toEqual(['y', 'z']);
    toggleComparePick('y');
    expect(useTraceList.getState().comparePicks).toEqual(['z']);
  });
});

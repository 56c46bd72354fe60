// The trace-list store driven with a fake API over a synthetic list: pages fetched for the rows in
// view, a bounded cache, stale answers dropped, live refreshes, filters, sorting, pause, picks.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TraceApi } from '../../../shared/api';
import type { TracePage, TraceQuery, TraceSummary } from '../../../shared/model';
import { setApiForTesting } from '../../../renderer/src/api';
import { MAX_CACHED_PAGES, MAX_PAGES_IN_FLIGHT, TRACE_PAGE_SIZE, traceAt, useTraceList } from '../../../renderer/src/state/traces';

const summary = (index: number, tag: string): TraceSummary => ({
  traceId: `${tag}-${index}`,
  rootName: `root ${tag} ${index}`,
  serviceName: 'svc',
  startNs: '1795392000000000000',
  durationNs: 1,
  spanCount: 1,
  errorCount: 0,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  sessionId: null,
});

/** A store of `total` traces named by `tag`; with `hold`, answers wait until released. */
class FakeList {
  total = 100_000;
  tag = 'a';
  hold = false;
  queries: TraceQuery[] = [];
  inFlight = 0;
  mostInFlight = 0;
  private held: (() => void)[] = [];

  readonly api = {
    listTraces: async (query: TraceQuery): Promise<TracePage> => {
      this.queries.push(query);
      const { total, tag } = this;
      this.inFlight++;
      this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      else await Promise.resolve();
      this.inFlight--;
      const offset = query.offset ?? 0;
      const count = Math.max(0, Math.min(query.limit ?? 100, total - offset));
      return { traces: Array.from({ length: count }, (_, i) => summary(offset + i, tag)), total };
    },
  } as unknown as TraceApi;

  releaseAll(): void {
    this.hold = false;
    for (const release of this.held.splice(0)) release();
  }
}

let fake: FakeList;
const state = () => useTraceList.getState();
const offsets = (from = 0) => fake.queries.slice(from).map((q) => q.offset);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  fake = new FakeList();
  setApiForTesting(fake.api);
  if (state().paused) await state().setPaused(false);
  await state().setVisibleRows(0, 30);
  await state().setFilter({ text: '', range: 'all' });
  fake.queries.length = 0;
});
afterAll(() => setApiForTesting(null));

describe('useTraceList paging', () => {
  it('fetches the pages under the rows in view, page by page, and the first page always', async () => {
    await state().setVisibleRows(50_190, 50_230);
    // Rows 50,190–50,229 straddle pages 250 and 251; the first page is cached already.
    expect(fake.queries.map((q) => [q.offset, q.limit])).toEqual([
      [250 * TRACE_PAGE_SIZE, TRACE_PAGE_SIZE],
      [251 * TRACE_PAGE_SIZE, TRACE_PAGE_SIZE],
    ]);
    expect(TRACE_PAGE_SIZE).toBeLessThanOrEqual(1000);
    expect(traceAt(state().pages, 50_199)?.traceId).toBe('a-50199');
    expect(traceAt(state().pages, 50_200)?.traceId).toBe('a-50200');
    expect(traceAt(state().pages, 3)?.traceId).toBe('a-3');
    expect(traceAt(state().pages, 10_000)).toBeUndefined();
    expect(state().total).toBe(100_000);
    // In view again: nothing is asked twice.
    await state().setVisibleRows(50_195, 50_210);
    expect(fake.queries).toHaveLength(2);
  });

  it('keeps at most MAX_CACHED_PAGES pages, dropping the least recently needed, never those in view', async () => {
    for (let page = 1; page <= MAX_CACHED_PAGES + 10; page++) {
      await state().setVisibleRows(page * TRACE_PAGE_SIZE, page * TRACE_PAGE_SIZE + 30);
    }
    const cached = [...state().pages.keys()].sort((a, b) => a - b);
    expect(cached.length).toBeLessThanOrEqual(MAX_CACHED_PAGES);
    expect(cached).toContain(0);
    expect(cached).toContain(MAX_CACHED_PAGES + 10);
    expect(cached).not.toContain(1);
    // A dropped page is fetched again when it comes back into view.
    fake.queries.length = 0;
    await state().setVisibleRows(TRACE_PAGE_SIZE, TRACE_PAGE_SIZE + 30);
    expect(offsets()).toEqual([TRACE_PAGE_SIZE]);
  });

  it('asks for at most MAX_PAGES_IN_FLIGHT pages at once, and only for where the view ended up', async () => {
    fake.hold = true;
    for (let page = 10; page < 20; page++) void state().setVisibleRows(page * TRACE_PAGE_SIZE + 190, page * TRACE_PAGE_SIZE + 230);
    expect(fake.inFlight).toBe(MAX_PAGES_IN_FLIGHT);
    const done = state().setVisibleRows(90 * TRACE_PAGE_SIZE, 90 * TRACE_PAGE_SIZE + 30);
    fake.releaseAll();
    await done;
    expect(fake.mostInFlight).toBe(MAX_PAGES_IN_FLIGHT);
    // The two first asked, then only the page the view stopped on: not the eight scrolled past.
    expect(offsets()).toEqual([10 * TRACE_PAGE_SIZE, 11 * TRACE_PAGE_SIZE, 90 * TRACE_PAGE_SIZE]);
    expect(traceAt(state().pages, 90 * TRACE_PAGE_SIZE)?.traceId).toBe(`a-${90 * TRACE_PAGE_SIZE}`);
  });

  it('drops answers to a filter no longer shown, and starts again from the first page', async () => {
    await state().setVisibleRows(5_000, 5_040);
    fake.hold = true;
    fake.tag = 'old';
    const stale = state().refresh();
    await settle();
    fake.tag = 'new';
    fake.total = 42;
    const fresh = state().setFilter({ text: 'status:error', range: 'all' });
    expect(state().pages.size).toBe(0);
    fake.releaseAll();
    await Promise.all([stale, fresh]);
    expect(fake.queries.at(-1)).toMatchObject({ offset: 0, filter: { status: 'error' } });
    expect(state().total).toBe(42);
    expect([...state().pages.keys()]).toEqual([0]);
    expect(traceAt(state().pages, 0)?.traceId).toBe('new-0');
    expect(traceAt(state().pages, 5_000)).toBeUndefined();
  });

  it('refreshes the pages in view, keeping the old rows on screen until the new ones arrive', async () => {
    await state().setVisibleRows(5_000, 5_040);
    fake.queries.length = 0;
    fake.hold = true;
    fake.tag = 'b';
    fake.total = 100_010;
    const done = state().refresh();
    await settle();
    expect(traceAt(state().pages, 5_001)?.traceId).toBe('a-5001');
    fake.releaseAll();
    await done;
    expect(offsets().sort((x, y) => x! - y!)).toEqual([0, 5_000]);
    expect(traceAt(state().pages, 5_001)?.traceId).toBe('b-5001');
    expect(state().total).toBe(100_010);
  });

  it('asks a page in flight once more after it, however many refreshes came meanwhile', async () => {
    fake.hold = true;
    const refreshes = Array.from({ length: 10 }, () => state().refresh());
    await settle();
    expect(fake.queries).toHaveLength(1);
    fake.releaseAll();
    await Promise.all(refreshes);
    expect(fake.queries).toHaveLength(2);
    expect(fake.mostInFlight).toBe(1);
  });

  it('drops cached pages past the end when the list shrinks', async () => {
    await state().setVisibleRows(5_000, 5_040);
    fake.total = 10;
    await state().setVisibleRows(0, 30);
    await state().refresh();
    expect([...state().pages.keys()]).toEqual([0]);
    expect(state().pages.get(0)).toHaveLength(10);
    expect(state().total).toBe(10);
  });

  it('records an error, and asks the failed page again on the next refresh', async () => {
    let fail = true;
    const failing = {
      listTraces: async (query: TraceQuery) => {
        if (fail) throw new Error('store closed');
        return fake.api.listTraces(query);
      },
    } as unknown as TraceApi;
    setApiForTesting(failing);
    await state().refresh();
    expect(state().error).toBe('store closed');
    fail = false;
    await state().refresh();
    expect(state().error).toBeNull();
    expect(state().loaded).toBe(true);
  });
});

describe('useTraceList filter, sort, pause and picks', () => {
  it('applies a filter and starts again at the first page', async () => {
    await state().setFilter({ text: 'status:error http.status_code=500', range: 'all' });
    expect(fake.queries.at(-1)).toMatchObject({
      offset: 0,
      limit: TRACE_PAGE_SIZE,
      filter: { status: 'error', attributes: [{ key: 'http.status_code', op: '=', value: '500' }] },
    });
    expect(state().filterErrors).toEqual([]);
  });

  it('sorts by a column, flipping the direction on a second click, and bumps the query version', async () => {
    const version = state().queryVersion;
    await state().sortBy('duration');
    expect(fake.queries.at(-1)?.sort).toEqual({ by: 'duration', dir: 'desc' });
    await state().sortBy('duration');
    expect(fake.queries.at(-1)?.sort).toEqual({ by: 'duration', dir: 'asc' });
    expect(state().queryVersion).toBe(version + 2);
    await state().sortBy('start');
  });

  it('counts distinct arrivals while paused, reads as of the pause, and reloads on resume', async () => {
    await state().setPaused(true);
    const pausedNs = BigInt(state().pausedAtMs!) * 1_000_000n;
    const before = fake.queries.length;
    state().noteArrivals(['a', 'b']);
    state().noteArrivals(['b', 'c']);
    expect(state().pausedArrivals).toBe(3);
    expect(fake.queries.length).toBe(before);
    // Scrolling while paused fetches as of the pause: traces that started later stay out.
    await state().setVisibleRows(3_000, 3_030);
    expect(fake.queries.at(-1)?.filter?.toNs).toBe(pausedNs.toString());
    await state().setPaused(false);
    expect(state().pausedArrivals).toBe(0);
    expect(fake.queries.at(-1)?.filter?.toNs).toBeUndefined();
    expect(offsets(before + 1).sort((x, y) => x! - y!)).toEqual([0, 3_000]);
  });

  it('keeps at most two compare picks, dropping the oldest', () => {
    const { toggleComparePick } = state();
    toggleComparePick('x');
    toggleComparePick('y');
    toggleComparePick('z');
    expect(state().comparePicks).toEqual(['y', 'z']);
    toggleComparePick('y');
    expect(state().comparePicks).toEqual(['z']);
  });
});

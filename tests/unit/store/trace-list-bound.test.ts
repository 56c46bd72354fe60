// The trace list sorted by start time asks a page it has shown before only for the traces from
// the last one it showed on (Store.startBounds): the answers must stay those of the whole list
// while traces arrive newer and older, start earlier, and are deleted, in both directions, with
// a filter, and past the first page.
import { afterEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import type { TracePage, TraceQuery } from '../../../shared/model';
import { hexId, spanRow, tempStorePath } from '../../helpers/rows';

const storePath = tempStorePath();
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

const T0 = 1_795_392_000_000_000_000n;

interface Known {
  traceId: string;
  startNs: bigint;
  service: string;
}
/** The traces written so far, the oracle the pages are checked against. */
let known = new Map<string, Known>();

/** Writes one single-span trace per number, starting `startMs(n)` ms after T0 (several share a start). */
async function writeTraces(numbers: number[], startMs: (n: number) => number): Promise<void> {
  const rows = numbers.map((n) => {
    const traceId = hexId(n, 32);
    const startNs = T0 + BigInt(startMs(n)) * 1_000_000n;
    const service = n % 3 === 0 ? 'checkout' : 'search';
    // A re-sent trace keeps its earliest start, as the summary does.
    const before = known.get(traceId);
    known.set(traceId, { traceId, startNs: before && before.startNs < startNs ? before.startNs : startNs, service });
    return spanRow({ traceId, spanId: hexId(n * 2 + (before ? 1 : 0), 16), startNs, endNs: startNs + 1_000n, serviceName: service });
  });
  await store!.appendSpans(rows);
}

function expected(query: TraceQuery): string[] {
  const dir = query.sort?.dir === 'asc' ? 1 : -1;
  const services = query.filter?.services;
  return [...known.values()]
    .filter((t) => !services || services.includes(t.service))
    .sort((a, b) => (a.startNs === b.startNs ? (a.traceId < b.traceId ? -1 : 1) : a.startNs < b.startNs ? -1 : 1) * dir)
    .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100))
    .map((t) => t.traceId);
}

const QUERIES: TraceQuery[] = [
  { limit: 50 },
  { limit: 50, offset: 50 },
  { limit: 40, sort: { by: 'start', dir: 'asc' } },
  { limit: 30, offset: 30, sort: { by: 'start', dir: 'asc' }, filter: { services: ['checkout'] } },
  { limit: 25, filter: { services: ['checkout'] } },
];

async function checkPages(when: string): Promise<void> {
  for (const query of QUERIES) {
    const page: TracePage = await store!.listTraces(query);
    expect(page.traces.map((t) => t.traceId), `${when}: ${JSON.stringify(query)}`).toEqual(expected(query));
    const matching = [...known.values()].filter((t) => !query.filter?.services || query.filter.services.includes(t.service)).length;
    expect(page.total, `${when}: total of ${JSON.stringify(query)}`).toBe(matching);
  }
}

const bounds = (): Map<string, bigint> => (store as unknown as { startBounds: Map<string, bigint> }).startBounds;

it('answers a start-sorted page it has shown before as the whole list does, as traces arrive, start earlier and go', async () => {
  known = new Map();
  store = await Store.open({ path: storePath() });
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  // 300 traces, three to a start time (ties are broken by trace id).
  await writeTraces(range(1, 301), (n) => 1000 + Math.floor(n / 3));
  await checkPages('first asked');
  expect(bounds().size, 'every full page noted where it ended').toBe(QUERIES.length);

  await checkPages('asked again, nothing new');
  // Newer traces (the live case), older ones, and ties with the bounds themselves.
  await writeTraces(range(301, 341), (n) => 2000 + n);
  await writeTraces(range(341, 381), (n) => n - 341);
  await writeTraces(range(381, 391), () => 1000 + Math.floor(250 / 3));
  await checkPages('after newer, older and tied traces');

  // Traces of the newest pages get an earlier span: their start moves before the bound.
  await writeTraces(range(321, 341), () => 5);
  await checkPages('after newest traces started earlier');

  // Everything deleted, then only old traces: every bound is past them, so each bounded page
  // comes back short and is asked again without it.
  await store.clearAll();
  known = new Map();
  await writeTraces(range(1000, 1120), (n) => n - 1000);
  await checkPages('after clear all and older traces');
  // A page past the end, and a store smaller than a page, keep no bound.
  const short = await store.listTraces({ limit: 50, offset: 100 });
  expect(short.traces).toHaveLength(20);
  expect(bounds().has(JSON.stringify(['', [], 'DESC', 50, 100]))).toBe(false);
});

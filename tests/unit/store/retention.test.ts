// Retention against a real store: whole traces go, oldest first, by age and by span count.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import type { LogRow } from '../../../electron/engine/ingest-logs';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

const T0 = 1_795_392_000_000_000_000n;
const SECOND = 1_000_000_000n;
let dir: ReturnType<typeof tempDir>;
let store: Store;

/** Trace n (1..5) starts at T0 + n s and has n spans; trace 1 has a log record. */
beforeEach(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  let span = 0;
  for (let n = 1; n <= 5; n++) {
    await store.appendSpans(
      Array.from({ length: n }, (_, i) => spanRow({ traceId: hexId(n, 32), spanId: hexId(++span, 16), startNs: T0 + BigInt(n) * SECOND + BigInt(i), endNs: T0 + BigInt(n) * SECOND + 1000n })),
    );
  }
  const log: LogRow = {
    timeNs: T0, observedTimeNs: null, traceId: hexId(1, 32), spanId: hexId(1, 16), severityText: '', severityNumber: 0, eventName: '',
    bodyJson: '"x"', attributesJson: '{}', serviceName: null, resourceAttributesJson: '{}', scopeName: null, scopeVersion: null,
    scopeAttributesJson: '{}', flags: 0, droppedAttributesCount: 0, resourceSchemaUrl: '', scopeSchemaUrl: '', valueTypesJson: null, source: 'test',
  };
  await store.appendLogs([log]);
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

const remaining = async (): Promise<number[]> =>
  (await store.listTraces({ sort: { by: 'start', dir: 'asc' } })).traces.map((t) => parseInt(t.traceId, 16));

it('by age: traces that started before the cutoff go, with their log records', async () => {
  expect(await store.prune({ olderThanNs: (T0 + 3n * SECOND).toString() })).toEqual({ traces: 2, spans: 3 });
  expect(await remaining()).toEqual([3, 4, 5]);
  expect((await store.query('SELECT count(*) AS n FROM logs')).rows).toEqual([[0]]);
});

it('by size: the newest traces that fit in maxSpans stay, whole', async () => {
  // Newest first: 5 (5 spans), 4 (9), 3 (12): a limit of 10 keeps 5 and 4 only.
  expect(await store.prune({ maxSpans: 10 })).toEqual({ traces: 3, spans: 6 });
  expect(await remaining()).toEqual([4, 5]);
  expect((await store.counts()).spanCount).toBe(9);
});

it('no policy, or one that keeps everything, deletes nothing', async () => {
  expect(await store.prune({})).toEqual({ traces: 0, spans: 0 });
  expect(await store.prune({ maxSpans: 15, olderThanNs: T0.toString() })).toEqual({ traces: 0, spans: 0 });
  expect(await remaining()).toEqual([1, 2, 3, 4, 5]);
});

// Cancelling a user query and clearing the store, against a real store.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let store: Store;

beforeEach(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  await store.appendSpans(Array.from({ length: 2000 }, (_, i) => spanRow({ traceId: hexId(i % 100, 32), spanId: hexId(i + 1, 16) })));
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

it('cancelQuery interrupts a running user query; the next query runs normally', async () => {
  expect(store.cancelQuery()).toBe(false);
  // 8e9 rows: minutes if not interrupted.
  const slow = store.query('SELECT sum(hash(a.span_id || b.span_id || c.span_id)) FROM spans a, spans b, spans c');
  const started = Date.now();
  let cancelled = false;
  while (!cancelled && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    cancelled = store.cancelQuery();
  }
  expect(cancelled).toBe(true);
  await expect(slow).rejects.toThrow(/interrupt/i);
  expect(Date.now() - started).toBeLessThan(10_000);
  const after = await store.query('SELECT count(*) AS n FROM spans');
  expect(after.rows).toEqual([[2000]]);
});

it('a cancel right after the query was asked for, before it executes, still stops it; a later query is not affected', async () => {
  const slow = store.query('SELECT sum(hash(a.span_id || b.span_id || c.span_id)) FROM spans a, spans b, spans c');
  // No await: the query is still being checked or queued on its connection.
  expect(store.cancelQuery()).toBe(true);
  const started = Date.now();
  await expect(slow).rejects.toThrow(/interrupt/i);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(store.cancelQuery()).toBe(false);
  const after = await store.query('SELECT count(*) AS n FROM spans');
  expect(after.rows).toEqual([[2000]]);
});

it('clearAll deletes every span and log record, and the store keeps working', async () => {
  expect((await store.counts()).spanCount).toBe(2000);
  await store.clearAll();
  expect(await store.counts()).toEqual({ traceCount: 0, spanCount: 0 });
  expect((await store.listTraces({})).total).toBe(0);
  await store.appendSpans([spanRow({ traceId: hexId(7, 32), spanId: hexId(7, 16) })]);
  expect((await store.listTraces({})).traces.map((t) => t.traceId)).toEqual([hexId(7, 32)]);
});

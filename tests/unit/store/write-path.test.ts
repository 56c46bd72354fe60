// The span write path's speed settings keep what they must: JSON columns staged as JSON (no
// cast on insert) still hold JSON values, a retried batch is still stored once, and the writer
// folds its WAL less often than DuckDB's default 16 MB.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

it('stores the JSON columns as JSON values, and a retried batch once', async () => {
  const rows = Array.from({ length: 3 }, (_, i) =>
    spanRow({
      spanId: hexId(i + 1, 16),
      attributesJson: `{"k":{"type":"int","value":"${9007199254740993n + BigInt(i)}"}}`,
      eventsJson: '[{"time":"2026-11-23T00:00:00.000000001Z","name":"e","attributes":{}}]',
    }),
  );
  await store.appendSpans(rows);
  await store.appendSpans(rows); // the exporter's retry
  const r = await store.query(
    "SELECT count(*) AS n, min(json_type(attributes)) AS a, min(json_type(events)) AS e, max(attributes->>'$.k.value') AS v FROM spans",
  );
  expect(r.rows).toEqual([[3, 'OBJECT', 'ARRAY', '9007199254740995']]);
});

it('checkpoints the WAL at 256 MB rather than every few batches', async () => {
  const r = await store.query("SELECT current_setting('checkpoint_threshold') AS t");
  expect(String(r.rows[0]![0])).toMatch(/^(256\.0 ?MiB|256MB|268\.4 ?MB|244\.1 ?MiB)$/);
});

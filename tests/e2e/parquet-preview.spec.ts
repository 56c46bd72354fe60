// Opening a large Parquet file in serve mode: while the import runs, the trace list shows the
// file's traces read in place, marked as a preview with the import's progress; a trace picked
// there opens once the import commits, and the list is then the store's. The file is made big
// enough (400,000 spans, ~8 s to import on the 2-core box, the preview's page in about a
// second) that the import is still running when the preview arrives; nothing is slowed or faked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from '@playwright/test';
import { ServeApp } from './serve-app';

const SPANS = 400_000;
let app: ServeApp;
let dir: string;
let file: string;
/** Imported by someone else than the page (File › Open in the desktop app, `tracedeck import`). */
let opened: string;
/** Imported before the page is opened (a window opened, or reloaded, mid-import). */
let openedBefore: string;

/**
 * A ClickHouse otel_traces file: 10 spans a trace, trace k (from `firstTrace` on) starts k ms
 * after midnight, so the newest trace is the last one and its root is named "GET /orders/<k>".
 */
async function writeClickHouseFile(path: string, firstTrace: number): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (
      SELECT TIMESTAMP '2026-11-20 00:00:00' + to_microseconds((i // 10) * 1000 + (i % 10) * 7) AS "Timestamp",
        printf('%032x', i // 10) AS "TraceId", printf('%016x', i + 1) AS "SpanId",
        CASE WHEN i % 10 = 0 THEN '' ELSE printf('%016x', (i // 10) * 10 + 1) END AS "ParentSpanId",
        CASE WHEN i % 10 = 0 THEN 'GET /orders/' || (i // 10)::VARCHAR ELSE 'SELECT orders' END AS "SpanName",
        CASE WHEN i % 10 = 0 THEN 'Server' ELSE 'Client' END AS "SpanKind",
        'svc-' || (i // 10 % 20)::VARCHAR AS "ServiceName",
        MAP {'service.name': 'svc-' || (i // 10 % 20)::VARCHAR, 'host.name': 'host-' || (i % 7)::VARCHAR} AS "ResourceAttributes",
        MAP {'http.request.method': 'GET', 'db.statement': 'SELECT * FROM orders WHERE id = ' || i::VARCHAR} AS "SpanAttributes",
        ((i % 97) + 1) * 100000 AS "Duration",
        CASE WHEN i % 50 = 0 THEN 'Error' ELSE 'Ok' END AS "StatusCode", '' AS "StatusMessage"
      FROM range(${firstTrace * 10}, ${firstTrace * 10 + SPANS}) t(i)
    ) TO '${path}' (FORMAT parquet)`,
  );
  db.closeSync();
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-preview-'));
  file = join(dir, 'otel_traces.parquet');
  await writeClickHouseFile(file, 0);
  opened = join(dir, 'opened_elsewhere.parquet');
  await writeClickHouseFile(opened, SPANS / 10);
  openedBefore = join(dir, 'opened_before.parquet');
  await writeClickHouseFile(openedBefore, (2 * SPANS) / 10);
  app = await ServeApp.start();
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
  rmSync(dir, { recursive: true, force: true });
});

test('a large file shows its traces from the file while it imports, then from the store', async ({ page }) => {
  test.setTimeout(180_000);
  const newest = `GET /orders/${SPANS / 10 - 1}`;
  await page.goto(app.uiUrl);
  await expect(page.getByRole('table', { name: 'Traces' })).toBeVisible();
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('dialog', { name: 'Open trace files' }).getByLabel('Paths').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // The preview: shown only while the import runs (it goes when the import ends).
  const preview = page.getByRole('table', { name: 'Traces (preview)' });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: /previewing otel_traces\.parquet — importing \d+%/ })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  const first = preview.getByRole('row').nth(1);
  await expect(first).toContainText(newest);
  await expect(first).toContainText('10'); // spans
  // Traces in the file in all, in the list's header.
  await expect(page.getByRole('region', { name: 'Trace list' }).getByText(`${(SPANS / 10).toLocaleString('en')}`, { exact: true })).toBeVisible();
  // Picked in the preview: opens once imported.
  await first.click();
  await expect(first).toContainText('opens once imported');

  // The import commits: the preview goes, the picked trace opens from the store.
  await expect(page.getByRole('status').filter({ hasText: `Imported ${SPANS.toLocaleString('en')} spans from 1 file.` })).toBeVisible({ timeout: 150_000 });
  await expect(preview).toHaveCount(0);
  await expect(page.getByRole('tree', { name: 'Span tree' }).getByRole('treeitem').first()).toContainText(newest);
  // Back to the list: the store's, with the same newest trace first.
  await page.keyboard.press('Escape');
  const list = page.getByRole('table', { name: 'Traces' });
  await expect(list.getByRole('row').nth(1)).toContainText(newest);
});

test('an import the page did not start (File › Open in the desktop app) is previewed the same way', async ({ page }) => {
  test.setTimeout(180_000);
  const newest = `GET /orders/${(2 * SPANS) / 10 - 1}`;
  await page.goto(app.uiUrl);
  await expect(page.getByRole('table', { name: 'Traces' })).toBeVisible();
  // The desktop app's main process calls the engine's importPaths; here the test does, over the
  // same API, and the page hears of it only from the engine's import-started event.
  const importing = fetch(new URL('api/importPaths', app.uiUrl), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([[opened]]) });
  const preview = page.getByRole('table', { name: 'Traces (preview)' });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: /previewing opened_elsewhere\.parquet — importing \d+%/ })).toBeVisible();
  await expect(preview.getByRole('row').nth(1)).toContainText(newest);
  await expect(page.getByRole('button', { name: 'Open…' })).toBeDisabled();
  const answer = await importing;
  expect(answer.status).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: `Imported ${SPANS.toLocaleString('en')} spans from 1 file.` })).toBeVisible({ timeout: 150_000 });
  await expect(preview).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Traces' }).getByRole('row').nth(1)).toContainText(newest);
});

test('a page opened while an import runs takes it up: preview, progress and result', async ({ page }) => {
  test.setTimeout(180_000);
  const newest = `GET /orders/${(3 * SPANS) / 10 - 1}`;
  const importing = fetch(new URL('api/importPaths', app.uiUrl), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([[openedBefore]]) });
  // Only once the engine runs it (its import-started event went out to nobody) is the page opened.
  await expect
    .poll(async () => {
      const stats = (await (await fetch(new URL('api/getStats', app.uiUrl), { method: 'POST', body: '[]' })).json()) as { imports?: { paths: string[] }[] };
      return stats.imports?.map((i) => i.paths).flat() ?? [];
    }, { timeout: 30_000, intervals: [50] })
    .toEqual([openedBefore]);
  await page.goto(app.uiUrl);
  const preview = page.getByRole('table', { name: 'Traces (preview)' });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: /previewing opened_before\.parquet — importing \d+%/ })).toBeVisible();
  await expect(preview.getByRole('row').nth(1)).toContainText(newest);
  await expect(page.getByRole('button', { name: 'Open…' })).toBeDisabled();
  expect((await importing).status).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: `Imported ${SPANS.toLocaleString('en')} spans from 1 file.` })).toBeVisible({ timeout: 150_000 });
  await expect(preview).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open…' })).toBeEnabled();
  const stats = (await (await fetch(new URL('api/getStats', app.uiUrl), { method: 'POST', body: '[]' })).json()) as { imports?: unknown[] };
  expect(stats.imports).toEqual([]);
});

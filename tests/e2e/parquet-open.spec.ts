// Opening files through the UI against `tracedeck serve`: a Parquet file typed into "Open…"
// shows its traces; an unrecognised table goes through the mapping step; a trace can be
// copied out as OTLP JSON (download).
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ServeApp } from './serve-app';

const FIXTURES = fileURLToPath(new URL('../fixtures/parquet', import.meta.url));
let app: ServeApp;

test.beforeAll(async () => {
  app = await ServeApp.start();
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('Open… imports a Phoenix Parquet file and its traces appear in the list', async ({ page }) => {
  await page.goto(app.uiUrl);
  const list = page.getByRole('table', { name: 'Traces' });
  await expect(list).toBeVisible();
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('dialog', { name: 'Open trace files' }).getByLabel('Paths').fill(`${FIXTURES}/phoenix_spans.parquet`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 4 spans from 1 file.' })).toBeVisible();
  const row = list.getByRole('row').filter({ hasText: 'agent' });
  await expect(row).toBeVisible();
  await row.click();
  const tree = page.getByRole('tree', { name: 'Span tree' });
  await expect(tree.getByRole('treeitem')).toHaveCount(3);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'OTLP JSON' }).click();
  expect((await download).suggestedFilename()).toBe('trace-0af7651916cd43dd8448eb211c80319c.json');
});

test('an unrecognised table goes through the mapping step', async ({ page }) => {
  await page.goto(app.uiUrl);
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByLabel('Paths').fill(`${FIXTURES}/needs_mapping.parquet`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Map columns' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('table', { name: 'Preview' })).toContainText('train');
  await dialog.getByLabel('Trace id').selectOption('run_key');
  await dialog.getByLabel('Span id').selectOption('step_key');
  await dialog.getByLabel('Name').selectOption('label');
  await dialog.getByLabel('Start').selectOption('began');
  await dialog.getByLabel('Duration', { exact: true }).selectOption('lasted');
  await dialog.getByLabel('Duration unit').selectOption('ns');
  await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 2 spans' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Traces' }).getByRole('row').filter({ hasText: 'load' })).toBeVisible();
});

// Data management in a real Chromium against `tracedeck serve`: the status bar's counts,
// "Clear all" behind a confirmation (Keep changes nothing), and cancelling a slow SQL query.
import { expect, test } from '@playwright/test';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { ServeApp } from './serve-app';

let app: ServeApp;

test.beforeAll(async () => {
  app = await ServeApp.start();
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('a slow SQL query can be cancelled, and the console keeps working', async ({ page }) => {
  for (let i = 0; i < 3; i++) await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: `GET /slow-${i}` });
  await page.goto(`${app.uiUrl}#/sql`);
  const sql = page.getByRole('textbox', { name: 'SQL' });
  // 6^6 rows of string hashing per repetition: far longer than the test waits.
  await sql.fill('SELECT sum(hash(a.name || b.name || c.name || d.name || e.name || f.name || g.name || h.name || i.name || j.name)) FROM spans a, spans b, spans c, spans d, spans e, spans f, spans g, spans h, spans i, spans j');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cancelled.');
  // User queries run one at a time: this answers only if the engine really interrupted the first.
  await sql.fill('SELECT count(*) AS n FROM spans');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('table', { name: 'Results' }).locator('tbody td')).toHaveText('6');
});

test('Clear all asks first; Keep changes nothing; Delete everything empties the list', async ({ page }) => {
  await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /doomed' });
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows.filter({ hasText: 'GET /doomed' })).toBeVisible();
  const status = page.getByRole('contentinfo', { name: 'Status' });
  await expect(status).toContainText('4 traces');
  await expect(status).toContainText('spans/s');

  await status.getByRole('button', { name: 'Clear all…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm clear all' });
  await expect(confirm).toContainText('Delete all 4 traces');
  await confirm.getByRole('button', { name: 'Keep' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(rows).toHaveCount(4);

  await status.getByRole('button', { name: 'Clear all…' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm clear all' }).getByRole('button', { name: 'Delete everything' }).click();
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No traces yet')).toBeVisible();
  await expect(status).toContainText('0 traces');

  // The store keeps working after a clear.
  await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /after-clear' });
  await expect(rows.filter({ hasText: 'GET /after-clear' })).toBeVisible();
});

test('retention keeps the newest traces within the span limit', async ({ page }) => {
  // After the previous test: 'GET /after-clear' (2 spans). One newer trace makes 4 spans.
  await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /newest', startNs: 1_795_392_100_000_000_000n });
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: 'Retention…' }).click();
  const retention = page.getByRole('group', { name: 'Retention' });
  await retention.getByRole('spinbutton', { name: 'Max spans' }).fill('2');
  await retention.getByRole('button', { name: 'Apply now' }).click();
  await expect(retention.getByRole('status')).toHaveText(/Deleted 1 traces \(2 spans\)/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /newest');
});

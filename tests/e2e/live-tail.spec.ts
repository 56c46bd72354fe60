// Live tail in a real Chromium against `tracedeck serve`: a trace appears within a second of
// its export being acknowledged, Pause holds the list and counts arrivals, Resume shows them;
// column headers sort (aria-sort).
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

const send = (rootName: string, startNs?: bigint): Promise<unknown> =>
  sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName, serviceName: 'tail', ...(startNs ? { startNs } : {}) });

test('a new trace shows within 1 s; Pause freezes the list and counts arrivals; headers sort', async ({ page }) => {
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();

  await send('GET /tail-first');
  const acknowledged = Date.now();
  await expect(rows.filter({ hasText: 'GET /tail-first' })).toBeVisible({ timeout: 1000 });
  expect(Date.now() - acknowledged).toBeLessThan(1000);

  await page.getByRole('button', { name: 'Pause' }).click();
  await send('GET /tail-while-paused-1', 1_795_392_100_000_000_000n);
  await send('GET /tail-while-paused-2', 1_795_392_200_000_000_000n);
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toContainText('2 traces arrived');
  await expect(rows).toHaveCount(1);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('GET /tail-while-paused-2');

  // Sorting: Start is sorted descending now; clicking it flips to ascending.
  const start = page.getByRole('columnheader', { name: /Start/ });
  await expect(start).toHaveAttribute('aria-sort', 'descending');
  await start.getByRole('button').click();
  await expect(start).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toContainText('GET /tail-first');
  await expect(page.getByRole('columnheader', { name: /Duration/ })).toHaveAttribute('aria-sort', 'none');
  // Every column sorts: the root span name, descending first, then ascending.
  const name = page.getByRole('columnheader', { name: /Root span/ });
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.first()).toContainText('GET /tail-while-paused-2');
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toContainText('GET /tail-first');
  await expect(rows.last()).toContainText('GET /tail-while-paused-2');
});

test('hidden columns stay hidden after a reload', async ({ page }) => {
  await page.goto(app.uiUrl);
  const table = page.getByRole('table', { name: 'Traces' });
  await expect(table.getByRole('columnheader', { name: 'Service' })).toBeVisible();
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('group', { name: 'Columns shown' }).getByRole('checkbox', { name: 'Service' }).uncheck();
  await expect(table.getByRole('columnheader', { name: 'Service' })).toBeHidden();
  await expect(table.locator('tbody td.c-service').first()).toBeHidden();
  await page.reload();
  await expect(table.getByRole('columnheader', { name: /Duration/ })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Service' })).toBeHidden();
});

// The renderer in a real Chromium against `tracedeck serve`: a trace exported after the page
// opened appears in the list without reload, and clicking it shows its span tree and detail.
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

test('a trace exported after the page opened appears live, and opens into its span tree', async ({ page }) => {
  await page.goto(app.uiUrl);
  const list = page.getByRole('table', { name: 'Traces' });
  await expect(list).toBeVisible();
  await expect(list.getByText('GET /live-checkout')).toHaveCount(0);

  const sent = await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /live-checkout', serviceName: 'storefront' });

  const row = list.getByRole('row').filter({ hasText: 'GET /live-checkout' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('storefront');
  await row.click();

  const tree = page.getByRole('tree', { name: 'Span tree' });
  await expect(tree).toBeVisible();
  const items = tree.getByRole('treeitem');
  await expect(items).toHaveCount(2);
  const root = items.filter({ hasText: 'GET /live-checkout' });
  const child = items.filter({ hasText: 'SELECT orders' });
  await expect(root).toHaveAttribute('aria-level', '1');
  await expect(child).toHaveAttribute('aria-level', '2');
  await expect(child).toContainText(/error/i);

  await child.click();
  const detail = page.getByRole('region', { name: 'Span detail' });
  await expect(detail).toContainText('SELECT orders');
  await expect(detail).toContainText('db.system');
  await expect(detail).toContainText('deadlock detected');
  await expect(detail).toContainText(sent[1]!.spanId);
});

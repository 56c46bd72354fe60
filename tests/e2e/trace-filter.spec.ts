// Filtering the trace list in a real Chromium against `tracedeck serve`: the "Filter traces"
// field, the URL keeping the filter across a reload and Back, errors for what was not
// understood, and a saved named filter.
import { expect, test } from '@playwright/test';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { ServeApp } from './serve-app';

let app: ServeApp;

test.beforeAll(async () => {
  app = await ServeApp.start();
  const exporter = (): ReturnType<typeof makeExporter> => makeExporter('proto', app.otlpHttpUrl);
  await sendSampleTrace(exporter(), { rootName: 'GET /filter-alpha', serviceName: 'storefront' });
  await sendSampleTrace(exporter(), { rootName: 'GET /filter-beta', serviceName: 'billing' });
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('the trace list filters by service, free text and attributes, and keeps the filter in the URL', async ({ page }) => {
  await page.goto(app.uiUrl);
  const list = page.getByRole('table', { name: 'Traces' });
  const rows = list.locator('tbody tr');
  await expect(rows).toHaveCount(2);

  const field = page.getByRole('searchbox', { name: 'Filter traces' });
  await field.fill('service:billing');
  await field.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /filter-beta');
  await expect(page).toHaveURL(/[?&]q=service%3Abilling/);

  // Free text reaches attribute values and names; an attribute condition on the error child.
  await field.fill('alpha db.system=duckdb');
  await field.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /filter-alpha');

  // The URL brings the filter back after a reload; Back returns to the previous filter.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Filter traces' })).toHaveValue('alpha db.system=duckdb');
  await expect(rows).toHaveCount(1);
  await page.goBack();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /filter-beta');

  // What is not understood is said; nothing matches a value nobody sent.
  await field.fill('status:nope http.response.status_code=404');
  await field.press('Enter');
  await expect(page.getByText(/Not understood.*status/)).toBeVisible();
  await expect(page.getByText('No traces match this filter.')).toBeVisible();

  // Save a filter by name, clear, and bring it back from the saved list.
  await field.fill('service:storefront');
  await field.press('Enter');
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Save filter…' }).click();
  await page.getByRole('textbox', { name: 'Filter name' }).fill('Storefront only');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(rows).toHaveCount(2);
  await page.getByRole('combobox', { name: 'Saved filters' }).selectOption('Storefront only');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /filter-alpha');
  await expect(field).toHaveValue('service:storefront');
});

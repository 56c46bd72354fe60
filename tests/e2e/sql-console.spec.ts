// The SQL console in a real Chromium against `tracedeck serve`: results as a table, the row
// limit, history, and every kind of write refused inline with nothing changed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { ServeApp } from './serve-app';

let app: ServeApp;

test.beforeAll(async () => {
  app = await ServeApp.start();
  await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /sql-one', serviceName: 'storefront' });
  await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'GET /sql-two', serviceName: 'storefront' });
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('runs read-only SQL into a table, honours the row limit and keeps a history', async ({ page }) => {
  await page.goto(app.uiUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'SQL' }).click();
  const sql = page.getByRole('textbox', { name: 'SQL' });
  await sql.fill("SELECT root_name, span_count FROM traces WHERE service_name = 'storefront' ORDER BY root_name");
  await page.getByRole('button', { name: 'Run' }).click();
  const results = page.getByRole('table', { name: 'Results' });
  await expect(results.getByRole('columnheader')).toHaveText(['root_name', 'span_count']);
  await expect(results.locator('tbody tr')).toHaveCount(2);
  await expect(results.locator('tbody tr').first()).toHaveText(/GET \/sql-one\s*2/);

  await page.getByRole('spinbutton', { name: 'Row limit' }).fill('1');
  await sql.fill('SELECT name FROM spans ORDER BY name');
  await sql.press('Control+Enter');
  await expect(results.locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'limit reached' })).toBeVisible();

  await page.getByRole('combobox', { name: 'History' }).selectOption({ index: 2 });
  await expect(sql).toHaveValue(/SELECT root_name, span_count FROM traces/);
});

test('refuses anything that writes or reads files, inline, and changes nothing', async ({ page }) => {
  const outDir = mkdtempSync(join(tmpdir(), 'tracedeck-sql-e2e-'));
  const outFile = join(outDir, 'leak.csv');
  try {
    await page.goto(`${app.uiUrl}#/sql`);
    const sql = page.getByRole('textbox', { name: 'SQL' });
    const run = page.getByRole('button', { name: 'Run' });
    const alert = page.getByRole('alert');
    const writes = [
      'DELETE FROM spans',
      "INSERT INTO span_data (trace_id) VALUES ('x')",
      'DROP VIEW traces',
      `COPY (SELECT * FROM spans) TO '${outFile}'`,
      "ATTACH 'other.duckdb' AS other",
      "PRAGMA enable_profiling",
      "SELECT * FROM read_text('/etc/passwd')",
      'UPDATE span_data SET name = 1',
    ];
    for (const statement of writes) {
      await sql.fill(statement);
      await run.click();
      await expect(alert, statement).toBeVisible();
      await expect(page.getByRole('table', { name: 'Results' })).toHaveCount(0);
    }
    expect(existsSync(outFile)).toBe(false);
    await sql.fill('SELECT count(*) AS n FROM spans');
    await run.click();
    await expect(page.getByRole('table', { name: 'Results' }).locator('tbody td')).toHaveText('4');
    await expect(alert).toHaveCount(0);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

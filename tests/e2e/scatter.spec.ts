// The scatter plot above the trace list in a real Chromium: a dot per trace (errors marked),
// a click opens the trace, a drag sets a custom time range that filters the list.
import { expect, test } from '@playwright/test';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { ServeApp } from './serve-app';

let app: ServeApp;
const T0 = 1_795_392_000_000_000_000n;

test.beforeAll(async () => {
  app = await ServeApp.start();
  for (let i = 0; i < 3; i++) {
    await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: `GET /dot-${i}`, startNs: T0 + BigInt(i) * 60_000_000_000n });
  }
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('dots open traces, and brushing the plot sets the time range', async ({ page }) => {
  await page.goto(app.uiUrl);
  const plot = page.getByRole('group', { name: /Traces by start time and duration/ });
  const dots = plot.locator('circle');
  await expect(dots).toHaveCount(3);
  await expect(plot.locator('circle.dot-error')).toHaveCount(3); // the sample trace has an error child

  // Brush the right half: only the last trace (at +2 min) is in it.
  const area = plot.locator('rect.scatter-area');
  const box = (await area.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(page).toHaveURL(/range=custom/);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('GET /dot-2');
  await expect(page.getByRole('combobox', { name: 'Time range' })).toHaveValue('custom');

  // Back to all time, then click a dot: its trace opens.
  await page.getByRole('combobox', { name: 'Time range' }).selectOption('all');
  await expect(dots).toHaveCount(3);
  const id = await dots.first().getAttribute('data-trace-id');
  await dots.first().click();
  await expect(page.getByRole('tree', { name: 'Span tree' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/trace/${id}`));
});

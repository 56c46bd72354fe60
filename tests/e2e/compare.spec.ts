// Comparing two traces in a real Chromium against `tracedeck serve`: pick two rows, Compare,
// and see the merged tree with matched spans' deltas, an added and a missing span.
import { expect, test } from '@playwright/test';
import { ServeApp } from './serve-app';

let app: ServeApp;
const T0 = 1_795_392_000_000_000_000n;

/** One trace as OTLP/JSON: [name, parent index or -1, start ms, end ms] per span. */
async function postTrace(traceId: string, spans: [string, number, number, number][]): Promise<void> {
  const id = (i: number): string => (traceId.slice(0, 8) + i.toString(16).padStart(8, '0')).padStart(16, '0');
  const ns = (ms: number): string => (T0 + BigInt(ms) * 1_000_000n).toString();
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'compare-svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'e2e' },
            spans: spans.map(([name, parent, start, end], i) => ({
              traceId,
              spanId: id(i + 1),
              ...(parent >= 0 ? { parentSpanId: id(parent + 1) } : {}),
              name,
              kind: 1,
              startTimeUnixNano: ns(start),
              endTimeUnixNano: ns(end),
            })),
          },
        ],
      },
    ],
  };
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

test.beforeAll(async () => {
  app = await ServeApp.start();
  await postTrace('a1'.repeat(16), [
    ['POST /order', -1, 0, 100],
    ['validate', 0, 1, 11],
    ['charge card', 0, 20, 60],
  ]);
  await postTrace('b2'.repeat(16), [
    ['POST /order', -1, 1000, 1250],
    ['validate', 0, 1001, 1006],
    ['call fraud model', 0, 1010, 1200],
  ]);
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

test('two picked traces compare as one tree with deltas, added and missing spans', async ({ page }) => {
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // Oldest first as A: the list is newest first.
  await rows.nth(1).getByRole('checkbox', { name: 'Select for comparison' }).check();
  await rows.nth(0).getByRole('checkbox', { name: 'Select for comparison' }).check();
  await page.getByRole('link', { name: 'Compare 2 traces' }).click();

  await expect(page).toHaveURL(new RegExp(`#/compare/${'a1'.repeat(16)}/${'b2'.repeat(16)}$`));
  const table = page.getByRole('table', { name: 'Comparison' });
  const body = table.locator('tbody tr');
  await expect(body).toHaveCount(4);
  await expect(body.nth(0)).toContainText('POST /order');
  await expect(body.nth(0)).toContainText('+150');
  await expect(body.nth(1)).toContainText('validate');
  await expect(body.nth(1)).toContainText('−5');
  await expect(body.filter({ hasText: 'charge card' })).toContainText('missing in B');
  await expect(body.filter({ hasText: 'call fraud model' })).toContainText('added in B');
  await expect(page.getByRole('status').filter({ hasText: 'matched' })).toHaveText(/2 matched · 1 added · 1 missing/);
});

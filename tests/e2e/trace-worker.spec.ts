// Where a trace is laid out (renderer/src/state/trace-loader.ts), in Chromium against `tracedeck
// serve`: a large trace through the Web Worker (which fetches it itself), a small one on the main
// thread, and the fallbacks: the desktop app's path (page fetches, worker builds), the main thread
// forced by the test-only setting, and the worker's script failing to load. The trace view says
// which path built the open trace in data-built-by; the views must be right whichever it was.
import { expect, test, type Page } from '@playwright/test';
import { sendGeneratedTrace, spanIdFor } from '../helpers/generated-trace';
import { ServeApp } from './serve-app';

let app: ServeApp;
const LARGE = 'b7'.repeat(16);
const LARGE_SPANS = 20_000;
const SMALL = 'c7'.repeat(16);
const SMALL_SPANS = 300;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await ServeApp.start();
  await sendGeneratedTrace(app.otlpHttpUrl, LARGE, 'agent', LARGE_SPANS);
  await sendGeneratedTrace(app.otlpHttpUrl, SMALL, 'agent', SMALL_SPANS);
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

/** Counts the trace-layout workers the page starts. */
function countWorkers(page: Page): { started: number } {
  const seen = { started: 0 };
  page.on('worker', (worker) => {
    if (worker.url().includes('trace-layout')) seen.started++;
  });
  return seen;
}

async function useBuildSetting(page: Page, value: string): Promise<void> {
  await page.addInitScript((v) => localStorage.setItem('tracedeck.traceBuild', v), value);
}

/** Opens a trace from the list (so its span count is known), or by URL with a span selected. */
async function openFromList(page: Page, rootName: string) {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(app.uiUrl);
  await page.getByRole('table', { name: 'Traces' }).getByRole('row', { name: new RegExp(rootName.replace(/[()]/g, '\\$&')) }).click();
  const view = page.getByRole('region', { name: 'Trace' });
  const tree = page.getByRole('tree', { name: 'Span tree' });
  await expect(tree.getByRole('treeitem').first()).toBeVisible({ timeout: 30_000 });
  return { view, tree, detail: page.getByRole('region', { name: 'Span detail' }), flame: page.getByRole('region', { name: 'Flame graph' }) };
}

const largeRoot = `agent run (agent, ${LARGE_SPANS} spans)`;

/** The views of the large trace are complete and selection moves across them. */
async function expectLargeTraceViews(page: Page, views: Awaited<ReturnType<typeof openFromList>>): Promise<void> {
  const { tree, detail, flame } = views;
  await expect(page.getByText(`${LARGE_SPANS.toLocaleString('en')} of ${LARGE_SPANS.toLocaleString('en')} spans shown`)).toBeVisible();
  const selected = tree.locator('[role=treeitem][aria-selected=true]');
  await expect(selected).toContainText(largeRoot);
  await expect(selected).toHaveAttribute('aria-setsize', '1');
  // The root's children (spans 1–4) come next, with their positions among siblings.
  await expect(tree.locator('[role=treeitem][data-row="1"]')).toHaveAttribute('data-span-id', spanIdFor(1));
  await expect(tree.locator('[role=treeitem][data-row="1"]')).toHaveAttribute('aria-posinset', '1');
  await expect(tree.locator('[role=treeitem][data-row="1"]')).toHaveAttribute('aria-setsize', '4');
  expect(Number(await flame.getByRole('img').getAttribute('data-frames-drawn'))).toBeGreaterThan(10);

  // Tree → detail → waterfall; then the keyboard to the last row.
  await tree.locator('[role=treeitem][data-row="2"]').click();
  const picked = (await selected.getAttribute('data-span-id'))!;
  await expect(detail).toContainText(picked);
  await expect(page.getByRole('group', { name: 'Waterfall' }).locator('.wf-row.selected')).toHaveAttribute('data-row', '2');
  await expect(page).toHaveURL(new RegExp(`/span/${picked}$`));
  await selected.focus();
  await page.keyboard.press('End');
  await expect(selected).toHaveAttribute('data-row', String(LARGE_SPANS - 1));
  await page.keyboard.press('p'); // to the parent, found through the id index
  await expect(detail).toContainText((await selected.getAttribute('data-span-id'))!);
  await expect(selected).not.toHaveAttribute('data-row', String(LARGE_SPANS - 1));
}

test('a large trace is laid out in the worker, which fetches it; the views are complete and in step', async ({ page }) => {
  const workers = countWorkers(page);
  const fetches: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/getTraceColumns')) fetches.push(request.url());
  });
  const views = await openFromList(page, largeRoot);
  await expect(views.view).toHaveAttribute('data-built-by', 'worker-fetch');
  expect(workers.started).toBe(1); // started (prewarmed) by the trace list, one for the page
  // One fetch, the worker's (Chromium reports a dedicated worker's requests with the page's): the
  // page did not fetch the trace a second time.
  expect(fetches).toHaveLength(1);
  await expectLargeTraceViews(page, views);
});

test('a small trace stays on the main thread', async ({ page }) => {
  const { view, tree } = await openFromList(page, `agent run (agent, ${SMALL_SPANS} spans)`);
  await expect(view).toHaveAttribute('data-built-by', 'main');
  await expect(page.getByText(`${SMALL_SPANS} of ${SMALL_SPANS} spans shown`)).toBeVisible();
  await expect(tree.locator('[role=treeitem][aria-selected=true]')).toContainText('agent run');
});

test("the desktop app's path: the page fetches, the worker lays out the posted columns", async ({ page }) => {
  await useBuildSetting(page, 'worker-build');
  const workers = countWorkers(page);
  const views = await openFromList(page, largeRoot);
  await expect(views.view).toHaveAttribute('data-built-by', 'worker-build');
  expect(workers.started).toBe(1);
  await expectLargeTraceViews(page, views);
});

test('fallback: the main thread when told to (test setting), and when the worker script does not load', async ({ page }) => {
  await useBuildSetting(page, 'main');
  const workers = countWorkers(page);
  const views = await openFromList(page, largeRoot);
  expect(workers.started).toBe(0);
  await expect(views.view).toHaveAttribute('data-built-by', 'main');
  await expectLargeTraceViews(page, views);

  // A second page whose worker script is refused (as file:// rules or a CSP would).
  const other = await page.context().newPage();
  await other.addInitScript(() => localStorage.removeItem('tracedeck.traceBuild'));
  await other.route(/trace-layout\.worker[^/]*\.js/, (route) => route.fulfill({ status: 404, body: 'not here' }));
  const broken = await openFromList(other, largeRoot);
  await expect(broken.view).toHaveAttribute('data-built-by', 'main');
  await expectLargeTraceViews(other, broken);
  await other.close();
});

test('opening another trace while the worker lays out the first shows only the second', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(app.uiUrl);
  await page.getByRole('table', { name: 'Traces' }).getByRole('row').nth(1).waitFor();
  // Straight from one to the other, before the first can have arrived.
  // (Source text: this file is type-checked as Node code, without DOM types.)
  await page.evaluate(`window.location.hash = '#/trace/${LARGE}'; setTimeout(() => (window.location.hash = '#/trace/${SMALL}'), 0);`);
  const tree = page.getByRole('tree', { name: 'Span tree' });
  await expect(page.getByText(`${SMALL_SPANS} of ${SMALL_SPANS} spans shown`)).toBeVisible({ timeout: 30_000 });
  // Long enough for the large trace's layout to have come back had it not been dropped.
  await page.waitForTimeout(1_500);
  await expect(page.getByText(`${SMALL_SPANS} of ${SMALL_SPANS} spans shown`)).toBeVisible();
  await expect(tree.locator('[role=treeitem][aria-selected=true]')).toContainText(`agent run (agent, ${SMALL_SPANS} spans)`);
  await expect(page).toHaveURL(new RegExp(`#/trace/${SMALL}`));
});

// The trace views in Chromium against `tracedeck serve`: keyboard navigation of the virtualised
// span tree, selection kept in step across tree, waterfall, flame graph and detail, flame graph
// zoom and search, and traces that are 10,000 levels deep or 100,000 spans wide.
import { expect, test, type Page } from '@playwright/test';
import { generateSpans, sendGeneratedTrace } from '../helpers/generated-trace';
import { ServeApp } from './serve-app';

let app: ServeApp;
const AGENT = 'a1'.repeat(16);
const DEEP = 'd1'.repeat(16);
const WIDE = 'f1'.repeat(16);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await ServeApp.start();
  await sendGeneratedTrace(app.otlpHttpUrl, AGENT, 'agent', 400);
  await sendGeneratedTrace(app.otlpHttpUrl, DEEP, 'deep', 10_001);
  await sendGeneratedTrace(app.otlpHttpUrl, WIDE, 'wide', 100_000);
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

async function openTrace(page: Page, traceId: string) {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${app.uiUrl}#/trace/${traceId}`);
  const tree = page.getByRole('tree', { name: 'Span tree' });
  await expect(tree.getByRole('treeitem').first()).toBeVisible({ timeout: 30_000 });
  return { tree, detail: page.getByRole('region', { name: 'Span detail' }), flame: page.getByRole('region', { name: 'Flame graph' }) };
}

test('keyboard: arrows, collapse, jump to parent, Home/End, collapse and expand all', async ({ page }) => {
  const { tree, detail } = await openTrace(page, AGENT);
  const selected = tree.locator('[role=treeitem][aria-selected=true]');
  await expect(selected).toContainText('agent run');
  await selected.focus();

  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('aria-level', '2');
  const child = await selected.getAttribute('data-span-id');
  await expect(detail).toContainText(child!);

  await page.keyboard.press('ArrowLeft'); // collapse the child
  await expect(selected).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight'); // expand it again
  await expect(selected).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('aria-level', '3');
  await page.keyboard.press('p'); // jump to the parent
  await expect(selected).toHaveAttribute('data-span-id', child!);

  await page.keyboard.press('End');
  await expect(selected).toHaveAttribute('data-row', '399');
  await page.keyboard.press('Home');
  await expect(selected).toContainText('agent run');

  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(tree.getByRole('treeitem')).toHaveCount(1);
  await expect(page.getByText('1 of 400 spans shown')).toBeVisible();
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(page.getByText('400 of 400 spans shown')).toBeVisible();
  // Virtualised: only the rows in view (plus a few) are in the DOM.
  expect(await tree.getByRole('treeitem').count()).toBeLessThan(80);
});

test('mouse: the twisty folds without selecting, a double-click folds, a click selects', async ({ page }) => {
  const { tree, detail } = await openTrace(page, AGENT);
  const selected = tree.locator('[role=treeitem][aria-selected=true]');
  await expect(selected).toContainText('agent run');
  const second = tree.locator('[role=treeitem][data-row="1"]');
  await expect(second).toHaveAttribute('aria-expanded', 'true');
  const secondId = (await second.getAttribute('data-span-id'))!;

  await second.locator('.twisty').click();
  await expect(second).toHaveAttribute('aria-expanded', 'false');
  await expect(selected).toContainText('agent run'); // the twisty did not select
  await second.locator('.twisty').click();
  await expect(second).toHaveAttribute('aria-expanded', 'true');

  await second.locator('.span-name').dblclick(); // selects (first click), then folds
  await expect(second).toHaveAttribute('aria-expanded', 'false');
  await expect(selected).toHaveAttribute('data-span-id', secondId);
  await expect(detail).toContainText(secondId);

  // A click on a waterfall row selects its span in the tree too.
  await page.getByRole('group', { name: 'Waterfall' }).locator('.wf-row[data-row="0"]').click();
  await expect(selected).toContainText('agent run');
});

test('selection stays in step across tree, waterfall, flame graph, detail and history', async ({ page }) => {
  const { tree, detail, flame } = await openTrace(page, AGENT);
  const selected = tree.locator('[role=treeitem][aria-selected=true]');

  // Waterfall → tree + detail.
  const waterfall = page.getByRole('group', { name: 'Waterfall' });
  await waterfall.locator('[data-row="2"]').click();
  await expect(selected).toHaveAttribute('data-row', '2');
  const fromWaterfall = (await selected.getAttribute('data-span-id'))!;
  await expect(detail).toContainText(fromWaterfall);
  await expect(waterfall.locator('.wf-row.selected')).toHaveAttribute('data-row', '2');
  // Span events are markers on their bars, selected or not (the root has one, at its middle).
  await expect(waterfall.locator('[data-row="0"] .wf-event')).toHaveCount(1);
  await expect(waterfall.locator('[data-row="0"] .wf-event')).toHaveAttribute('title', 'Span event at 15.0 s');

  // Flame graph → tree + detail, and it zooms to the frame.
  const canvas = flame.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * 0.6, y: 18 + 9 } }); // depth 1
  await expect(flame.getByRole('navigation', { name: 'Flame graph zoom' }).getByRole('button')).toHaveCount(3);
  const fromFlame = (await selected.getAttribute('data-span-id'))!;
  expect(fromFlame).not.toBe(fromWaterfall);
  await expect(selected).toHaveAttribute('aria-level', '2');
  await expect(detail).toContainText(fromFlame);
  await expect(page).toHaveURL(new RegExp(`/span/${fromFlame}$`));

  // Back/forward between selections.
  await page.getByRole('button', { name: 'Previous selected span' }).click();
  await expect(selected).toHaveAttribute('data-span-id', fromWaterfall);
  await page.keyboard.press('Alt+ArrowRight');
  await expect(selected).toHaveAttribute('data-span-id', fromFlame);
});

test('flame graph: click zooms, breadcrumb and Escape zoom out, search highlights, hover tells', async ({ page }) => {
  const { flame } = await openTrace(page, AGENT);
  const crumbs = flame.getByRole('navigation', { name: 'Flame graph zoom' }).getByRole('button');
  const zoom = flame.locator('.flame-zoom');
  const canvas = flame.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await expect(zoom).toHaveAttribute('data-zoom', '1.000');

  await canvas.click({ position: { x: box.width * 0.3, y: 18 * 2 + 9 } }); // depth 2
  await expect(crumbs).toHaveCount(4);
  const zoomed = Number(await zoom.getAttribute('data-zoom'));
  expect(zoomed).toBeGreaterThan(10);
  await flame.getByRole('img').press('Escape'); // to the parent
  await expect(crumbs).toHaveCount(3);
  expect(Number(await zoom.getAttribute('data-zoom'))).toBeLessThan(zoomed);
  await crumbs.first().click(); // whole trace
  await expect(crumbs).toHaveCount(1);
  await expect(zoom).toHaveAttribute('data-zoom', '1.000');

  const retrievals = generateSpans('agent', 400).filter((s) => s.name.includes('retrieve')).length;
  await flame.getByRole('searchbox', { name: 'Search the flame graph' }).fill('RETRIEVE');
  await expect(flame.getByRole('status')).toHaveText(`${retrievals} matches`);

  await canvas.hover({ position: { x: 5, y: 9 } });
  await expect(flame.getByRole('tooltip')).toContainText('agent run');
  await expect(flame.getByRole('tooltip')).toContainText('self');
});

test('a 10,000-level trace: End reaches the deepest span', async ({ page }) => {
  const { tree, detail } = await openTrace(page, DEEP);
  const selected = tree.locator('[role=treeitem][aria-selected=true]');
  await selected.focus();
  await page.keyboard.press('End');
  await expect(selected).toHaveAttribute('aria-level', '10001');
  await expect(detail).toContainText('0000000000002711'); // span 10,001
  await expect(page.getByRole('region', { name: 'Flame graph' }).getByRole('img')).toHaveAttribute('aria-label', /10,001 levels; depths 9,9\d\d–10,001 shown/);
});

test('a 100,000-span trace opens, scrolls and stays virtualised', async ({ page }) => {
  const started = Date.now();
  const { tree, flame } = await openTrace(page, WIDE);
  console.log(`100,000-span trace open in ${Date.now() - started} ms (page load, getTraceColumns, first paint)`);
  await expect(page.getByText('100,000 of 100,000 spans shown')).toBeVisible();
  expect(await tree.getByRole('treeitem').count()).toBeLessThan(100);
  const drawn = Number(await flame.getByRole('img').getAttribute('data-frames-drawn'));
  expect(drawn).toBeGreaterThan(100);
  expect(drawn).toBeLessThan(3_000); // culled to about one frame per pixel

  const selected = tree.locator('[role=treeitem][aria-selected=true]');
  await selected.focus();
  await page.keyboard.press('End');
  await expect(selected).toHaveAttribute('aria-posinset', '99999');
  await expect(selected).toHaveAttribute('aria-setsize', '99999');
  await page.keyboard.press('PageUp');
  await expect(selected).toHaveAttribute('aria-posinset', /^999\d\d$/);
});

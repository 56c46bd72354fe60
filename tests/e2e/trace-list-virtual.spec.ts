// The virtualised trace list in a real Chromium against `tracedeck serve` holding 3,000 traces:
// the scrollbar spans them all, scrolling to the end shows the oldest, only a bounded number of
// rows is ever in the DOM, pages come from the store a few hundred rows at a time (placeholders
// while they load), the keyboard reaches any row, and column widths are dragged and remembered.
import { expect, test, type Page, type Request } from '@playwright/test';
import { ServeApp } from './serve-app';

let app: ServeApp;
const TRACES = 3_000;
const T0 = 1_795_392_000_000_000_000n;
/** Rows in the DOM at most: a 720 px window shows ~20, plus 8 overscan either side. */
const MAX_ROWS_IN_DOM = 60;

const nameOf = (i: number): string => `GET /virtual-${String(i).padStart(4, '0')}`;

/** Trace i: one root span starting i seconds after T0, so the list (newest first) ends with trace 0. */
function span(i: number) {
  const start = T0 + BigInt(i) * 1_000_000_000n;
  return {
    traceId: `c0${(i + 1).toString(16).padStart(30, '0')}`,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: nameOf(i),
    kind: 2,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(1 + (i % 97)) * 1_000_000n).toString(),
  };
}

test.beforeAll(async () => {
  app = await ServeApp.start();
  for (let from = 0; from < TRACES; from += 1_000) {
    const spans = Array.from({ length: 1_000 }, (_, k) => span(from + k));
    const body = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'virtual' } }] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] }] };
    const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  }
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

/** The listTraces calls the page makes: [offset, limit] each. */
function recordPageRequests(page: Page): [number, number][] {
  const pages: [number, number][] = [];
  page.on('request', (request: Request) => {
    if (!request.url().endsWith('/api/listTraces')) return;
    const [query] = JSON.parse(request.postData() ?? '[]') as [{ offset?: number; limit?: number }];
    pages.push([query.offset ?? 0, query.limit ?? 100]);
  });
  return pages;
}

const scrollTo = (page: Page, where: 'end' | number): Promise<void> =>
  page.locator('.trace-table-scroll').evaluate((el, to) => {
    el.scrollTop = to === 'end' ? el.scrollHeight : to;
  }, where);

test('scrolling to the end shows the oldest trace with a bounded number of rows in the DOM', async ({ page }) => {
  const requests = recordPageRequests(page);
  await page.goto(app.uiUrl);
  const table = page.getByRole('table', { name: 'Traces' });
  const rows = table.locator('tbody tr');
  await expect(table).toHaveAttribute('aria-rowcount', String(TRACES + 1)); // the header is row 1
  await expect(rows.first()).toContainText(nameOf(TRACES - 1));
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '2');
  expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);

  // The scroll space is the whole list: 3,000 rows of 26 px.
  const height = await page.locator('.trace-table-scroll tbody').evaluate((el) => el.getBoundingClientRect().height);
  expect(height).toBe(TRACES * 26);

  await scrollTo(page, 'end');
  const oldest = rows.filter({ hasText: nameOf(0) });
  await expect(oldest).toBeInViewport();
  await expect(oldest).toHaveAttribute('aria-rowindex', String(TRACES + 1));
  expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);

  // The middle: row k (aria-rowindex k + 2) is trace TRACES - 1 - k.
  await scrollTo(page, 1_500 * 26);
  const middle = rows.filter({ hasText: nameOf(TRACES - 1 - 1_500) });
  await expect(middle).toBeInViewport();
  await expect(middle).toHaveAttribute('aria-rowindex', String(1_500 + 2));
  expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
  await expect(table.locator('tbody tr.placeholder')).toHaveCount(0);

  // Never the whole list: pages of at most 1,000 rows, only those scrolled to (3,000 rows would
  // be 15 pages of 200; the top, the end and the middle need 4 or 5).
  expect(requests.every(([, limit]) => limit <= 1_000)).toBe(true);
  expect(new Set(requests.map(([offset]) => offset)).size).toBeLessThanOrEqual(6);
  expect(requests.map(([offset]) => offset)).toContain(2_800);
});

test('rows whose page is loading show as placeholders, then fill in', async ({ page }) => {
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows.first()).toContainText(nameOf(TRACES - 1));
  // Hold the store's answers back (the real server answers; only later).
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/listTraces', async (route) => {
    await held;
    await route.continue();
  });
  await scrollTo(page, 2_000 * 26);
  const placeholders = page.locator('tbody tr.placeholder');
  await expect(placeholders.first()).toBeVisible();
  await expect(placeholders.first()).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(placeholders).toHaveCount(0);
  await expect(rows.filter({ hasText: nameOf(TRACES - 1 - 2_000) })).toBeInViewport();
});

test('the keyboard reaches any row; Enter opens it, and Escape comes back to it', async ({ page }) => {
  await page.goto(app.uiUrl);
  const rows = page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
  await expect(rows.first()).toContainText(nameOf(TRACES - 1));
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('tbody tr:focus')).toContainText(nameOf(TRACES - 2));
  await page.keyboard.press('End');
  const focused = page.locator('tbody tr:focus');
  await expect(focused).toContainText(nameOf(0));
  await expect(focused).toBeInViewport();
  await page.keyboard.press('ArrowUp');
  await expect(focused).toContainText(nameOf(1));
  await page.keyboard.press('PageUp');
  await expect(focused).toBeInViewport();
  await expect(focused).not.toContainText(nameOf(1));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tree', { name: 'Span tree' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(focused).toBeInViewport();
  const name = await focused.locator('td.c-name').textContent();
  expect(name).toMatch(/^GET \/virtual-00\d\d$/);
  await page.keyboard.press('Home');
  await expect(focused).toContainText(nameOf(TRACES - 1));
});

test('a header edge drags to resize its column, and the width is remembered', async ({ page }) => {
  await page.goto(app.uiUrl);
  const table = page.getByRole('table', { name: 'Traces' });
  const header = table.getByRole('columnheader', { name: /Duration/ });
  await expect(table.locator('tbody tr').first()).toContainText(nameOf(TRACES - 1));
  const before = (await header.boundingBox())!.width;
  const handle = header.locator('.col-resize');
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBe(Math.round(before + 80));
  // The cells follow their header, and the sort did not change by the drag.
  const cell = table.locator('tbody tr').first().locator('td.c-duration');
  expect(Math.round((await cell.boundingBox())!.width)).toBe(Math.round(before + 80));
  await expect(header).toHaveAttribute('aria-sort', 'none');

  await page.reload();
  await expect(table.locator('tbody tr').first()).toContainText(nameOf(TRACES - 1));
  expect(Math.round((await header.boundingBox())!.width)).toBe(Math.round(before + 80));
  // Double-click puts the default back.
  await header.locator('.col-resize').dblclick();
  await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBe(Math.round(before));
});

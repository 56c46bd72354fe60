// The views across traces in Chromium against `tracedeck serve`: the aggregated flame graph of
// the filtered traces (frames, hover figures, zoom and Escape, the filter), and the sandwich of a
// span name, opened from a frame there and from a span of one trace.
import { expect, test, type Locator } from '@playwright/test';
import { ServeApp } from './serve-app';

let app: ServeApp;
const T0 = 1_795_392_000_000_000_000n;
const AGENT_TRACES = 20;
const BATCH_TRACES = 5;
const traceIdOf = (i: number): string => (i + 1).toString(16).padStart(32, 'a');
const spanIdOf = (trace: number, i: number): string => `${(trace + 1).toString(16).padStart(8, '0')}${(i + 1).toString(16).padStart(8, '0')}`;

/** One trace as OTLP/JSON: [name, parent index or -1, start ms, end ms] per span, `at` ms after T0. */
function traceJson(trace: number, at: number, service: string, spans: [string, number, number, number][]) {
  const ns = (ms: number): string => (T0 + BigInt(at + ms) * 1_000_000n).toString();
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        scope: { name: 'e2e' },
        spans: spans.map(([name, parent, start, end], i) => ({
          traceId: traceIdOf(trace),
          spanId: spanIdOf(trace, i),
          ...(parent >= 0 ? { parentSpanId: spanIdOf(trace, parent) } : {}),
          name,
          kind: 1,
          startTimeUnixNano: ns(start),
          endTimeUnixNano: ns(end),
        })),
      },
    ],
  };
}

/**
 * 20 agent traces: agent run 0–200 ms → plan 0–20, llm call 20–80, tool 80–180 (→ llm call 100–140);
 * 5 batch traces (service batch-svc): nightly batch 0–50 → llm call 0–10.
 */
test.beforeAll(async () => {
  app = await ServeApp.start();
  const resourceSpans = [];
  for (let i = 0; i < AGENT_TRACES; i++) {
    resourceSpans.push(
      traceJson(i, i * 1000, 'agent-svc', [
        ['agent run', -1, 0, 200],
        ['plan', 0, 0, 20],
        ['llm call', 0, 20, 80],
        ['tool', 0, 80, 180],
        ['llm call', 3, 100, 140],
      ]),
    );
  }
  for (let i = AGENT_TRACES; i < AGENT_TRACES + BATCH_TRACES; i++) {
    resourceSpans.push(traceJson(i, i * 1000, 'batch-svc', [['nightly batch', -1, 0, 50], ['llm call', 0, 0, 10]]));
  }
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans }) });
  expect(response.status).toBe(200);
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

/** Clicks (or hovers) `fraction` of the way across row `row` of a flame graph's canvas. */
async function at(canvas: Locator, fraction: number, row: number, action: 'click' | 'hover' = 'click'): Promise<void> {
  const box = (await canvas.boundingBox())!;
  await canvas[action]({ position: { x: box.width * fraction, y: row * 18 + 9 } });
}

/** The same, counting rows from the bottom of a bottom-aligned (inverted) graph: 0 is the last row. */
async function atFromBottom(canvas: Locator, fraction: number, row: number, action: 'click' | 'hover' = 'click'): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const rowsShown = Math.floor(box.height / 18);
  await canvas[action]({ position: { x: box.width * fraction, y: (rowsShown - 1 - row) * 18 + 9 } });
}

test('the aggregated flame graph merges the filtered traces, tells each frame’s figures and zooms', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(app.uiUrl);
  await expect(page.getByRole('table', { name: 'Traces' }).locator('tbody tr')).toHaveCount(AGENT_TRACES + BATCH_TRACES);
  await page.getByRole('link', { name: 'Aggregate flame graph' }).click();
  await expect(page).toHaveURL(/#\/aggregate$/);

  const flame = page.getByRole('region', { name: 'Aggregate flame graph' });
  await expect(page.getByRole('status', { name: 'Traces merged' })).toHaveText('25 traces · 110 spans · 7 frames');
  await expect(flame).toHaveAttribute('data-frame-count', '7');
  const canvas = flame.locator('canvas');
  await expect(flame.getByRole('img')).not.toHaveAttribute('data-frames-drawn', '0');

  // Merged space: agent run (20 × 200 ms = 4 s) then nightly batch (5 × 50 ms), 4.25 s wide.
  const tooltip = flame.getByRole('tooltip');
  await at(canvas, 0.3, 0, 'hover');
  await expect(tooltip).toContainText('agent run');
  await expect(tooltip).toContainText('20 spans in 20 traces');
  await expect(tooltip).toContainText('total 4.00 s · mean 200 ms · self 400 ms');
  await at(canvas, 0.97, 0, 'hover');
  await expect(tooltip).toContainText('nightly batch');
  await expect(tooltip).toContainText('total 250 ms · mean 50.0 ms · self 200 ms');

  // Depth 1 under agent run, widest first: tool (2 s), llm call (1.2 s), plan (0.4 s).
  const crumbs = flame.getByRole('navigation', { name: 'Aggregate flame graph zoom' }).getByRole('button');
  const zoom = flame.locator('.flame-zoom');
  await expect(zoom).toHaveAttribute('data-zoom', '1.000');
  await at(canvas, 0.2, 1);
  await expect(crumbs).toHaveText(['All traces', 'agent run', 'tool']);
  await expect(zoom).toHaveAttribute('data-zoom', '2.125'); // 4.25 s / 2 s
  await at(canvas, 0.2, 2, 'hover'); // tool › llm call: the first 40% of tool
  await expect(tooltip).toContainText('total 800 ms · mean 40.0 ms · self 800 ms');
  await flame.getByRole('img').press('Escape'); // out to agent run
  await expect(crumbs).toHaveText(['All traces', 'agent run']);
  await expect(zoom).toHaveAttribute('data-zoom', '1.063');
  await crumbs.first().click();
  await expect(zoom).toHaveAttribute('data-zoom', '1.000');

  // The trace list's filter applies here too.
  const field = page.getByRole('searchbox', { name: 'Filter traces' });
  await field.fill('service:batch-svc');
  await field.press('Enter');
  await expect(page.getByRole('status', { name: 'Traces merged' })).toHaveText('5 traces · 10 spans · 2 frames');
  await expect(page).toHaveURL(/[?&]q=service%3Abatch-svc.*#\/aggregate$/);

  // All 25 traces fit within the smallest trace bound, so no note says that some were left out
  // (the notes' wording is unit-tested, the bounds themselves in the store's test).
  await field.fill('');
  await field.press('Enter');
  await page.getByRole('combobox', { name: 'Traces to merge' }).selectOption('100');
  await expect(page.getByRole('status', { name: 'Traces merged' })).toHaveText('25 traces · 110 spans · 7 frames');
  await expect(page.getByRole('note')).toHaveCount(0);
});

test('a frame opens its name’s sandwich: callers above, callees below, time attributed', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${app.uiUrl}#/aggregate`);
  const flame = page.getByRole('region', { name: 'Aggregate flame graph' });
  await expect(flame).toHaveAttribute('data-frame-count', '7');
  // agent run spans 0–94% of the width; its llm call child lies at 47–75%.
  await at(flame.locator('canvas'), 0.6, 1);
  await expect(page.getByText('llm call: 1.20 s in 20 spans')).toBeVisible();
  await page.getByRole('button', { name: 'Callers and callees' }).click();
  await expect(page).toHaveURL(/#\/sandwich\/llm%20call$/);

  // 45 llm call spans: 20 under agent run (60 ms), 20 under tool (40 ms), 5 under nightly batch (10 ms).
  await expect(page.getByRole('status', { name: 'Focus spans' })).toHaveText('45 spans in 25 traces · total 2.05 s · mean 45.6 ms · self 2.05 s');
  const callers = page.getByRole('region', { name: 'Callers' });
  const callees = page.getByRole('region', { name: 'Callees' });
  await expect(callers).toHaveAttribute('data-frame-count', '5'); // llm call, agent run, tool › agent run, nightly batch
  await expect(callees).toHaveAttribute('data-frame-count', '1');
  // Callers inverted: the focus in the bottom row, its parents above it, widest first.
  const tooltip = callers.getByRole('tooltip');
  await atFromBottom(callers.locator('canvas'), 0.05, 0, 'hover');
  await expect(tooltip).toContainText('45 spans in 25 traces');
  await atFromBottom(callers.locator('canvas'), 0.05, 1, 'hover');
  await expect(tooltip).toContainText('agent run');
  await expect(tooltip).toContainText('20 llm call spans called through here, in 20 traces');
  await expect(tooltip).toContainText('total 1.20 s · mean 60.0 ms');
  await atFromBottom(callers.locator('canvas'), 0.7, 2, 'hover'); // above tool (58–98%): agent run again
  await expect(tooltip).toContainText('agent run');
  await expect(tooltip).toContainText('total 800 ms');
  // Nothing above the top caller: the rows above are blank.
  await atFromBottom(callers.locator('canvas'), 0.05, 3, 'hover');
  await expect(tooltip).toHaveCount(0);
  // Zoom into a caller and back.
  await atFromBottom(callers.locator('canvas'), 0.7, 1);
  await expect(callers.getByRole('navigation', { name: 'Callers zoom' }).getByRole('button')).toHaveText(['All callers', 'llm call', 'tool']);
  await callers.getByRole('img').press('Escape');
  await expect(callers.getByRole('navigation', { name: 'Callers zoom' }).getByRole('button')).toHaveText(['All callers', 'llm call']);
  // Re-focus on the picked caller.
  await atFromBottom(callers.locator('canvas'), 0.7, 1);
  await page.getByRole('button', { name: 'Callers and callees of tool' }).click();
  await expect(page).toHaveURL(/#\/sandwich\/tool$/);
  await expect(page.getByRole('status', { name: 'Focus spans' })).toHaveText('20 spans in 20 traces · total 2.00 s · mean 100 ms · self 1.20 s');
});

test('a span of one trace opens the sandwich of its name within that trace', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const trace = traceIdOf(3);
  await page.goto(`${app.uiUrl}#/trace/${trace}/span/${spanIdOf(3, 3)}`);
  const detail = page.getByRole('region', { name: 'Span detail' });
  await expect(detail).toContainText(spanIdOf(3, 3));
  await detail.getByRole('button', { name: 'Callers and callees of this name' }).click();
  await expect(page).toHaveURL(new RegExp(`#/sandwich/tool/in/${trace}$`));
  await expect(page.getByRole('status', { name: 'Focus spans' })).toHaveText('1 span in 1 trace · total 100 ms · mean 100 ms · self 60.0 ms');
  await expect(page.getByRole('region', { name: 'Callers' })).toHaveAttribute('data-frame-count', '2');
  await expect(page.getByRole('region', { name: 'Callees' })).toHaveAttribute('data-frame-count', '2');
  // Back returns to the trace, with the span still selected.
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(page).toHaveURL(new RegExp(`#/trace/${trace}/span/${spanIdOf(3, 3)}$`));
  await expect(page.getByRole('tree', { name: 'Span tree' })).toBeVisible();
});

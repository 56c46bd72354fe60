// `npm run bench:render`: the trace views in Chromium (Playwright) against `tracedeck serve`.
//
// For generated traces of 1,000 / 10,000 / 100,000 spans (an agent-shaped tree, a 10,000-level
// chain, 100,000 siblings) it measures, in the page:
//   open     from setting the URL to the trace until tree, waterfall and flame graph have painted
//   getTrace the same trace fetched and parsed by the page alone, one object per span (the
//            baseline: what the views needed before they could draw until they loaded columns);
//            open/getTrace is the views' own overhead measured against it
//   columns  getTraceColumns fetched and parsed alone: what the views load now (— when the build
//            under test has no such method)
// and at 100,000 spans the frame times (p50/p95/max of requestAnimationFrame intervals) while the
// span tree scrolls 240 px per frame and while the flame graph zooms (Ctrl+wheel) every frame,
// with the CPU time per frame of the page's main thread and of its whole renderer process
// (Chromium's ThreadTime/ProcessTime metrics): on a loaded box the frame times say more about the
// other processes than about the page, the CPU time much less so.
// Each open is timed twice per run, alternating: as the app does it (`worker`: traces of 5,000
// spans or more are fetched and laid out in a Web Worker, state/trace-loader.ts) and with the
// layout forced onto the main thread (`main`, the localStorage test setting; what every open did
// before the worker), each with the main thread's blocking during the open: the longest task and
// the total of tasks over 50 ms (PerformanceObserver 'longtask'), and its CPU time (ThreadTime).
// Targets (issue 5): open 10,000 spans < 500 ms, 100,000 < 2 s; p95 frame < 20 ms.
// Options: --runs N (default 3; the median is printed), --sizes 1000,10000, --modes worker,main.
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { ServeApp } from '../tests/e2e/serve-app';
import { sendGeneratedTrace, type TraceShape } from '../tests/helpers/generated-trace';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const RUNS = Number(arg('runs', '3'));
const SIZES = arg('sizes', '1000,10000,100000').split(',').map(Number);
type Mode = 'worker' | 'main';
const MODES = arg('modes', 'worker,main').split(',') as Mode[];
/** renderer/src/state/trace-loader.ts TRACE_BUILD_SETTING; absent = the app's own choice. */
const BUILD_SETTING = 'tracedeck.traceBuild';

interface Case {
  shape: TraceShape;
  spans: number;
  traceId: string;
}

const cases: Case[] = [];
for (const spans of SIZES) {
  for (const shape of ['agent', 'deep', 'wide'] as TraceShape[]) {
    if (shape === 'deep' && spans < 10_000) continue; // a 1,000-span chain says nothing new
    cases.push({ shape, spans, traceId: `${shape === 'agent' ? 'a' : shape === 'deep' ? 'd' : 'e'}${spans.toString(16)}`.padEnd(32, '0') });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// The in-page parts are JavaScript source: this file is type-checked as Node code (no DOM types).

interface Open {
  ms: number;
  /** The longest main-thread task during the open, and the sum of those over 50 ms ('longtask'). */
  longestTaskMs: number;
  longTasksMs: number;
  /** Main-thread CPU during the open (Chromium's ThreadTime). */
  mainCpuMs: number;
  builtBy: string;
}

/** Opens the trace by URL from the list; ms until all three views have painted, and the blocking. */
async function timeOpen(page: Page, cdp: CDPSession, uiUrl: string, traceId: string, mode: Mode = 'worker'): Promise<Open> {
  await page.goto(uiUrl);
  await page.getByRole('table', { name: 'Traces' }).waitFor();
  const cpuBefore = await cpuSeconds(cdp);
  const open = await page.evaluate(`(async () => {
    if ('${mode}' === 'main') localStorage.setItem('${BUILD_SETTING}', 'main');
    else localStorage.removeItem('${BUILD_SETTING}');
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
    observer.observe({ type: 'longtask' });
    const start = performance.now();
    window.location.hash = '#/trace/${traceId}';
    await new Promise((resolve, reject) => {
      const check = () => {
        const row = document.querySelector('[role=tree] [role=treeitem]');
        const bar = document.querySelector('[aria-label=Waterfall] .wf-bar');
        const flame = document.querySelector('[aria-label="Flame graph"] [data-frames-drawn]');
        if (row && bar && flame && Number(flame.dataset.framesDrawn) > 0) resolve();
        else if (performance.now() - start > 60000) reject(new Error('views did not paint in 60 s'));
        else requestAnimationFrame(check);
      };
      check();
    });
    // One more frame: what was committed is now on screen.
    await new Promise((r) => requestAnimationFrame(r));
    const ms = performance.now() - start;
    tasks.push(...observer.takeRecords());
    observer.disconnect();
    localStorage.removeItem('${BUILD_SETTING}');
    const durations = tasks.filter((t) => t.startTime >= start - 1).map((t) => t.duration);
    return {
      ms,
      longestTaskMs: Math.max(0, ...durations),
      longTasksMs: durations.reduce((a, b) => a + b, 0),
      builtBy: document.querySelector('[aria-label=Trace]')?.getAttribute('data-built-by') ?? '?',
    };
  })()`) as Omit<Open, 'mainCpuMs'>;
  const cpuAfter = await cpuSeconds(cdp);
  return { ...open, mainCpuMs: (cpuAfter.thread - cpuBefore.thread) * 1000 };
}

/** ms to fetch and parse one API answer in the page; null when the server has no such method. */
async function timeFetch(page: Page, method: 'getTrace' | 'getTraceColumns', traceId: string): Promise<number | null> {
  return page.evaluate(`(async () => {
    const start = performance.now();
    const response = await fetch('/api/${method}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(['${traceId}']) });
    if (response.status === 404) return null;
    const trace = await response.json();
    if (!(trace.spans.length ?? trace.spans.spanId.length)) throw new Error('empty trace');
    return performance.now() - start;
  })()`);
}

/** requestAnimationFrame intervals over `frames` frames, each starting with a scroll or a zoom step. */
async function frameTimes(page: Page, kind: 'scroll-tree' | 'zoom-flame', frames: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const scroller = document.querySelector('.timeline-scroll');
    const flame = document.querySelector('.flame-canvas-box');
    const box = flame.getBoundingClientRect();
    const intervals = [];
    let last = 0;
    await new Promise((resolve) => {
      let frame = 0;
      const tick = (now) => {
        if (last) intervals.push(now - last);
        last = now;
        if (frame++ >= ${frames}) return resolve();
        if ('${kind}' === 'scroll-tree') scroller.scrollTop += 240;
        else {
          // Zoom in for 2/3 of the frames, then out, around a point that moves across.
          const zoomIn = frame % 90 < 60;
          flame.dispatchEvent(new WheelEvent('wheel', { deltaY: zoomIn ? -60 : 120, ctrlKey: true, bubbles: true, cancelable: true, clientX: box.left + ((frame * 7) % box.width), clientY: box.top + 10 }));
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return intervals;
  })()`);
}

/** Chromium's cumulative CPU seconds of the page's main thread and of its renderer process. */
async function cpuSeconds(cdp: CDPSession): Promise<{ thread: number; process: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { thread: value('ThreadTime'), process: value('ProcessTime') };
}

const app = await ServeApp.start();
const browser = await chromium.launch({
  executablePath: process.env.TRACEDECK_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
});
try {
  console.log(`Chromium ${browser.version()}, ${RUNS} runs per case (median shown)\n`);
  for (const c of cases) {
    const t = performance.now();
    await sendGeneratedTrace(app.otlpHttpUrl, c.traceId, c.shape, c.spans);
    console.log(`sent ${c.shape} ${c.spans} spans in ${(performance.now() - t).toFixed(0)} ms`);
  }
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  console.log('\ncase                 mode    built by       open ms   longest task   long tasks   main CPU   getTrace ms   open/getTrace   columns ms   target');
  for (const c of cases) {
    const opens = new Map<Mode, Open[]>(MODES.map((m) => [m, []]));
    const fetches: number[] = [];
    const columnFetches: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      // Alternating, so the load of the moment weighs on both the same.
      for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) opens.get(mode)!.push(await timeOpen(page, cdp, app.uiUrl, c.traceId, mode));
      fetches.push((await timeFetch(page, 'getTrace', c.traceId))!);
      const columns = await timeFetch(page, 'getTraceColumns', c.traceId);
      if (columns !== null) columnFetches.push(columns);
    }
    const fetched = median(fetches);
    const columns = columnFetches.length > 0 ? median(columnFetches).toFixed(0) : '—';
    const target = c.spans >= 100_000 ? 2000 : c.spans >= 10_000 ? 500 : null;
    for (const mode of MODES) {
      const runs = opens.get(mode)!;
      const open = median(runs.map((o) => o.ms));
      const verdict = target === null ? '' : open < target ? `< ${target} ok` : `< ${target} MISSED`;
      const builtBy = [...new Set(runs.map((o) => o.builtBy))].join('/');
      const fig = (pick: (o: Open) => number): string => median(runs.map(pick)).toFixed(0);
      console.log(
        `${`${c.shape} ${c.spans.toLocaleString('en')}`.padEnd(20)} ${mode.padEnd(7)} ${builtBy.padEnd(12)} ${open.toFixed(0).padStart(9)} ${fig((o) => o.longestTaskMs).padStart(14)} ${fig((o) => o.longTasksMs).padStart(12)} ${fig((o) => o.mainCpuMs).padStart(10)} ${fetched.toFixed(0).padStart(13)} ${(open / fetched).toFixed(2).padStart(15)} ${columns.padStart(12)}   ${verdict}`,
      );
    }
  }

  const big = cases.filter((c) => c.spans === Math.max(...SIZES));
  console.log(`\nframe times at ${Math.max(...SIZES).toLocaleString('en')} spans (ms; target p95 < 20)`);
  console.log('case                 action        p50     p95     max   main CPU/frame   renderer CPU/frame');
  for (const c of big) {
    await timeOpen(page, cdp, app.uiUrl, c.traceId);
    for (const kind of ['scroll-tree', 'zoom-flame'] as const) {
      await frameTimes(page, kind, 20); // warm-up
      const before = await cpuSeconds(cdp);
      const intervals = await frameTimes(page, kind, 180);
      const after = await cpuSeconds(cdp);
      const perFrame = (seconds: number): string => `${((seconds * 1000) / intervals.length).toFixed(1)}`;
      console.log(
        `${`${c.shape} ${c.spans.toLocaleString('en')}`.padEnd(20)} ${kind.padEnd(12)} ${percentile(intervals, 50).toFixed(1).padStart(5)} ${percentile(intervals, 95).toFixed(1).padStart(7)} ${Math.max(...intervals).toFixed(1).padStart(7)} ${perFrame(after.thread - before.thread).padStart(16)} ${perFrame(after.process - before.process).padStart(20)}`,
      );
    }
  }
} finally {
  await browser.close();
  await app.stop();
  app.removeData();
}

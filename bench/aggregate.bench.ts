// The views across traces over a store of many agent runs: the aggregated flame graph of the
// newest 1,000 and 100 traces, the sandwich of one span name across them, and one 10,001-level and
// one 100,000-span trace aggregated alone (the depth and frame bounds at work); each through the
// Store methods the UI calls, beside the trace list's first page over the same store in the same
// run (the baseline: the aggregation starts from the same filtered traces).
// `npm run bench aggregate [-- --traces N --spans N --runs N]`; default 1,000 traces × 200 spans.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { Store } from '../electron/engine/store';
import type { SpanRow } from '../electron/engine/span-row';
import { generateSpans, type TraceShape } from '../tests/helpers/generated-trace';
import { spanRow } from '../tests/helpers/rows';

const { values } = parseArgs({ options: { traces: { type: 'string', default: '1000' }, spans: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' } } });
const TRACES = Number(values.traces);
const SPANS = Number(values.spans);
const RUNS = Number(values.runs);

const p50 = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

function rowsOf(traceId: string, shape: TraceShape, count: number, shiftNs: bigint): SpanRow[] {
  return generateSpans(shape, count).map((s) =>
    spanRow({ traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, serviceName: s.service, startNs: s.startNs + shiftNs, endNs: s.endNs + shiftNs, statusCode: s.error ? 'error' : 'unset' }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-aggregate-'));
const store = await Store.open({ path: join(dir, 'bench.duckdb') });
try {
  const started = performance.now();
  for (let i = 0; i < TRACES; i++) await store.appendSpans(rowsOf((i + 1).toString(16).padStart(32, '0'), 'agent', SPANS, BigInt(i) * 60_000_000_000n));
  const deep = 'd'.repeat(32);
  const wide = 'e'.repeat(32);
  await store.appendSpans(rowsOf(deep, 'deep', 10_001, -1_000_000_000_000n));
  await store.appendSpans(rowsOf(wide, 'wide', 100_000, -2_000_000_000_000n));
  console.log(`store: ${TRACES.toLocaleString('en-US')} agent traces × ${SPANS} spans + a 10,001-level and a 100,000-span trace, written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const time = async (work: () => Promise<unknown>): Promise<number> => {
    const samples: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const s = performance.now();
      await work();
      samples.push(performance.now() - s);
    }
    return p50(samples);
  };
  const baseline = await time(() => store.listTraces({ limit: 200 }));
  const cases: [string, () => Promise<{ frames?: unknown[]; callers?: unknown[]; callees?: unknown[] }>][] = [
    [`aggregate, newest ${Math.min(1000, TRACES + 2).toLocaleString('en-US')} traces (the deep one among them when they fit)`, () => store.getAggregateFlame({})],
    ['aggregate, newest 100 traces', () => store.getAggregateFlame({}, { maxTraces: 100 })],
    ['sandwich of "chat gpt-4o" across them', () => store.getSpanSandwich('chat gpt-4o', {})],
    ['aggregate, the 10,001-level trace (128 levels)', () => store.getAggregateFlame({}, { traceId: deep })],
    ['aggregate, the 100,000-span trace', () => store.getAggregateFlame({}, { traceId: wide })],
  ];
  console.log(`trace list first page (baseline): p50 ${baseline.toFixed(0)} ms`);
  for (const [label, work] of cases) {
    const result = await work();
    const frames = result.frames?.length ?? (result.callers?.length ?? 0) + (result.callees?.length ?? 0);
    const ms = await time(work);
    console.log(`${label}: p50 ${ms.toFixed(0)} ms (${(ms / baseline).toFixed(1)}× the list page), ${frames.toLocaleString('en-US')} frames`);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

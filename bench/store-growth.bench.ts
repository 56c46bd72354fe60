// The ingest writer's cost as the store grows: a store that has run for days holds millions of
// spans, and a write must not get dearer with every trace already stored. Writes of 2,048 spans
// (256 new traces of 8 spans, the size of a write under sustained ingest) through
// Store.appendSpans, timed into an empty store (the baseline, same run) and again after the
// store is filled to each size with single-span traces through the same path. After each size's
// writes, the CHECKPOINT that folds their WAL (~60k spans) into the file is timed too: DuckDB
// runs one inside the COMMIT that crosses the checkpoint threshold, which every write queued
// behind it waits for.
//
// Run: npm run bench -- store-growth   (options: --traces N, the largest size, default
//      1,000,000; --writes N per size, default 30)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SpanRow } from '../electron/engine/span-row';
import { Store } from '../electron/engine/store';

const { values } = parseArgs({ options: { traces: { type: 'string', default: '1000000' }, writes: { type: 'string', default: '30' } } });
const MAX_TRACES = Number(values.traces);
const WRITES = Number(values.writes);
const STEPS = [0, 0.25, 0.5, 1].map((f) => Math.round(f * MAX_TRACES));
const T0 = 1_795_392_000_000_000_000n;

let nextId = 1;
const hex = (n: number, chars: number): string => n.toString(16).padStart(chars, '0');

/** `traces` new traces of `perTrace` spans each: a root and its children, 10 attributes a span. */
function traces(count: number, perTrace: number): SpanRow[] {
  const rows: SpanRow[] = [];
  for (let t = 0; t < count; t++) {
    const traceNo = nextId++;
    const traceId = hex(traceNo, 32);
    const start = T0 + BigInt(traceNo) * 1_000_000n;
    for (let k = 0; k < perTrace; k++) {
      rows.push({
        traceId,
        spanId: hex(traceNo * 16 + k, 16),
        parentSpanId: k === 0 ? null : hex(traceNo * 16, 16),
        name: k === 0 ? 'answer_question' : 'chat gpt-4o-mini',
        kind: k === 0 ? 'internal' : 'client',
        startNs: start + BigInt(k) * 1000n,
        endNs: start + BigInt(k) * 1000n + 850_000n,
        statusCode: k === 3 ? 'error' : 'unset',
        statusMessage: '',
        serviceName: 'growth-svc',
        scopeName: 'bench',
        scopeVersion: '1.0.0',
        attributesJson: JSON.stringify({
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.id': `chatcmpl-${traceNo}-${k}`,
          'gen_ai.usage.input_tokens': 57 + k,
          'gen_ai.usage.output_tokens': 17,
          'gen_ai.request.temperature': 0.7,
          'server.address': 'api.openai.com',
          'http.status_code': 200,
          'k': k,
        }),
        resourceAttributesJson: JSON.stringify({ 'service.name': 'growth-svc', 'host.name': 'bench-host' }),
        eventsJson: '[]',
        linksJson: '[]',
        spanType: k === 0 ? null : 'llm',
        llmProvider: k === 0 ? null : 'openai',
        llmModel: k === 0 ? null : 'gpt-4o-mini',
        inputTokens: k === 0 ? null : 57 + k,
        outputTokens: k === 0 ? null : 17,
        totalTokens: k === 0 ? null : 74 + k,
        costUsd: null,
        sessionId: null,
        userId: null,
        source: 'bench',
        traceState: '',
        flags: 1,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
        resourceSchemaUrl: '',
        scopeSchemaUrl: '',
        scopeAttributesJson: '{}',
        valueTypesJson: null,
      });
    }
  }
  return rows;
}

async function timeWrites(store: Store): Promise<{ ms: number; cpuMs: number }> {
  const batches = Array.from({ length: WRITES }, () => traces(256, 8)); // built before the clock starts
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const rows of batches) await store.appendSpans(rows);
  const used = process.cpuUsage(cpu);
  return { ms: (performance.now() - started) / WRITES, cpuMs: (used.user + used.system) / 1000 / WRITES };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-growth-'));
  const store = await Store.open({ path: join(dir, 'growth.duckdb') });
  try {
    let stored = 0;
    let baseline: { ms: number; cpuMs: number; checkpointMs: number } | null = null;
    console.log(`writes of 2,048 spans (256 new traces x 8) through Store.appendSpans, ${WRITES} per size; load average ${loadavg()[0]!.toFixed(1)}`);
    for (const size of STEPS) {
      while (stored < size) {
        const n = Math.min(50_000, size - stored);
        await store.appendSpans(traces(n, 1));
        stored += n;
      }
      // The fill's own after-effects are not timed: the attribute rows its writes left to build
      // once writes stop, and the WAL it filled (folded into the file at the checkpoint threshold).
      await store.flush();
      await store.indexAttributesInBackground();
      await store.exclusive((conn) => conn.run('CHECKPOINT'));
      const r = await timeWrites(store);
      const checkpointStarted = performance.now();
      await store.exclusive((conn) => conn.run('CHECKPOINT'));
      const checkpointMs = performance.now() - checkpointStarted;
      baseline ??= { ...r, checkpointMs };
      console.log(
        `store of ${size.toLocaleString('en-US')} traces: ${r.ms.toFixed(1)} ms a write (CPU ${r.cpuMs.toFixed(1)} ms), ` +
          `${((r.ms / baseline.ms) * 100).toFixed(0)}% of the empty store's; checkpoint of their WAL ${checkpointMs.toFixed(0)} ms, ` +
          `${((checkpointMs / baseline.checkpointMs) * 100).toFixed(0)}% of the empty store's`,
      );
      stored += WRITES * 256;
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

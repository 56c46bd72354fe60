// The ingest workers on real worker threads: rows built on a worker equal those built on the
// engine thread, a malformed body is refused the same way, a worker that dies fails only the
// requests it held (the engine then decodes them itself) and is replaced, and the engine stores
// the same spans with or without workers.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/api';
import { traceBodyToStaged, type StagedIngestResult } from '../../../electron/engine/ingest';
import { IngestPool, IngestWorkerLost } from '../../../electron/engine/ingest-pool';
import { OtlpDecodeError } from '../../../electron/engine/otlp/types';
import { DEFAULT_PRICE_TABLE, loadPriceTable } from '../../../electron/engine/semconv/prices';
import { stagedRows, stagedValue } from '../../../electron/engine/store/staged-spans';

/** cost_usd's place among span_staging's columns (store/span-staging.ts SPAN_COLUMNS). */
const COST_COLUMN = 19;
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../fixtures/otlp', name));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function pool(size = 1, prices = DEFAULT_PRICE_TABLE): IngestPool {
  const created = IngestPool.create(size, prices);
  expect(created, 'the worker script is found when running from source').not.toBeNull();
  cleanups.push(() => created!.close());
  return created!;
}

/** The worker threads a pool runs now (reached into: a test of what happens when one dies). */
const workersOf = (p: IngestPool) =>
  (p as unknown as { slots: ({ worker: { terminate(): Promise<number>; threadId: number } } | null)[] }).slots.filter((s) => s !== null).map((s) => s!.worker);

describe('IngestPool', () => {
  it('hands each worker a copy of the body it owns, leaving the caller\'s (the journal\'s to write) as it was', async () => {
    const body = fixture('genai-official-openai.pb');
    const before = Buffer.from(body);
    const p = pool(2);
    const results = await Promise.all([p.stageTrace(body, 'protobuf', 'otlp'), p.stageTrace(body, 'protobuf', 'otlp')]);
    expect(results[0]!.staged.count).toBeGreaterThan(0);
    expect(results[1]!.staged.count).toBe(results[0]!.staged.count);
    expect(body.byteLength).toBe(before.byteLength);
    expect(Buffer.compare(body, before)).toBe(0);
  });

  it('builds the same rows on a worker as on the engine thread, for protobuf and JSON', async () => {
    const p = pool();
    for (const [name, encoding] of [
      ['genai-official-openai.pb', 'protobuf'],
      ['openinference-openai.pb', 'protobuf'],
      ['openinference-openai.json', 'json'],
    ] as const) {
      const body = fixture(name);
      const here = traceBodyToStaged(body, encoding, 'otlp-http', DEFAULT_PRICE_TABLE, true);
      const there = await p.stageTrace(body, encoding, 'otlp-http');
      expect(here.staged.count, name).toBeGreaterThan(0);
      expect(there, name).toEqual(here);
      // The binary form a worker sends holds what the engine thread's own (strings kept) holds.
      const own = traceBodyToStaged(body, encoding, 'otlp-http', DEFAULT_PRICE_TABLE).staged;
      const values = (staged: StagedIngestResult['staged']) =>
        [...staged.spans, ...staged.groups].map((column) => Array.from({ length: stagedRows(column) }, (_, i) => stagedValue(column, i)));
      expect(there.staged.spans[1]!.kind, name).toBe('text');
      expect(own.spans[1]!.kind, name).toBe('strings');
      expect(values(there.staged), name).toEqual(values(own));
    }
  });

  it("prices spans with the engine's own price table on the worker", async () => {
    const table = loadPriceTable({ models: [{ pattern: 'gpt-4o-mini*', input: 1, output: 1000 }] });
    const body = fixture('openinference-openai.pb');
    const cost = (result: StagedIngestResult) => Array.from({ length: result.staged.count }, (_, i) => stagedValue(result.staged.spans[COST_COLUMN]!, i));
    const here = traceBodyToStaged(body, 'protobuf', 'otlp-http', table);
    expect(cost(here)!.filter((c) => c !== null).length).toBeGreaterThan(0);
    const there = await pool(1, table).stageTrace(body, 'protobuf', 'otlp-http');
    expect(cost(there)).toEqual(cost(here));
    // ... which is not the default table's answer.
    expect(cost(there)).not.toEqual(cost(traceBodyToStaged(body, 'protobuf', 'otlp-http')));
  });

  it('refuses a malformed body with the decode error the engine thread gives', async () => {
    const p = pool();
    const bad = [
      [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'protobuf'],
      [Buffer.from('{"resourceSpans": [{"scopeSpans": 7}]}'), 'json'],
      [Buffer.from([0x7b, 0xff, 0x7d]), 'json'],
    ] as const;
    for (const [body, encoding] of bad) {
      let expected: unknown;
      try {
        traceBodyToStaged(body, encoding, 'x');
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(OtlpDecodeError);
      const refused = await p.stageTrace(body, encoding, 'x').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OtlpDecodeError);
      expect((refused as Error).message).toBe((expected as Error).message);
    }
  });

  it("sends a request's verdict (spans kept, rejected and why) before its rows, and fails both on a malformed body", async () => {
    const p = pool();
    const span = (spanId: string) => ({ traceId: 'ab'.repeat(16), spanId, name: 'op', startTimeUnixNano: '1795392000000000000', endTimeUnixNano: '1795392000000000001' });
    const body = Buffer.from(
      JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [span('01'.repeat(8)), span('abcdef'), span('02'.repeat(8))] }] }] }),
    );
    const order: string[] = [];
    const job = p.stageTraceInTwo(body, 'json', 'otlp-http');
    const [verdict, staged] = await Promise.all([job.verdict.then((v) => (order.push('verdict'), v)), job.staged.then((r) => (order.push('rows'), r))]);
    expect(order).toEqual(['verdict', 'rows']);
    expect(verdict).toEqual({ count: 2, rejected: 1, errorMessage: staged.errorMessage });
    expect(staged.staged.count).toBe(2);
    expect(staged.rejected).toBe(1);
    expect(verdict.errorMessage).toContain('invalid span_id "abcdef"');
    const bad = p.stageTraceInTwo(Buffer.from('{"resourceSpans": 1}'), 'json', 'x');
    await expect(bad.verdict).rejects.toBeInstanceOf(OtlpDecodeError);
    await expect(bad.staged).rejects.toBeInstanceOf(OtlpDecodeError);
  });

  it('fails the requests a dying worker held, then starts another worker', async () => {
    const p = pool();
    const body = fixture('genai-official-openai.pb');
    await p.stageTrace(body, 'protobuf', 'x');
    const [first] = workersOf(p);
    const held = Array.from({ length: 5 }, () => p.stageTrace(body, 'protobuf', 'x').then(() => 'done', (error: unknown) => error));
    await first!.terminate();
    const outcomes = await Promise.all(held);
    // Each either finished before the worker stopped or failed as lost, never anything else.
    for (const outcome of outcomes) if (outcome !== 'done') expect(outcome).toBeInstanceOf(IngestWorkerLost);
    expect(outcomes.some((o) => o instanceof IngestWorkerLost)).toBe(true);
    const again = await p.stageTrace(body, 'protobuf', 'x');
    expect(again.staged.count).toBeGreaterThan(0);
    const [second] = workersOf(p);
    expect(second!.threadId).not.toBe(first!.threadId);
    expect(p.running).toBe(true);
  });

  it('stops starting workers after they keep dying', async () => {
    const p = pool();
    const body = fixture('genai-official-openai.pb');
    for (let i = 0; i < 3; i++) {
      await p.stageTrace(body, 'protobuf', 'x');
      await workersOf(p)[0]!.terminate();
      // The exit event lands on the next turn of the loop.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(p.running).toBe(false);
    await expect(p.stageTrace(body, 'protobuf', 'x')).rejects.toBeInstanceOf(IngestWorkerLost);
  });
});

describe('Engine.ingestTraceBody', () => {
  async function engine(ingestWorkers: number): Promise<Engine> {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-pool-'));
    const opened = await Engine.open({ path: join(dir, 'store.duckdb'), dataDir: dir, ingestWorkers });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => opened.close());
    return opened;
  }

  it('stores the same spans whether a worker or the engine thread decodes them', async () => {
    const stored: unknown[] = [];
    for (const workers of [1, 0]) {
      const e = await engine(workers);
      for (const name of ['genai-official-openai.pb', 'openinference-openai.pb']) await e.ingestTraceBody(fixture(name), 'protobuf', 'otlp-http');
      await e.ingestTraceBody(fixture('openinference-openai.json'), 'json', 'otlp-http');
      const { decoding } = await e.getStats();
      expect(decoding).toEqual(workers > 0 ? { onWorkers: 3, onEngineThread: 0, workers: 1 } : { onWorkers: 0, onEngineThread: 3, workers: 0 });
      const result = await e.query('SELECT * EXCLUDE (source) FROM spans ORDER BY trace_id, span_id');
      expect(result.rows.length).toBeGreaterThan(0);
      stored.push(result.rows);
    }
    expect(stored[0]).toEqual(stored[1]);
  });

  it('refuses a malformed body and stores nothing', async () => {
    const e = await engine(1);
    await expect(e.ingestTraceBody(Buffer.from('{"resourceSpans": 1}'), 'json', 'otlp-http')).rejects.toBeInstanceOf(OtlpDecodeError);
    expect((await e.getStats()).spanCount).toBe(0);
  });
});

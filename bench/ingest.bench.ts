// Sustained OTLP/HTTP protobuf ingest, measured end to end: exporters in a worker thread POST
// 512-span requests (10 attributes and 1 event per span, as the GenAI instrumentations send)
// to the engine's receiver; the rate counts the spans queryable in `spans`, up to when the last
// of them is (a request may be acknowledged once journaled, just before its COMMIT).
//
// Baseline in the same run ("ceiling"): DuckDB's own bulk load of the same rows, already
// rendered as newline-delimited JSON, into a fresh store's span_data table, timing only
// `INSERT ... SELECT FROM read_json(...)`.
//
// Also: p99 request latency at a paced 20,000 spans/s; trace-list page p99 while ingesting a
// paced 50,000 spans/s, beside the same page's latency idle once the rows are written (its
// baseline) and the engine thread's event-loop delay meanwhile; resident memory after warm-up
// and at the end.
//
// Run: npm run bench:ingest   (options: --seconds N, default 8; --exporters N, default 4;
//      --soak N: then N seconds more at a paced 20,000 spans/s, printing memory every 10 s;
//      --paced N: only N rounds of --seconds at a paced 20,000 spans/s into the fresh store, each
//      round's latency and CPU a span printed: the latency target without the full-rate phase's
//      checkpoint and pending index, in enough samples to compare two commits;
//      --steady-interval MS: the store's steadyWriteIntervalMs, e.g. 0 for writes back to back)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Engine } from '../electron/engine/api';
import { requestToRows } from '../electron/engine/ingest';
import { decodeTraceRequestProto } from '../electron/engine/otlp/decode-proto';
import { startOtlpHttpReceiver } from '../electron/engine/otlp/http-receiver';
import { Store } from '../electron/engine/store';

const SPANS_PER_REQUEST = 512;
const SPANS_PER_TRACE = 8;

// ---- the request template ---------------------------------------------------------------------

function hex(bytes: number, seed: number): string {
  let out = '';
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += ((x >>> 16) & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * One request's protobuf body, the offsets of every trace id in it, and those of every timestamp
 * (span start and end, event time: fixed64, little-endian) with its value: both patched per
 * request, so that each request's traces are its own and start when it is sent, as a live app's
 * do. (With the template's times in every request, all traces started at the same 64 instants:
 * the newest-first page then took ties from all over trace_summary, and its rows were read from
 * every row group.)
 */
function template(): { body: Uint8Array; traceIdOffsets: number[]; timeOffsets: number[]; times: bigint[] } {
  const resource = resourceFromAttributes({ 'service.name': 'bench-svc', 'service.version': '1.2.3', 'host.name': 'bench-host' });
  const scope = { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' };
  const t0 = 1_795_392_000_000_000_000n;
  const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  const spans: ReadableSpan[] = [];
  const traceIds: string[] = [];
  const times: bigint[] = [];
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const t = Math.floor(i / SPANS_PER_TRACE);
    const traceId = hex(16, t + 1);
    if (i % SPANS_PER_TRACE === 0) traceIds.push(traceId);
    const rootId = hex(8, t * SPANS_PER_TRACE + 1000);
    const spanId = i % SPANS_PER_TRACE === 0 ? rootId : hex(8, i + 1000);
    const start = t0 + BigInt(i) * 1_000_000n;
    times.push(start, start + 850_123n, start + 500_000n);
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': `chatcmpl-${i}-abcdefghijklmnop`,
      'gen_ai.usage.input_tokens': 57 + i,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.request.temperature': 0.7,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': 'api.openai.com',
    };
    spans.push({
      name: i % SPANS_PER_TRACE === 0 ? 'answer_question' : 'chat gpt-4o-mini',
      kind: i % SPANS_PER_TRACE === 0 ? SpanKind.INTERNAL : SpanKind.CLIENT,
      spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext: i % SPANS_PER_TRACE === 0 ? undefined : { traceId, spanId: rootId, traceFlags: TraceFlags.SAMPLED },
      startTime: hr(start),
      endTime: hr(start + 850_123n),
      status: { code: i % 50 === 0 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
      attributes,
      links: [],
      events: [{ name: 'gen_ai.content.completion', time: hr(start + 500_000n), attributes: { 'gen_ai.event.index': 0 } }],
      duration: hr(850_123n),
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  const body = ProtobufTraceSerializer.serializeRequest(spans)!;
  const buf = Buffer.from(body);
  const traceIdOffsets: number[] = [];
  for (const id of traceIds) {
    const bytes = Buffer.from(id, 'hex');
    for (let at = buf.indexOf(bytes); at >= 0; at = buf.indexOf(bytes, at + 1)) traceIdOffsets.push(at);
  }
  const timeOffsets: number[] = [];
  const timeValues: bigint[] = [];
  for (const time of times) {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(time);
    for (let at = buf.indexOf(bytes); at >= 0; at = buf.indexOf(bytes, at + 1)) {
      timeOffsets.push(at);
      timeValues.push(time);
    }
  }
  if (timeOffsets.length !== times.length) throw new Error(`found ${timeOffsets.length} of the template's ${times.length} timestamps`);
  return { body, traceIdOffsets, timeOffsets, times: timeValues };
}

// ---- the exporters (worker thread) --------------------------------------------------------------

interface LoadJob {
  url: string;
  exporters: number;
  seconds: number;
  /** Spans per second to pace at; 0 = as fast as acknowledged. */
  rate: number;
  /** First request number (ids stay unique across phases). */
  firstRequest: number;
}

interface LoadResult {
  requests: number;
  spans: number;
  failed: number;
  elapsedMs: number;
  latenciesMs: number[];
  /** CPU time of the exporters' own thread (NaN where /proc is not there). */
  cpuMs: number;
  /** The exporters' thread id (0 where /proc is not there). */
  tid: number;
}

/**
 * The exporters' loop, run in a worker thread as plain JavaScript (workers do not inherit tsx's
 * TypeScript loader): copy the template, patch its trace ids and times, POST, time the answer.
 */
const LOAD_LOOP = `
const { parentPort, workerData: job } = require('node:worker_threads');
const { readFileSync, readlinkSync } = require('node:fs');
const tid = (() => { try { return Number(readlinkSync('/proc/thread-self').split('/').pop()); } catch { return 0; } })();
// This thread's CPU time (Linux: utime + stime of /proc/thread-self/stat, in clock ticks of 10 ms).
const threadCpuMs = () => {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch { return NaN; }
};
const cpuAtStart = threadCpuMs();
(async () => {
  const body = Buffer.from(job.body);
  let requestNo = job.firstRequest;
  const latencies = [];
  let spans = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const interval = job.rate > 0 ? (1000 * job.spansPerRequest) / job.rate : 0;
  let nextSlot = started;
  const exporter = async () => {
    while (performance.now() < deadline) {
      if (interval > 0) {
        const slot = nextSlot;
        nextSlot += interval;
        const wait = slot - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const n = requestNo++;
      const copy = Buffer.from(body);
      // Trace ids unique per request: bytes 0-3 of every trace id carry the request number.
      for (const at of job.traceIdOffsets) copy.writeUInt32BE(n >>> 0, at);
      // Its spans start now (the template's first at the time it is sent).
      const shift = BigInt(Date.now()) * 1000000n - job.times[0];
      for (let i = 0; i < job.timeOffsets.length; i++) copy.writeBigUInt64LE(job.times[i] + shift, job.timeOffsets[i]);
      const t = performance.now();
      const response = await fetch(job.url, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: copy });
      await response.arrayBuffer();
      latencies.push(performance.now() - t);
      if (response.status === 200) spans += job.spansPerRequest;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: job.exporters }, exporter));
  parentPort.postMessage({ requests: requestNo - job.firstRequest, spans, failed, elapsedMs: performance.now() - started, latenciesMs: latencies, cpuMs: threadCpuMs() - cpuAtStart, tid });
})();
`;

const TEMPLATE = template();

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_LOOP, {
      eval: true,
      workerData: { ...job, body: TEMPLATE.body, traceIdOffsets: TEMPLATE.traceIdOffsets, timeOffsets: TEMPLATE.timeOffsets, times: TEMPLATE.times, spansPerRequest: SPANS_PER_REQUEST },
    });
    worker.once('message', (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}

// ---- measurements ------------------------------------------------------------------------------

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
/** The rate a load phase reached. */
const spansPerSecond = (result: LoadResult): number => (result.spans / result.elapsedMs) * 1000;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
/** CPU time of the whole process (every thread: engine, ingest workers, DuckDB's, exporters'). */
const processCpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The fields of a /proc stat file after the command name (proc(5): field 3, state, is [0]). */
const statFields = (path: string): string[] => {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** CPU time (ms) of each of this process's threads by thread id, from /proc (empty elsewhere). */
function threadCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const task of readdirSync('/proc/self/task')) {
      try {
        const f = statFields(`/proc/self/task/${task}/stat`);
        out.set(Number(task), (Number(f[11]) + Number(f[12])) * 10);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/**
 * Where a phase's CPU went, thread by thread, in µs a span: the engine's (main) thread, then the
 * others by size (the ingest worker, DuckDB's and libuv's threads; Linux does not name them apart),
 * leaving out the exporters' thread. Threads under 0.5 µs a span are summed as "rest".
 */
function threadBreakdown(before: Map<number, number>, after: Map<number, number>, spans: number, exportersTid: number): string {
  const perSpan = (ms: number): number => (ms / spans) * 1000;
  let engine = 0;
  const others: number[] = [];
  for (const [tid, ms] of after) {
    if (tid === exportersTid) continue;
    const used = ms - (before.get(tid) ?? 0);
    if (tid === process.pid) engine = used;
    else if (used > 0) others.push(used);
  }
  others.sort((a, b) => b - a);
  const shown = others.filter((ms) => perSpan(ms) >= 0.5);
  const rest = others.slice(shown.length).reduce((a, b) => a + b, 0);
  return [`engine thread ${perSpan(engine).toFixed(1)}`, ...shown.map((ms) => perSpan(ms).toFixed(1)), `rest ${perSpan(rest).toFixed(1)}`].join(', ');
}

/** The process's minor page faults so far (NaN without /proc). */
const minflt = (): number => {
  try {
    return Number(statFields('/proc/self/stat')[7]);
  } catch {
    return NaN;
  }
};
let ceilingCpuUsPerSpan = NaN;

async function storageCeiling(dir: string, storeFile: string, rows: number): Promise<number> {
  // Render the rows that were ingested as NDJSON (not timed), then bulk-load them into a fresh
  // store with the same schema (timed).
  const ndjson = join(dir, 'rows.ndjson');
  const source = await DuckDBInstance.create(storeFile, { access_mode: 'READ_ONLY' });
  const sconn = await source.connect();
  await sconn.run(`COPY (SELECT * FROM span_data LIMIT ${rows}) TO '${ndjson}' (FORMAT json)`);
  const columns = (await sconn.runAndReadAll("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'span_data' ORDER BY column_index")).getRows();
  source.closeSync();
  const freshFile = join(dir, 'ceiling.duckdb');
  const fresh = await Store.open({ path: freshFile });
  await fresh.close();
  const instance = await DuckDBInstance.create(freshFile);
  const conn = await instance.connect();
  const columnSpec = `{${columns.map(([name, type]) => `'${String(name)}': '${String(type)}'`).join(', ')}}`;
  const t = performance.now();
  const cpu = processCpuMs();
  await conn.run(`INSERT INTO span_data SELECT * FROM read_json('${ndjson}', format = 'newline_delimited', columns = ${columnSpec})`);
  const elapsed = performance.now() - t;
  ceilingCpuUsPerSpan = ((processCpuMs() - cpu) / rows) * 1000;
  const n = Number((await conn.runAndReadAll('SELECT count(*) FROM span_data')).getRows()[0]![0]);
  instance.closeSync();
  if (n !== rows) throw new Error(`ceiling loaded ${n} rows, expected ${rows}`);
  return (rows / elapsed) * 1000;
}

/**
 * The store's write path alone (no HTTP, no decoding): already-built rows through appendSpans,
 * 16 requests' worth (8,192 rows) per commit, into a fresh store.
 */
async function storeWriteRate(dir: string): Promise<number> {
  const rows = requestToRows(decodeTraceRequestProto(TEMPLATE.body), 'bench').rows;
  const store = await Store.open({ path: join(dir, 'write-only.duckdb') });
  let written = 0;
  const started = performance.now();
  for (let round = 0; performance.now() - started < 4000; round++) {
    const batch: Promise<void>[] = [];
    for (let r = 0; r < 16; r++) {
      const prefix = (round * 16 + r).toString(16).padStart(8, '0');
      batch.push(store.appendSpans(rows.map((row) => ({ ...row, traceId: prefix + row.traceId.slice(8) }))));
    }
    await Promise.all(batch);
    written += 16 * rows.length;
  }
  const rate = (written / (performance.now() - started)) * 1000;
  await store.close();
  return rate;
}

interface SoakSample {
  at: number;
  rss: number;
  heap: number;
  duckdb: number;
  spans: number;
}

/**
 * Memory over a long paced load (`--soak SECONDS`): rss, V8's heap and DuckDB's own count
 * (duckdb_memory()) every 10 s, to see whether they level off while the store keeps growing.
 */
async function soakMemory(engine: Engine, job: LoadJob): Promise<{ load: LoadResult; samples: SoakSample[] }> {
  const samples: SoakSample[] = [];
  const started = performance.now();
  const sample = async (): Promise<void> => {
    const duckdb = await engine.store.duckdbMemoryBytes();
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ at: (performance.now() - started) / 1000, rss, heap: heapUsed, duckdb, spans: (await engine.getStats()).spanCount });
  };
  const timer = setInterval(() => void sample(), 10_000);
  try {
    const result = await load(job);
    clearInterval(timer);
    await sample(); // the last one, so a soak shorter than 10 s has one too
    return { load: result, samples };
  } finally {
    clearInterval(timer);
  }
}

/** `--paced N`: N rounds at a paced rate, each printed. */
async function pacedRounds(engine: Engine, job: LoadJob, rounds: number): Promise<void> {
  let firstRequest = job.firstRequest;
  const p99s: number[] = [];
  const all: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const cpuAt = processCpuMs();
    const threadsAt = threadCpuMs();
    const paced = await load({ ...job, firstRequest });
    const threads = threadBreakdown(threadsAt, threadCpuMs(), paced.spans, paced.tid);
    firstRequest += paced.requests + 1;
    const cpuUs = ((processCpuMs() - cpuAt - paced.cpuMs) / paced.spans) * 1000;
    p99s.push(percentile(paced.latenciesMs, 99));
    for (const ms of paced.latenciesMs) all.push(ms);
    console.log(
      `round ${round}: ${fmt(spansPerSecond(paced))} spans/s, p50 ${percentile(paced.latenciesMs, 50).toFixed(1)} ms, ` +
        `p99 ${p99s[p99s.length - 1]!.toFixed(1)} ms (max ${Math.max(...paced.latenciesMs).toFixed(0)}) over ${paced.requests} requests, CPU ${cpuUs.toFixed(1)} µs a span; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  by thread, µs a span: ${threads}`);
  }
  // The rounds' requests pooled: one p99 over all of them moves less from run to run than a round's.
  console.log(
    `paced ${fmt(job.rate)} spans/s, ${rounds} rounds: median p99 ${percentile(p99s, 50).toFixed(1)} ms; ` +
      `all ${all.length} requests: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms; store holds ${fmt((await engine.getStats()).spanCount)} spans`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, exporters: { type: 'string' }, soak: { type: 'string' }, paced: { type: 'string' }, 'steady-interval': { type: 'string' } },
  });
  const seconds = Number(values.seconds ?? 8);
  const exporters = Number(values.exporters ?? 4);
  const soakSeconds = Number(values.soak ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-ingest-'));
  const storeFile = join(dir, 'bench.duckdb');
  // --steady-interval MS: the store's steadyWriteIntervalMs (0 = writes back to back, as before it), for comparisons.
  const steadyWriteIntervalMs = values['steady-interval'] === undefined ? undefined : Number(values['steady-interval']);
  const engine = await Engine.open({ path: storeFile, dataDir: dir, steadyWriteIntervalMs });
  const receiver = await startOtlpHttpReceiver({ engine, host: '127.0.0.1', port: 0 });
  const url = `${receiver.url}/v1/traces`;
  let firstRequest = 1;
  try {
    // Warm-up (JIT, DuckDB caches), not counted.
    const warm = await load({ url, exporters, seconds: 2, rate: 0, firstRequest });
    firstRequest += warm.requests + 1;
    const rssAfterWarmup = process.memoryUsage().rss;
    await engine.store.flush();
    if (values.paced !== undefined) {
      await pacedRounds(engine, { url, exporters, seconds, rate: 20_000, firstRequest }, Number(values.paced));
      await receiver.close();
      await engine.close();
      return;
    }

    const before = (await engine.getStats()).spanCount;
    const maxStarted = performance.now();
    const cpuAtMax = processCpuMs();
    const threadsAtMax = threadCpuMs();
    const faultsAtMax = minflt();
    const max = await load({ url, exporters, seconds, rate: 0, firstRequest });
    firstRequest += max.requests + 1;
    // Under load a request is acknowledged once journaled, and its rows commit just behind it:
    // the rate counts spans queryable in `spans`, up to when the last of them is.
    await engine.store.flush();
    const untilQueryableMs = performance.now() - maxStarted;
    const ingestCpuMs = processCpuMs() - cpuAtMax - max.cpuMs;
    const threads = threadBreakdown(threadsAtMax, threadCpuMs(), max.spans, max.tid) + `; minor faults a span ${((minflt() - faultsAtMax) / max.spans).toFixed(2)}`;
    const stored = (await engine.getStats()).spanCount - before;
    const ingestRate = (stored / untilQueryableMs) * 1000;
    if (stored !== max.spans) console.log(`!! acknowledged ${max.spans} spans but ${stored} are queryable`);

    const paced20 = await load({ url, exporters, seconds: 5, rate: 20_000, firstRequest });
    firstRequest += paced20.requests + 1;

    // Trace-list page latency while ingesting 50,000 spans/s.
    const listLatencies: number[] = [];
    // The engine thread's event-loop delay meanwhile: a page's answer waits for it too.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const paced50Promise = load({ url, exporters, seconds: 5, rate: 50_000, firstRequest });
    let ingesting = true;
    void paced50Promise.then(() => (ingesting = false));
    await new Promise((r) => setTimeout(r, 300));
    while (ingesting) {
      const t = performance.now();
      await engine.listTraces({ limit: 100 });
      listLatencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
    const paced50 = await paced50Promise;
    loopDelay.disable();
    firstRequest += paced50.requests + 1;
    // The baseline: the same page with nothing else running, once the rows are written.
    await engine.store.flush();
    const idleLatencies: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await engine.listTraces({ limit: 100 });
      idleLatencies.push(performance.now() - t);
    }
    const rssEnd = process.memoryUsage().rss;
    const soak = soakSeconds > 0 ? await soakMemory(engine, { url, exporters, seconds: soakSeconds, rate: 20_000, firstRequest }) : null;
    if (soak) firstRequest += soak.load.requests + 1;
    // Under sustained load the writer leaves the attribute index (trace_attributes) to a build once
    // writes stop: what that build costs afterwards.
    const pendingTraces = await engine.store.pendingAttributeTraces();
    const buildStarted = performance.now();
    await engine.store.indexAttributesInBackground();
    const buildMs = performance.now() - buildStarted;
    const totalSpans = (await engine.getStats()).spanCount;

    await receiver.close();
    await engine.close();
    const ceiling = await storageCeiling(dir, storeFile, Math.min(totalSpans, 500_000));
    const writeOnly = await storeWriteRate(dir);

    console.log(`exporters: ${exporters} concurrent, ${SPANS_PER_REQUEST} spans/request, 10 attributes + 1 event per span`);
    console.log(`ingest (OTLP/HTTP protobuf, counted when queryable): ${fmt(ingestRate)} spans/s  (${fmt(stored)} spans queryable ${(untilQueryableMs / 1000).toFixed(1)} s after the start; ${fmt(max.spans)} acknowledged, ${max.failed} refused)`);
    console.log(`ceiling (DuckDB read_json bulk load of the same rows): ${fmt(ceiling)} spans/s`);
    console.log(`ratio ingest / ceiling: ${((ingestRate / ceiling) * 100).toFixed(0)}%`);
    // CPU time per span depends much less on what else the machine runs than spans/s do.
    const ingestCpu = (ingestCpuMs / stored) * 1000;
    console.log(`CPU per span (all threads; the exporters' own thread left out): ingest ${ingestCpu.toFixed(1)} µs, ceiling ${ceilingCpuUsPerSpan.toFixed(1)} µs (ratio ceiling / ingest ${((ceilingCpuUsPerSpan / ingestCpu) * 100).toFixed(0)}%); load average ${loadavg()[0]!.toFixed(1)}`);
    console.log(`  by thread, µs a span: ${threads}`);
    console.log(`store write path alone (appendSpans of built rows, 8,192 per commit): ${fmt(writeOnly)} spans/s (${((writeOnly / ceiling) * 100).toFixed(0)}% of the ceiling)`);
    console.log(`request latency at ${fmt(spansPerSecond(paced20))} spans/s (paced 20,000): p50 ${percentile(paced20.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(paced20.latenciesMs, 99).toFixed(1)} ms`);
    console.log(`trace-list page (100 rows) while ingesting ${fmt(spansPerSecond(paced50))} spans/s (paced 50,000): p50 ${percentile(listLatencies, 50).toFixed(1)} ms, p99 ${percentile(listLatencies, 99).toFixed(1)} ms over ${listLatencies.length} pages; request p99 ${percentile(paced50.latenciesMs, 99).toFixed(1)} ms`);
    const loopMs = (ns: number): string => (ns / 1e6).toFixed(1);
    console.log(
      `  the same page idle, after the load: p50 ${percentile(idleLatencies, 50).toFixed(1)} ms, p99 ${percentile(idleLatencies, 99).toFixed(1)} ms (ratio p99 while ingesting / idle ${(percentile(listLatencies, 99) / percentile(idleLatencies, 99)).toFixed(1)}); ` +
        `engine event-loop delay while ingesting: p50 ${loopMs(loopDelay.percentile(50))}, p99 ${loopMs(loopDelay.percentile(99))}, max ${loopMs(loopDelay.max)} ms (5 ms resolution)`,
    );
    console.log(`attribute index left to after the load: ${fmt(pendingTraces)} traces built in ${(buildMs / 1000).toFixed(1)} s once writes stopped`);
    console.log(`memory (rss): ${mb(rssAfterWarmup)} after warm-up, ${mb(rssEnd)} at the end; store holds ${fmt(totalSpans)} spans`);
    if (soak) {
      const rss = soak.samples.map((x) => x.rss);
      console.log(
        `soak (--soak ${soakSeconds}, paced 20,000 spans/s, reached ${fmt(spansPerSecond(soak.load))}; request p99 ${percentile(soak.load.latenciesMs, 99).toFixed(1)} ms): ` +
          `rss min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))}, last ${mb(rss[rss.length - 1]!)} over ${soak.samples.length} samples`,
      );
      for (const x of soak.samples) console.log(`  ${x.at.toFixed(0)} s: rss ${mb(x.rss)}, V8 heap ${mb(x.heap)}, DuckDB ${mb(x.duckdb)}, ${fmt(x.spans)} spans stored`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// The OTLP endpoint under bad input and overload: a deterministic fuzz of 10,000+ mutated
// protobuf and JSON bodies (every request answered, the process alive, nothing malformed
// stored), re-sent requests that must not duplicate spans, and a full write queue answered
// with 503 + Retry-After over HTTP and UNAVAILABLE over gRPC, never a silent drop.
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/api';
import { startOtlpGrpcReceiver, TRACE_EXPORT_PATH } from '../../electron/engine/otlp/grpc-receiver';
import { startOtlpHttpReceiver, type RunningReceiver } from '../../electron/engine/otlp/http-receiver';
import { tempDir } from '../helpers/rows';
import { mutate, prng } from '../helpers/mutate';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../fixtures/otlp', name));

/** mulberry32: a small deterministic PRNG, so a failing case can be replayed from its seed. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function grpcCall(port: number, path: string, body: Buffer, gzip = false): Promise<ServiceError | null> {
  // Channel option 'grpc.default_compression_algorithm': 2 = gzip (grpc-js compression-algorithms).
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, new Metadata(), (error) => {
      client.close();
      resolve(error);
    });
  });
}

describe('fuzz: 10,000+ mutated OTLP bodies over HTTP', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let http: RunningReceiver;
  beforeAll(async () => {
    dir = tempDir();
    engine = await Engine.open({ path: join(dir.path, 'fuzz.duckdb'), dataDir: dir.path });
    http = await startOtlpHttpReceiver({ engine, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await http.close();
    await engine.close();
    dir.remove();
  });

  it('answers every request with an OTLP status, stays up and stores only well-formed spans', async () => {
    const seeds: { body: Buffer; path: string; type: string }[] = [
      { body: fixture('genai-official-openai.pb'), path: '/v1/traces', type: 'application/x-protobuf' },
      { body: fixture('openinference-openai.pb'), path: '/v1/traces', type: 'application/x-protobuf' },
      { body: fixture('openinference-openai.json'), path: '/v1/traces', type: 'application/json' },
      { body: fixture('genai-official-openai.logs.pb'), path: '/v1/logs', type: 'application/x-protobuf' },
    ];
    const random = prng(20261123);
    const total = 10_240;
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const seed = seeds[i % seeds.length]!;
        let body = mutate(seed.body, random, seed.type === 'application/json');
        const headers: Record<string, string> = { 'Content-Type': seed.type };
        if (i % 10 === 9) {
          // Some compressed, some claiming gzip but not.
          body = i % 20 === 19 ? gzipSync(body) : body;
          headers['Content-Encoding'] = 'gzip';
        }
        const answer = await post(`${http.url}${seed.path}`, body, headers);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (![200, 400].includes(answer.status)) throw new Error(`request ${i}: unexpected status ${answer.status}: ${answer.body.toString()}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const elapsed = performance.now() - started;
    console.log(`fuzz: ${total} requests in ${(elapsed / 1000).toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(total);
    expect(statuses.get(400)).toBeGreaterThan(total / 4); // the mutations really break things
    expect(statuses.get(200)).toBeGreaterThan(0); // and some survive as valid requests

    // Still alive: a clean request is stored.
    const clean = await post(`${http.url}/v1/traces`, seeds[0]!.body, { 'Content-Type': 'application/x-protobuf' });
    expect(clean.status).toBe(200);

    const bad = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM spans
       WHERE NOT regexp_full_match(trace_id, '[0-9a-f]{32}') OR NOT regexp_full_match(span_id, '[0-9a-f]{16}')
          OR (parent_span_id IS NOT NULL AND NOT regexp_full_match(parent_span_id, '[0-9a-f]{16}'))
          OR end_time < start_time OR duration_ns < 0
          OR NOT json_valid(attributes) OR NOT json_valid(resource_attributes) OR NOT json_valid(events) OR NOT json_valid(links)
          OR json_type(attributes) <> 'OBJECT' OR json_type(events) <> 'ARRAY'`,
    );
    expect(bad.rows[0]![0]).toBe(0);
    const badLogs = await engine.query(
      `SELECT count(*)::INTEGER FROM logs
       WHERE (trace_id IS NOT NULL AND NOT regexp_full_match(trace_id, '[0-9a-f]{32}'))
          OR (span_id IS NOT NULL AND NOT regexp_full_match(span_id, '[0-9a-f]{16}'))
          OR NOT json_valid(attributes) OR (body IS NOT NULL AND NOT json_valid(body))`,
    );
    expect(badLogs.rows[0]![0]).toBe(0);
    const stored = await engine.query('SELECT count(*)::INTEGER FROM spans');
    expect(Number(stored.rows[0]![0])).toBeGreaterThan(0);
  }, 240_000);
});

describe('retries and overload', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let http: RunningReceiver;
  let grpc: RunningReceiver;
  beforeAll(async () => {
    dir = tempDir();
    // A tiny queue and a slow flush, so the second request in a row finds it full.
    engine = await Engine.open({ path: join(dir.path, 'q.duckdb'), dataDir: dir.path, maxQueuedRows: 10, flushIntervalMs: 400, maxBatchRows: 100_000 });
    http = await startOtlpHttpReceiver({ engine, host: '127.0.0.1', port: 0 });
    grpc = await startOtlpGrpcReceiver({ engine, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await http.close();
    await grpc.close();
    await engine.close();
    dir.remove();
  });

  it('a re-sent request (HTTP, then gRPC) does not duplicate spans', async () => {
    const body = fixture('genai-official-openai.pb');
    const first = await post(`${http.url}/v1/traces`, body, { 'Content-Type': 'application/x-protobuf' });
    expect(first.status).toBe(200);
    const count = async (): Promise<number> => Number((await engine.query('SELECT count(*)::INTEGER FROM spans')).rows[0]![0]);
    const n = await count();
    expect(n).toBeGreaterThan(0);
    expect((await post(`${http.url}/v1/traces`, body, { 'Content-Type': 'application/x-protobuf' })).status).toBe(200);
    expect(await grpcCall(grpc.port, TRACE_EXPORT_PATH, body)).toBeNull();
    expect(await count()).toBe(n);
  });

  it('refuses with 503 + Retry-After and gRPC UNAVAILABLE while the queue is full, and stores what it acknowledged', async () => {
    const body = fixture('openinference-openai.pb');
    const type = { 'Content-Type': 'application/x-protobuf' };
    const before = (await engine.getStats()).requestsRefused ?? 0;
    // Both start before the first flush: the first fills the queue, the second is refused.
    const [a, b] = await Promise.all([post(`${http.url}/v1/traces`, body, type), post(`${http.url}/v1/traces`, body, type)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 503]);
    const refused = a.status === 503 ? a : b;
    expect(refused.headers['retry-after']).toBe('1');
    const [g1, g2] = await Promise.all([grpcCall(grpc.port, TRACE_EXPORT_PATH, fixture('genai-official-openai.logs.pb').subarray(0, 0)), post(`${http.url}/v1/traces`, body, type)]);
    expect(g1).toBeNull(); // an empty request needs no room
    expect(g2.status).toBe(200);
    const [x, y] = await Promise.all([post(`${http.url}/v1/traces`, fixture('genai-official-openai.pb'), type), grpcCall(grpc.port, TRACE_EXPORT_PATH, body)]);
    // The first write is underway or queued; the gRPC request behind it is refused.
    expect(x.status).toBe(200);
    expect(y?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect((await engine.getStats()).requestsRefused).toBe(before + 2);
  });
});

describe('OTLP/JSON text', () => {
  it('refuses a body that is not valid UTF-8 with 400 instead of storing replaced characters', async () => {
    const dir = tempDir();
    const engine = await Engine.open({ path: join(dir.path, 'u.duckdb'), dataDir: dir.path });
    const http = await startOtlpHttpReceiver({ engine, host: '127.0.0.1', port: 0 });
    try {
      const text = JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'NAME', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
      });
      const body = Buffer.from(text);
      body[body.indexOf('NAME')] = 0xff;
      const answer = await post(`${http.url}/v1/traces`, body, { 'Content-Type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.body.toString()).toMatch(/not valid UTF-8/);
      expect((await engine.getStats()).spanCount).toBe(0);
      expect((await post(`${http.url}/v1/traces`, Buffer.from(text), { 'Content-Type': 'application/json' })).status).toBe(200);
    } finally {
      await http.close();
      await engine.close();
      dir.remove();
    }
  });
});

describe('OTLP/gRPC message limit', () => {
  it('refuses a message over the limit, also one that only inflates past it (gzip bomb), with RESOURCE_EXHAUSTED', async () => {
    const dir = tempDir();
    const engine = await Engine.open({ path: join(dir.path, 'l.duckdb'), dataDir: dir.path });
    const grpc = await startOtlpGrpcReceiver({ engine, host: '127.0.0.1', port: 0, maxMessageBytes: 64 * 1024 });
    try {
      // Field 1 (resource_spans) holding 200 kB of zeros: far over the limit, tiny when gzipped.
      const big = Buffer.concat([Buffer.from([0x0a, 0xc0, 0x9a, 0x0c]), Buffer.alloc(200_000)]);
      const plain = await grpcCall(grpc.port, TRACE_EXPORT_PATH, big);
      expect(plain?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      const bomb = await grpcCall(grpc.port, TRACE_EXPORT_PATH, big, true);
      expect(bomb?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      expect((await engine.getStats()).spanCount).toBe(0);
      // Still serving: an empty request is fine.
      expect(await grpcCall(grpc.port, TRACE_EXPORT_PATH, Buffer.alloc(0), true)).toBeNull();
    } finally {
      await grpc.close();
      await engine.close();
      dir.remove();
    }
  });
});

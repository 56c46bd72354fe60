// The desktop app's engine thread, without Electron: EngineHost runs the BUILT worker
// (out/main/engine-worker.js; npm test builds it first) on a temporary data folder. Spans go in
// through its OTLP port, the worker is killed the way a crash would kill it, and the host must
// say so, restart it on the same port, and find every acknowledged span still in the store.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost, EngineNotRunningError, type EngineFailure, type EngineOptions } from '../../electron/main/engine-host';
import type { EngineStatus, TraceDetail, TracePage } from '../../shared/model';
import { ROOT } from '../e2e/serve-app';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { tempDir } from '../helpers/rows';

const WORKER = join(ROOT, 'out/main/engine-worker.js');

interface Recorded {
  host: EngineHost;
  statuses: { status: EngineStatus; failure?: EngineFailure }[];
  waitFor(predicate: (status: EngineStatus, failure?: EngineFailure) => boolean, what: string): Promise<EngineStatus>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startHost(options: Partial<EngineOptions> = {}, timing: ConstructorParameters<typeof EngineHost>[3] = {}): Recorded {
  const dir = tempDir('tracedeck-host-');
  const statuses: Recorded['statuses'] = [];
  const listeners = new Set<() => void>();
  const host = new EngineHost(
    WORKER,
    { dataDir: dir.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, ...options },
    {
      onLive: () => undefined,
      onStatus: (status, failure) => {
        statuses.push({ status, ...(failure ? { failure } : {}) });
        for (const l of listeners) l();
      },
      onLog: () => undefined,
    },
    { restartDelayMs: 20, ...timing },
  );
  cleanups.push(async () => {
    await host.stop();
    dir.remove();
  });
  const waitFor: Recorded['waitFor'] = (predicate, what) => {
    const seen = statuses.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; statuses: ${JSON.stringify(statuses)}`)), 30_000);
      const check = (): void => {
        const hit = statuses.slice(seen).find((s) => predicate(s.status, s.failure));
        if (!hit) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(hit.status);
      };
      listeners.add(check);
    });
  };
  return { host, statuses, waitFor };
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenOn(0);
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does).`);
});

describe('EngineHost', () => {
  it('restarts a killed engine on the same port, and the store still has every span', async () => {
    const { host, statuses, waitFor } = startHost();
    await host.start();
    expect(host.getStatus().state).toBe('ready');
    const url = host.getStatus().endpoints!.otlpHttp!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const sent = await sendSampleTrace(makeExporter('proto', url), { rootName: 'before-crash' });
    const traceId = sent[0]!.traceId;
    expect(((await host.call('getTrace', [traceId])) as TraceDetail).spans).toHaveLength(2);

    const restarting = waitFor((s) => s.state === 'restarting', 'restarting');
    const ready = waitFor((s) => s.state === 'ready', 'ready again');
    await host.kill();
    expect((await restarting).message).toMatch(/stopped unexpectedly/);
    // A call made while the engine restarts waits for it instead of failing.
    const during = host.call('listTraces', [{}]) as Promise<TracePage>;
    await ready;
    expect((await during).total).toBe(1);

    expect(host.getStatus().endpoints!.otlpHttp).toBe(url);
    const detail = (await host.call('getTrace', [traceId])) as TraceDetail;
    expect(detail.spans.map((s) => s.name).sort()).toEqual(['SELECT orders', 'before-crash']);

    // The restarted engine takes spans on the same address.
    await sendSampleTrace(makeExporter('proto', url), { rootName: 'after-crash' });
    expect(((await host.call('listTraces', [{}])) as TracePage).total).toBe(2);
    expect(statuses.map((s) => s.status.state)).toEqual(['starting', 'ready', 'restarting', 'ready']);
  });

  it('gives up after repeated crashes, refuses calls with the reason, and restarts on request', async () => {
    const { host, waitFor } = startHost({}, { maxCrashes: 1, stableAfterMs: 60_000 });
    await host.start();
    const url = host.getStatus().endpoints!.otlpHttp!;
    await sendSampleTrace(makeExporter('http-json', url), { rootName: 'kept' });

    let ready = waitFor((s) => s.state === 'ready', 'first restart');
    await host.kill();
    await ready;
    const failed = waitFor((s) => s.state === 'failed', 'failed');
    await host.kill();
    const status = await failed;
    expect(status.message).toMatch(/stopped 2 times in a row/);
    await expect(host.call('getStats', [])).rejects.toBeInstanceOf(EngineNotRunningError);

    ready = waitFor((s) => s.state === 'ready', 'manual restart');
    await host.restart();
    await ready;
    expect(((await host.call('listTraces', [{}])) as TracePage).traces.map((t) => t.rootName)).toEqual(['kept']);
  });

  it('reports a data folder that cannot be written as a data-dir failure and does not loop', async () => {
    const dir = tempDir('tracedeck-host-file-');
    cleanups.push(() => dir.remove());
    const notAFolder = join(dir.path, 'plain-file');
    writeFileSync(notAFolder, 'not a folder');
    const { host, statuses } = startHost({ dataDir: join(notAFolder, 'data') });
    await expect(host.start()).rejects.toThrow(/cannot be created or written/);
    await new Promise((r) => setTimeout(r, 300));
    expect(statuses.map((s) => [s.status.state, s.failure])).toEqual([
      ['starting', undefined],
      ['failed', 'data-dir'],
    ]);
    await expect(host.call('getStats', [])).rejects.toThrow(/cannot be created or written/);
  });

  it('moves the OTLP/HTTP receiver to a new port without restarting, and keeps it when the port is taken', async () => {
    const { host, statuses } = startHost();
    await host.start();
    const oldUrl = host.getStatus().endpoints!.otlpHttp!;
    const port = await freePort();

    const moved = await host.reconfigure({ otlpHttp: { port, host: '127.0.0.1' } });
    expect(moved).toEqual({ endpoints: expect.objectContaining({ otlpHttp: `http://127.0.0.1:${port}` }), problems: [] });
    expect(host.getStatus().endpoints!.otlpHttp).toBe(`http://127.0.0.1:${port}`);
    await sendSampleTrace(makeExporter('proto', `http://127.0.0.1:${port}`), { rootName: 'moved' });
    await expect(fetch(`${oldUrl}/v1/traces`, { method: 'POST' })).rejects.toThrow();
    expect(statuses.filter((s) => s.status.state !== 'ready')).toHaveLength(1); // only the first 'starting'

    const blocker = await listenOn(await freePort());
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as { port: number }).port;
    const refused = await host.reconfigure({ otlpHttp: { port: taken, host: '127.0.0.1' } });
    expect(refused.problems).toEqual([{ receiver: 'otlpHttp', message: expect.stringMatching(new RegExp(`port ${taken} .* already in use`)) }]);
    expect(refused.endpoints.otlpHttp).toBe(`http://127.0.0.1:${port}`);
    expect(host.getStatus().notices).toEqual([refused.problems[0]!.message]);
    await sendSampleTrace(makeExporter('proto', `http://127.0.0.1:${port}`), { rootName: 'still-here' });
    expect(((await host.call('listTraces', [{}])) as TracePage).total).toBe(2);
    expect(host.currentOptions.otlpHttpPort).toBe(port);

    // The same port again (e.g. only the address changed): the old listener lets go first.
    expect((await host.reconfigure({ otlpHttp: { port, host: '127.0.0.1' } })).problems).toEqual([]);
    await sendSampleTrace(makeExporter('proto', `http://127.0.0.1:${port}`), { rootName: 'rebound' });
    expect(((await host.call('listTraces', [{}])) as TracePage).total).toBe(3);
  });

  it('moves the OTLP/gRPC receiver too, and a restarted engine keeps the moved ports', async () => {
    const { host, waitFor } = startHost({ otlpGrpcPort: 0 });
    await host.start();
    expect(host.getStatus().endpoints!.otlpGrpc).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const grpcPort = await freePort();
    const result = await host.reconfigure({ otlpGrpc: { port: grpcPort, host: '127.0.0.1' } });
    expect(result.problems).toEqual([]);
    expect(result.endpoints.otlpGrpc).toBe(`http://127.0.0.1:${grpcPort}`);

    const ready = waitFor((s) => s.state === 'ready', 'ready after a crash');
    await host.kill();
    const status = await ready;
    expect(status.endpoints!.otlpGrpc).toBe(`http://127.0.0.1:${grpcPort}`);
  });
});

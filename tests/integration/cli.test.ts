// The built command line: `tracedeck serve` and `tracedeck query`, as a user runs them.
// Needs `npm run build` first (npm test does it).
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExporter, sendSampleTrace, type SentSpan } from '../helpers/otel';
import { BIN, ServeApp } from '../e2e/serve-app';

const run = promisify(execFile);

async function tracedeck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('tracedeck serve + query', () => {
  let app: ServeApp;
  let sent: SentSpan[];

  beforeAll(async () => {
    app = await ServeApp.start();
    sent = await sendSampleTrace(makeExporter('proto', app.otlpHttpUrl), { rootName: 'cli-root' });
  });
  afterAll(() => app.removeData());

  it('prints the addresses it bound', () => {
    expect(app.otlpHttpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('answers `query --json` while serve holds the data folder', async () => {
    const r = await tracedeck(['query', `SELECT name, span_id FROM spans WHERE trace_id = '${sent[0]!.traceId}' ORDER BY start_time`, '--json', '--data', app.dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'cli-root', span_id: sent[0]!.spanId },
      { name: 'SELECT orders', span_id: sent[1]!.spanId },
    ]);
  });

  it("decodes the exporter's requests on an ingest worker thread of the built app", async () => {
    const response = await fetch(new URL('api/getStats', app.uiUrl), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
    const stats = (await response.json()) as { decoding?: { onWorkers: number; onEngineThread: number; workers: number } };
    expect(stats.decoding?.onWorkers).toBeGreaterThan(0);
    expect(stats.decoding?.onEngineThread).toBe(0);
    expect(stats.decoding?.workers).toBeGreaterThan(0);
  });

  it('refuses a write with a clear message and exit code 1', async () => {
    const r = await tracedeck(['query', 'DELETE FROM spans', '--data', app.dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/read-only/i);
  });

  it('stops on SIGTERM with exit code 0, and the data is there for the next reader', async () => {
    expect(await app.stop()).toBe(0);
    expect(app.output.stderr).toMatch(/Stopped/);
    const r = await tracedeck(['query', 'SELECT count(*) AS n FROM spans', '--json', '--data', app.dataDir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ n: 2 }]);
  });
});

describe('tracedeck serve with a port in use', () => {
  it('says which port and what it did, and keeps serving the UI', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const child = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-port-'));
    const proc = child.spawn(process.execPath, [BIN, 'serve', '--data', dir, '--otlp-http-port', String(port), '--ui-port', '0']);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await expect.poll(() => stdout, { timeout: 20_000 }).toMatch(/^UI: /m);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).toMatch(/receiver is not running/);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    const r = await tracedeck(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown command "frobnicate"/);
  });
});

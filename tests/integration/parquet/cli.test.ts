// `tracedeck import` / `tracedeck export` as a user runs them (built bin; npm test builds first):
// directly on a data folder, and through a running `serve` that holds the folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ServeApp } from '../../e2e/serve-app';

const run = promisify(execFile);
const FIXTURES = join(__dirname, '../../fixtures/parquet');

async function tracedeck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('tracedeck import / export without a running instance', () => {
  const data = mkdtempSync(join(tmpdir(), 'tracedeck-cli-parquet-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('imports files and globs, reports per file, exports with a checked condition', async () => {
    const imported = await tracedeck(['import', join(FIXTURES, 'phoenix_spans.parquet'), join(FIXTURES, 'llmops-monitoring', '*', 'events_*.parquet'), '--data', data, '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as { ok: boolean; imported: number; files: { format: string }[] };
    expect(result).toMatchObject({ ok: true, imported: 34 });
    expect(result.files.map((f) => f.format)).toEqual(['phoenix', 'llmops-monitoring', 'llmops-monitoring']);

    const out = join(data, 'llm.parquet');
    const exported = await tracedeck(['export', out, '--where', "span_type = 'llm'", '--data', data, '--json']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ rows: 11 });

    const refused = await tracedeck(['export', join(data, 'bad.parquet'), '--where', "1=1) UNION ALL (SELECT * FROM read_parquet('x')", '--data', data]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not allowed/);
    expect(existsSync(join(data, 'bad.parquet'))).toBe(false);
  });

  it('takes a column mapping as flags, and fails with a message naming a bad file', async () => {
    const mapped = await tracedeck([
      'import', join(FIXTURES, 'needs_mapping.parquet'), '--trace-id-col', 'run_key', '--span-id-col', 'step_key', '--start-col', 'began',
      '--duration-col', 'lasted', '--duration-unit', 'ns', '--name-col', 'label', '--data', data,
    ]);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toMatch(/needs_mapping\.parquet: 2 spans \(mapped\)/);
    const bad = await tracedeck(['import', join(FIXTURES, 'not_parquet.parquet'), '--data', data]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not_parquet\.parquet: not a Parquet file/);
  });
});

describe('tracedeck import / export while serve holds the data folder', () => {
  let app: ServeApp;
  beforeAll(async () => {
    app = await ServeApp.start();
  });
  afterAll(async () => {
    await app.stop();
    app.removeData();
  });

  it('asks the running instance, and the export round-trips', async () => {
    const imported = await tracedeck(['import', join(FIXTURES, 'collector.jsonl'), '--data', app.dataDir, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, imported: 2 });
    const out = join(app.dataDir, 'all.parquet');
    const exported = await tracedeck(['export', out, '--trace', 'a'.repeat(32), '--data', app.dataDir, '--json']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ rows: 1 });
    const json = join(app.dataDir, 'one.json');
    expect((await tracedeck(['export', json, '--trace', 'b'.repeat(32), '--data', app.dataDir])).code).toBe(0);
    expect(readFileSync(json, 'utf8')).toContain('"name":"second-line"');
    const again = await tracedeck(['import', out, '--data', app.dataDir, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, imported: 0, files: [{ format: 'tracedeck', duplicates: 1 }] });
  });
});

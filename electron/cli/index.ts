// The `tracedeck` command line (DESIGN.md, "Command line"):
//   tracedeck [FILE|DIR ...]        the desktop app
//   tracedeck serve [...]           engine + receivers + the UI for a browser
//   tracedeck query "SELECT ..."    read-only SQL over the spans, traces and logs views
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { QueryResult } from '../../shared/model';
import { DEFAULT_HOST, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT, DEFAULT_UI_PORT, resolveDataDir, storePath } from '../engine/config';
import { Store } from '../engine/store';
import { findRunningInstance, startRuntime } from '../server/runtime';
import { exportCommand, importCommand, TransferUsageError } from './transfer';

const USAGE = `Usage:
  tracedeck [FILE|DIR ...]                 open the desktop app
  tracedeck serve [--data DIR] [--host H] [--otlp-grpc-port N] [--otlp-http-port N] [--ui-port N]
                  [--cors-origin ORIGIN]... [--max-body-bytes N] [--max-queued-rows N]
  tracedeck query "SELECT ..." [--data DIR] [--json] [--limit N]
  tracedeck import PATH... [--data DIR] [--json] [--trace-id-col C --span-id-col C --start-col C
                  [--parent-id-col C] [--name-col C] [--end-col C | --duration-col C [--duration-unit s|ms|us|ns]]
                  [--status-col C] [--service-col C] [--kind-col C] [--attribute-col C]...]
  tracedeck export OUT.parquet [--data DIR] [--trace ID]... [--where SQL-CONDITION] [--json]
  tracedeck export OUT.json --trace ID [--data DIR]      one trace as OTLP JSON
  tracedeck --help | --version

Ports: 0 picks any free port. --data defaults to TRACEDECK_DATA, else the app-data folder.`;

class UsageError extends Error {}

function port(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${what} must be a port number from 0 to 65535, not "${value}".`);
  return n;
}

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive whole number, not "${value}".`);
  return n;
}

/** The built renderer, beside this file's folder in out/. */
function rendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      host: { type: 'string' },
      'otlp-http-port': { type: 'string' },
      'otlp-grpc-port': { type: 'string' },
      'ui-port': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'max-body-bytes': { type: 'string' },
      'max-queued-rows': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = resolveDataDir(values.data);
  const runtime = await startRuntime({
    dataDir,
    host: values.host ?? DEFAULT_HOST,
    otlpHttpPort: port(values['otlp-http-port'], DEFAULT_OTLP_HTTP_PORT, '--otlp-http-port'),
    otlpGrpcPort: port(values['otlp-grpc-port'], DEFAULT_OTLP_GRPC_PORT, '--otlp-grpc-port'),
    // --cors-origin wins over TRACEDECK_CORS_ORIGINS (comma-separated); localhost is always allowed.
    corsOrigins: values['cors-origin'] ?? (process.env.TRACEDECK_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    ...(values['max-body-bytes'] !== undefined ? { maxBodyBytes: positive(values['max-body-bytes'], '--max-body-bytes') } : {}),
    ...(values['max-queued-rows'] !== undefined ? { maxQueuedRows: positive(values['max-queued-rows'], '--max-queued-rows') } : {}),
    uiPort: port(values['ui-port'], DEFAULT_UI_PORT, '--ui-port'),
    staticDir: rendererDir(),
    log: (line) => console.error(line),
  });
  if (runtime.otlpGrpc) console.log(`OTLP gRPC: ${runtime.otlpGrpc.url}`);
  if (runtime.otlpHttp) console.log(`OTLP HTTP: ${runtime.otlpHttp.url}`);
  console.log(`UI: ${runtime.ui.url}`);
  console.log(`Data: ${dataDir}`);
  await new Promise<void>((resolve) => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      resolve();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  console.error('Stopping: writing queued spans...');
  await runtime.stop();
  console.error('Stopped.');
  return 0;
}

function formatTable(result: QueryResult): string {
  const header = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) => row.map((v) => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v))));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))));
  const fit = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const lines = [header.map((h, i) => fit(h, widths[i]!)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells) lines.push(r.map((c, i) => fit(c, widths[i]!)).join('  '));
  lines.push(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', truncated' : ''})`);
  return lines.join('\n');
}

async function runQuery(sql: string, dataDir: string, limit: number | undefined): Promise<QueryResult> {
  // DuckDB lets one process hold the file for writing: ask the running instance when there is one.
  const running = findRunningInstance(dataDir);
  if (running) {
    const response = await fetch(new URL('api/query', running.ui), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([sql, limit]),
    });
    const body = (await response.json()) as QueryResult | { error: string };
    if (!response.ok || 'error' in body) throw new Error('error' in body ? body.error : `HTTP ${response.status}`);
    return body;
  }
  const store = await Store.open({ path: storePath(dataDir), readOnly: true });
  try {
    return await store.query(sql, limit);
  } finally {
    await store.close();
  }
}

async function query(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('query takes exactly one SQL string (quote it).');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError('--limit must be a positive integer.');
  const result = await runQuery(positionals[0]!, resolveDataDir(values.data), limit ?? 100_000);
  if (values.json) {
    const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
    console.log(JSON.stringify(objects));
  } else {
    console.log(formatTable(result));
  }
  if (result.truncated) console.error(`Only the first ${result.rows.length} rows are shown (--limit).`);
  return 0;
}

/** The Electron binary that `npm install` fetched, if it did. */
function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('electron/package.json');
    const pathFile = join(dirname(pkg), 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function desktop(argv: string[]): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    console.error(
      'The Electron binary is not installed (npm install fetches it; it is skipped when ELECTRON_SKIP_BINARY_DOWNLOAD is set).\n' +
        'Use `tracedeck serve` to open Tracedeck in a browser instead.',
    );
    return Promise.resolve(1);
  }
  const mainScript = fileURLToPath(new URL('./index.js', import.meta.url));
  const child = spawn(binary, [mainScript, ...argv], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'query':
        return await query(rest);
      case 'import':
        return await importCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case '--help':
      case '-h':
      case 'help':
        console.log(USAGE);
        return 0;
      case '--version':
      case '-v': {
        const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
        console.log(pkg.version);
        return 0;
      }
      default:
        if (command !== undefined && /^[a-z]+$/.test(command) && !existsSync(command)) {
          throw new UsageError(`Unknown command "${command}".`);
        }
        return await desktop(argv);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof TransferUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`tracedeck: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`tracedeck: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run when executed (bin/tracedeck.js imports this file), not when imported by tests.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
}

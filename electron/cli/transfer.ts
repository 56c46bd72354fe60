// `tracedeck import PATH...` and `tracedeck export OUT.parquet`: like `query`, they ask the
// running instance (app or serve) when one holds the data folder — DuckDB lets one process
// write a file — and otherwise open the store themselves.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TraceApiMethod } from '../../shared/api';
import type { ColumnMapping, DurationUnit, ExportResult, ExportSelection, ImportOptions, ImportResult } from '../../shared/import';
import { Engine } from '../engine/api';
import { resolveDataDir, storePath } from '../engine/config';
import { expandGlob } from '../engine/parquet/files';
import { findRunningInstance } from '../server/runtime';

export class TransferUsageError extends Error {}

async function callRunning<T>(uiUrl: string, method: TraceApiMethod, args: unknown[]): Promise<T> {
  const response = await fetch(new URL(`api/${method}`, uiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as T | { error: string };
  if (!response.ok || (typeof body === 'object' && body !== null && 'error' in body)) {
    throw new Error(typeof body === 'object' && body !== null && 'error' in body ? (body as { error: string }).error : `HTTP ${response.status}`);
  }
  return body as T;
}

/** Runs `work` against the running instance's API or a store opened here. */
async function withApi<T>(dataDir: string, remote: (ui: string) => Promise<T>, local: (engine: Engine) => Promise<T>): Promise<T> {
  const running = findRunningInstance(dataDir);
  if (running) return remote(running.ui);
  mkdirSync(dataDir, { recursive: true });
  const engine = await Engine.open({ path: storePath(dataDir), dataDir });
  try {
    return await local(engine);
  } finally {
    await engine.close();
  }
}

const UNITS: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns'];

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      json: { type: 'boolean' },
      'trace-id-col': { type: 'string' },
      'span-id-col': { type: 'string' },
      'parent-id-col': { type: 'string' },
      'name-col': { type: 'string' },
      'start-col': { type: 'string' },
      'end-col': { type: 'string' },
      'duration-col': { type: 'string' },
      'duration-unit': { type: 'string' },
      'status-col': { type: 'string' },
      'service-col': { type: 'string' },
      'kind-col': { type: 'string' },
      'attribute-col': { type: 'string', multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new TransferUsageError('import needs at least one file, folder or glob.');
  const paths: string[] = [];
  for (const p of positionals) {
    const expanded = expandGlob(p);
    if (expanded.length === 0) throw new Error(`${p}: the pattern matches no file`);
    paths.push(...expanded.map((x) => resolve(x)));
  }
  const options: ImportOptions = {};
  const anyMapping = Object.keys(values).some((k) => k.endsWith('-col') || k === 'duration-unit');
  if (anyMapping) {
    const traceId = values['trace-id-col'];
    const spanId = values['span-id-col'];
    const start = values['start-col'];
    if (!traceId || !spanId || !start) throw new TransferUsageError('a column mapping needs at least --trace-id-col, --span-id-col and --start-col.');
    const unit = values['duration-unit'];
    if (unit !== undefined && !UNITS.includes(unit as DurationUnit)) throw new TransferUsageError(`--duration-unit must be one of ${UNITS.join(', ')}.`);
    const mapping: ColumnMapping = { traceId, spanId, start };
    if (values['parent-id-col']) mapping.parentSpanId = values['parent-id-col'];
    if (values['name-col']) mapping.name = values['name-col'];
    if (values['end-col']) mapping.end = values['end-col'];
    if (values['duration-col']) mapping.duration = values['duration-col'];
    if (unit) mapping.durationUnit = unit as DurationUnit;
    if (values['status-col']) mapping.status = values['status-col'];
    if (values['service-col']) mapping.service = values['service-col'];
    if (values['kind-col']) mapping.kind = values['kind-col'];
    if (values['attribute-col']) mapping.attributes = values['attribute-col'];
    options.mapping = mapping;
  }
  const dataDir = resolveDataDir(values.data);
  const args = options.mapping ? [paths, options] : [paths];
  const result = await withApi<ImportResult>(
    dataDir,
    (ui) => callRunning(ui, 'importPaths', args),
    (engine) => engine.importPaths(paths, options),
  );
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    for (const f of result.files) {
      const extra = [f.duplicates ? `${f.duplicates} duplicate span ids (first kept)` : '', f.skipped ? `${f.skipped} rows without ids or start skipped` : '']
        .filter(Boolean)
        .join(', ');
      console.log(`${f.path}: ${f.error ? 'FAILED' : `${f.imported} spans`} (${f.format ?? 'unknown format'})${extra ? `; ${extra}` : ''}`);
    }
    if (result.ok) console.log(`Imported ${result.imported} spans in ${(result.elapsedMs / 1000).toFixed(2)} s.`);
  }
  if (!result.ok) {
    console.error(`tracedeck: ${result.error ?? 'the import failed'}`);
    return 1;
  }
  return 0;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      json: { type: 'boolean' },
      trace: { type: 'string', multiple: true },
      where: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new TransferUsageError('export takes one output file (OUT.parquet, or OUT.json with one --trace for OTLP JSON).');
  const out = resolve(positionals[0]!);
  const dataDir = resolveDataDir(values.data);
  const traces = values.trace ?? [];
  if (/\.json$/i.test(out)) {
    if (traces.length !== 1 || values.where) throw new TransferUsageError('OTLP JSON export takes exactly one --trace ID (and no --where).');
    const json = await withApi<string | null>(
      dataDir,
      (ui) => callRunning(ui, 'exportTraceOtlpJson', [traces[0]]),
      (engine) => engine.exportTraceOtlpJson(traces[0]!),
    );
    if (json === null) throw new Error(`no trace ${traces[0]} in the store`);
    writeFileSync(out, json);
    console.log(values.json ? JSON.stringify({ path: out }) : `Wrote trace ${traces[0]} as OTLP JSON to ${out}.`);
    return 0;
  }
  const selection: ExportSelection = {};
  if (values.where) selection.where = values.where;
  if (traces.length > 0) selection.traceIds = traces;
  const result = await withApi<ExportResult>(
    dataDir,
    (ui) => callRunning(ui, 'exportParquet', [out, selection]),
    (engine) => engine.exportParquet(out, selection),
  );
  console.log(values.json ? JSON.stringify(result) : `Wrote ${result.rows} spans (${result.bytes} bytes) to ${result.path} in ${(result.elapsedMs / 1000).toFixed(2)} s.`);
  return 0;
}

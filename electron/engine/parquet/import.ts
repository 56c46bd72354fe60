// Import: files and folders → one transaction in the store. Every file is checked and planned
// first (format, columns, mapping), so a bad file fails the import before anything is written;
// then each file is one INSERT … SELECT (Parquet) or batches of decoded rows (OTLP JSON), all
// inside one transaction: a failure or a cancel leaves the store exactly as it was. A JSON Lines
// file (the Collector's file exporter: one request a line, often gigabytes) is read line by line
// as it is written, OTLP_JSON_BATCH_ROWS rows at a time, so memory stays bounded; its lines are
// checked as they are decoded, and a bad one rolls the whole import back.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ColumnMapping, ImportFileResult, ImportInspection, ImportOptions, ImportProgress, ImportResult } from '../../../shared/import';
import { requestToRows } from '../ingest';
import { PhaseTimes } from '../phase-times';
import { decodeTraceRequestJson } from '../otlp/decode-json';
import { DEFAULT_PRICE_TABLE, findPrice, type ModelPrice, type PriceTable } from '../semconv/prices';
import type { SpanRow } from '../span-row';
import type { Store } from '../store';
import {
  describeParquet,
  inImportTransaction,
  insertParquetFile,
  insertSpanRows,
  applyModelPrice,
  modelsWithoutCost,
  previewParquet,
  traceIdsOfSource,
  watchProgress,
  type ImportPlan,
} from '../store/span-import';
import { notedTraceIds, resummarizeImported } from '../store/trace-summary';
import { columnSetKey, detectFormat, guessMapping } from './detect';
import { expandImportPaths, ImportInputError, sniffFile, type FoundFile } from './files';
import { recallMapping, rememberMapping } from './mappings';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError';
}

export interface ImportContext {
  store: Store;
  dataDir: string;
  prices?: PriceTable;
  importId: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Awaited once every file is planned, before the transaction starts (the engine lets previews answer first). */
  beforeWrite?: () => Promise<void>;
}

export interface PlannedFile extends FoundFile {
  plan?: ImportPlan;
  rowCount: number;
  result: ImportFileResult;
  /** Decoded rows of an OTLP JSON file read whole (one document). */
  rows?: SpanRow[];
  /** An OTLP JSON Lines file: decoded while it is written, in batches. */
  jsonLines?: boolean;
}

/** Rows of a JSON Lines file decoded before they are written, at most (about a few MB). */
export const OTLP_JSON_BATCH_ROWS = 8_192;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** DuckDB's messages for unreadable Parquet, turned into what a user can act on. */
function parquetProblem(message: string): string {
  if (/magic|footer|too small|corrupt|out of range|metadata|No magic bytes/i.test(message)) return `truncated or corrupt Parquet file (${message})`;
  return message;
}

/** One line's (or one document's) OTLP JSON request, as span rows. */
function decodeOtlpJson(path: string, text: string, where: string, prices?: PriceTable): SpanRow[] {
  let request;
  try {
    request = decodeTraceRequestJson(text);
  } catch (error) {
    throw new ImportInputError(path, `not OTLP JSON ${where}: ${errorText(error)}`);
  }
  return requestToRows(request, path, prices).rows;
}

const lines = (path: string) => createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
const BOM = /^\uFEFF/;

/**
 * Whether an OTLP JSON file is JSON Lines: more than one non-empty line, the first a complete
 * JSON value by itself (a pretty-printed document's first line is not). Reads two lines at most.
 */
export async function isOtlpJsonLines(path: string): Promise<boolean> {
  const reader = lines(path);
  let first: string | null = null;
  try {
    for await (const line of reader) {
      if (line.trim() === '') continue;
      if (first !== null) {
        try {
          JSON.parse(first);
          return true;
        } catch {
          return false;
        }
      }
      first = line.replace(BOM, '');
    }
    return false;
  } finally {
    reader.close();
  }
}

/** A JSON Lines file's rows in batches of about `batchRows`, decoded as the file is read. */
export async function* otlpJsonLineBatches(path: string, prices?: PriceTable, batchRows = OTLP_JSON_BATCH_ROWS): AsyncGenerator<SpanRow[]> {
  const reader = lines(path);
  let lineNo = 0;
  let batch: SpanRow[] = [];
  try {
    for await (const raw of reader) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(BOM, '') : raw;
      if (line.trim() === '') continue;
      for (const row of decodeOtlpJson(path, line, `(line ${lineNo})`, prices)) batch.push(row);
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    reader.close();
  }
}

/** Decodes an OTLP JSON file that is one document (one ExportTraceServiceRequest, maybe pretty-printed). */
export function readOtlpJsonDocument(path: string, prices?: PriceTable): SpanRow[] {
  return decodeOtlpJson(path, readFileSync(path, 'utf8').replace(BOM, ''), '', prices);
}

type DescribeParquet = (path: string) => ReturnType<typeof describeParquet>;

/** Decides a Parquet file's format and mapping; `describe` reads its schema (the preview reads beside a running import). */
export async function planParquet(
  ctx: Pick<ImportContext, 'store' | 'dataDir'>,
  file: PlannedFile,
  options: ImportOptions,
  describe: DescribeParquet = (path) => ctx.store.exclusive((conn) => describeParquet(conn, path)),
): Promise<void> {
  let described;
  try {
    described = await describe(file.path);
  } catch (error) {
    throw new ImportInputError(file.path, parquetProblem(errorText(error)));
  }
  file.rowCount = described.rowCount;
  const detected = detectFormat(described.columns, described.kv);
  if (detected && detected.format !== 'generic') {
    file.plan = { format: detected.format, columns: described.columns };
  } else {
    const key = columnSetKey(described.columns);
    const mapping = options.mapping ?? recallMapping(ctx.dataDir, key) ?? detected?.mapping;
    if (!mapping) {
      throw new ImportInputError(
        file.path,
        `no recognisable span columns (found: ${described.columns.map((c) => c.name).join(', ')}); ` +
          'give a column mapping (trace id, span id, start, ...) — in the app\'s mapping step or with --trace-id-col, --span-id-col, --start-col',
      );
    }
    const names = new Set(described.columns.map((c) => c.name));
    for (const [field, column] of Object.entries(mapping)) {
      const list = Array.isArray(column) ? column : typeof column === 'string' && field !== 'durationUnit' ? [column] : [];
      for (const c of list as string[]) if (!names.has(c)) throw new ImportInputError(file.path, `the mapping's ${field} column "${c}" is not in the file`);
    }
    file.plan = { format: options.mapping ? 'mapped' : detected ? 'generic' : 'mapped', columns: described.columns, mapping };
    if (options.mapping) rememberMapping(ctx.dataDir, key, options.mapping);
  }
  file.result.format = file.plan.format;
}

/** Imports files and folders in one transaction; never throws for bad input (see ImportResult). */
export async function importPaths(ctx: ImportContext, paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const files: PlannedFile[] = [];
  const fail = (error: unknown, cancelled = false): ImportResult => ({
    ok: false,
    files: files.map((f) => f.result),
    imported: 0,
    elapsedMs: performance.now() - started,
    error: errorText(error),
    ...(cancelled ? { cancelled: true } : {}),
  });
  try {
    for (const found of expandImportPaths(paths)) {
      files.push({ ...found, rowCount: 0, result: { path: found.path, format: null, rows: 0, imported: 0, duplicates: 0, skipped: 0 } });
    }
  } catch (error) {
    return fail(error);
  }
  // Plan every file before writing anything.
  for (const file of files) {
    try {
      if (ctx.signal?.aborted) throw new ImportCancelledError('The import was cancelled.');
      if (file.kind === 'parquet') await planParquet(ctx, file, options);
      else {
        file.jsonLines = await isOtlpJsonLines(file.path);
        if (!file.jsonLines) {
          file.rows = readOtlpJsonDocument(file.path, ctx.prices);
          file.rowCount = file.rows.length;
        }
        file.result.format = 'otlp-json';
      }
    } catch (error) {
      file.result.error = errorText(error);
      return fail(error, error instanceof ImportCancelledError);
    }
  }
  await ctx.beforeWrite?.();
  if (ctx.signal?.aborted) return fail(new ImportCancelledError('The import was cancelled; nothing was imported.'), true);
  const onAbort = (): void => ctx.store.interruptExclusive();
  ctx.signal?.addEventListener('abort', onAbort);
  let rowsDone = 0;
  let filesDone = 0;
  let current: PlannedFile | undefined;
  const phases = new PhaseTimes();
  const priceOf = (model: string): ModelPrice | null => findPrice(model, ctx.prices ?? DEFAULT_PRICE_TABLE);
  try {
    const traceIds = await ctx.store.exclusive((conn) =>
      inImportTransaction(conn, async () => {
        for (const file of files) {
          current = file;
          if (ctx.signal?.aborted) throw new ImportCancelledError('The import was cancelled.');
          const report = (fileRows: number): void => {
            const seconds = (performance.now() - started) / 1000;
            ctx.onProgress?.({
              importId: ctx.importId,
              path: file.path,
              filesDone,
              filesTotal: files.length,
              rowsDone: rowsDone + fileRows,
              rowsPerSecond: seconds > 0 ? Math.round((rowsDone + fileRows) / seconds) : 0,
            });
          };
          if (file.plan) {
            const stop = ctx.onProgress ? watchProgress(conn, (percent) => report(Math.round((file.rowCount * percent) / 100))) : () => undefined;
            let counts;
            try {
              counts = await insertParquetFile(conn, file.path, file.plan, file.path, file.rowCount, priceOf, phases);
            } finally {
              stop();
            }
            file.result.rows = counts.rows;
            file.result.imported = counts.imported;
            file.result.skipped = counts.skipped;
          } else if (file.jsonLines) {
            for await (const batch of otlpJsonLineBatches(file.path, ctx.prices)) {
              if (ctx.signal?.aborted) throw new ImportCancelledError('The import was cancelled.');
              file.result.imported += await insertSpanRows(conn, batch);
              file.result.rows += batch.length;
              report(file.result.rows);
            }
          } else {
            file.result.rows = file.rowCount;
            file.result.imported = await insertSpanRows(conn, file.rows ?? []);
            file.rows = undefined;
          }
          file.result.duplicates = Math.max(0, file.result.rows - file.result.imported - file.result.skipped);
          filesDone++;
          report(file.result.rows);
          rowsDone += file.result.rows;
        }
        if (ctx.signal?.aborted) throw new ImportCancelledError('The import was cancelled.');
        // Costs the files do not state, from the price table (as for OTLP spans): each INSERT
        // priced its own rows; this prices spans an earlier import of the same path left without
        // (the price table did not know their model then). OTLP JSON rows were priced when
        // decoded. One UPDATE per model, not per span.
        const parquetSources = files.filter((f) => f.plan).map((f) => f.path);
        if (parquetSources.length > 0) {
          for (const model of await modelsWithoutCost(conn, parquetSources)) {
            const price = priceOf(model);
            if (price) await applyModelPrice(conn, parquetSources, model, price.input, price.output);
          }
          phases.mark('prices');
        }
        // The traces these files added to (OTLP JSON files' by their source: few rows, and not
        // noted), then their summary (same transaction).
        const jsonSources = files.filter((f) => !f.plan).map((f) => f.path);
        const ids = [...new Set([...(await notedTraceIds(conn, 1000)), ...(await traceIdsOfSource(conn, jsonSources, 1000))])].slice(0, 1000);
        phases.mark('trace ids');
        await resummarizeImported(conn, phases);
        return ids;
      }),
    );
    phases.mark('commit');
    phases.report('import phases');
    const imported = files.reduce((n, f) => n + f.result.imported, 0);
    if (imported > 0) ctx.store.onCommit?.({ count: imported, traceIds });
    return { ok: true, files: files.map((f) => f.result), imported, elapsedMs: performance.now() - started };
  } catch (error) {
    const cancelled = ctx.signal?.aborted === true || error instanceof ImportCancelledError;
    const message = cancelled ? 'The import was cancelled; nothing was imported.' : `${current?.path ?? ''}: ${errorText(error)}`;
    if (current && !cancelled) current.result.error = message;
    for (const f of files) f.result.imported = 0;
    return fail(new Error(cancelled ? message : `${message} — nothing was imported.`), cancelled);
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

/** The mapping step's view of one file: columns, a preview, the detected format or a suggested mapping. */
export async function inspectImportFile(store: Store, dataDir: string, rawPath: string): Promise<ImportInspection> {
  const path = resolve(rawPath);
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new ImportInputError(path, 'no such file');
  }
  if (!stats.isFile()) throw new ImportInputError(path, 'not a file');
  if (sniffFile(path, stats) !== 'parquet') {
    return { path, format: 'otlp-json', columns: [], preview: [], rowCount: 0, suggestedMapping: null };
  }
  try {
    return await store.exclusive(async (conn) => {
      const described = await describeParquet(conn, path);
      const detected = detectFormat(described.columns, described.kv);
      const preview = await previewParquet(conn, path, 20);
      const remembered: ColumnMapping | null = recallMapping(dataDir, columnSetKey(described.columns));
      return {
        path,
        format: detected && detected.format !== 'generic' ? detected.format : remembered ? 'mapped' : null,
        columns: described.columns,
        preview,
        rowCount: described.rowCount,
        suggestedMapping: remembered ?? detected?.mapping ?? guessMapping(described.columns),
      };
    });
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError(path, parquetProblem(errorText(error)));
  }
}

// The trace list of files being imported, read in place (issue 4: "the trace list shown within
// 2 s of opening"). The import of 1M spans takes seconds to tens of seconds in one transaction;
// the first page asked of the files themselves takes about a second. So while the import runs
// the UI shows this page, and switches to the store's list when the import commits.
//
// The files are found and planned exactly as importPaths plans them (same format detection,
// same remembered or given mapping), but their schemas are read on the store's preview
// connection, because the running import holds the writer.
import type { ImportPreview, ImportPreviewOptions } from '../../../shared/import';
import type { TraceSummary } from '../../../shared/model';
import { DEFAULT_PRICE_TABLE, findPrice, type PriceTable } from '../semconv/prices';
import type { Store } from '../store';
import type { PreviewTrace } from '../store/import-preview';
import type { ImportPlan } from '../store/span-import';
import { expandImportPaths } from './files';
import { planParquet, type PlannedFile } from './import';

/**
 * A trace's cost as the import leaves it: the costs the file states, plus, for LLM spans that
 * state none, input × input price + output × output price of their model (store/span-import.ts
 * applyModelPrice); null when nothing is known.
 */
export function pricedCost(trace: PreviewTrace, prices: PriceTable = DEFAULT_PRICE_TABLE): number | null {
  let cost = trace.costUsd;
  for (const span of trace.unpriced) {
    const price = findPrice(span.model, prices);
    if (!price) continue;
    cost = (cost ?? 0) + (span.inputTokens ?? 0) * price.input + (span.outputTokens ?? 0) * price.output;
  }
  return cost;
}

/** A page of the Parquet files' traces (newest first) read in place; throws ImportInputError naming a bad file. */
export async function previewImport(
  ctx: { store: Store; dataDir: string; prices?: PriceTable },
  paths: readonly string[],
  options: ImportPreviewOptions = {},
): Promise<ImportPreview> {
  const started = performance.now();
  const files: { path: string; plan: ImportPlan }[] = [];
  let rows = 0;
  for (const found of expandImportPaths(paths)) {
    if (found.kind !== 'parquet') continue;
    const file: PlannedFile = { ...found, rowCount: 0, result: { path: found.path, format: null, rows: 0, imported: 0, duplicates: 0, skipped: 0 } };
    await planParquet(ctx, file, options, (path) => ctx.store.describeParquetInPlace(path));
    if (!file.plan) continue;
    files.push({ path: file.path, plan: file.plan });
    rows += file.rowCount;
  }
  const page = await ctx.store.previewImport(files, { limit: options.limit ?? 100, offset: options.offset ?? 0 });
  const traces = page.traces.map(({ unpriced: _unpriced, ...summary }, i): TraceSummary => ({ ...summary, costUsd: pricedCost(page.traces[i]!, ctx.prices) }));
  return { traces, total: page.total, files: files.map((f) => f.path), rows, elapsedMs: performance.now() - started };
}

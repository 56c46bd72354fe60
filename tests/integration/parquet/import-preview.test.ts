// The trace list of a file read in place (previewImport) against the list the store answers
// after importing the same file (listTraces), over the committed fixtures; a bad file; and the
// preview answering while an import holds the writer.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/api';
import type { LiveEvent, TraceSummary } from '../../../shared/model';
import { engineForEachTest } from '../../helpers/engine';

const FIXTURES = join(__dirname, '../../fixtures/parquet');
const fixture = (name: string): string => join(FIXTURES, name);

let dir: string;
let engine: Engine;
engineForEachTest('tracedeck-preview-', (opened) => ({ dir, engine } = opened));

/** The summaries with cost compared to 12 digits (the preview sums the priced spans in another order). */
function comparable(traces: TraceSummary[]): unknown[] {
  return traces.map((t) => ({ ...t, costUsd: t.costUsd === null ? null : Number(t.costUsd.toPrecision(12)) }));
}

async function expectPreviewEqualsImportedList(paths: string[], page: { limit: number; offset?: number }): Promise<TraceSummary[]> {
  const preview = await engine.previewImport(paths, page);
  expect((await engine.getStats()).spanCount).toBe(0); // reading in place writes nothing
  const result = await engine.importPaths(paths);
  expect(result.ok).toBe(true);
  const listed = await engine.listTraces({ limit: page.limit, offset: page.offset ?? 0 });
  expect(preview.total).toBe(listed.total);
  expect(preview.rows).toBe(result.files.reduce((n, f) => n + f.rows, 0));
  expect(comparable(preview.traces)).toEqual(comparable(listed.traces));
  return preview.traces;
}

describe('previewImport equals listTraces after importing the same file', () => {
  it('ClickHouse otel_traces', async () => {
    const traces = await expectPreviewEqualsImportedList([fixture('clickhouse_otel_traces.parquet')], { limit: 1000 });
    expect(traces.length).toBeGreaterThan(10);
    expect(traces.some((t) => t.errorCount > 0)).toBe(true);
  });

  it('an LLMOps-monitoring folder (two files read as one list), with tokens and sessions', async () => {
    const traces = await expectPreviewEqualsImportedList([fixture('llmops-monitoring')], { limit: 1000 });
    expect(traces.some((t) => (t.inputTokens ?? 0) > 0 && t.sessionId !== null)).toBe(true);
  });

  it('Phoenix (cost from the price table), LangSmith (cost from the file) and a generic table', async () => {
    const costs: number[] = [];
    for (const name of ['phoenix_spans.parquet', 'langsmith_runs.parquet', 'generic_spans.parquet']) {
      await engine.clearAll();
      const traces = await expectPreviewEqualsImportedList([fixture(name)], { limit: 1000 });
      costs.push(traces.reduce((sum, t) => sum + (t.costUsd ?? 0), 0));
    }
    expect(costs[0]).toBeGreaterThan(0);
    expect(costs[1]).toBeGreaterThan(0);
  });

  it('a page further down, and a page past the end', async () => {
    await expectPreviewEqualsImportedList([fixture('clickhouse_otel_traces.parquet')], { limit: 5, offset: 7 });
    await engine.clearAll();
    const past = await engine.previewImport([fixture('clickhouse_otel_traces.parquet')], { limit: 5, offset: 100_000 });
    expect(past.traces).toEqual([]);
    expect(past.total).toBeGreaterThan(10);
  });

  it("Tracedeck's own export read in place", async () => {
    expect((await engine.importPaths([fixture('clickhouse_otel_traces.parquet')])).ok).toBe(true);
    const out = join(dir, 'export.parquet');
    await engine.exportParquet(out);
    const listed = await engine.listTraces({ limit: 1000 });
    await engine.clearAll();
    const preview = await engine.previewImport([out], { limit: 1000 });
    expect(comparable(preview.traces)).toEqual(comparable(listed.traces));
  });
});

describe('bad files', () => {
  it('a truncated file, a file that is not Parquet and a table without span columns: an error naming the file, nothing changed', async () => {
    expect((await engine.importPaths([fixture('phoenix_spans.parquet')])).ok).toBe(true);
    const before = await engine.query('SELECT trace_id, span_id, name, source FROM spans ORDER BY ALL', 10_000);
    for (const [name, problem] of [
      ['truncated.parquet', /truncated or corrupt/],
      ['not_parquet.parquet', /not a Parquet file/],
      ['no_span_columns.parquet', /no recognisable span columns/],
    ] as const) {
      const error = await engine.previewImport([fixture(name)]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toMatch(problem);
    }
    await expect(engine.previewImport([join(dir, 'missing.parquet')])).rejects.toThrow(/missing\.parquet: no such file/);
    const after = await engine.query('SELECT trace_id, span_id, name, source FROM spans ORDER BY ALL', 10_000);
    expect(after.rows).toEqual(before.rows);
  });
});

describe('beside a running import', () => {
  it('answers while another job holds the writer, which the store list would wait for', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = engine.store.exclusive(() => held);
    const preview = await engine.previewImport([fixture('clickhouse_otel_traces.parquet')], { limit: 3 });
    expect(preview.traces).toHaveLength(3);
    release();
    await holding;
  });

  it('announces every import, and waits for a preview asked on the announcement before writing', async () => {
    // As a desktop window does for File › Open: it learns of the import from the event and asks
    // its preview a round trip later (here 50 ms); the import's writing waits for that page.
    const path = fixture('clickhouse_otel_traces.parquet');
    const seen: string[] = [];
    let previewed: Promise<unknown> | undefined;
    engine.subscribe((event: LiveEvent) => {
      if (event.type === 'import-started') {
        seen.push(`started ${event.paths.join(',')}`);
        previewed = new Promise((resolve) => setTimeout(resolve, 50))
          .then(() => engine.previewImport(event.paths, { limit: 5 }))
          .then((page) => seen.push(`preview of ${page.total} traces`));
      } else if (event.type === 'import-progress') {
        if (!seen.includes('progress')) seen.push('progress');
      } else if (event.type === 'import-finished') {
        seen.push(`finished ${event.ok} ${event.imported}`);
      }
    });
    const result = await engine.importPaths([path]);
    await previewed;
    expect(result.ok).toBe(true);
    expect(seen).toEqual([`started ${path}`, expect.stringMatching(/^preview of \d+ traces$/), 'progress', `finished true ${result.imported}`]);
  });
});

// Parquet / OTLP JSON import and export through the Engine (in-process): one test per format
// with a committed fixture (tests/fixtures/parquet, made by make-fixtures.ts), the exact round
// trip, every bad input leaving the store unchanged, and the mapping step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/api';
import { detectFormat } from '../../../electron/engine/parquet/detect';
import { findPrice } from '../../../electron/engine/semconv/prices';
import { describeParquet, insertParquetFile } from '../../../electron/engine/store/span-import';
import { engineForEachTest } from '../../helpers/engine';

const FIXTURES = join(__dirname, '../../fixtures/parquet');
const fixture = (name: string): string => join(FIXTURES, name);

let dir: string;
let engine: Engine;
engineForEachTest('tracedeck-parquet-', (opened) => ({ dir, engine } = opened));

async function rows(sql: string): Promise<unknown[][]> {
  return (await engine.query(sql, 10_000)).rows;
}

async function snapshot(): Promise<unknown[][]> {
  return rows('SELECT trace_id, span_id, name, source FROM spans ORDER BY ALL');
}

describe('recognised formats', () => {
  it('imports the ClickHouse otel_traces export with events, links, resource and span attributes', async () => {
    const result = await engine.importPaths([fixture('clickhouse_otel_traces.parquet')]);
    expect(result.ok).toBe(true);
    expect(result.files[0]).toMatchObject({ format: 'clickhouse-otel', rows: 200, imported: 200, duplicates: 0 });
    const [root] = await rows(
      "SELECT kind, status_code, service_name, attributes->>'$.\"http.route\"', resource_attributes->>'$.\"host.name\"', duration_ns FROM spans WHERE trace_id = '00000000000000000000000000001000' AND parent_span_id IS NULL",
    );
    expect(root).toEqual(['server', 'ok', 'checkout-svc', '/checkout', 'ch-node-1', 10_000_000]);
    const [withEvents] = await rows("SELECT count(*) FROM spans WHERE json_array_length(events) > 0 AND json_extract_string(events, '$[0].name') IS NOT NULL");
    expect(Number(withEvents![0])).toBe(20);
  });

  it('imports an LLMOps-monitoring folder (YYYY-MM-DD/events_*.parquet) with tokens, model and sessions', async () => {
    const progress: { filesDone: number; filesTotal: number; rowsDone: number }[] = [];
    const off = engine.subscribe((event) => {
      if (event.type === 'import-progress') progress.push(event);
    });
    const result = await engine.importPaths([fixture('llmops-monitoring')]);
    off();
    expect(result.ok).toBe(true);
    expect(progress.at(-1)).toMatchObject({ filesDone: 2, filesTotal: 2, rowsDone: 30 });
    expect(result.files.map((f) => f.format)).toEqual(['llmops-monitoring', 'llmops-monitoring']);
    expect(result.imported).toBe(30);
    const [llm] = await rows("SELECT count(*), sum(input_tokens), count(session_id) FROM spans WHERE span_type = 'llm'");
    expect(Number(llm![0])).toBeGreaterThan(0);
    expect(Number(llm![1])).toBeGreaterThan(0);
    expect(Number(llm![2])).toBe(Number(llm![0]));
  });

  it('imports a Phoenix span dataframe with OpenInference attributes and keeps the orphan', async () => {
    const result = await engine.importPaths([fixture('phoenix_spans.parquet')]);
    expect(result.files[0]).toMatchObject({ format: 'phoenix', imported: 4 });
    const llm = await rows(
      "SELECT span_type, llm_model, input_tokens, output_tokens, total_tokens, session_id, attributes->>'$.\"input.value\"' FROM spans WHERE span_id = '00f067aa0ba902b7'",
    );
    expect(llm[0]).toEqual(['llm', 'gpt-4o-mini', 120, 45, 165, 'sess-1', 'What is in Lisbon?']);
    // The file states no cost: it comes from the price table, as for OTLP spans.
    const [cost] = await rows("SELECT cost_usd FROM spans WHERE span_id = '00f067aa0ba902b7'");
    expect(cost![0]).toBeGreaterThan(0);
    const tool = await rows("SELECT span_type, status_code, status_message, epoch_ns(end_time) - epoch_ns(start_time) FROM spans WHERE span_id = '1111111111111111'");
    expect(tool[0]).toEqual(['tool', 'error', 'timeout', 400_000_000]);
    const orphan = await engine.getTrace('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(orphan?.spans.map((s) => [s.name, s.parentSpanId])).toEqual([['orphan-retrieve', 'ffffffffffffffff']]);
  });

  it('imports a LangSmith run export: UUID ids, run types, tokens, cost, model from extra', async () => {
    const result = await engine.importPaths([fixture('langsmith_runs.parquet')]);
    expect(result.files[0]).toMatchObject({ format: 'langsmith', imported: 3 });
    const llm = await rows("SELECT trace_id, span_type, llm_model, llm_provider, input_tokens, output_tokens, cost_usd, session_id FROM spans WHERE name = 'ChatOpenAI'");
    expect(llm[0]).toEqual(['6f1c6a1e-7f2b-4c1e-9a55-0c2a3f0b1a01', 'llm', 'gpt-4o', 'openai', 30, 12, 0.00021, 'thread-7']);
    const parser = await rows("SELECT span_type, status_code, status_message FROM spans WHERE name = 'parse'");
    expect(parser[0]).toEqual(['chain', 'error', 'ValueError: bad json']);
  });

  it('imports a generic flat table by its common column names (ms start, ms duration)', async () => {
    const result = await engine.importPaths([fixture('generic_spans.parquet')]);
    expect(result.files[0]).toMatchObject({ format: 'generic', imported: 3 });
    const child = await rows("SELECT parent_span_id, name, epoch_ns(start_time)::VARCHAR, duration_ns, status_code, attributes->>'$.user' FROM spans WHERE span_id = 's-2'");
    expect(child[0]).toEqual(['s-1', 'db.query', '1795000000002000000', 3_250_000, 'error', 'alice']);
  });

  it('imports OTLP JSON Lines (Collector file exporter) with exact int64 attributes', async () => {
    const result = await engine.importPaths([fixture('collector.jsonl')]);
    expect(result.files[0]).toMatchObject({ format: 'otlp-json', imported: 2 });
    const r = await rows("SELECT name, service_name, attributes::VARCHAR, epoch_ns(start_time)::VARCHAR FROM spans ORDER BY name");
    expect(r[0]).toEqual(['first-line', 'jsonl-svc', '{"big":9007199254740993}', '1795000000000000001']);
  });
});

describe('round trip', () => {
  it('export → import gives the same rows, attribute JSON text and nanoseconds', async () => {
    await engine.importPaths([fixture('clickhouse_otel_traces.parquet'), fixture('phoenix_spans.parquet'), fixture('collector.jsonl')]);
    const out = join(dir, 'all.parquet');
    const exported = await engine.exportParquet(out);
    expect(exported.rows).toBe(206);
    const meta = await rows('SELECT count(*) FROM spans'); // the store still answers during/after export
    expect(Number(meta[0]![0])).toBe(206);
    const all = 'SELECT * EXCLUDE (attributes, resource_attributes, events, links, scope_attributes), attributes::VARCHAR, resource_attributes::VARCHAR, events::VARCHAR, links::VARCHAR, scope_attributes::VARCHAR, epoch_ns(start_time)::VARCHAR FROM spans ORDER BY trace_id, span_id';
    const before = await rows(all);
    const second = await Engine.open({ path: join(dir, 'second.duckdb'), dataDir: dir });
    try {
      const result = await second.importPaths([out]);
      expect(result.files[0]).toMatchObject({ format: 'tracedeck', imported: 206 });
      expect((await second.query(all, 10_000)).rows).toEqual(before);
    } finally {
      await second.close();
    }
  });

  it('exports one trace, a filter, and refuses a condition that is not read-only', async () => {
    await engine.importPaths([fixture('phoenix_spans.parquet')]);
    const one = await engine.exportParquet(join(dir, 'one.parquet'), { traceIds: ['0af7651916cd43dd8448eb211c80319c'] });
    expect(one.rows).toBe(3);
    const errors = await engine.exportParquet(join(dir, 'errors.parquet'), { where: "status_code = 'error'" });
    expect(errors.rows).toBe(1);
    await expect(engine.exportParquet(join(dir, 'x.parquet'), { where: "name IN (SELECT * FROM read_csv('/etc/passwd'))" })).rejects.toThrow(/not allowed|disallowed/i);
    await expect(engine.exportParquet('relative.parquet')).rejects.toThrow(/absolute/);
  });

  it('writes one trace as OTLP JSON that re-imports to the same spans, and a text outline', async () => {
    await engine.importPaths([fixture('collector.jsonl'), fixture('phoenix_spans.parquet')]);
    const json = await engine.exportTraceOtlpJson('a'.repeat(32));
    expect(json).toContain('"intValue":"9007199254740993"');
    const file = join(dir, 'trace.json');
    writeFileSync(file, json!);
    const second = await Engine.open({ path: join(dir, 'third.duckdb'), dataDir: dir });
    try {
      expect((await second.importPaths([file])).imported).toBe(1);
      expect((await second.query("SELECT attributes::VARCHAR, kind, status_code FROM spans")).rows).toEqual([['{"big":9007199254740993}', 'server', 'ok']]);
    } finally {
      await second.close();
    }
    const outline = await engine.traceOutline('0af7651916cd43dd8448eb211c80319c');
    expect(outline).toContain('- agent [2.50s');
    expect(outline).toMatch(/\n {4}- ChatCompletion \[1\.80s .*model=gpt-4o-mini tokens=120→45/);
    expect(outline).toContain('input: What is in Lisbon?');
    expect(outline).toContain('ERROR: timeout');
    expect(await engine.traceOutline('nope')).toBeNull();
  });
});

describe('bad input leaves the store unchanged', () => {
  beforeEach(async () => {
    await engine.importPaths([fixture('generic_spans.parquet')]);
  });

  const cases: [string, () => string[], RegExp][] = [
    ['a file that is not Parquet', () => [fixture('not_parquet.parquet')], /not_parquet\.parquet: not a Parquet file/],
    ['a truncated Parquet file', () => [fixture('truncated.parquet')], /truncated\.parquet: truncated or corrupt/],
    ['no recognisable span columns', () => [fixture('no_span_columns.parquet')], /no_span_columns\.parquet: no recognisable span columns/],
    ['a folder with nothing importable', () => {
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      writeFileSync(join(empty, 'notes.txt'), 'hello');
      return [empty];
    }, /empty: nothing importable/],
    ['a good file with a bad one', () => [fixture('phoenix_spans.parquet'), fixture('truncated.parquet')], /truncated\.parquet/],
    ['a missing path', () => [join(dir, 'missing.parquet')], /missing\.parquet: no such file/],
  ];
  for (const [what, paths, message] of cases) {
    it(what, async () => {
      const before = await snapshot();
      const result = await engine.importPaths(paths());
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(message);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('keeps the first of duplicate span ids and reports how many were dropped', async () => {
    const result = await engine.importPaths([fixture('duplicate_ids.parquet')]);
    // t-1/s-1 and t-1/s-2 are already stored from generic_spans.parquet; the file repeats s-1 too.
    expect(result.ok).toBe(true);
    expect(result.files[0]).toMatchObject({ rows: 3, imported: 0, duplicates: 3 });
    const fresh = await Engine.open({ path: join(dir, 'fresh.duckdb'), dataDir: dir });
    try {
      const r = await fresh.importPaths([fixture('duplicate_ids.parquet')]);
      expect(r.files[0]).toMatchObject({ rows: 3, imported: 2, duplicates: 1 });
      expect((await fresh.query("SELECT name FROM spans WHERE span_id = 's-1'")).rows).toEqual([['first']]);
    } finally {
      await fresh.close();
    }
  });

  it('keeps the first span when a later file of the same import repeats its keys', async () => {
    // The plain INSERT is used only when no key repeats; here the repeat is with a file written
    // earlier in the same transaction, so the second file must take the OR IGNORE path.
    const fresh = await Engine.open({ path: join(dir, 'fresh.duckdb'), dataDir: dir });
    try {
      const before = (await fresh.query("SELECT count(*) FROM spans")).rows;
      expect(before).toEqual([[0]]);
      const r = await fresh.importPaths([fixture('generic_spans.parquet'), fixture('duplicate_ids.parquet')]);
      expect(r.ok).toBe(true);
      expect(r.files[1]).toMatchObject({ rows: 3, imported: 0, duplicates: 3 });
      const stored = (await fresh.query("SELECT name, source FROM spans WHERE trace_id = 't-1' AND span_id = 's-1'")).rows;
      expect(stored).toEqual([[expect.any(String), fixture('generic_spans.parquet')]]);
      expect((await fresh.query('SELECT sum(span_count) FROM traces')).rows).toEqual((await fresh.query('SELECT count(*) FROM spans')).rows);
    } finally {
      await fresh.close();
    }
  });

  it('a re-import that prices spans an earlier import left unpriced updates their traces too', async () => {
    // The first import knows no prices; the second, of the same file (every span a duplicate),
    // prices the stored spans of its path, and their traces' rows must follow.
    const path = join(dir, 'unpriced.duckdb');
    const unpriced = await Engine.open({ path, dataDir: dir, prices: { taken: '', source: 'none', models: [], matchers: [] } });
    expect((await unpriced.importPaths([fixture('phoenix_spans.parquet')])).ok).toBe(true);
    const costs = 'SELECT (SELECT sum(cost_usd) FROM spans)::DOUBLE, (SELECT sum(cost_usd) FROM traces)::DOUBLE';
    expect((await unpriced.query(costs)).rows).toEqual([[null, null]]);
    await unpriced.close();
    const priced = await Engine.open({ path, dataDir: dir });
    try {
      expect(await priced.importPaths([fixture('phoenix_spans.parquet')])).toMatchObject({ ok: true, imported: 0 });
      const [[spanCost, traceCost]] = (await priced.query(costs)).rows as [[number, number]];
      expect(spanCost).toBeGreaterThan(0);
      expect(traceCost).toBeCloseTo(spanCost, 12);
    } finally {
      await priced.close();
    }
  });

  it('prices spans as it inserts them exactly as the UPDATE of a re-import does, in every format with models', async () => {
    const files = ['clickhouse_otel_traces.parquet', 'phoenix_spans.parquet', 'langsmith_runs.parquet'].map(fixture);
    const costs = 'SELECT span_id, llm_model, input_tokens, output_tokens, cost_usd FROM spans ORDER BY ALL';
    const traceCosts = 'SELECT trace_id, cost_usd FROM traces ORDER BY ALL';
    const noPrices = { taken: '', source: 'none', models: [], matchers: [] };
    /** The costs and trace costs of a store after `work`, in a store of its own. */
    const storeAfter = async (name: string, prices: typeof noPrices | undefined, work: (e: Engine) => Promise<void>): Promise<unknown[][][]> => {
      const e = await Engine.open({ path: join(dir, name), dataDir: dir, ...(prices ? { prices } : {}) });
      try {
        await work(e);
        return [(await e.query(costs, 10_000)).rows, (await e.query(traceCosts, 10_000)).rows];
      } finally {
        await e.close();
      }
    };
    const imports = (paths: string[], imported?: number) => async (e: Engine): Promise<void> => {
      expect(await e.importPaths(paths)).toMatchObject({ ok: true, ...(imported === undefined ? {} : { imported }) });
    };
    // Priced by the INSERT: the import knows the prices from the start.
    const byInsert = await storeAfter('by-insert.duckdb', undefined, imports(files));
    expect(byInsert[0]!.filter((r) => typeof r[4] === 'number' && r[4] > 0).length).toBeGreaterThanOrEqual(2);
    // Priced by the UPDATE: imported without prices (and exported so), then again with them.
    const ownExport = join(dir, 'own.parquet');
    await storeAfter('by-update.duckdb', noPrices, async (e) => {
      await imports(files)(e);
      await e.exportParquet(ownExport);
    });
    expect(await storeAfter('by-update.duckdb', undefined, imports(files, 0))).toEqual(byInsert);
    // Tracedeck's own export without the costs: its INSERT prices it too.
    expect(await storeAfter('own.duckdb', undefined, imports([ownExport]))).toEqual(byInsert);
  });

  it.each(['phoenix_spans.parquet', 'ClickHouse with models in SpanAttributes'])('the INSERT itself prices what %s does not state, with no UPDATE after it', async (name) => {
    let path = fixture(name);
    if (!name.endsWith('.parquet')) {
      path = join(dir, 'clickhouse_llm.parquet');
      await engine.store.exclusive((conn) =>
        conn.run(`COPY (SELECT * REPLACE (map_concat("SpanAttributes", MAP {'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': '120'}) AS "SpanAttributes")
          FROM read_parquet('${fixture('clickhouse_otel_traces.parquet')}')) TO '${path}' (FORMAT parquet)`),
      );
    }
    const counts = await engine.store.exclusive(async (conn) => {
      const described = await describeParquet(conn, path);
      const plan = { format: detectFormat(described.columns, described.kv)!.format, columns: described.columns };
      await conn.run('BEGIN TRANSACTION');
      try {
        await insertParquetFile(conn, path, plan, path, described.rowCount, (model) => findPrice(model));
        const r = await conn.runAndReadAll(
          'SELECT count(*) FILTER (WHERE cost_usd > 0)::INTEGER, count(*) FILTER (WHERE cost_usd IS NULL AND llm_model IS NOT NULL AND input_tokens IS NOT NULL)::INTEGER FROM span_data WHERE source = $1',
          [path],
        );
        return r.getRows()[0];
      } finally {
        await conn.run('ROLLBACK');
      }
    });
    expect(counts![0]).toBeGreaterThan(0);
    expect(counts![1]).toBe(0);
  });

  it('keeps the first of duplicate span ids when the INSERT prices them', async () => {
    const path = join(dir, 'duplicate_llm.parquet');
    await engine.store.exclusive((conn) =>
      conn.run(`COPY (SELECT * FROM (VALUES
          ('llm-t', 'llm-1', 'first', 1000, 2000, '{"gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 100}'),
          ('llm-t', 'llm-1', 'second', 1000, 3000, '{"gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 200}'),
          ('llm-t', 'llm-2', 'other', 1500, 1800, '{"gen_ai.request.model": "gpt-4o", "gen_ai.usage.output_tokens": 7}'))
        AS t(trace_id, span_id, name, start_ms, end_ms, attributes)) TO '${path}' (FORMAT parquet)`),
    );
    const r = await engine.importPaths([path]);
    expect(r.files[0]).toMatchObject({ rows: 3, imported: 2, duplicates: 1 });
    const stored = await rows("SELECT span_id, name, llm_model, cost_usd > 0 FROM spans WHERE trace_id = 'llm-t' ORDER BY span_id");
    expect(stored).toEqual([
      ['llm-1', 'first', 'gpt-4o-mini', true],
      ['llm-2', 'other', 'gpt-4o', true],
    ]);
  });

  it('cancelling rolls back', async () => {
    const before = await snapshot();
    const pending = engine.importPaths([fixture('clickhouse_otel_traces.parquet'), fixture('phoenix_spans.parquet')]);
    expect(await engine.cancelImport()).toBe(true);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(await snapshot()).toEqual(before);
  });
});

describe('the mapping step', () => {
  it('shows columns and a preview, imports with an explicit mapping and remembers it', async () => {
    const path = fixture('needs_mapping.parquet');
    const inspection = await engine.inspectImportFile(path);
    expect(inspection.format).toBeNull();
    expect(inspection.columns.map((c) => c.name)).toEqual(['run_key', 'step_key', 'label', 'began', 'lasted']);
    expect(inspection.preview).toHaveLength(2);
    const refused = await engine.importPaths([path]);
    expect(refused.error).toMatch(/no recognisable span columns/);
    const result = await engine.importPaths([path], {
      mapping: { traceId: 'run_key', spanId: 'step_key', name: 'label', start: 'began', duration: 'lasted', durationUnit: 'ns' },
    });
    expect(result.files[0]).toMatchObject({ format: 'mapped', imported: 2 });
    expect(await rows("SELECT name, epoch_ns(start_time)::VARCHAR, duration_ns FROM spans WHERE span_id = 'step-2'")).toEqual([['train', '1795000002000000000', 5_000_000_000]]);
    // Remembered for files with the same columns.
    expect((await engine.inspectImportFile(path)).format).toBe('mapped');
  });
});

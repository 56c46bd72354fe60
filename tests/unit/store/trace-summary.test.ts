// trace_summary (store/trace-summary.ts) against the definition it replaces: after every kind of
// change to span_data the `traces` view, which reads the summary since schema version 6, must
// give exactly the rows of the `traces` aggregate (schema.ts TRACES_AGGREGATE) run over the
// stored spans. Real DuckDB files; the comparison goes through the public views (Store.query).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/api';
import { importPaths } from '../../../electron/engine/parquet/import';
import { Store } from '../../../electron/engine/store';
import { TRACES_AGGREGATE } from '../../../electron/engine/store/schema';
import { BUILD_TRACE_ATTRIBUTES } from '../../../electron/engine/store/trace-summary';
import type { SpanRow } from '../../../electron/engine/span-row';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

const T0 = 1_795_392_000_000_000_000n;
const MS = 1_000_000n;
const TRACE_COLUMNS = 'trace_id, root_name, service_name, start_time, end_time, duration_ns, span_count, error_count, input_tokens, output_tokens, cost_usd, session_id';
const TYPES_SQL = `SELECT ${TRACE_COLUMNS.split(', ').map((c) => `typeof(${c})`).join(', ')} FROM traces LIMIT 1`;
const t = (n: number): string => hexId(n, 32);
const s = (n: number): string => hexId(n, 16);

let dir: ReturnType<typeof tempDir>;
let engine: Engine;
beforeEach(async () => {
  dir = tempDir();
  engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
});
afterEach(async () => {
  await engine.close();
  dir.remove();
});

type Querying = { query(sql: string, limit?: number): Promise<{ rows: unknown[][] }> };

/** The `traces` view's rows, and the aggregate's rows over the `spans` view, both by trace id. */
async function viewAndAggregate(db: Querying): Promise<[unknown[][], unknown[][]]> {
  const view = await db.query(`SELECT ${TRACE_COLUMNS} FROM traces ORDER BY trace_id`, 100_000);
  const aggregate = await db.query(
    `SELECT ${TRACE_COLUMNS} FROM (${TRACES_AGGREGATE.replace(/FROM span_data\s*$/, 'FROM spans')} GROUP BY trace_id) ORDER BY trace_id`,
    100_000,
  );
  return [view.rows, aggregate.rows];
}

async function expectSummaryEqualsAggregate(db: Querying = engine): Promise<unknown[][]> {
  const [view, aggregate] = await viewAndAggregate(db);
  expect(view).toEqual(aggregate);
  return view;
}

/** The trace's row of the `traces` view as an object. */
async function traceRow(traceId: string): Promise<Record<string, unknown>> {
  const r = await engine.query(`SELECT ${TRACE_COLUMNS} FROM traces WHERE trace_id = '${traceId}'`);
  const names = TRACE_COLUMNS.split(', ');
  return Object.fromEntries(names.map((n, i) => [n, r.rows[0]?.[i]]));
}

/**
 * Trace 1 arrives over three batches: two children first (the later-starting one first), then
 * the root, which starts before both and has no service (the aggregate then falls back to the
 * earliest span's service). Tokens and cost on some spans only; costs are exact binary
 * fractions so sums do not depend on the order they are added in.
 */
const child2 = spanRow({ traceId: t(1), spanId: s(3), parentSpanId: s(1), name: 'tool', serviceName: 'tools', startNs: T0 + 50n * MS, endNs: T0 + 400n * MS, inputTokens: 7, costUsd: 0.125, sessionId: 'sess-b' });
const child1 = spanRow({ traceId: t(1), spanId: s(2), parentSpanId: s(1), name: 'chat', serviceName: 'llm', startNs: T0 + 10n * MS, endNs: T0 + 90n * MS, statusCode: 'error', inputTokens: 100, outputTokens: 20, costUsd: 0.5, sessionId: 'sess-a' });
const root1 = spanRow({ traceId: t(1), spanId: s(1), name: 'POST /answer', serviceName: null, startNs: T0, endNs: T0 + 300n * MS });
const other = spanRow({ traceId: t(2), spanId: s(4), name: 'lonely', serviceName: 'svc', startNs: T0 + 1000n * MS, endNs: T0 + 1001n * MS });

describe('trace_summary equals the traces aggregate', () => {
  it('over spans of a trace arriving in several batches, the root last', async () => {
    await engine.ingestRows([child2, other]);
    expect(await traceRow(t(1))).toMatchObject({ root_name: 'tool', service_name: 'tools', span_count: 1, session_id: 'sess-b' });
    await expectSummaryEqualsAggregate();
    await engine.ingestRows([child1]);
    expect(await traceRow(t(1))).toMatchObject({ root_name: 'chat', service_name: 'llm', span_count: 2, error_count: 1, input_tokens: 107, output_tokens: 20, cost_usd: 0.625, session_id: 'sess-a' });
    await expectSummaryEqualsAggregate();
    await engine.ingestRows([root1]);
    // The root names the trace now; its service is NULL, so the earliest span's service stays.
    expect(await traceRow(t(1))).toMatchObject({ root_name: 'POST /answer', service_name: 'llm', span_count: 3, duration_ns: 400_000_000 });
    await expectSummaryEqualsAggregate();
  });

  it('counts a re-sent span once: a whole batch again, a batch of old and new spans, a span twice in one batch', async () => {
    await engine.ingestRows([child2, child1]);
    await engine.ingestRows([child2, child1]); // all duplicates: nothing inserted
    expect(await traceRow(t(1))).toMatchObject({ span_count: 2, input_tokens: 107 });
    await engine.ingestRows([child1, root1, other]); // one duplicate among new spans
    expect(await traceRow(t(1))).toMatchObject({ span_count: 3, input_tokens: 107, cost_usd: 0.625, root_name: 'POST /answer' });
    const late = spanRow({ traceId: t(2), spanId: s(5), parentSpanId: s(4), name: 'late', startNs: T0 + 999n * MS, endNs: T0 + 1500n * MS, outputTokens: 3 });
    await engine.ingestRows([late, late]); // the same span twice in one batch
    expect(await traceRow(t(2))).toMatchObject({ span_count: 2, output_tokens: 3, root_name: 'lonely', duration_ns: 501_000_000 });
    await expectSummaryEqualsAggregate();
  });

  it('a span re-sent with different content keeps the first one, in the summary as in span_data', async () => {
    await engine.ingestRows([child1]);
    await engine.ingestRows([{ ...child1, inputTokens: 999, statusCode: 'ok' }, other]);
    expect(await traceRow(t(1))).toMatchObject({ span_count: 1, input_tokens: 100, error_count: 1 });
    await expectSummaryEqualsAggregate();
  });

  // Lowercase hex ids are looked up through the summary's key and merged by UPDATE + INSERT;
  // other ids (here upper case) take the single upsert: both must give the aggregate.
  it.each([
    ['lowercase hex ids (lookup, UPDATE and INSERT)', (n: number) => t(n)],
    ['ids of another form (the upsert)', (n: number) => t(n).toUpperCase()],
  ])('over seeded random batches with duplicates, late roots and NULLs, checked after every batch: %s', async (_, traceId) => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const sent: SpanRow[] = [];
    let startSeq = 0;
    for (let batch = 0; batch < 25; batch++) {
      const rows: SpanRow[] = [];
      for (let i = 0; i < 1 + rnd(30); i++) {
        if (sent.length > 0 && rnd(5) === 0) {
          rows.push(sent[rnd(sent.length)]!); // an exporter retry
          continue;
        }
        const trace = 1 + rnd(12);
        const isRoot = rnd(6) === 0;
        // Distinct start times (a shuffled sequence), so arg_min never meets a tie.
        const start = T0 + BigInt((startSeq++ * 7919) % 10_007) * MS;
        const row = spanRow({
          traceId: traceId(trace),
          spanId: s(1000 + sent.length + rows.length),
          parentSpanId: isRoot ? null : s(rnd(3) === 0 ? 1 : 2),
          name: `op-${rnd(5)}`,
          serviceName: rnd(3) === 0 ? null : `svc-${rnd(3)}`,
          startNs: start,
          endNs: start + BigInt(rnd(5000)) * MS,
          statusCode: rnd(4) === 0 ? 'error' : 'unset',
          inputTokens: rnd(2) === 0 ? null : rnd(1000),
          outputTokens: rnd(3) === 0 ? null : rnd(100),
          costUsd: rnd(2) === 0 ? null : rnd(64) / 16,
          sessionId: rnd(3) === 0 ? `sess-${rnd(4)}` : null,
        });
        rows.push(row);
      }
      await engine.ingestRows(rows);
      sent.push(...rows);
      await expectSummaryEqualsAggregate();
    }
    const view = await expectSummaryEqualsAggregate();
    expect(view.length).toBeGreaterThan(8);
  });

  it('after importing a Parquet export and an OTLP JSON file over spans already stored', async () => {
    await engine.ingestRows([child2, child1, root1, other]);
    const parquet = join(dir.path, 'all.parquet');
    expect((await engine.exportParquet(parquet)).rows).toBe(4);
    const otlpJson = await engine.exportTraceOtlpJson(t(1));
    expect(otlpJson).not.toBeNull();
    const jsonPath = join(dir.path, 'trace1.json');
    writeFileSync(jsonPath, otlpJson!);
    await engine.clearAll();
    await expectSummaryEqualsAggregate();
    expect((await engine.query('SELECT count(*) FROM traces')).rows).toEqual([[0]]);
    // Part of trace 1 is already stored; the Parquet file brings the rest and duplicates.
    await engine.ingestRows([child2]);
    const parquetImport = await engine.importPaths([parquet]);
    expect(parquetImport).toMatchObject({ ok: true, imported: 3 });
    expect(await traceRow(t(1))).toMatchObject({ span_count: 3, root_name: 'POST /answer', input_tokens: 107, cost_usd: 0.625 });
    await expectSummaryEqualsAggregate();
    // The OTLP JSON file: all three spans of trace 1 again, plus nothing new.
    await engine.clearAll();
    await engine.ingestRows([root1]);
    const jsonImport = await engine.importPaths([jsonPath]);
    expect(jsonImport).toMatchObject({ ok: true, imported: 2 });
    expect(await traceRow(t(1))).toMatchObject({ span_count: 3, root_name: 'POST /answer' });
    await expectSummaryEqualsAggregate();
  });

  it('after prune by age and by size, and after clear all', async () => {
    const rows: SpanRow[] = [];
    for (let trace = 1; trace <= 6; trace++) {
      for (let span = 0; span < trace; span++) {
        rows.push(spanRow({ traceId: t(trace), spanId: s(trace * 10 + span), parentSpanId: span === 0 ? null : s(trace * 10), name: `t${trace}-s${span}`, startNs: T0 + BigInt(trace * 1000 + span) * MS, inputTokens: span }));
      }
    }
    await engine.ingestRows(rows);
    await expectSummaryEqualsAggregate();
    // Traces 1 and 2 started before trace 3.
    expect(await engine.pruneTraces({ olderThanNs: String(T0 + 3000n * MS) })).toEqual({ traces: 2, spans: 3 });
    expect((await expectSummaryEqualsAggregate()).map((r) => r[0])).toEqual([t(3), t(4), t(5), t(6)]);
    // The newest traces that fit in 11 spans: 6 (6 spans) and 5 (5 spans).
    expect(await engine.pruneTraces({ maxSpans: 11 })).toEqual({ traces: 2, spans: 7 });
    expect((await expectSummaryEqualsAggregate()).map((r) => r[0])).toEqual([t(5), t(6)]);
    expect(await engine.getStats()).toMatchObject({ traceCount: 2, spanCount: 11 });
    // A pruned trace that receives a span again starts over.
    await engine.ingestRows([spanRow({ traceId: t(1), spanId: s(99), name: 'again', startNs: T0 + 9000n * MS })]);
    expect(await traceRow(t(1))).toMatchObject({ span_count: 1, root_name: 'again' });
    await expectSummaryEqualsAggregate();
    await engine.clearAll();
    expect(await expectSummaryEqualsAggregate()).toEqual([]);
    await engine.ingestRows([child1]);
    expect(await traceRow(t(1))).toMatchObject({ span_count: 1, root_name: 'chat' });
    await expectSummaryEqualsAggregate();
  });
});

describe('schema migration 6', () => {
  it('builds the summary for a version-5 store: the traces view gives the same rows and column types as before', async () => {
    await engine.close();
    const path = join(dir.path, 'v5.duckdb');
    const old = await Store.open({ path, targetVersion: 5 });
    await old.appendSpans([child2, other]);
    await old.appendSpans([child1, child1]);
    await old.appendSpans([root1]);
    const before = await old.query(`SELECT ${TRACE_COLUMNS} FROM traces ORDER BY trace_id`);
    const typesBefore = await old.query(TYPES_SQL);
    await old.close();
    expect(before.rows).toHaveLength(2);
    // Opened read-only, a version-5 store is not migrated: the list and its filters still work.
    const readOnly = await Store.open({ path, readOnly: true });
    const filtered = await readOnly.listTraces({ filter: { attributes: [{ key: 'service.name', op: '=', value: 'svc', scope: 'resource' }] } });
    expect(filtered.total).toBe(2);
    expect(await readOnly.counts()).toEqual({ traceCount: 2, spanCount: 4 });
    await readOnly.close();

    const upgraded = await Store.open({ path });
    expect((await upgraded.query(`SELECT ${TRACE_COLUMNS} FROM traces ORDER BY trace_id`)).rows).toEqual(before.rows);
    expect((await upgraded.query(TYPES_SQL)).rows).toEqual(typesBefore.rows);
    expect(typesBefore.rows[0]).toContain('HUGEINT');
    await expectSummaryEqualsAggregate(upgraded);
    // And it is kept from here on.
    await upgraded.appendSpans([spanRow({ traceId: t(2), spanId: s(8), parentSpanId: s(4), name: 'child', startNs: T0 + 900n * MS, endNs: T0 + 2000n * MS })]);
    const [view] = await viewAndAggregate(upgraded);
    expect(view.find((r) => r[0] === t(2))?.slice(1, 7)).toEqual(['lonely', 'svc', expect.anything(), expect.anything(), 1_100_000_000, 2]);
    await expectSummaryEqualsAggregate(upgraded);
    await upgraded.close();
    engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
  });
});

describe('trace_attributes answers key = value exactly as the span scan does', () => {
  // [scope, key, value] conditions, each checked against json_extract_string over the spans.
  const conditions: ['span' | 'resource', string, string][] = [
    ['span', 'http.status_code', '500'],
    ['span', 'http.status_code', '200'],
    ['span', 'dup', '1'], // a repeated key: json_extract_string sees the first value only
    ['span', 'dup', '2'],
    ['span', 'num', '500.0'], // 5e2 reads back as 500.0
    ['span', 'num', '500'],
    ['span', 'f', '1.5'],
    ['span', 'big', '18446744073709551616'],
    ['span', 'flag', 'true'],
    ['span', 'nothing', 'null'], // a JSON null matches no value
    ['span', 'nested', '{"x":[1,{"y":2}]}'],
    ['span', 'list', '["a","b"]'],
    ['span', 'we"ird/key~', 'yes'],
    ['span', '', 'empty key'],
    ['span', 'text', 'é\n"quoted"'],
    ['span', 'text', 'e\n"quoted"'],
    ['span', 'prompt', 'x'.repeat(5000)], // longer than MAX_INDEXED_VALUE_BYTES: the span scan answers
    ['span', 'edge', 'x'.repeat(256)],
    ['span', 'edge', 'x'.repeat(257)],
    ['span', 'multi', 'é'.repeat(128)], // 256 UTF-8 bytes
    ['span', 'multi', 'é'.repeat(129)],
    ['resource', 'service.version', '2.0'],
    ['resource', 'service.name', 'svc'],
    ['span', 'service.name', 'svc'], // scopes do not mix
    ['span', 'changed', 'before'],
    ['span', 'changed', 'after'], // sent again with other attributes: ignored, so never matches
  ];
  const attrs = (n: number): string =>
    [
      `{"http.status_code":${n % 2 ? 500 : 200},"dup":1,"dup":2,"num":5e2,"f":1.50,"big":18446744073709551616}`,
      `{"flag":true,"nothing":null,"nested":{"x":[1,{"y":2}]},"list":["a","b"]}`,
      `{"we\\"ird/key~":"yes","":"empty key","text":"\\u00e9\\n\\"quoted\\""}`,
      `{"prompt":"${'x'.repeat(5000)}","changed":"before","edge":"${'x'.repeat(256)}","multi":"${'é'.repeat(128)}"}`,
      `{"edge":"${'x'.repeat(257)}","multi":"${'é'.repeat(129)}"}`,
    ][n % 5]!;
  const row = (n: number, extra: Partial<SpanRow> = {}): SpanRow =>
    spanRow({ traceId: t(1 + (n % 5)), spanId: s(n), name: `op-${n}`, startNs: T0 + BigInt(n) * MS, attributesJson: attrs(n), resourceAttributesJson: n % 3 ? '{"service.name":"svc"}' : '{"service.name":"svc","service.version":"2.0"}', ...extra });

  async function expectSameAsSpanScan(): Promise<number> {
    let matched = 0;
    for (const [scope, key, value] of conditions) {
      const page = await engine.listTraces({ filter: { attributes: [{ key, op: '=', value, scope }] }, sort: { by: 'start', dir: 'asc' }, limit: 1000 });
      const column = scope === 'resource' ? 'resource_attributes' : 'attributes';
      const pointer = '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
      const expected = await engine.query(
        `SELECT trace_id FROM traces WHERE trace_id IN (SELECT trace_id FROM spans WHERE json_extract_string(${column}, ${sqlString(pointer)}) = ${sqlString(value)}) ORDER BY start_time, trace_id`,
      );
      expect([key, value, page.traces.map((tr) => tr.traceId)]).toEqual([key, value, expected.rows.map((r) => r[0])]);
      expect(page.total).toBe(expected.rows.length);
      matched += expected.rows.length;
    }
    return matched;
  }

  it('over batches, duplicates and a span re-sent with other attributes, prune and clear all', async () => {
    await engine.ingestRows([0, 1, 2, 3, 4, 5].map((n) => row(n)));
    expect(await expectSameAsSpanScan()).toBeGreaterThan(20);
    // Duplicates (the fallback path), one of them with other attributes, and new spans.
    await engine.ingestRows([row(1), row(3, { attributesJson: '{"changed":"after","http.status_code":404}' }), ...[6, 7, 8, 9].map((n) => row(n))]);
    await engine.ingestRows([row(10), row(10)]);
    const page404 = await engine.listTraces({ filter: { attributes: [{ key: 'http.status_code', op: '=', value: '404' }] } });
    expect(page404.total).toBe(0);
    // Pages of a span-filtered list (each sort) are slices of the whole list, with its total.
    for (const by of ['start', 'duration', 'spans', 'errors'] as const) {
      for (const filter of [{ attributes: [{ key: 'service.name', op: '=' as const, value: 'svc', scope: 'resource' as const }] }, { text: 'op-' }]) {
        const whole = await engine.listTraces({ filter, sort: { by, dir: 'desc' }, limit: 1000 });
        expect(whole.total).toBeGreaterThan(2);
        const page = await engine.listTraces({ filter, sort: { by, dir: 'desc' }, limit: 2, offset: 1 });
        expect(page).toEqual({ traces: whole.traces.slice(1, 3), total: whole.total });
        expect(await engine.listTraces({ filter, sort: { by, dir: 'desc' }, limit: 2, offset: 50 })).toEqual({ traces: [], total: whole.total });
      }
    }
    await expectSameAsSpanScan();
    expect(await engine.pruneTraces({ olderThanNs: String(T0 + 2n * MS) })).toMatchObject({ traces: 2 });
    await expectSameAsSpanScan();
    // A trace id that comes back after prune is indexed afresh.
    await engine.ingestRows([row(100, { traceId: t(1), attributesJson: '{"http.status_code":418}' })]);
    expect((await engine.listTraces({ filter: { attributes: [{ key: 'http.status_code', op: '=', value: '418' }] } })).traces.map((tr) => tr.traceId)).toEqual([t(1)]);
    expect((await engine.listTraces({ filter: { attributes: [{ key: 'dup', op: '=', value: '1' }] } })).traces.map((tr) => tr.traceId)).not.toContain(t(1));
    await expectSameAsSpanScan();
    await engine.clearAll();
    expect(await expectSameAsSpanScan()).toBe(0);
  });

  it('after a Parquet import over stored spans, and a version-5 store upgraded', async () => {
    const parquet = await exportAndKeepTwo(false);
    expect(await engine.importPaths([parquet])).toMatchObject({ ok: true, imported: 6 });
    expect(await expectSameAsSpanScan()).toBeGreaterThan(20);

    await engine.close();
    const path = join(dir.path, 'v5.duckdb');
    const old = await Store.open({ path, targetVersion: 5 });
    await old.appendSpans([0, 1, 2, 3].map((n) => row(n)));
    await old.appendSpans([4, 5, 6].map((n) => row(n)));
    await old.close();
    engine = await Engine.open({ path, dataDir: dir.path });
    expect(await expectSameAsSpanScan()).toBeGreaterThan(20);
  });

  /**
   * trace_attributes' distinct rows as kept against a build of the whole table from span_data:
   * [kept rows the build lacks, built rows not kept, built rows, built NULL markers].
   */
  async function indexAgainstBuild(): Promise<number[]> {
    return engine.store.exclusive(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run('CREATE TEMP TABLE kept_index AS SELECT DISTINCT trace_id, pair FROM trace_attributes');
        await conn.run('DELETE FROM trace_attributes');
        await conn.run(BUILD_TRACE_ATTRIBUTES);
        const built = 'SELECT DISTINCT trace_id, pair FROM trace_attributes';
        const r = await conn.runAndReadAll(`SELECT
            (SELECT count(*) FROM (SELECT * FROM kept_index EXCEPT ${built}))::INTEGER,
            (SELECT count(*) FROM (${built} EXCEPT SELECT * FROM kept_index))::INTEGER,
            (SELECT count(*) FROM (${built}))::INTEGER,
            (SELECT count(*) FROM trace_attributes WHERE pair IS NULL)::INTEGER`);
        return r.getRows()[0] as number[];
      } finally {
        await conn.run('ROLLBACK');
      }
    });
  }

  /** Traces whose attribute rows an import left to build after its commit (their marker rows; `pair IS NULL`: the marker older builds see). */
  const pendingTraces = (marker = 'pair = 0'): Promise<number> =>
    engine.store.exclusive(async (conn) => Number((await conn.runAndReadAll(`SELECT count(DISTINCT trace_id) AS n FROM trace_attributes WHERE ${marker}`)).getRows()[0]![0]));

  /**
   * The stored spans exported, the store cleared, two of them ingested again: an import then adds
   * 6 spans to stored traces. With `arraySpan`, the export also holds a span whose attributes are
   * an array (in a trace of its own), whose marker keeps the index from answering.
   */
  async function exportAndKeepTwo(arraySpan = true): Promise<string> {
    await engine.ingestRows([0, 1, 2, 3, 4, 5, 6, 7].map((n) => row(n)));
    if (arraySpan) await engine.ingestRows([spanRow({ traceId: t(9), spanId: s(90), attributesJson: '["zero","one"]', startNs: T0 + 90n * MS })]);
    const parquet = join(dir.path, 'all.parquet');
    await engine.exportParquet(parquet);
    await engine.clearAll();
    await engine.ingestRows([row(2), row(5)]);
    return parquet;
  }

  /** The import without the engine's build after the commit: the state a filter right after an import meets. */
  const importLeavingIndexPending = (paths: string[]): ReturnType<typeof importPaths> =>
    importPaths({ store: engine.store, dataDir: dir.path, importId: 'test' }, paths);

  it('after a Parquet import over stored spans, holds exactly the rows a build from span_data gives', async () => {
    const parquet = await exportAndKeepTwo();
    expect(await engine.importPaths([parquet])).toMatchObject({ ok: true, imported: 7 });
    await engine.store.attributesIndexed();
    expect(await pendingTraces()).toBe(0);
    const [missing, extra, built, nullMarkers] = await indexAgainstBuild();
    expect(built).toBeGreaterThan(20);
    expect(nullMarkers).toBeGreaterThan(0); // the array-attributes span's marker
    expect([missing, extra]).toEqual([0, 0]);
  });

  it('right after a Parquet import, before its attribute rows are built, filters give the same answers; then the build gives the full rows', async () => {
    // Without the array-attributes span, so the index answers once it is built.
    const parquet = await exportAndKeepTwo(false);
    expect(await importLeavingIndexPending([parquet])).toMatchObject({ ok: true, imported: 6 });
    expect(await pendingTraces()).toBe(5);
    expect(await pendingTraces('pair IS NULL')).toBe(5);
    const matched = await expectSameAsSpanScan();
    expect(matched).toBeGreaterThan(20);
    // A span arriving over OTLP before the build, with an attribute no other span has.
    await engine.ingestRows([row(200, { traceId: t(1), attributesJson: '{"http.status_code":418}' })]);
    const teapot = { attributes: [{ key: 'http.status_code', op: '=' as const, value: '418' }] };
    expect((await engine.listTraces({ filter: teapot })).traces.map((tr) => tr.traceId)).toEqual([t(1)]);
    await engine.store.indexAttributesInBackground();
    expect(await pendingTraces()).toBe(0);
    const [missing, extra, built, nullMarkers] = await indexAgainstBuild();
    expect([missing, extra, nullMarkers]).toEqual([0, 0, 0]);
    expect(built).toBeGreaterThan(20);
    expect(await expectSameAsSpanScan()).toBe(matched);
    expect((await engine.listTraces({ filter: teapot })).traces.map((tr) => tr.traceId)).toEqual([t(1)]);
  });

  it('a sustained write (2,048 spans or more at once) leaves its attribute rows pending, filters give the same answers, and once writes stop they are built', async () => {
    // A small write (an app sending now and then) indexes its spans at once.
    await engine.ingestRows([0, 1, 2].map((n) => row(n)));
    expect(await pendingTraces()).toBe(0);
    await engine.ingestRows(Array.from({ length: 2500 }, (_, i) => row(1000 + i)));
    expect(await pendingTraces()).toBe(5);
    expect(await pendingTraces('pair IS NULL')).toBe(5);
    const matched = await expectSameAsSpanScan();
    expect(matched).toBeGreaterThan(20);
    // No write for a second: the store builds them by itself.
    const deadline = Date.now() + 15_000;
    while ((await pendingTraces()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pendingTraces()).toBe(0);
    const [missing, extra, built, nullMarkers] = await indexAgainstBuild();
    expect([missing, extra, nullMarkers]).toEqual([0, 0, 0]);
    expect(built).toBeGreaterThan(20);
    expect(await expectSameAsSpanScan()).toBe(matched);
  });

  it('a store closed before the attribute rows of its last import were built builds them when it opens', async () => {
    const parquet = await exportAndKeepTwo();
    expect(await importLeavingIndexPending([parquet])).toMatchObject({ ok: true, imported: 7 });
    expect(await pendingTraces()).toBeGreaterThan(0);
    await engine.close();
    engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
    await engine.store.attributesIndexed();
    expect(await pendingTraces()).toBe(0);
    const [missing, extra] = await indexAgainstBuild();
    expect([missing, extra]).toEqual([0, 0]);
    await expectSameAsSpanScan();
  });

  it('a close right after an import (which may interrupt the build) leaves a store whose next open completes the index', async () => {
    // 40,000 spans, so the build after the commit is likely still running when close comes.
    const parquet = join(dir.path, 'many.parquet');
    await engine.store.exclusive((conn) =>
      conn.run(`COPY (SELECT printf('%032x', i // 8) AS trace_id, printf('%016x', i + 1) AS span_id, 'op' AS name,
          1795392000000 + i AS start_ms, 1795392000000 + i + 5 AS end_ms,
          '{"http.status_code": ' || (200 + i % 7) || ', "url.path": "/p/' || (i % 500) || '"}' AS attributes
        FROM range(40000) t(i)) TO '${parquet}' (FORMAT parquet)`),
    );
    expect(await engine.importPaths([parquet])).toMatchObject({ ok: true, imported: 40_000 });
    await engine.close();
    engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
    await engine.store.attributesIndexed();
    expect(await pendingTraces()).toBe(0);
    const [missing, extra, built] = await indexAgainstBuild();
    expect(built).toBeGreaterThan(5000);
    expect([missing, extra]).toEqual([0, 0]);
    const page = await engine.listTraces({ filter: { attributes: [{ key: 'url.path', op: '=', value: '/p/7' }] }, limit: 1000 });
    expect(page.total).toBe(80); // i % 500 = 7: 80 spans, each in its own trace of 8
  });

  it('a span whose attributes are not a JSON object: equality filters scan the spans, and still match the same traces', async () => {
    await engine.ingestRows([0, 1, 2, 3].map((n) => row(n)));
    await engine.ingestRows([spanRow({ traceId: t(9), spanId: s(90), attributesJson: '["zero","one"]', startNs: T0 + 90n * MS })]);
    // A JSON pointer /1 reads an array element.
    const page = await engine.listTraces({ filter: { attributes: [{ key: '1', op: '=', value: 'one' }] } });
    expect(page.traces.map((tr) => tr.traceId)).toEqual([t(9)]);
    await expectSameAsSpanScan();
  });
});

/** A SQL string literal (test-only: the values are the test's own constants). */
function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

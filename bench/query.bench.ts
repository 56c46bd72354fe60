// Trace-list queries over a large store: a page with an attribute-equality filter, a full-text
// search, and a sort by duration, each timed through Store.listTraces (what the UI asks) and as
// the same question put bare to DuckDB in the same run: a straightforward SQL over the raw span
// table (the `traces` aggregate over span_data, span conditions as a semi-join before grouping).
// The store answers from its per-trace summary (trace_summary), attribute equality from its
// per-trace attribute pairs (trace_attributes), other span conditions as a semi-join on
// span_data; the output says what each side reads. `npm run bench:query [-- --spans
// N --runs N]`; default 5,000,000 spans.
//
// The rows are generated inside DuckDB (INSERT ... SELECT FROM range()), 10 spans per trace,
// 1 trace in 10 with an error, 1 span in 20 with http.status_code 500, 1 in 50,000 with the
// search word in its prompt attribute.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store } from '../electron/engine/store';
import { TRACES_AGGREGATE } from '../electron/engine/store/schema';
import { BUILD_TRACE_ATTRIBUTES, BUILD_TRACE_SUMMARY } from '../electron/engine/store/trace-summary';
import type { TraceQuery } from '../shared/model';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '5000000' }, runs: { type: 'string', default: '7' } } });
const SPANS = Number(values.spans);
const RUNS = Number(values.runs);
const SPANS_PER_TRACE = 10;
const T0_NS = 1_795_392_000_000_000_000n;

const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-query-'));
const path = join(dir, 'bench.duckdb');

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function generate(): Promise<{ spansMs: number; summaryMs: number }> {
  const store = await Store.open({ path });
  await store.close();
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  const started = performance.now();
  await conn.run(
    `INSERT INTO span_data BY NAME
     SELECT
       lpad(to_hex(i // ${SPANS_PER_TRACE}), 32, '0') AS trace_id,
       lpad(to_hex(i), 16, '0') AS span_id,
       CASE WHEN i % ${SPANS_PER_TRACE} = 0 THEN NULL ELSE lpad(to_hex(i - i % ${SPANS_PER_TRACE}), 16, '0') END AS parent_span_id,
       CASE WHEN i % ${SPANS_PER_TRACE} = 0 THEN 'GET /route-' || (i // ${SPANS_PER_TRACE}) % 50 ELSE 'span-' || i % ${SPANS_PER_TRACE} END AS name,
       'internal' AS kind,
       make_timestamp_ns((${T0_NS} + (i // ${SPANS_PER_TRACE}) * 1000000000 + (i % ${SPANS_PER_TRACE}) * 1000000)::BIGINT) AS start_time,
       make_timestamp_ns((${T0_NS} + (i // ${SPANS_PER_TRACE}) * 1000000000 + (i % ${SPANS_PER_TRACE}) * 1000000 + 1000000 + hash(i) % 500000000)::BIGINT) AS end_time,
       (1000000 + hash(i) % 500000000)::BIGINT AS duration_ns,
       CASE WHEN i % 100 = 7 THEN 'error' ELSE 'unset' END AS status_code,
       '' AS status_message,
       'svc-' || (i // ${SPANS_PER_TRACE}) % 20 AS service_name,
       ('{"http.status_code":' || CASE WHEN i % 20 = 3 THEN 500 ELSE 200 END ||
         ',"gen_ai.prompt":"question ' || i || CASE WHEN i % 50000 = 11 THEN ' about zanzibar' ELSE '' END || '"}')::JSON AS attributes,
       '{"service.name":"svc"}'::JSON AS resource_attributes,
       '[]'::JSON AS events, '[]'::JSON AS links,
       'bench' AS source, '' AS trace_state, 1 AS flags, 0 AS dropped_attributes_count, 0 AS dropped_events_count,
       0 AS dropped_links_count, '' AS resource_schema_url, '' AS scope_schema_url, '{}'::JSON AS scope_attributes
     FROM range(${SPANS}) t(i)`,
  );
  await conn.run('CHECKPOINT');
  const spansMs = performance.now() - started;
  // Rows inserted straight into span_data bypass the writer, so the per-trace tables are built
  // as schema migration 6 builds them for an existing store (the same statements).
  const summaryStarted = performance.now();
  await conn.run(BUILD_TRACE_SUMMARY);
  await conn.run(BUILD_TRACE_ATTRIBUTES);
  await conn.run('CHECKPOINT');
  instance.closeSync();
  return { spansMs, summaryMs: performance.now() - summaryStarted };
}

/**
 * The bare side: the page (and matching total) asked straight of span_data, with the same
 * conditions the store applies to spans, grouped into traces by the `traces` aggregate.
 */
function bareSql(spanCondition: string | null, sortColumn: 'start_time' | 'duration_ns'): string {
  const where = spanCondition ? `WHERE trace_id IN (SELECT trace_id FROM span_data WHERE ${spanCondition})` : '';
  return `SELECT trace_id, root_name, service_name, epoch_ns(start_time)::VARCHAR, duration_ns, span_count, error_count, input_tokens, output_tokens, cost_usd, session_id,
                 count(*) OVER () AS total_matching
          FROM (${TRACES_AGGREGATE} ${where} GROUP BY trace_id) ORDER BY ${sortColumn} DESC, trace_id DESC LIMIT 100`;
}

const TEXT_CONDITION = `contains(lower(name), 'zanzibar') OR contains(lower(attributes::VARCHAR), 'zanzibar')
  OR contains(lower(events::VARCHAR), 'zanzibar')`;

async function main(): Promise<void> {
  console.log(`generating ${SPANS.toLocaleString()} spans (${(SPANS / SPANS_PER_TRACE).toLocaleString()} traces) ...`);
  const gen = await generate();
  console.log(`  generated in ${(gen.spansMs / 1000).toFixed(1)} s; trace_summary and trace_attributes built in ${(gen.summaryMs / 1000).toFixed(1)} s (what migration 6 takes)`);

  // [name, the store's query, the bare SQL, what each side reads]
  const cases: [string, TraceQuery, string, string][] = [
    [
      'attribute filter http.status_code=500',
      { filter: { attributes: [{ key: 'http.status_code', op: '=', value: '500' }] }, limit: 100 },
      bareSql(`json_extract_string(attributes, '/http.status_code') = '500'`, 'start_time'),
      'store: trace_summary + trace_attributes (attribute pairs per trace); bare: span_data semi-join (JSON) + aggregate',
    ],
    [
      'full-text "zanzibar"',
      { filter: { text: 'zanzibar' }, limit: 100 },
      // The store also searches log bodies (log_data is empty here).
      bareSql(TEXT_CONDITION, 'start_time'),
      'store: trace_summary + span_data/log_data semi-joins, lower() only on texts holding the needle\'s rarest letter; bare: span_data semi-join + aggregate',
    ],
    ['sort by duration desc', { sort: { by: 'duration', dir: 'desc' }, limit: 100 }, bareSql(null, 'duration_ns'), 'store: trace_summary; bare: aggregate of span_data'],
    ['newest first, no filter', { limit: 100 }, bareSql(null, 'start_time'), 'store: trace_summary; bare: aggregate of span_data'],
  ];

  // Both read-only at once, and the two sides alternate run by run, so neither gets the warmer
  // cache or the quieter moment on a shared machine.
  const store = await Store.open({ path, readOnly: true });
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const results: { name: string; store: number; bare: number; total: number; reads: string }[] = [];
  for (const [name, query, sql, reads] of cases) {
    let total = 0;
    let bareTotal = 0;
    const storeRun = async (): Promise<void> => {
      total = (await store.listTraces(query)).total;
    };
    const bareRun = async (): Promise<void> => {
      bareTotal = Number((await conn.runAndReadAll(sql)).getRows()[0]?.[11] ?? 0);
    };
    await storeRun();
    await bareRun();
    const storeSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await storeRun();
      storeSamples.push(performance.now() - t);
      t = performance.now();
      await bareRun();
      bareSamples.push(performance.now() - t);
    }
    if (bareTotal !== total) throw new Error(`${name}: the store found ${total} traces, bare DuckDB ${bareTotal}`);
    results.push({ name, store: p50(storeSamples), bare: p50(bareSamples), total, reads });
  }
  instance.closeSync();
  await store.close();

  console.log(`\np50 of ${RUNS} runs (after one warm-up), a page of 100 traces + the matching total:`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(40)} store ${r.store.toFixed(0).padStart(6)} ms   bare DuckDB ${r.bare.toFixed(0).padStart(6)} ms   ratio ${(r.store / r.bare).toFixed(2)}   (${r.total.toLocaleString()} traces match)\n      ${r.reads}`,
    );
  }
  console.log('targets: attribute filter and sort p50 < 300 ms, full-text < 1 s, each within 2x of bare DuckDB');
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));

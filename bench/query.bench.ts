// Trace-list queries over a large store: a page with an attribute-equality filter, a full-text
// search, and a sort by duration, each timed through Store.listTraces (what the UI asks) and as
// the same SQL run bare on a DuckDB connection in the same run (the ratio is the store's
// overhead). `npm run bench:query [-- --spans N --runs N]`; default 5,000,000 spans.
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
import { traceFilterSql } from '../electron/engine/store/trace-filter';
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

async function generate(): Promise<number> {
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
  instance.closeSync();
  return performance.now() - started;
}

/** The SQL Store.listTraces runs for `query` (a page with the matching total), for the bare comparison. */
function bareSql(query: TraceQuery): { page: string; params: ReturnType<typeof traceFilterSql>['params'] } {
  const { from, where, params } = traceFilterSql(query.filter);
  const column = query.sort?.by === 'duration' ? 'duration_ns' : 'start_time';
  const dir = query.sort?.dir === 'asc' ? 'ASC' : 'DESC';
  return {
    page: `SELECT trace_id, root_name, service_name, epoch_ns(start_time)::VARCHAR, duration_ns, span_count, error_count, input_tokens, output_tokens, cost_usd, session_id,
                  count(*) OVER () AS total_matching
           FROM ${from} ${where} ORDER BY ${column} ${dir}, trace_id ${dir} LIMIT 100`,
    params,
  };
}

async function main(): Promise<void> {
  console.log(`generating ${SPANS.toLocaleString()} spans (${(SPANS / SPANS_PER_TRACE).toLocaleString()} traces) ...`);
  const genMs = await generate();
  console.log(`  generated in ${(genMs / 1000).toFixed(1)} s`);

  const cases: [string, TraceQuery][] = [
    ['attribute filter http.status_code=500', { filter: { attributes: [{ key: 'http.status_code', op: '=', value: '500' }] }, limit: 100 }],
    ['full-text "zanzibar"', { filter: { text: 'zanzibar' }, limit: 100 }],
    ['sort by duration desc', { sort: { by: 'duration', dir: 'desc' }, limit: 100 }],
    ['newest first, no filter', { limit: 100 }],
  ];

  // Both read-only at once, and the two sides alternate run by run, so neither gets the warmer
  // cache or the quieter moment on a shared machine.
  const store = await Store.open({ path, readOnly: true });
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const results: { name: string; store: number; bare: number; total: number }[] = [];
  for (const [name, query] of cases) {
    const sql = bareSql(query);
    let total = 0;
    const storeRun = async (): Promise<void> => {
      total = (await store.listTraces(query)).total;
    };
    const bareRun = async (): Promise<void> => {
      await conn.runAndReadAll(sql.page, sql.params);
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
    results.push({ name, store: p50(storeSamples), bare: p50(bareSamples), total });
  }
  instance.closeSync();
  await store.close();

  console.log(`\np50 of ${RUNS} runs (after one warm-up), a page of 100 traces + the matching total:`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(40)} store ${r.store.toFixed(0).padStart(6)} ms   bare DuckDB ${r.bare.toFixed(0).padStart(6)} ms   ratio ${(r.store / r.bare).toFixed(2)}   (${r.total.toLocaleString()} traces match)`,
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

// Parquet import and export at DuckDB speed. Generates a ClickHouse `otel_traces`-style file of
// N spans (default 1,000,000; 10 spans a trace; HTTP/DB attributes on every span and GenAI
// model/token attributes on a quarter of them; resource maps; an event on every tenth span),
// then in the same run:
//   import:  DuckDB's bare `COPY t FROM file` into a table of the file's own layout (no mapping,
//            no primary key)  vs  Tracedeck's importPaths (mapping to the spans contract, JSON,
//            LLM columns, primary key, one transaction)
//   attribute index: built after the import's commit; an attribute-equality filter right after
//            the import returns (it scans the spans) and once the index is in (same answer)
//   first trace list: the first page of listTraces right after the import returns; the same
//            page asked of the Parquet file in place, bare (the design that skips the import);
//            and Tracedeck's previewImport (the file read in place through the import's
//            mapping, what the UI shows while the import runs), asked as the import starts,
//            timed from opening the file (the import's INSERT waits for it, at most 2 s, and
//            its time here includes that wait); then once more with the store idle
//   export:  bare `COPY t TO file (zstd)` of the same spans table  vs  Tracedeck's exportParquet
//   re-import of Tracedeck's own export (round trip) vs bare COPY FROM of that file
// Prints times, spans/s and ratios; peak RSS of this process (the import never materialises
// rows in JavaScript); each import's phases (electron/engine/phase-times.ts) on stderr.
//
// Run: npm run bench:parquet   (options: --spans N)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../electron/engine/api';

process.env.TRACEDECK_IMPORT_PHASES ??= '1';
const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' } } });
const N = Number(values.spans);
const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-parquet-'));
const source = join(dir, 'otel_traces.parquet');

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms: number): string => `${Math.round(N / (ms / 1000)).toLocaleString('en')} spans/s`;

try {
  // ---- the input file ----------------------------------------------------------------------------
  const gen = await DuckDBInstance.create(':memory:');
  const g = await gen.connect();
  const [, genMs] = await timed(() =>
    g.run(`COPY (
      SELECT
        TIMESTAMP '2026-11-20 00:00:00' + to_microseconds((i // 10) * 1000 + (i % 10) * 7) AS "Timestamp",
        printf('%032x', i // 10) AS "TraceId",
        printf('%016x', i + 1) AS "SpanId",
        CASE WHEN i % 10 = 0 THEN '' ELSE printf('%016x', (i // 10) * 10 + 1) END AS "ParentSpanId",
        '' AS "TraceState",
        CASE i % 4 WHEN 0 THEN 'GET /api/orders/{id}' WHEN 1 THEN 'SELECT orders' WHEN 2 THEN 'chat gpt-4o-mini' ELSE 'redis GET' END AS "SpanName",
        CASE WHEN i % 10 = 0 THEN 'Server' ELSE 'Client' END AS "SpanKind",
        'svc-' || (i // 10 % 20)::VARCHAR AS "ServiceName",
        MAP {'service.name': 'svc-' || (i // 10 % 20)::VARCHAR, 'host.name': 'host-' || (i % 7)::VARCHAR, 'telemetry.sdk.language': 'python', 'deployment.environment': 'prod'} AS "ResourceAttributes",
        'opentelemetry.instrumentation.bench' AS "ScopeName",
        '0.48b0' AS "ScopeVersion",
        CASE WHEN i % 4 = 2 THEN MAP {'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
                                     'gen_ai.usage.input_tokens': ((i * 7) % 900 + 50)::VARCHAR, 'gen_ai.usage.output_tokens': ((i * 3) % 300 + 5)::VARCHAR,
                                     'gen_ai.response.id': 'chatcmpl-' || md5(i::VARCHAR)}
             ELSE MAP {'http.request.method': 'GET', 'url.path': '/api/orders/' || (i % 1000)::VARCHAR, 'http.response.status_code': '200',
                       'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1', 'net.peer.name': 'db-1'} END AS "SpanAttributes",
        ((i % 97) + 1) * 100000 AS "Duration",
        CASE WHEN i % 50 = 0 THEN 'Error' ELSE 'Ok' END AS "StatusCode",
        CASE WHEN i % 50 = 0 THEN 'upstream timeout' ELSE '' END AS "StatusMessage",
        CASE WHEN i % 10 = 3 THEN [TIMESTAMP_NS '2026-11-20 00:00:00'] ELSE []::TIMESTAMP_NS[] END AS "Events.Timestamp",
        CASE WHEN i % 10 = 3 THEN ['exception'] ELSE []::VARCHAR[] END AS "Events.Name",
        CASE WHEN i % 10 = 3 THEN [MAP {'exception.type': 'TimeoutError', 'exception.message': 'read timed out'}] ELSE []::MAP(VARCHAR, VARCHAR)[] END AS "Events.Attributes",
        []::VARCHAR[] AS "Links.TraceId", []::VARCHAR[] AS "Links.SpanId", []::VARCHAR[] AS "Links.TraceState", []::MAP(VARCHAR, VARCHAR)[] AS "Links.Attributes"
      FROM range(${N}) t(i)
    ) TO '${source}' (FORMAT parquet, COMPRESSION zstd)`),
  );
  gen.closeSync();
  console.log(`generated ${N.toLocaleString('en')} spans (${(statSync(source).size / 1e6).toFixed(1)} MB) in ${fmt(genMs)}`);

  // ---- bare DuckDB baseline ----------------------------------------------------------------------
  const bare = await DuckDBInstance.create(join(dir, 'bare.duckdb'));
  const b = await bare.connect();
  // The other design for the 2 s target: the first trace-list page asked of the file in place.
  const [, inPlaceMs] = await timed(() =>
    b.runAndReadAll(`SELECT "TraceId", min("Timestamp") AS start, count(*) AS spans, count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors,
        arg_min("SpanName", "Timestamp") FILTER (WHERE "ParentSpanId" = '') AS root
      FROM read_parquet('${source}') GROUP BY "TraceId" ORDER BY start DESC LIMIT 100`),
  );
  await b.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${source}') LIMIT 0`);
  const [, bareImportMs] = await timed(() => b.run(`COPY t FROM '${source}' (FORMAT parquet)`));

  // ---- Tracedeck import, first trace list ---------------------------------------------------------
  const engine = await Engine.open({ path: join(dir, 'tracedeck.duckdb'), dataDir: dir });
  const importStarted = performance.now();
  const importing = engine.importPaths([source]);
  const preview = await engine.previewImport([source], { limit: 100 });
  const previewMs = performance.now() - importStarted;
  if (preview.traces.length !== 100) throw new Error(`the preview listed ${preview.traces.length} traces`);
  const result = await importing;
  const importMs = performance.now() - importStarted;
  if (!result.ok) throw new Error(result.error);
  // Right after the import returns, while the attribute index of its traces is built after the
  // commit: the first list page, and an attribute-equality filter (it scans the spans until the
  // index is in), then the same filter once it is.
  const [page, listMs] = await timed(() => engine.listTraces({ limit: 100 }));
  if (page.traces.length === 0) throw new Error('no traces listed');
  const byAttribute = { filter: { attributes: [{ key: 'gen_ai.request.model', op: '=' as const, value: 'gpt-4o-mini' }] }, limit: 100 };
  const [scanned, scanFilterMs] = await timed(() => engine.listTraces(byAttribute));
  await engine.store.attributesIndexed();
  const indexMs = performance.now() - importStarted - importMs;
  const [indexed, indexFilterMs] = await timed(() => engine.listTraces(byAttribute));
  if (scanned.total !== indexed.total || scanned.total === 0) throw new Error(`the filter matched ${scanned.total} traces before the index, ${indexed.total} after`);
  // The preview alone, the store idle (what it costs without an import competing for the cores).
  const [, previewIdleMs] = await timed(() => engine.previewImport([source], { limit: 100 }));

  // ---- export --------------------------------------------------------------------------------------
  const exported = join(dir, 'export.parquet');
  const [exportResult, exportMs] = await timed(() => engine.exportParquet(exported));
  await engine.close();
  await b.run(`CREATE TABLE s AS SELECT * FROM read_parquet('${exported}')`);
  const [, bareExportMs] = await timed(() => b.run(`COPY s TO '${join(dir, 'bare-export.parquet')}' (FORMAT parquet, COMPRESSION zstd)`));
  await b.run('CREATE TABLE s2 AS SELECT * FROM s LIMIT 0');
  const [, bareReimportMs] = await timed(() => b.run(`COPY s2 FROM '${exported}' (FORMAT parquet)`));
  bare.closeSync();

  const second = await Engine.open({ path: join(dir, 'second.duckdb'), dataDir: dir });
  const [again, reimportMs] = await timed(() => second.importPaths([exported]));
  if (!again.ok || again.imported !== N) throw new Error(`round trip imported ${again.imported} of ${N}`);
  await second.close();

  console.log('');
  console.log(`import    bare COPY FROM            ${fmt(bareImportMs)}  (${rate(bareImportMs)})`);
  console.log(`          Tracedeck importPaths     ${fmt(importMs)}  (${rate(importMs)})  ratio ${(importMs / bareImportMs).toFixed(2)}× (target ≤ 3×)`);
  console.log(`          first trace list page     ${fmt(listMs)}; trace list shown ${fmt(importMs + listMs)} after opening (target ≤ 2 s)`);
  console.log(`          attribute index built ${fmt(indexMs)} after the import returned; a filter on an attribute (${indexed.total.toLocaleString('en')} traces) ${fmt(scanFilterMs)} before it, ${fmt(indexFilterMs)} after`);
  console.log(`          query in place (first page straight from the file, no import)  ${fmt(inPlaceMs)}`);
  console.log(`          previewImport first page  ${fmt(previewMs)} after opening, the import started beside it (target ≤ 2 s); ${fmt(previewIdleMs)} again with the store idle; ${preview.total.toLocaleString('en')} traces`);
  console.log(`export    bare COPY TO (zstd)       ${fmt(bareExportMs)}`);
  console.log(`          Tracedeck exportParquet   ${fmt(exportMs)}  (${exportResult.rows.toLocaleString('en')} rows, ${(exportResult.bytes / 1e6).toFixed(1)} MB)  ratio ${(exportMs / bareExportMs).toFixed(2)}× (target ≤ 2×)`);
  console.log(`re-import bare COPY FROM            ${fmt(bareReimportMs)}`);
  console.log(`          Tracedeck (own format)    ${fmt(reimportMs)}  ratio ${(reimportMs / bareReimportMs).toFixed(2)}×`);
  console.log(`peak RSS of this process            ${(peakRss / 1e6).toFixed(0)} MB`);
} finally {
  clearInterval(rssTimer);
  rmSync(dir, { recursive: true, force: true });
}

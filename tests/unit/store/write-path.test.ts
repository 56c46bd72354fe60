// The span write path's speed settings keep what they must: JSON columns staged as JSON (no
// cast on insert) still hold JSON values, a retried batch is still stored once, and the writer
// folds its WAL less often than DuckDB's default 16 MB.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { stageRows } from '../../../electron/engine/store/staged-spans';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

it('stores the JSON columns as JSON values, and a retried batch once', async () => {
  const rows = Array.from({ length: 3 }, (_, i) =>
    spanRow({
      spanId: hexId(i + 1, 16),
      attributesJson: `{"k":{"type":"int","value":"${9007199254740993n + BigInt(i)}"}}`,
      eventsJson: '[{"time":"2026-11-23T00:00:00.000000001Z","name":"e","attributes":{}}]',
    }),
  );
  await store.appendSpans(rows);
  await store.appendSpans(rows); // the exporter's retry
  const r = await store.query(
    "SELECT count(*) AS n, min(json_type(attributes)) AS a, min(json_type(events)) AS e, max(attributes->>'$.k.value') AS v FROM spans",
  );
  expect(r.rows).toEqual([[3, 'OBJECT', 'ARRAY', '9007199254740995']]);
});

it('stores worker-staged spans (appended as chunks built on arrival) once when a write is retried for a span sent twice', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => spanRow({ traceId: hexId(Math.floor(i / 3) + 1, 32), spanId: hexId(i + 1, 16), name: `op-${i}` }));
  // Two requests with the same spans in one write: the plain insert fails, and the retry appends
  // the same chunks again, ignoring the repeats; then the spans once more in a write of their own.
  await Promise.all([store.appendStagedSpans(stageRows(rows)), store.appendStagedSpans(stageRows(rows.slice(0, 1000)))]);
  await store.appendStagedSpans(stageRows(rows.slice(2000)));
  const r = await store.query("SELECT count(*) AS n, count(DISTINCT span_id) AS d, max(name) FILTER (WHERE span_id = '" + hexId(2999, 16) + "') AS last FROM spans");
  expect(r.rows).toEqual([[3000, 3000, 'op-2998']]);
  const traces = await store.query('SELECT count(*), sum(span_count) FROM traces');
  expect(traces.rows).toEqual([[1000, 3000]]);
});

it('reuses spent staging chunks without carrying over their NULLs or values', async () => {
  const rows = (from: number, withNulls: boolean) =>
    Array.from({ length: 2500 }, (_, i) =>
      spanRow({
        traceId: hexId(from + Math.floor(i / 5), 32),
        spanId: hexId(from + i, 16),
        parentSpanId: withNulls ? null : hexId(from, 16),
        sessionId: withNulls ? null : `s-${from + i}`,
        inputTokens: withNulls ? null : i,
        name: `n-${from + i}`,
      }),
    );
  // Written one after the other, so the second reuses the chunks the first spent.
  await store.appendStagedSpans(stageRows(rows(1, true)));
  await store.appendStagedSpans(stageRows(rows(100_000, false)));
  await store.appendStagedSpans(stageRows(rows(200_000, true)));
  const r = await store.query(`SELECT (span_id >= '${hexId(100_000, 16)}' AND span_id < '${hexId(200_000, 16)}') AS second,
      count(*), count(parent_span_id), count(session_id), count(input_tokens), count(DISTINCT name) FROM spans GROUP BY ALL ORDER BY second`);
  expect(r.rows).toEqual([
    [false, 5000, 0, 0, 0, 5000],
    [true, 2500, 2500, 2500, 2500, 2500],
  ]);
});

it('checkpoints the WAL at 256 MB rather than every few batches', async () => {
  const r = await store.query("SELECT current_setting('checkpoint_threshold') AS t");
  expect(String(r.rows[0]![0])).toMatch(/^(256\.0 ?MiB|256MB|268\.4 ?MB|244\.1 ?MiB)$/);
});

it('stages columnar chunks with shared resource/scope groups and default values, and stores every column as given', async () => {
  // 5,000 rows (three data chunks), two resources, two scopes, every kind and status, and
  // the values the staging sends as NULL (empty status message and trace state, no events
  // or links) mixed with ones it sends as they are.
  const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
  const statuses = ['unset', 'ok', 'error'] as const;
  const rows = Array.from({ length: 5000 }, (_, i) =>
    spanRow({
      traceId: hexId(Math.floor(i / 10) + 1, 32),
      spanId: hexId(i + 1, 16),
      parentSpanId: i % 10 === 0 ? null : hexId(Math.floor(i / 10) * 10 + 1, 16),
      kind: kinds[i % 6]!,
      statusCode: statuses[i % 3]!,
      statusMessage: i % 7 === 0 ? `failed ${i}` : '',
      traceState: i % 11 === 0 ? `k=${i}` : '',
      eventsJson: i % 5 === 0 ? `[{"name":"e${i}"}]` : '[]',
      linksJson: i % 13 === 0 ? `[{"trace_id":"${hexId(i, 32)}"}]` : '[]',
      serviceName: i % 2 === 0 ? 'svc-a' : null,
      resourceAttributesJson: i % 2 === 0 ? '{"service.name":"svc-a"}' : '{"host":"b"}',
      scopeName: i % 3 === 0 ? 'scope-x' : 'scope-y',
      scopeVersion: i % 3 === 0 ? '1.0' : null,
      scopeAttributesJson: i % 3 === 0 ? '{"s":1}' : '{}',
      source: i < 2500 ? 'otlp-http' : 'otlp-grpc',
      inputTokens: i % 4 === 0 ? i : null,
      costUsd: i % 4 === 0 ? i / 1000 : null,
      flags: i % 256,
      droppedAttributesCount: i % 3,
      valueTypesJson: i % 17 === 0 ? '{"attributes":{"$.\\"b\\"":"bytes"}}' : null,
    }),
  );
  // Four requests queued together, two already in staging form (as an ingest worker sends them)
  // and two as rows: one write stages several parts and must number their groups apart. Then the
  // first part is re-sent (an exporter's retry) along with the last spans: the retried write
  // stages the parts again.
  const parts = [rows.slice(0, 1000), rows.slice(1000, 2500), rows.slice(2500, 4000), rows.slice(4000, 4500)];
  // Staged parts in both forms: binary (as a worker sends them) and with their strings kept.
  await Promise.all(parts.map((part, i) => (i % 2 === 0 ? store.appendStagedSpans(stageRows(part, i === 0)) : store.appendSpans(part))));
  await store.appendStagedSpans(stageRows([...rows.slice(0, 200), ...rows.slice(4500)], true));
  const r = await store.query(
    `SELECT span_id, kind, status_code, status_message, trace_state, events::VARCHAR, links::VARCHAR, service_name,
            resource_attributes::VARCHAR, scope_name, scope_version, scope_attributes::VARCHAR, source, input_tokens,
            cost_usd, flags, dropped_attributes_count, value_types::VARCHAR, parent_span_id
     FROM spans ORDER BY span_id`,
    10_000,
  );
  expect(r.rows).toHaveLength(5000);
  const byId = new Map(rows.map((row) => [row.spanId, row]));
  for (const got of r.rows) {
    const want = byId.get(String(got[0]))!;
    expect(got.slice(1)).toEqual([
      want.kind,
      want.statusCode,
      want.statusMessage,
      want.traceState,
      want.eventsJson,
      want.linksJson,
      want.serviceName,
      want.resourceAttributesJson,
      want.scopeName,
      want.scopeVersion,
      want.scopeAttributesJson,
      want.source,
      want.inputTokens,
      want.costUsd,
      want.flags,
      want.droppedAttributesCount,
      want.valueTypesJson ?? null,
      want.parentSpanId,
    ]);
  }
});

it('runs DuckDB on one thread while writes keep coming, and gives it all its threads back when they stop or an import starts', async () => {
  const all = await store.duckdbThreads();
  if (all < 2) {
    console.log(`skipped: DuckDB runs on ${all} thread here (one core), so there is nothing to give back`);
    return;
  }
  const burst = (from: number) => Array.from({ length: 3000 }, (_, i) => spanRow({ traceId: hexId(from + i, 32), spanId: hexId(from + i, 16) }));
  // A small write (an app sending now and then) leaves DuckDB as it is.
  await store.appendSpans(burst(1).slice(0, 100));
  expect(await store.duckdbThreads()).toBe(all);
  // A small write within a second of the last one (steady ingest of small requests) runs on one
  // thread, until no write has run for a second.
  await store.appendSpans(burst(1).slice(100, 200));
  expect(await store.duckdbThreads()).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await store.duckdbThreads()).toBe(all);
  // A write of 2,048 rows or more (requests queued behind the previous one) runs on one thread
  // even when it is the first for a while ...
  await store.appendSpans(burst(10_000));
  expect(await store.duckdbThreads()).toBe(1);
  // ... until no write has run for a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await store.duckdbThreads()).toBe(all);
  // An import or export (exclusive work) gets every thread at once.
  await store.appendSpans(burst(20_000));
  expect(await store.duckdbThreads()).toBe(1);
  const during = await store.exclusive(async (conn) => Number((await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]![0]));
  expect(during).toBe(all);
  expect((await store.query('SELECT count(*) FROM spans')).rows[0]![0]).toBe(6200);
});

it('stores strings of every kind of character as sent, whether a part is all ASCII or not, and tells NULL from empty', async () => {
  // Staged strings travel as UTF-8 bytes with offsets (staged-spans.ts): a column of ASCII only is
  // encoded in one piece, one with any other character string by string. 2,100 rows: two chunks.
  const names = ['plain', '', 'naïve café', '日本語のスパン', 'emoji 🤖 tool', 'quote " and \\ and \n newline', 'nul \u0000 inside', 'é'];
  const asciiOnly = (i: number) => `op-${i}`;
  const rows = (from: number, name: (i: number) => string) =>
    Array.from({ length: 2100 }, (_, i) =>
      spanRow({
        traceId: hexId(from + Math.floor(i / 7), 32),
        spanId: hexId(from + i, 16),
        name: name(i),
        sessionId: i % 3 === 0 ? null : i % 3 === 1 ? '' : `séance-${i}`,
        attributesJson: JSON.stringify({ text: { type: 'string', value: name(i) } }),
      }),
    );
  const parts = [rows(1, (i) => names[i % names.length]!), rows(100_000, asciiOnly), rows(200_000, (i) => names[i % names.length]!)];
  await store.appendStagedSpans(stageRows(parts[0]!, true));
  await store.appendStagedSpans(stageRows(parts[1]!, true));
  await store.appendStagedSpans(stageRows(parts[2]!)); // strings kept: the engine thread's own form
  const r = await store.query('SELECT span_id, name, session_id, attributes::VARCHAR FROM spans ORDER BY span_id', 10_000);
  const want = new Map(parts.flat().map((row) => [row.spanId, [row.name, row.sessionId, row.attributesJson]]));
  expect(r.rows).toHaveLength(6300);
  for (const got of r.rows) expect(got.slice(1), String(got[0])).toEqual(want.get(String(got[0])));
});

it('stages a lone surrogate as U+FFFD, as any UTF-8 encoder of the string writes it', async () => {
  await store.appendStagedSpans(stageRows([spanRow({ name: 'half \ud83e pair' })], true));
  await store.appendStagedSpans(stageRows([spanRow({ spanId: '2'.repeat(16), name: 'half \ud83e pair' })]));
  const r = await store.query('SELECT name FROM spans');
  expect(r.rows).toEqual([['half \ufffd pair'], ['half \ufffd pair']]);
});

it('under steady ingest gathers journaled requests into one write, and writes at once for a caller that waits, a flush or a full batch', async () => {
  // An interval no test run reaches: a request held for it shows as not yet written.
  const steady = await Store.open({ path: join(dir.path, 'steady.duckdb'), steadyWriteIntervalMs: 60_000, maxBatchRows: 100 });
  try {
    const commits: number[] = [];
    steady.onCommit = (info) => commits.push(info.count);
    let next = 1;
    const rows = (n: number) => Array.from({ length: n }, () => spanRow({ traceId: hexId(next, 32), spanId: hexId(next++, 16) }));
    // Idle: even a journaled request is written at once.
    await steady.appendSpans(rows(1), { journaled: true });
    expect(commits).toEqual([1]);
    // Right after a write (steady ingest), journaled requests wait for the next ones ...
    const held = [steady.appendSpans(rows(3), { journaled: true }), steady.appendSpans(rows(2), { journaled: true })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(commits).toEqual([1]);
    expect(steady.queuedRows).toBe(5);
    // ... until a request whose caller waits for its COMMIT comes: all three in one write.
    await steady.appendSpans(rows(1));
    await Promise.all(held);
    expect(commits).toEqual([1, 6]);
    // flush() writes what is held.
    const more = steady.appendSpans(rows(4), { journaled: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(commits).toEqual([1, 6]);
    await steady.flush();
    await more;
    expect(commits).toEqual([1, 6, 4]);
    // A full batch (maxBatchRows) is not held.
    await Promise.all([steady.appendSpans(rows(60), { journaled: true }), steady.appendSpans(rows(60), { journaled: true })]);
    expect(commits).toEqual([1, 6, 4, 120]);
    // Nor what queued behind a running write with a caller waiting among it.
    const big = steady.appendSpans(rows(3000));
    while (steady.rowsBeingWritten === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const behind = steady.appendSpans(rows(2), { journaled: true });
    await steady.appendSpans(rows(1));
    await Promise.all([big, behind]);
    expect(commits).toEqual([1, 6, 4, 120, 3000, 3]);
    const r = await steady.query('SELECT count(*), count(DISTINCT span_id) FROM spans');
    expect(r.rows).toEqual([[3134, 3134]]);
  } finally {
    await steady.close();
  }
});

it('a sustained write indexes its own attribute rows when the writer keeps up (it waited to gather), and leaves them pending when it fell behind', async () => {
  const steady = await Store.open({ path: join(dir.path, 'gathered.duckdb'), steadyWriteIntervalMs: 60_000 });
  try {
    // Each call's spans in 7 traces of their own.
    let call = 0;
    const rows = (n: number) => {
      call++;
      return Array.from({ length: n }, (_, i) => spanRow({ traceId: hexId(call * 10 + (i % 7), 32), spanId: hexId(call * 100_000 + i + 1, 16), attributesJson: `{"n":${i}}` }));
    };
    const pendingTraces = () =>
      steady.exclusive(async (conn) => Number((await conn.runAndReadAll('SELECT count(DISTINCT trace_id) FROM trace_attributes WHERE pair = 0')).getRows()[0]![0]));
    await steady.appendSpans(rows(1));
    // Gathered: 3,000 spans (sustained) held by the gather timer, then written.
    const held = [steady.appendSpans(rows(1500), { journaled: true }), steady.appendSpans(rows(1500), { journaled: true })];
    await steady.flush();
    await Promise.all(held);
    expect(await pendingTraces()).toBe(0);
    // So is a full batch (4,096 rows) reached while the writer waits: it ends the wait.
    await Promise.all([steady.appendSpans(rows(2100), { journaled: true }), steady.appendSpans(rows(2100), { journaled: true })]);
    expect(await pendingTraces()).toBe(0);
    // Not gathered: as many spans written at once (a caller waits) are left pending.
    await steady.appendSpans(rows(3000));
    expect(await pendingTraces()).toBe(7);
    const indexed = await steady.exclusive(async (conn) => (await conn.runAndReadAll('SELECT count(*) FROM trace_attributes WHERE pair IS NOT NULL AND pair <> 0')).getRows()[0]![0]);
    expect(Number(indexed)).toBeGreaterThan(3000);
  } finally {
    await steady.close();
  }
});

it('keeps the room it reserved for rows queued later, even once the queue is full', async () => {
  const small = await Store.open({ path: join(dir.path, 'small.duckdb'), maxQueuedRows: 10 });
  try {
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => spanRow({ traceId: hexId(from, 32), spanId: hexId(from + i + 1, 16) }));
    small.reserve(8);
    expect(small.backlogRows).toBe(8);
    expect(small.accepts(5)).toBe(false);
    await expect(small.appendSpans(rows(100, 5))).rejects.toThrow(/queue is full/);
    await small.appendSpans(rows(200, 8), { reserved: 8 });
    expect(small.backlogRows).toBe(0);
    small.reserve(3);
    small.unreserve(3);
    await small.appendSpans(rows(300, 5));
    const r = await small.query('SELECT count(*) FROM spans');
    expect(r.rows).toEqual([[13]]);
  } finally {
    await small.close();
  }
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../../electron/engine/store/schema';
import { RefusedSqlError, Store, STORAGE_VERSION, StoreVersionError } from '../../../electron/engine/store';
import type { LogRow } from '../../../electron/engine/ingest-logs';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let path: string;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.path, 'tracedeck.duckdb');
});
afterEach(() => dir.remove());

const T0 = 1_795_392_000_000_000_000n;

/** Three traces: trace 1 (root + 2 children, one error), trace 2 (one span, other service), trace 3 (orphan only). */
function sampleRows() {
  const t1 = hexId(1, 32);
  const t2 = hexId(2, 32);
  const t3 = hexId(3, 32);
  return [
    spanRow({ traceId: t1, spanId: hexId(1, 16), name: 'root', startNs: T0, endNs: T0 + 5_000_000n }),
    spanRow({ traceId: t1, spanId: hexId(2, 16), parentSpanId: hexId(1, 16), name: 'child-a', startNs: T0 + 1_000n, endNs: T0 + 2_000_001n }),
    spanRow({ traceId: t1, spanId: hexId(3, 16), parentSpanId: hexId(1, 16), name: 'child-b', statusCode: 'error', startNs: T0 + 3_000_000n, endNs: T0 + 4_000_000n, inputTokens: 10, outputTokens: 5, costUsd: 0.25 }),
    spanRow({ traceId: t2, spanId: hexId(4, 16), name: 'other', serviceName: 'billing', startNs: T0 + 10_000_000_000n, endNs: T0 + 10_100_000_000n }),
    spanRow({ traceId: t3, spanId: hexId(5, 16), parentSpanId: hexId(99, 16), name: 'orphan', startNs: T0 - 10_000_000_000n, endNs: T0 - 9_000_000_000n }),
  ];
}

describe('store: writing and reading', () => {
  it('stores spans and answers the trace list newest first with root name, counts and errors', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    const page = await store.listTraces({});
    expect(page.total).toBe(3);
    expect(page.traces.map((t) => t.rootName)).toEqual(['other', 'root', 'orphan']);
    const t1 = page.traces[1]!;
    expect(t1).toMatchObject({ serviceName: 'svc', spanCount: 3, errorCount: 1, durationNs: 5_000_000, startNs: T0.toString(), inputTokens: 10, outputTokens: 5, costUsd: 0.25 });
    await store.close();
  });

  it('sorts by every column of the list, NULLs last, with and without a span-level filter', async () => {
    const store = await Store.open({ path });
    const rows = Array.from({ length: 12 }, (_, i) =>
      spanRow({
        traceId: hexId(100 + i, 32),
        spanId: hexId(100 + i, 16),
        name: `op-${String.fromCharCode(97 + ((i * 5) % 12))}`,
        serviceName: i % 4 === 0 ? null : `svc-${(i * 7) % 5}`,
        sessionId: i % 3 === 0 ? null : `s-${(i * 11) % 7}`,
        inputTokens: i % 5 === 0 ? null : (i * 13) % 17,
        outputTokens: i % 5 === 0 ? null : (i * 3) % 4,
        costUsd: i % 5 === 0 ? null : ((i * 13) % 17) / 100,
        startNs: T0 + BigInt(i) * 1_000_000n,
        endNs: T0 + BigInt(i) * 1_000_000n + 1000n,
      }),
    );
    await store.appendSpans(rows);
    const key = {
      name: (t: { rootName: string | null }) => t.rootName,
      service: (t: { serviceName: string | null }) => t.serviceName,
      session: (t: { sessionId: string | null }) => t.sessionId,
      cost: (t: { costUsd: number | null }) => t.costUsd,
      tokens: (t: { inputTokens: number | null; outputTokens: number | null }) =>
        t.inputTokens === null && t.outputTokens === null ? null : (t.inputTokens ?? 0) + (t.outputTokens ?? 0),
    } as const;
    for (const by of Object.keys(key) as (keyof typeof key)[]) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const filter of [{}, { name: 'op-' }]) {
          const page = await store.listTraces({ filter, sort: { by, dir }, limit: 100 });
          expect(page.total).toBe(12);
          const values = page.traces.map((t) => key[by](t as never));
          const present = values.filter((v) => v !== null);
          // NULLs after every value, the values in order (ties by trace id, in the same direction).
          expect(values.slice(present.length).every((v) => v === null)).toBe(true);
          const sorted = [...present].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
          expect(present).toEqual(dir === 'asc' ? sorted : sorted.reverse());
          // A page is a slice of the whole.
          expect((await store.listTraces({ filter, sort: { by, dir }, limit: 3, offset: 4 })).traces).toEqual(page.traces.slice(4, 7));
        }
      }
    }
    await store.close();
  });

  it('filters by time range and service, sorts, and pages', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    const billing = await store.listTraces({ filter: { services: ['billing'] } });
    expect(billing.traces.map((t) => t.rootName)).toEqual(['other']);
    const window = await store.listTraces({ filter: { fromNs: T0.toString(), toNs: (T0 + 1_000_000_000n).toString() } });
    expect(window.traces.map((t) => t.rootName)).toEqual(['root']);
    const byDuration = await store.listTraces({ sort: { by: 'duration', dir: 'desc' } });
    expect(byDuration.traces.map((t) => t.rootName)).toEqual(['orphan', 'other', 'root']);
    const page2 = await store.listTraces({ limit: 1, offset: 1 });
    expect(page2.total).toBe(3);
    expect(page2.traces.map((t) => t.rootName)).toEqual(['root']);
    await store.close();
  });

  it("returns one trace's spans with offsets to the nanosecond", async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    const trace = await store.getTrace(hexId(1, 32));
    expect(trace).not.toBeNull();
    expect(trace!.startNs).toBe(T0.toString());
    expect(trace!.durationNs).toBe(5_000_000);
    expect(trace!.spans.map((s) => [s.name, s.parentSpanId, s.startOffsetNs, s.durationNs, s.statusCode])).toEqual([
      ['root', null, 0, 5_000_000, 'unset'],
      ['child-a', hexId(1, 16), 1_000, 2_000_001 - 1_000, 'unset'],
      ['child-b', hexId(1, 16), 3_000_000, 1_000_000, 'error'],
    ]);
    expect(await store.getTrace('f'.repeat(32))).toBeNull();
    await store.close();
  });

  it('keeps attribute JSON exactly, including integers beyond 2^53 and doubles written as 1.0', async () => {
    const store = await Store.open({ path });
    const attributes = '{"big":9007199254740993,"d":1.0,"s":"<script>x</script>","arr":[1,"a",true]}';
    await store.appendSpans([spanRow({ attributesJson: attributes })]);
    const span = await store.getSpan('a'.repeat(32), '1'.repeat(16));
    expect(span!.attributesJson).toBe(attributes);
    const r = await store.query(`SELECT attributes->>'$.big' AS big, json_type(attributes->'$.d') AS t FROM spans`);
    expect(r.rows).toEqual([['9007199254740993', 'DOUBLE']]);
    await store.close();
  });

  it('does not duplicate a span sent twice (exporter retries)', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    await store.appendSpans(sampleRows());
    await Promise.all([store.appendSpans(sampleRows()), store.appendSpans(sampleRows())]);
    expect(await store.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    await store.close();
  });

  it('stores a log record once: twice in one batch, re-sent alone, or re-sent in the write of new spans, which are kept', async () => {
    const store = await Store.open({ path });
    const log: LogRow = {
      timeNs: T0, observedTimeNs: null, traceId: hexId(1, 32), spanId: hexId(1, 16), severityText: 'INFO', severityNumber: 9, eventName: 'gen_ai.user.message',
      bodyJson: '{"content":"hi"}', attributesJson: '{}', serviceName: 'svc', resourceAttributesJson: '{}', scopeName: null, scopeVersion: null,
      scopeAttributesJson: '{}', flags: 0, droppedAttributesCount: 0, resourceSchemaUrl: '', scopeSchemaUrl: '', valueTypesJson: null, source: 'test',
    };
    const logs = async (): Promise<unknown[][]> => (await store.query('SELECT body::VARCHAR FROM logs ORDER BY 1')).rows;
    await store.appendLogs([log, log, { ...log, bodyJson: '{"content":"bye"}' }]);
    expect(await logs()).toEqual([['{"content":"bye"}'], ['{"content":"hi"}']]);
    await store.appendLogs([log]);
    // Queued together, so written in one transaction: the taken key must not cost the spans.
    await Promise.all([store.appendSpans(sampleRows()), store.appendLogs([log, { ...log, bodyJson: '{"content":"new"}' }])]);
    expect(await logs()).toEqual([['{"content":"bye"}'], ['{"content":"hi"}'], ['{"content":"new"}']]);
    expect(await store.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    await store.close();
  });

  it('reports each commit to its subscriber with the trace ids', async () => {
    const store = await Store.open({ path });
    const commits: { count: number; traceIds: string[] }[] = [];
    store.onCommit = (info) => commits.push(info);
    await store.appendSpans(sampleRows());
    expect(commits).toHaveLength(1);
    expect(commits[0]!.count).toBe(5);
    expect(new Set(commits[0]!.traceIds)).toEqual(new Set([hexId(1, 32), hexId(2, 32), hexId(3, 32)]));
    await store.close();
  });

  it('keeps what was committed across a reopen', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    await store.close();
    const again = await Store.open({ path, readOnly: true });
    expect(await again.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    await again.close();
  });
});

describe('store: schema migrations', () => {
  it('upgrades an older store and keeps its data', async () => {
    const old = await Store.open({ path, targetVersion: 1 });
    await old.appendSpans(sampleRows());
    await old.close();
    const upgraded = await Store.open({ path });
    const version = await upgraded.query('SELECT count(*) AS n FROM logs');
    expect(version.rows).toEqual([[0]]);
    expect(await upgraded.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    await upgraded.close();
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThan(1);
  });

  it('lists the traces of a store below version 6 opened read-only (no trace_summary) as the upgraded store does', async () => {
    const old = await Store.open({ path, targetVersion: 5 });
    await old.appendSpans(sampleRows());
    await old.close();
    const queries = [
      { limit: 2 },
      { limit: 2, offset: 2 },
      { limit: 100, sort: { by: 'duration', dir: 'asc' } },
      { limit: 100, sort: { by: 'spans', dir: 'desc' }, filter: { minDurationNs: 1 } },
    ] as const;
    const readOnly = await Store.open({ path, readOnly: true });
    const before = await Promise.all(queries.map((q) => readOnly.listTraces(q)));
    await readOnly.close();
    const upgraded = await Store.open({ path });
    const after = await Promise.all(queries.map((q) => upgraded.listTraces(q)));
    await upgraded.close();
    expect(before[0]!.total).toBe(3);
    expect(before[0]!.traces).toHaveLength(2);
    expect(before[1]!.traces).toHaveLength(1);
    expect(after).toEqual(before);
  });

  it('refuses a store from a newer version with a clear message and leaves the file untouched', async () => {
    const store = await Store.open({ path });
    await store.close();
    // Make it look like a store from the future.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run("UPDATE tracedeck_meta SET value = '999' WHERE key = 'schema_version'");
    await conn.run('CHECKPOINT');
    instance.closeSync();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const error = await Store.open({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as Error).message).toMatch(/schema version 999.*newer Tracedeck/);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });
});

/** The rows of `sql` (with `$1` the file's path) over a store file opened read-only in DuckDB itself. */
async function readStoreFile(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    return (await conn.runAndReadAll(sql, sql.includes('$1') ? [file] : [])).getRowObjectsJson();
  } finally {
    instance.closeSync();
  }
}

/** The storage format DuckDB tags a store file with (`storage_version`, e.g. v1.5.0+). */
async function storageFormat(file: string): Promise<string> {
  const [row] = await readStoreFile(file, 'SELECT tags FROM duckdb_databases() WHERE path = $1');
  const tags = row?.tags as { key: string; value: string }[] | undefined;
  return tags?.find((t) => t.key === 'storage_version')?.value ?? 'none';
}

describe('store: storage format', () => {
  it('creates a new store in the format of STORAGE_VERSION, not DuckDB v0.10.2-compatible default', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    await store.close();
    expect(STORAGE_VERSION).toBe('v1.5.0');
    expect(await storageFormat(path)).toBe(`${STORAGE_VERSION}+`);
  });

  it('keeps the format of a store created in the older one, and its data, through writes, checkpoints and reopens', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    (await DuckDBInstance.create(path)).closeSync();
    expect(await storageFormat(path)).toBe('v1.0.0+');
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    await store.close(); // checkpoints
    expect(await storageFormat(path)).toBe('v1.0.0+');
    const again = await Store.open({ path });
    expect(await again.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    expect((await again.listTraces({})).traces.map((t) => t.rootName)).toEqual(['other', 'root', 'orphan']);
    await again.close();
  });
});

/** span_data's row groups in the store file, by their row counts, in order. */
async function spanRowGroups(file: string): Promise<number[]> {
  const rows = await readStoreFile(
    file,
    "SELECT max(count) AS n FROM pragma_storage_info('span_data') WHERE column_id = 0 GROUP BY row_group_id ORDER BY row_group_id",
  );
  return rows.map((row) => Number(row.n));
}

describe('store: checkpoints', () => {
  /** `traces` traces of 10 spans each, the first numbered `first`, each starting a second after the one before. */
  function traceRows(first: number, traces: number) {
    const rows = [];
    for (let t = first; t < first + traces; t++) {
      for (let s = 0; s < 10; s++) {
        const startNs = T0 + BigInt(t) * 1_000_000_000n + BigInt(s);
        rows.push(spanRow({ traceId: hexId(t + 1, 32), spanId: hexId(t * 10 + s + 1, 16), name: `span ${s}`, startNs, endNs: startNs + 1_000n }));
      }
    }
    return rows;
  }
  async function append(store: Store, first: number, traces: number): Promise<void> {
    for (let t = first; t < first + traces; t += 2_000) await store.appendSpans(traceRows(t, Math.min(2_000, first + traces - t)));
  }

  it('leaves the row groups one checkpoint wrote as they are at the next, and prune still drops whole ones', { timeout: 120_000 }, async () => {
    // 13,000 traces (130,000 spans) a checkpoint: a full row group (122,880 rows) and a part-full one.
    let store = await Store.open({ path });
    await append(store, 0, 13_000);
    await store.close();
    const first = await spanRowGroups(path);
    expect(first).toEqual([122_880, 7_120]);
    store = await Store.open({ path });
    await append(store, 13_000, 13_000);
    await store.close();
    // DuckDB's vacuum would have merged the part-full row group with the new rows (compressing
    // them again); the store turns it off.
    expect(await spanRowGroups(path)).toEqual([...first, 122_880, 7_120]);
    store = await Store.open({ path });
    expect(await store.prune({ maxSpans: 130_000 })).toEqual({ traces: 13_000, spans: 130_000 });
    await store.close();
    expect(await spanRowGroups(path)).toEqual([122_880, 7_120]);
    const again = await Store.open({ path, readOnly: true });
    expect(await again.counts()).toEqual({ traceCount: 13_000, spanCount: 130_000 });
    const oldest = await again.listTraces({ limit: 1, sort: { by: 'start', dir: 'asc' } });
    expect(oldest.traces[0]!.traceId).toBe(hexId(13_001, 32));
    await again.close();
  });
});

describe('store: read-only SQL', () => {
  const refused = [
    "INSERT INTO spans (trace_id) VALUES ('x')",
    'DELETE FROM span_data',
    'DROP VIEW spans',
    'UPDATE span_data SET name = 1',
    'CREATE TABLE x AS SELECT 1',
    "ATTACH '/tmp/other.duckdb' AS o",
    "COPY (SELECT * FROM spans) TO '/tmp/out.csv'",
    'PRAGMA database_list',
    "SET memory_limit = '1GB'",
    'SELECT * FROM span_data',
    'SELECT * FROM tracedeck_meta',
    'SELECT * FROM trace_summary',
    'DELETE FROM trace_attributes',
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT read_text('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    'SELECT 1; SELECT 2',
    "SELECT * FROM duckdb_settings()",
    'SELECT * FROM information_schema.tables',
  ];
  it.each(refused)('refuses %s and changes nothing', async (sql) => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    const error = await store.query(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof RefusedSqlError || /Error/.test((error as Error).message)).toBe(true);
    expect(await store.counts()).toEqual({ traceCount: 3, spanCount: 5 });
    await store.close();
  });

  it('answers SELECTs over the views, CTEs and joins, with a row limit', async () => {
    const store = await Store.open({ path });
    await store.appendSpans(sampleRows());
    const r = await store.query(
      `WITH t AS (SELECT trace_id, span_count FROM traces) SELECT s.name, t.span_count FROM spans s JOIN t USING (trace_id) ORDER BY s.start_time`,
    );
    expect(r.columns.map((c) => c.name)).toEqual(['name', 'span_count']);
    expect(r.rows.map((row) => row[0])).toEqual(['orphan', 'root', 'child-a', 'child-b', 'other']);
    const limited = await store.query('SELECT name FROM spans ORDER BY name', 2);
    expect(limited.rows).toEqual([['child-a'], ['child-b']]);
    expect(limited.truncated).toBe(true);
    await store.close();
  });
});

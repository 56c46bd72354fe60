// The ingest journal with a real engine and DuckDB file: requests journaled by a process that
// stopped before committing them are stored when the engine opens again (once, however often
// replayed), and requests acknowledged from the journal under load are read back by the reads
// that follow (read your writes).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/api';
import { requestToRows } from '../../electron/engine/ingest';
import { logsRequestToRows } from '../../electron/engine/ingest-logs';
import { IngestJournal, type JournalRecord } from '../../electron/engine/journal';
import { decodeTraceRequestJson } from '../../electron/engine/otlp/decode-json';
import { decodeLogsRequestProto, decodeTraceRequestProto } from '../../electron/engine/otlp/decode-proto';
import { OtlpDecodeError } from '../../electron/engine/otlp/types';
import { tempDir } from '../helpers/rows';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../fixtures/otlp', name));

const RECORDS: JournalRecord[] = [
  { signal: 'traces', encoding: 'protobuf', source: 'otlp-grpc', body: fixture('genai-official-openai.pb') },
  { signal: 'logs', encoding: 'protobuf', source: 'otlp-grpc', body: fixture('genai-official-openai.logs.pb') },
  { signal: 'traces', encoding: 'json', source: 'otlp-http', body: fixture('openinference-openai.json') },
];
const EXPECTED_SPANS =
  requestToRows(decodeTraceRequestProto(RECORDS[0]!.body), 'x').rows.length +
  requestToRows(decodeTraceRequestJson(Buffer.from(RECORDS[2]!.body).toString('utf8')), 'x').rows.length;
const EXPECTED_LOGS = logsRequestToRows(decodeLogsRequestProto(RECORDS[1]!.body), 'x').rows.length;

/** Journals the records the way a process would, then "crashes": the journal is never closed. */
async function journalAndCrash(storePath: string): Promise<void> {
  const journal = IngestJournal.forStore(storePath);
  for (const record of RECORDS) await journal.append(record);
}

async function counts(engine: Engine): Promise<{ spans: number; logs: number; sources: string[] }> {
  const r = await engine.query(
    "SELECT (SELECT count(*) FROM spans)::INTEGER, (SELECT count(*) FROM logs)::INTEGER, (SELECT string_agg(DISTINCT source, ',' ORDER BY source) FROM spans)",
  );
  const [spans, logs, sources] = r.rows[0]!;
  return { spans: Number(spans), logs: Number(logs), sources: String(sources ?? '').split(',').filter(Boolean) };
}

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('ingest journal replay', () => {
  it('stores what a crashed process journaled, once, and empties the journal', async () => {
    expect(EXPECTED_SPANS).toBeGreaterThan(5);
    expect(EXPECTED_LOGS).toBeGreaterThan(0);
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'tracedeck.duckdb');
    await (await Engine.open({ path, dataDir: dir.path })).close(); // a store exists, empty
    await journalAndCrash(path);

    const engine = await Engine.open({ path, dataDir: dir.path });
    try {
      expect(await counts(engine)).toEqual({ spans: EXPECTED_SPANS, logs: EXPECTED_LOGS, sources: ['otlp-grpc', 'otlp-http'] });
      expect((await engine.getStats()).journal?.replayedAtStart).toBe(3);
      expect(readdirSync(`${path}.journal`)).toEqual([]);
    } finally {
      await engine.close();
    }

    // The same requests journaled again (they were committed, then the process died before the
    // journal knew): replaying them adds nothing.
    await journalAndCrash(path);
    const again = await Engine.open({ path, dataDir: dir.path });
    try {
      expect(await counts(again)).toEqual({ spans: EXPECTED_SPANS, logs: EXPECTED_LOGS, sources: ['otlp-grpc', 'otlp-http'] });
      expect((await again.getStats()).journal?.replayedAtStart).toBe(3);
    } finally {
      await again.close();
    }
  });
});

function jsonRequest(traceNo: number, spans: number): string {
  const traceId = traceNo.toString(16).padStart(32, '0');
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'journal-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'load' },
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId,
              spanId: (traceNo * 100_000 + i + 1).toString(16).padStart(16, '0'),
              name: `op-${i}`,
              startTimeUnixNano: String(1_795_392_000_000_000_000n + BigInt(i)),
              endTimeUnixNano: String(1_795_392_000_000_000_000n + BigInt(i) + 1000n),
              attributes: [{ key: 'i', value: { intValue: String(i) } }],
            })),
          },
        ],
      },
    ],
  });
}

describe('requests acknowledged from the journal', () => {
  it('are answered before their COMMIT while a large write runs, and the reads that follow see them', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'tracedeck.duckdb');
    const engine = await Engine.open({ path, dataDir: dir.path });
    try {
      // A large write (15,000 spans, some hundred ms) is running ...
      const big = Buffer.from(jsonRequest(1, 15_000));
      const bigWrite = engine.store.appendSpans(requestToRows(decodeTraceRequestJson(big.toString('utf8')), 'otlp-http').rows);
      for (let i = 0; i < 200 && engine.store.rowsBeingWritten === 0; i++) await new Promise((r) => setTimeout(r, 1));
      expect(engine.store.rowsBeingWritten).toBe(15_000);
      // ... when a request arrives: it is answered once journaled, before its rows are committed.
      const body = Buffer.from(jsonRequest(2, 500));
      const result = await engine.ingestTraceRequest(decodeTraceRequestJson(body.toString('utf8')), 'otlp-http', { encoding: 'json', body });
      expect(result.rejected).toBe(0);
      expect((await engine.getStats()).journal?.acknowledgedEarly).toBe(1);
      const id = (2).toString(16).padStart(32, '0');
      const [committed, read] = await Promise.all([engine.store.getTrace(id), engine.getTrace(id)]);
      expect(committed).toBeNull(); // the store alone has not committed it yet ...
      expect(read?.spans.length).toBe(500); // ... but a read through the engine waits for it
      await bigWrite;
      const total = await engine.query('SELECT count(*)::INTEGER FROM spans');
      expect(Number(total.rows[0]![0])).toBe(15_500);
    } finally {
      await engine.close();
    }
    // A clean close leaves the journal empty.
    expect(readdirSync(`${path}.journal`)).toEqual([]);
  }, 60_000);

  it('are answered before their COMMIT while an import, export or attribute build holds the writer', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
    let release: (() => void) | undefined;
    try {
      const held = new Promise<void>((resolve) => (release = resolve));
      const exclusive = engine.store.exclusive(() => held);
      for (let i = 0; i < 200 && !engine.store.writerHeldExclusively; i++) await new Promise((r) => setTimeout(r, 1));
      expect(engine.store.writerHeldExclusively).toBe(true);
      const body = Buffer.from(jsonRequest(3, 100));
      const answered = await Promise.race([
        engine.ingestTraceRequest(decodeTraceRequestJson(body.toString('utf8')), 'otlp-http', { encoding: 'json', body }).then(() => 'answered'),
        new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000)),
      ]);
      expect(answered).toBe('answered');
      expect((await engine.getStats()).journal?.acknowledgedEarly).toBe(1);
      const id = (3).toString(16).padStart(32, '0');
      const read = engine.getTrace(id); // waits for the acknowledged write, which waits for the writer
      release!();
      await exclusive;
      expect((await read)?.spans.length).toBe(100);
      expect(engine.store.writerHeldExclusively).toBe(false);
    } finally {
      release?.();
      await engine.close();
    }
  }, 60_000);

  it('are a full SDK batch or more even when the writer is idle; a smaller request is answered after its COMMIT', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path });
    try {
      const ingest = (traceNo: number, spans: number): Promise<unknown> => {
        const body = Buffer.from(jsonRequest(traceNo, spans));
        return engine.ingestTraceRequest(decodeTraceRequestJson(body.toString('utf8')), 'otlp-http', { encoding: 'json', body });
      };
      const early = async (): Promise<number | undefined> => (await engine.getStats()).journal?.acknowledgedEarly;
      // A few spans to an idle store: committed before the answer, the journal not used.
      await ingest(4, 20);
      expect(engine.store.backlogRows).toBe(0);
      expect(await early()).toBe(0);
      expect((await engine.store.getTrace((4).toString(16).padStart(32, '0')))?.spans.length).toBe(20);
      // A full batch (512 spans, the BatchSpanProcessor's default) to the same idle store: answered
      // from the journal, its COMMIT (the dearer part) behind the answer; reads still see it.
      await ingest(5, 512);
      expect(await early()).toBe(1);
      expect((await engine.getTrace((5).toString(16).padStart(32, '0')))?.spans.length).toBe(512);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('under steady ingest are written together with the requests after them, and a read of one trace writes them at once', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // An interval no test run reaches: held requests show as not yet written.
    const engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path, steadyWriteIntervalMs: 60_000 });
    try {
      const ingest = (traceNo: number): Promise<unknown> => {
        const body = Buffer.from(jsonRequest(traceNo, 512));
        return engine.ingestTraceRequest(decodeTraceRequestJson(body.toString('utf8')), 'otlp-http', { encoding: 'json', body });
      };
      const id = (n: number): string => n.toString(16).padStart(32, '0');
      // The first full batch to an idle store is written at once ...
      await ingest(6);
      await engine.store.flush();
      // ... the two right after it (steady ingest) are answered from the journal and held.
      await ingest(7);
      await ingest(8);
      expect((await engine.getStats()).journal?.acknowledgedEarly).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(engine.store.queuedRows).toBe(1024);
      expect(await engine.store.getTrace(id(8))).toBeNull();
      // A read through the engine waits for what was acknowledged, so it writes it now.
      expect((await engine.getTrace(id(8)))?.spans.length).toBe(512);
      expect(engine.store.queuedRows).toBe(0);
      expect((await engine.store.getTrace(id(7)))?.spans.length).toBe(512);
    } finally {
      await engine.close();
    }
  }, 60_000);
  it('answered before their rows are built are written at once when a read waits for them', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // Held requests would wait for an interval no test run reaches, and a batch never fills.
    const engine = await Engine.open({ path: join(dir.path, 'tracedeck.duckdb'), dataDir: dir.path, steadyWriteIntervalMs: 60_000, maxBatchRows: 1_000_000 });
    try {
      const ingest = (traceNo: number, spans: number): Promise<unknown> => engine.ingestTraceBody(Buffer.from(jsonRequest(traceNo, spans)), 'json', 'otlp-http');
      await ingest(20, 512);
      await engine.store.flush();
      // Answered once journaled and decoded; building its 20,000 rows on the worker takes longer,
      // so they are queued after the read below has asked for what is held to be written.
      await ingest(21, 20_000);
      expect((await engine.getStats()).journal?.acknowledgedEarly).toBe(2);
      expect((await engine.getTrace((21).toString(16).padStart(32, '0')))?.spans.length).toBe(20_000);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('journal a large body beside its decode, and drop it from the journal when it is malformed, empty or answered after its COMMIT', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'tracedeck.duckdb');
    const engine = await Engine.open({ path, dataDir: dir.path });
    try {
      expect(existsSync(`${path}.journal`)).toBe(false);
      // Malformed, 40 KB: journaled as it arrived (the journal's folder appears), then refused.
      await expect(engine.ingestTraceBody(Buffer.alloc(40_000, 0xff), 'protobuf', 'otlp-http')).rejects.toBeInstanceOf(OtlpDecodeError);
      expect(existsSync(`${path}.journal`)).toBe(true);
      // Every span rejected (3-byte span ids): nothing to store.
      const rejected = jsonRequest(6, 400).replace(/"spanId":"[0-9a-f]{16}"/g, '"spanId":"abcdef"');
      expect(rejected.length).toBeGreaterThan(32 * 1024);
      const none = await engine.ingestTraceBody(Buffer.from(rejected), 'json', 'otlp-http');
      expect(none.rejected).toBe(400);
      // 300 spans to an idle writer: under a full batch, so answered after its COMMIT.
      const small = Buffer.from(jsonRequest(7, 300));
      expect(small.length).toBeGreaterThan(32 * 1024);
      await engine.ingestTraceBody(small, 'json', 'otlp-http');
      expect((await engine.store.getTrace((7).toString(16).padStart(32, '0')))?.spans.length).toBe(300);
      expect((await engine.getStats()).journal?.acknowledgedEarly).toBe(0);
    } finally {
      await engine.close();
    }
    // None of the three is left to replay: a record still open would keep its segment.
    expect(readdirSync(`${path}.journal`)).toEqual([]);
    const again = await Engine.open({ path, dataDir: dir.path });
    try {
      expect((await again.getStats()).journal?.replayedAtStart).toBe(0);
      expect(await counts(again)).toMatchObject({ spans: 300 });
    } finally {
      await again.close();
    }
  }, 60_000);
});

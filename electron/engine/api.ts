// The engine: implements the TraceApi contract once, over the store. Both transports (Electron
// IPC and HTTP + server-sent events) forward to an Engine; the OTLP receivers feed it.
import type { TraceApi } from '../../shared/api';
import type { ExportResult, ExportSelection, ImportInspection, ImportOptions, ImportPreview, ImportPreviewOptions, ImportResult } from '../../shared/import';
import { exportParquet, exportTraceOtlpJson, traceOutline } from './parquet/export';
import { importPaths, inspectImportFile } from './parquet/import';
import { previewImport } from './parquet/preview';
import type { LlmView, SessionDetail, SessionPage, SessionQuery } from '../../shared/llm';
import type { AggregateFlame, AggregateOptions, SpanSandwich } from '../../shared/aggregate';
import type {
  LiveEvent,
  QueryResult,
  RunningImport,
  SpanDetail,
  SpanLog,
  StoreStats,
  TraceColumns,
  TraceDetail,
  TraceFilter,
  TracePage,
  TraceQuery,
} from '../../shared/model';
import { requestToRows, traceBodyToRows, traceBodyToStaged, type IngestResult, type IngestVerdict, type StagedIngestResult } from './ingest';
import { defaultIngestWorkers, IngestPool, IngestWorkerLost } from './ingest-pool';
import { logsRequestToRows, type LogIngestResult, type LogRow } from './ingest-logs';
import { buildLlmView } from './llm-view';
import { buildSessionDetail } from './sessions';
import { IngestJournal, type JournalEncoding, type JournalRecord } from './journal';
import { decodeLogsBody } from './otlp/decode-body';
import type { OtlpEncoding } from './otlp/responses';
import type { DecodedLogsRequest, DecodedTraceRequest } from './otlp/types';
import type { PriceTable } from './semconv/prices';
import type { SpanRow } from './span-row';
import { Store, type StoreOptions, type WriteOptions } from './store';

/** A request's body as received (after decompression), kept in the ingest journal. */
export interface RawRequest {
  encoding: JournalEncoding;
  body: Uint8Array;
}

/**
 * A request is acknowledged once it is in the ingest journal (journal.ts) rather than after the
 * COMMIT of its rows while at most this many rows are queued or being written. Past it requests
 * wait for their COMMIT again, which slows exporters down to what DuckDB takes (and keeps memory
 * bounded) long before the queue is full and requests are refused. Meant to ride out a
 * checkpoint (~2 s inside a COMMIT) at 20,000 spans/s (40,000 rows) without requests waiting for
 * it: at 32,768 the requests of a paced 20,000 spans/s that met a checkpoint waited for it.
 */
const EARLY_ACK_MAX_ROWS = 65_536;
/**
 * ... and only when the write it waits for is at least this large, counting its own rows: one
 * full batch of the OpenTelemetry SDKs' BatchSpanProcessor (maxExportBatchSize 512), whose
 * commit alone takes 20-50 ms on a 2-core machine (the attribute index of a lone write is half
 * of it), against ~1-10 ms for the journal's fdatasync. A smaller request to an idle writer (an
 * app sending a few spans now and then, a test) commits within a few ms and is answered after
 * its COMMIT.
 */
const EARLY_ACK_MIN_WRITE_ROWS = 512;
/**
 * A trace request body this large is journaled as it arrives, beside its decode, even to an idle
 * writer (Engine.journalAhead): 512 spans of a GenAI instrumentation are ~200 KB of protobuf, and
 * a full batch of the smallest spans (a name, ids, times, a few attributes) still ~40 KB.
 */
const JOURNAL_AHEAD_MIN_BYTES = 32 * 1024;

export interface EngineOptions extends StoreOptions {
  dataDir: string;
  prices?: PriceTable;
  /**
   * Worker threads that decode OTLP trace requests and build their rows (ingest-pool.ts);
   * 0 decodes on the engine thread. Default: one per core besides the engine's (1–4).
   */
  ingestWorkers?: number;
}

/** How long an import's writing waits for previews of the list asked before it (previewsAnswered). */
const PREVIEW_HEAD_START_MS = 2000;
/**
 * How long an import someone is told of (`import-started`) waits for a window to ask its preview
 * when none was asked before it: File › Open in the desktop app starts it from main, and the
 * window asks on the event (worker → main → window → main → worker, a few ms).
 */
const PREVIEW_ASK_GRACE_MS = 250;

export class Engine implements TraceApi {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private spansReceived = 0;
  private logsReceived = 0;
  private metricsRequests = 0;
  private requestsRefused = 0;
  /** Filled in by whoever starts the receivers and the UI server. */
  readonly endpoints: StoreStats['endpoints'] = {};
  /** Null for a read-only store. */
  private journal: IngestJournal | null = null;
  /** Journaled requests whose rows then failed to commit (kept in the journal for the next start). */
  private journaledWritesFailed = 0;
  /** Commits of requests acknowledged from the journal, still running. */
  private readonly acknowledgedUncommitted = new Set<Promise<void>>();
  /** Requests replayed from the journal when the engine opened (an earlier process stopped first). */
  private replayedRequests = 0;
  /** Requests acknowledged once journaled, before their COMMIT. */
  private acknowledgedEarly = 0;
  /** Decodes trace requests off the engine thread; null: decoded here. */
  private ingestPool: IngestPool | null = null;
  private decodedOnWorkers = 0;
  private decodedHere = 0;

  private constructor(
    readonly store: Store,
    readonly dataDir: string,
    private readonly prices: PriceTable | undefined,
  ) {
    store.onCommit = ({ count, traceIds }) => this.emit({ type: 'spans-added', count, traceIds });
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const store = await Store.open(options);
    const engine = new Engine(store, options.dataDir, options.prices);
    if (!options.readOnly) {
      engine.ingestPool = IngestPool.create(options.ingestWorkers ?? defaultIngestWorkers(), options.prices);
      try {
        engine.journal = IngestJournal.forStore(options.path);
        await engine.replayJournal();
      } catch (error) {
        await store.close().catch(() => undefined);
        throw error;
      }
    }
    return engine;
  }

  /**
   * Stores what an earlier process journaled but may not have committed (it stopped first), then
   * deletes it. Spans and log records already committed are not duplicated: the store keeps one
   * row per (trace_id, span_id) and per log record key.
   */
  private async replayJournal(): Promise<void> {
    const segments = this.journal!.leftoverSegments();
    if (segments.length === 0) return;
    for (const segment of segments) {
      const writes: Promise<void>[] = [];
      for (const record of IngestJournal.readSegment(segment)) {
        const rows = this.rowsOfJournalRecord(record);
        if (!rows) continue;
        const write = rows.spans ? this.store.appendSpans(rows.spans) : this.store.appendLogs(rows.logs!);
        // A write the store refuses again is counted, not fatal: the engine must still open.
        writes.push(write.catch(() => void this.journaledWritesFailed++));
        this.replayedRequests++;
        // Stay well inside the write queue's bound: wait for what is queued now and then.
        if (this.store.queuedRows > EARLY_ACK_MAX_ROWS) await Promise.all(writes.splice(0));
      }
      await Promise.all(writes);
    }
    await this.store.flush();
    IngestJournal.discard(segments);
  }

  private rowsOfJournalRecord(record: JournalRecord): { spans?: SpanRow[]; logs?: LogRow[] } | null {
    try {
      if (record.signal === 'traces') return { spans: traceBodyToRows(record.body, record.encoding, record.source, this.prices).rows };
      return { logs: logsRequestToRows(decodeLogsBody(record.body, record.encoding), record.source).rows };
    } catch {
      // It decoded when it arrived; a record that no longer does is not ours to guess at.
      return null;
    }
  }

  /**
   * Takes a decoded OTLP request, stores its valid spans, resolves when durable: committed, or
   * (under load, when `raw` is given) written to the ingest journal.
   */
  async ingestTraceRequest(request: DecodedTraceRequest, source: string, raw?: RawRequest): Promise<IngestResult> {
    const result = requestToRows(request, source, this.prices);
    if (result.rows.length === 0) return result;
    await this.durably(result.rows.length, (options) => this.store.appendSpans(result.rows, options), raw && { signal: 'traces', source, ...raw });
    this.spansReceived += result.rows.length;
    return result;
  }

  /**
   * Takes an OTLP trace request's body (decompressed), stores its valid spans, resolves when
   * durable (as above). Decoded on an ingest worker when there is one. Throws OtlpDecodeError
   * when the body is not a valid request; nothing is stored then.
   */
  async ingestTraceBody(body: Uint8Array, encoding: OtlpEncoding, source: string): Promise<IngestVerdict> {
    const record: JournalRecord = { signal: 'traces', source, encoding, body };
    const journaled = this.journalAhead(record);
    const here = (): StagedIngestResult => {
      this.decodedHere++;
      return traceBodyToStaged(body, encoding, source, this.prices);
    };
    // The answer needs the verdict (decoded, which spans are rejected), not the rows: a worker
    // sends it first, and the rows follow while the journal syncs (ingest-pool.ts).
    let verdict: IngestVerdict;
    let staged: Promise<StagedIngestResult>;
    try {
      const job = this.ingestPool?.running ? this.ingestPool.stageTraceInTwo(body, encoding, source) : null;
      const fromWorker = job
        ? await job.verdict.catch((error: unknown) => {
            if (error instanceof IngestWorkerLost) return null; // its worker died: decoded here instead
            throw error;
          })
        : null;
      if (job && fromWorker) {
        verdict = fromWorker;
        staged = job.staged.then(
          (result) => {
            this.decodedOnWorkers++;
            return result;
          },
          (error: unknown) => {
            if (error instanceof IngestWorkerLost) return here(); // died after its verdict
            throw error;
          },
        );
      } else {
        const result = here();
        verdict = { count: result.staged.count, rejected: result.rejected, errorMessage: result.errorMessage };
        staged = Promise.resolve(result);
      }
    } catch (error) {
      this.unjournal(journaled);
      throw error;
    }
    if (verdict.count === 0) {
      this.unjournal(journaled);
      staged.catch(() => undefined);
      return verdict;
    }
    await this.durably(
      verdict.count,
      async (options) => {
        let result: StagedIngestResult;
        try {
          result = await staged;
        } catch (error) {
          if (options.reserved) this.store.unreserve(options.reserved);
          throw error;
        }
        // A read waiting for them: written at once rather than gathered with later requests.
        return this.store.appendStagedSpans(result.staged, this.readsWaiting > 0 ? { ...options, journaled: false } : options);
      },
      record,
      journaled,
      true,
    );
    this.spansReceived += verdict.count;
    return verdict;
  }

  /**
   * Starts journaling a trace request's body before it is decoded, when it will most likely be
   * acknowledged from the journal: a write is running or the writer is held, or the body is the
   * size of a full SDK batch. Its fdatasync (median 6-8 ms under load, up to 80 ms while DuckDB
   * checkpoints) then runs beside the decode (a 512-span request: ~8 ms on an idle core, 13-25
   * waiting for the worker under load) instead of after it. A request that turns out malformed,
   * empty or answered after its COMMIT is marked committed at once (unjournal); one replayed
   * after a crash is decoded again and its valid spans stored, which the store's keys make
   * harmless.
   */
  private journalAhead(record: JournalRecord): Promise<number> | null {
    const journal = this.journal;
    if (journal === null || this.store.backlogRows > EARLY_ACK_MAX_ROWS) return null;
    const busy = this.store.rowsBeingWritten > 0 || this.store.writerHeldExclusively;
    if (!busy && record.body.byteLength < JOURNAL_AHEAD_MIN_BYTES) return null;
    const appended = journal.append(record);
    appended.catch(() => undefined); // a failed append is handled where it is awaited (durably)
    return appended;
  }

  /** A record journaled ahead that is not needed: gone once written (journal.committed). */
  private unjournal(journaled: Promise<number> | null): void {
    if (journaled) journaled.then((seq) => this.journal?.committed(seq), () => undefined);
  }

  /** The same for an OTLP logs request's body, decoded here (logs come at a fraction of the rate of spans); rejects, never throws. */
  async ingestLogsBody(body: Uint8Array, encoding: OtlpEncoding, source: string): Promise<LogIngestResult> {
    return this.ingestLogsRequest(decodeLogsBody(body, encoding), source, { encoding, body });
  }

  /** Stores the valid log records of a decoded OTLP logs request; resolves when durable (as above). */
  async ingestLogsRequest(request: DecodedLogsRequest, source: string, raw?: RawRequest): Promise<LogIngestResult> {
    const result = logsRequestToRows(request, source);
    if (result.rows.length === 0) return result;
    await this.durably(result.rows.length, (options) => this.store.appendLogs(result.rows, options), raw && { signal: 'logs', source, ...raw });
    this.logsReceived += result.rows.length;
    return result;
  }

  /**
   * Queues a write and resolves when it is durable. A small request to an idle store: its COMMIT
   * (one write, a few ms). A request of a full SDK batch or more, one that would wait for a write
   * already running, or for an import, export or attribute build holding the writer (seconds):
   * if the backlog is small, it is journaled and answered once the journal is on disk, and its
   * rows commit behind it (the writer may gather them with the requests after: WriteOptions).
   * `later`: `write` first waits for the rows to be built (a worker's, after the request's
   * verdict), so an early answer keeps their room in the queue (Store.reserve) until they come.
   */
  private async durably(
    rows: number,
    write: (options: WriteOptions) => Promise<void>,
    record: JournalRecord | undefined,
    journaled: Promise<number> | null = null,
    later = false,
  ): Promise<void> {
    const journal = this.journal;
    const early =
      record !== undefined &&
      journal !== null &&
      (this.store.rowsBeingWritten + rows >= EARLY_ACK_MIN_WRITE_ROWS || this.store.writerHeldExclusively) &&
      this.store.backlogRows + rows <= EARLY_ACK_MAX_ROWS &&
      this.store.accepts(rows);
    if (!early) {
      this.unjournal(journaled);
      await write({});
      return;
    }
    // `later`: the rows are queued only once built, after the answer: their room is kept now.
    const reserved = later ? rows : 0;
    if (reserved) this.store.reserve(reserved);
    const committed = write({ journaled: true, ...(reserved ? { reserved } : {}) });
    let seq: number;
    try {
      seq = await (journaled ?? journal.append(record));
    } catch {
      // The journal cannot be written (disk full?): answer after the COMMIT, as when idle.
      await committed;
      return;
    }
    const settled = committed.then(
      () => journal.committed(seq),
      () => {
        // Acknowledged but not stored: the record stays in the journal, replayed at the next start.
        this.journaledWritesFailed++;
      },
    );
    this.acknowledgedEarly++;
    this.acknowledgedUncommitted.add(settled);
    void settled.finally(() => this.acknowledgedUncommitted.delete(settled));
  }

  /**
   * Resolves once every write acknowledged so far is committed (or failed), so that a reader
   * sees what an exporter was told is stored ("read your writes"). Nothing to wait for unless
   * requests were acknowledged from the journal, i.e. under load.
   */
  private async acknowledgedWritesCommitted(): Promise<void> {
    if (this.acknowledgedUncommitted.size === 0) return;
    // Someone waits for them now: no gathering them with later requests (Store
    // steadyWriteIntervalMs), neither what is queued nor rows still being built (ingestTraceBody).
    this.readsWaiting++;
    try {
      void this.store.flush().catch(() => undefined);
      await Promise.all([...this.acknowledgedUncommitted]);
    } finally {
      this.readsWaiting--;
    }
  }

  /** Reads waiting for acknowledged writes to commit (acknowledgedWritesCommitted). */
  private readsWaiting = 0;

  /** OTLP metrics are answered with success and counted, not stored (README: "The OTLP endpoint"). */
  countMetricsRequest(): void {
    this.metricsRequests++;
  }

  /** A receiver refused a request because the write queue was full. */
  countRefusedRequest(): void {
    this.requestsRefused++;
  }

  async ingestRows(rows: SpanRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.appendSpans(rows);
    this.spansReceived += rows.length;
  }

  // ---- TraceApi ---------------------------------------------------------------------------------

  // The list and the stats are polled by the live UI while spans pour in: they answer at once
  // from what is committed (spans acknowledged from the journal join them within one write, and
  // a live event says so), where the reads of one trace, span or query wait for those writes.
  listTraces(query: TraceQuery): Promise<TracePage> {
    return this.store.listTraces(query);
  }

  async getTrace(traceId: string): Promise<TraceDetail | null> {
    await this.acknowledgedWritesCommitted();
    return this.store.getTrace(traceId);
  }

  async getTraceColumns(traceId: string): Promise<TraceColumns | null> {
    await this.acknowledgedWritesCommitted();
    return this.store.getTraceColumns(traceId);
  }

  async getSpan(traceId: string, spanId: string): Promise<SpanDetail | null> {
    await this.acknowledgedWritesCommitted();
    return this.store.getSpan(traceId, spanId);
  }

  /** One span's OTLP log records, oldest first (prompts sent as logs by GenAI instrumentations). */
  async getSpanLogs(traceId: string, spanId: string): Promise<SpanLog[]> {
    await this.acknowledgedWritesCommitted();
    return this.store.getSpanLogs(traceId, spanId);
  }

  /** The span's LLM view, from its stored attributes and events and its log records. */
  async getLlmView(traceId: string, spanId: string): Promise<LlmView | null> {
    await this.acknowledgedWritesCommitted();
    const span = await this.store.getSpan(traceId, spanId);
    if (!span) return null;
    const logs = await this.store.getSpanLogs(traceId, spanId);
    return buildLlmView(span, logs, this.prices);
  }

  async getAggregateFlame(filter: TraceFilter, options?: AggregateOptions): Promise<AggregateFlame> {
    await this.acknowledgedWritesCommitted();
    return this.store.getAggregateFlame(filter, options);
  }

  async getSpanSandwich(name: string, filter: TraceFilter, options?: AggregateOptions): Promise<SpanSandwich> {
    await this.acknowledgedWritesCommitted();
    return this.store.getSpanSandwich(name, filter, options);
  }

  async listSessions(query: SessionQuery): Promise<SessionPage> {
    await this.acknowledgedWritesCommitted();
    return this.store.listSessions(query);
  }

  async getSession(sessionId: string): Promise<SessionDetail | null> {
    await this.acknowledgedWritesCommitted();
    return buildSessionDetail(this.store, sessionId, this.prices);
  }

  // ---- import / export (parquet/) ---------------------------------------------------------------

  private readonly imports = new Set<AbortController>();
  private importCount = 0;
  /** The imports running now, as announced (getStats().imports: a window opened since asks for them). */
  private readonly runningImports = new Map<string, RunningImport>();

  async importPaths(paths: string[], options?: ImportOptions): Promise<ImportResult> {
    const controller = new AbortController();
    this.imports.add(controller);
    const importId = `import-${++this.importCount}`;
    // Windows learn of every import, also those they did not start, and show its preview.
    const announced = this.listeners.size > 0;
    const running: RunningImport = { importId, paths: [...paths], ...(options?.mapping ? { mapping: options.mapping } : {}) };
    this.runningImports.set(importId, running);
    this.emit({ type: 'import-started', ...running });
    let result: ImportResult | undefined;
    try {
      result = await importPaths(
        {
          store: this.store,
          dataDir: this.dataDir,
          prices: this.prices,
          importId,
          signal: controller.signal,
          onProgress: (p) => this.emit({ type: 'import-progress', ...p }),
          beforeWrite: () => this.previewsAnswered(PREVIEW_HEAD_START_MS, announced ? PREVIEW_ASK_GRACE_MS : 0),
        },
        paths,
        options,
      );
      if (result.ok) this.spansReceived += result.imported;
      // The attribute index of the imported traces, after the commit (filters scan meanwhile).
      if (result.ok && result.imported > 0) void this.store.indexAttributesInBackground();
      return result;
    } finally {
      this.imports.delete(controller);
      this.runningImports.delete(importId);
      const ended: ImportResult = result ?? { ok: false, files: [], imported: 0, elapsedMs: 0, error: 'The import failed; nothing was imported.' };
      this.emit({ type: 'import-finished', importId, ...ended });
    }
  }

  private readonly previews = new Set<Promise<unknown>>();

  /** Reads the files in place: never waits for the import (or anything else) holding the writer. */
  previewImport(paths: string[], options?: ImportPreviewOptions): Promise<ImportPreview> {
    const answer = previewImport({ store: this.store, dataDir: this.dataDir, prices: this.prices }, paths, options);
    this.previews.add(answer);
    this.previewAsked?.();
    const done = (): void => void this.previews.delete(answer);
    answer.then(done, done);
    return answer;
  }

  /** Set while an import waits for a window to ask its preview (previewsAnswered). */
  private previewAsked: (() => void) | null = null;

  /**
   * Until the previews asked so far have answered, at most `maxMs`; when none was asked, first
   * up to `askGraceMs` for one to be. An import's INSERT keeps every DuckDB thread busy: a
   * preview asked beside it took 3.4 s for a 1M-span file, alone 0.55 s (bench:parquet). So the
   * import starts writing once the first page is out.
   */
  private async previewsAnswered(maxMs: number, askGraceMs = 0): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    if (this.previews.size === 0 && askGraceMs > 0) {
      await new Promise<void>((resolve) => {
        this.previewAsked = resolve;
        timer = setTimeout(resolve, askGraceMs);
      });
      this.previewAsked = null;
      clearTimeout(timer);
    }
    if (this.previews.size === 0) return;
    await Promise.race([Promise.allSettled([...this.previews]), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  inspectImportFile(path: string): Promise<ImportInspection> {
    return inspectImportFile(this.store, this.dataDir, path);
  }

  async cancelImport(): Promise<boolean> {
    const running = this.imports.size > 0;
    for (const controller of this.imports) controller.abort();
    return running;
  }

  async exportParquet(outPath: string, selection?: ExportSelection): Promise<ExportResult> {
    await this.acknowledgedWritesCommitted();
    return exportParquet(this.store, outPath, selection);
  }

  async exportTraceOtlpJson(traceId: string): Promise<string | null> {
    await this.acknowledgedWritesCommitted();
    return exportTraceOtlpJson(this.store, traceId);
  }

  async traceOutline(traceId: string): Promise<string | null> {
    await this.acknowledgedWritesCommitted();
    return traceOutline(this.store, traceId);
  }

  async getStats(): Promise<StoreStats> {
    const { traceCount, spanCount } = await this.store.counts();
    return {
      traceCount,
      spanCount,
      diskBytes: this.store.diskBytes(),
      spansReceived: this.spansReceived,
      logsReceived: this.logsReceived,
      metricsRequests: this.metricsRequests,
      requestsRefused: this.requestsRefused,
      journal: { acknowledgedEarly: this.acknowledgedEarly, replayedAtStart: this.replayedRequests, failedAfterAcknowledge: this.journaledWritesFailed },
      decoding: { onWorkers: this.decodedOnWorkers, onEngineThread: this.decodedHere, workers: this.ingestPool?.workers ?? 0 },
      endpoints: { ...this.endpoints },
      dataDir: this.dataDir,
      imports: [...this.runningImports.values()].map((running) => ({ ...running, paths: [...running.paths] })),
    };
  }

  async query(sql: string, limit?: number): Promise<QueryResult> {
    await this.acknowledgedWritesCommitted();
    return this.store.query(sql, limit);
  }

  async cancelQuery(): Promise<boolean> {
    return this.store.cancelQuery();
  }

  async clearAll(): Promise<void> {
    await this.store.clearAll();
    this.emit({ type: 'store-cleared' });
  }

  async pruneTraces(policy: { olderThanNs?: string; maxSpans?: number }): Promise<{ traces: number; spans: number }> {
    const deleted = await this.store.prune(policy);
    if (deleted.traces > 0) this.emit({ type: 'store-cleared' });
    return deleted;
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure must not stop the others or the writer.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    // Requests a worker still holds are decoded here instead, and queued; the store's close
    // commits everything queued; the journal then has nothing left to keep.
    await this.ingestPool?.close();
    await this.store.close();
    await this.journal?.close();
  }
}

// The store: the only module that holds SQL or imports @duckdb/node-api. It answers
// view-shaped questions (a page of traces, one trace's spans as flat rows, one span's detail)
// and never hands out "all rows". Every query binds its parameters; user and span data never
// become SQL text.

import { existsSync, statSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type {
  QueryResult,
  SpanDetail,
  SpanKind,
  SpanLog,
  SpanType,
  StatusCode,
  TraceColumns,
  TraceDetail,
  TraceFilter,
  TracePage,
  TraceQuery,
  TraceSortKey,
} from '../../../shared/model';
import type { SessionPage, SessionQuery } from '../../../shared/llm';
import type { AggregateFlame, AggregateOptions, SpanSandwich } from '../../../shared/aggregate';
import type { LogRow } from '../ingest-logs';
import type { SpanRow } from '../span-row';
import { readAggregateFlame, readSpanSandwich } from './aggregate-flame';
import { LOG_STAGING_DDL, readSpanLogs, writeLogRows } from './log-writer';
import { readSessions, readSessionTurns } from './sessions';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from './schema';
import { readTraceColumns, readTraceDetail } from './trace-detail';
import { readImportPreview, type PreviewPage } from './import-preview';
import { TRACE_SUMMARY_COLUMNS, traceSummaryFromRow } from './trace-list-row';
import { describeParquet, type ImportPlan } from './span-import';
import {
  appendStagingChunks,
  buildStagingChunks,
  CLEAR_STAGING,
  INSERT_FROM_STAGING,
  INSERT_FROM_STAGING_V3,
  plainInsert,
  releaseStagingChunks,
  SPAN_STAGING_DDL,
  type StagingChunks,
} from './span-staging';
import { stageRows, type StagedSpans } from './staged-spans';
import { checkSerializedSql, RefusedSqlError } from './readonly-sql';
import { traceFilterSql } from './trace-filter';
import {
  attributeIndexComplete,
  attributesPending,
  deleteTraceRows,
  indexPendingAttributes,
  pendingAttributeTraces,
  storeStagedSpans,
  summarizeStagedSpans,
  TRACES_WITH_ROWID,
} from './trace-summary';

export { RefusedSqlError };

export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

/** The write queue is full: the caller should answer "retry later" (OTLP 503 / UNAVAILABLE). */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** The default bound on rows queued or being written (spans plus log records). */
export const DEFAULT_MAX_QUEUED_ROWS = 500_000;

export interface StoreOptions {
  path: string;
  readOnly?: boolean;
  /**
   * How long an idle writer waits to gather a batch (ms). Default 0: write at once, and while a
   * write is running let the next batch gather behind it (group commit), so a request waits
   * for at most one write before its own, and batches grow by themselves under load.
   */
  flushIntervalMs?: number;
  /** A batch is written at once when it reaches this many rows. */
  maxBatchRows?: number;
  /**
   * Under steady ingest, how long after the start of one write the next may wait to gather
   * more requests, when every request queued is journaled (WriteOptions) and fewer than
   * maxBatchRows rows are queued. Default STEADY_WRITE_INTERVAL_MS; 0 writes back to back.
   */
  steadyWriteIntervalMs?: number;
  /**
   * Rows (spans and log records) that may wait for or be in a write at once; beyond it
   * appendSpans/appendLogs reject with QueueFullError instead of growing memory without bound.
   */
  maxQueuedRows?: number;
  /** Migrate only up to this version (tests of upgrades). */
  targetVersion?: number;
}

/** What retention keeps: traces newer than olderThanNs (ns since epoch), at most maxSpans spans. */
export interface RetentionPolicy {
  olderThanNs?: string;
  maxSpans?: number;
}

export interface CommitInfo {
  count: number;
  traceIds: string[];
}

/** Runs one statement at a time on a connection: DuckDB connections are not re-entrant. */
class SerialConnection {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(readonly conn: DuckDBConnection) {}

  run<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => work(this.conn));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** How a write is queued. */
export interface WriteOptions {
  /**
   * The request is answered without waiting for this commit (it is in the ingest journal), so
   * under steady ingest the writer may hold it up to steadyWriteIntervalMs to write it with
   * the requests after it.
   */
  journaled?: boolean;
  /** Rows of this write whose room reserve() kept (they are taken even if the queue filled since). */
  reserved?: number;
}

/**
 * Under steady ingest, writes start at most this often while nobody waits for their COMMIT (ms).
 * Back to back, a paced 20,000 spans/s made ~18 writes a second of ~1,100 spans, each paying a
 * write's fixed costs (statements planned, a COMMIT, the stored-trace lookup): 59-62 µs of CPU a
 * span. Spaced 200 ms apart (~4,000 spans a write, each indexing its attribute rows): median 53.0
 * against 60.9 µs over 16 rounds; the request p99 no better (bench/README.md, "Ingest, ninth
 * round"). What it costs: under such a load spans become queryable up to this much later.
 */
const STEADY_WRITE_INTERVAL_MS = 200;

/** The sort expression over the `traces` view per key (spliced: a fixed allow-list). NULLs sort last either way. */
const SORT_COLUMNS: Record<TraceSortKey, string> = {
  start: 'start_time',
  duration: 'duration_ns',
  spans: 'span_count',
  errors: 'error_count',
  name: 'root_name',
  service: 'service_name',
  // As the list shows it: input + output, none when the trace has neither.
  tokens: 'CASE WHEN input_tokens IS NULL AND output_tokens IS NULL THEN NULL ELSE coalesce(input_tokens, 0) + coalesce(output_tokens, 0) END',
  cost: 'cost_usd',
  session: 'session_id',
};

/** A DuckDB setting of writable stores: the environment variable `name` when it matches `pattern` (benchmarks compare settings with it), else `fallback`. */
const settingFromEnv = (name: string, pattern: RegExp, fallback: string): string => {
  const value = process.env[name] ?? '';
  return pattern.test(value) ? value : fallback;
};

/** WAL size at which DuckDB checkpoints; TRACEDECK_CHECKPOINT_THRESHOLD (e.g. 16MB) overrides it. */
const CHECKPOINT_THRESHOLD = settingFromEnv('TRACEDECK_CHECKPOINT_THRESHOLD', /^\d{1,6}(KB|MB|GB)$/, '256MB');

/** DuckDB's `max_vacuum_tasks`: none (see Store.open); TRACEDECK_VACUUM_TASKS (e.g. 100, DuckDB's default) overrides it. */
const VACUUM_TASKS = settingFromEnv('TRACEDECK_VACUUM_TASKS', /^\d{1,4}$/, '0');

/**
 * The storage format a new store is created in (DuckDB's `storage_compatibility_version`; a store
 * keeps the format it was created in). DuckDB's default is v0.10.2's, which leaves out the
 * string compression DuckDB gained since (DICT_FSST): with it a checkpoint of ingested spans
 * costs ~40% less (store/README.md, "Storage format and checkpoints"). TRACEDECK_STORAGE_VERSION
 * (e.g. v0.10.2, DuckDB's default) overrides it.
 */
export const STORAGE_VERSION = settingFromEnv('TRACEDECK_STORAGE_VERSION', /^v\d{1,2}\.\d{1,2}\.\d{1,2}$/, 'v1.5.0');

/**
 * A write at least this large means requests kept arriving while the one before it ran, i.e.
 * sustained ingest: DuckDB is then run on one thread (Store.setThreads), and the write leaves its
 * traces' attribute rows pending (writeBatches), a fifth of such a write, unless the writer is
 * keeping up: a write that ends a wait of the idle writer for more requests (gatherDelay,
 * STEADY_WRITE_INTERVAL_MS; ~4,000 spans at 20,000 spans/s) indexes its own, so attribute filters
 * keep reading the index under such a load.
 */
const SUSTAINED_WRITE_ROWS = 2048;
/** ... until no write has run for this long: then DuckDB gets its threads back, and pending attribute rows are built. */
const BURST_OVER_AFTER_MS = 1000;

/** DuckDB's thread count (`threads`, a global setting). */
async function readThreads(conn: DuckDBConnection): Promise<number> {
  return Number((await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]![0]);
}

/** DuckDB's refusal of a row whose primary key is already in the table (or twice in the insert). */
function isDuplicateKeyError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /^Constraint Error: .*(Duplicate key|duplicate key)/s.test(message);
}

interface PendingBatch {
  rows: SpanRow[];
  /** Nobody waits for this batch's COMMIT to answer (WriteOptions.journaled). */
  journaled: boolean;
  /**
   * Spans an ingest worker put in staging form, instead of `rows`, as the data chunks staging
   * appends: built when the batch is queued, the worker's arrays then let go.
   */
  chunks?: StagingChunks;
  logs?: LogRow[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A trace-list page's identity for Store.startBounds: its filter and parameters, direction, size and place. */
function startPageKey(where: string, params: readonly unknown[], dir: string, limit: number, offset: number): string {
  return JSON.stringify([where, params, dir, limit, offset], (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class Store {
  private pending: PendingBatch[] = [];
  private pendingRows = 0;
  /** Rows taken off `pending` by the write in progress. */
  private writingRows = 0;
  private readonly maxQueuedRows: number;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatchRows: number;
  private readonly steadyWriteIntervalMs: number;
  /** Rows promised room by reserve() and not queued yet: counted as queued. */
  private reservedRows = 0;
  /** Queued batches whose caller waits for their COMMIT (not journaled): the next write does not wait to gather. */
  private awaitedBatches = 0;
  private lastWriteStarted = Number.NEGATIVE_INFINITY;
  /** The span insert; a store kept below schema version 4 (upgrade tests) has no value_types. */
  private insertSpansSql = INSERT_FROM_STAGING;
  /** The same without OR IGNORE: what a write tries first (writeBatchesOnce). */
  private insertSpansPlainSql = plainInsert(INSERT_FROM_STAGING);
  /**
   * Whether span_data has its key index (a store kept below schema version 7: upgrade tests),
   * which then refuses a span stored twice; else the insert skips stored keys itself
   * (insertStagedSpans).
   */
  private keyed = false;
  /** Whether trace_summary exists (schema version 6); a store kept below it (upgrade tests) has none. */
  private summarized = true;
  /** Called after each committed batch (the engine turns it into live events). */
  onCommit: ((info: CommitInfo) => void) | null = null;
  /** DuckDB's own thread count (`threads`), read at open; null for a read-only store. */
  private allThreads: number | null = null;
  /** Whether DuckDB runs on one thread now, because writes keep coming (see writeQueued). */
  private singleThreaded = false;
  /** When the last write ended (performance.now()); -Infinity before the first. */
  private lastWriteEnded = Number.NEGATIVE_INFINITY;
  private burstOverTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    private readonly writer: SerialConnection | null,
    private readonly reader: SerialConnection,
    private readonly userQueries: SerialConnection,
    options: StoreOptions,
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 0;
    this.maxBatchRows = options.maxBatchRows ?? 4096;
    this.steadyWriteIntervalMs = options.steadyWriteIntervalMs ?? STEADY_WRITE_INTERVAL_MS;
    this.maxQueuedRows = options.maxQueuedRows ?? DEFAULT_MAX_QUEUED_ROWS;
  }

  /**
   * Opens (creating if needed) the store at `options.path` and migrates it to the current
   * schema. A store from a newer Tracedeck is refused before anything is written to it.
   */
  static async open(options: StoreOptions): Promise<Store> {
    const { path } = options;
    const target = options.targetVersion ?? CURRENT_SCHEMA_VERSION;
    const exists = existsSync(path);
    let existingVersion = 0;
    if (options.readOnly && !exists) {
      throw new StoreOpenError(`No Tracedeck store at ${path}. Start Tracedeck or import data first.`);
    }
    if (exists) {
      // Look at the version through a read-only handle first, so a store we must refuse is
      // never opened for writing (not even a checkpoint touches it).
      const version = await readSchemaVersion(path);
      existingVersion = version;
      if (version > CURRENT_SCHEMA_VERSION) {
        throw new StoreVersionError(
          `The store at ${path} has schema version ${version}, written by a newer Tracedeck; this version ` +
            `understands up to ${CURRENT_SCHEMA_VERSION}. Upgrade Tracedeck or use another data folder (--data). ` +
            'The store was not changed.',
        );
      }
    }
    const instance = await openInstance(path, options.readOnly ? { access_mode: 'READ_ONLY' } : { storage_compatibility_version: STORAGE_VERSION });
    try {
      if (!options.readOnly) {
        const conn = await instance.connect();
        await migrate(conn, target);
        // Fold the WAL into the file less often: DuckDB checkpoints inside the COMMIT that
        // crosses the threshold (16 MB by default, i.e. every few ingest batches), which was
        // most of the commit time. Durability is unchanged (every COMMIT still writes and syncs
        // the WAL, replayed on open); close() and clearAll still checkpoint.
        await conn.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
        // A checkpoint leaves the table's last row group part full, and DuckDB's vacuum then
        // merges such row groups in later checkpoints, decompressing and compressing again rows
        // it had written: under sustained ingest every second checkpoint took about twice as
        // long. Without it the checkpoints of the same rows cost the same each time, and the
        // store is no larger (store/README.md, "Storage format and checkpoints"). A row group
        // every span of which is deleted (prune, clear all: whole traces, oldest first) is
        // still dropped.
        await conn.run(`SET max_vacuum_tasks = ${VACUUM_TASKS}`);
        for (const statement of SPAN_STAGING_DDL) await conn.run(statement);
        await conn.run(LOG_STAGING_DDL);
        const reader = await instance.connect();
        const user = await instance.connect();
        const store = new Store(path, false, instance, new SerialConnection(conn), new SerialConnection(reader), new SerialConnection(user), options);
        store.allThreads = await readThreads(conn);
        if (target < 4) {
          store.insertSpansSql = INSERT_FROM_STAGING_V3;
          store.insertSpansPlainSql = plainInsert(INSERT_FROM_STAGING_V3);
        }
        store.keyed = target < 7;
        store.summarized = target >= 6;
        // An import committed its spans but not yet their attribute rows (a crash, a close).
        if (store.summarized && (await attributesPending(conn))) void store.indexAttributesInBackground();
        return store;
      }
      const reader = await instance.connect();
      const user = await instance.connect();
      const store = new Store(path, true, instance, null, new SerialConnection(reader), new SerialConnection(user), options);
      // Read-only stores are not migrated: one from before version 6 has no per-trace tables.
      store.summarized = existingVersion >= 6;
      return store;
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Queues rows for the batched writer. Resolves once they are committed (DuckDB writes its
   * WAL on commit), so a caller that acknowledges afterwards never acknowledges a lost span.
   */
  appendSpans(rows: SpanRow[], options?: WriteOptions): Promise<void> {
    return this.enqueue(rows, undefined, undefined, options);
  }

  /** The same for spans an ingest worker already put in staging form (staged-spans.ts). */
  appendStagedSpans(staged: StagedSpans, options?: WriteOptions): Promise<void> {
    return this.enqueue([], undefined, staged, options);
  }

  /**
   * Group numbers for the next staged part (span-staging.ts buildStagingChunks). They only have
   * to differ within one write, whose parts take consecutive ranges (mod 2^32) of at most
   * maxQueuedRows numbers, so the counter simply wraps.
   */
  private nextGroupNo = 0;

  private takeGroupNos(count: number): number {
    const first = this.nextGroupNo;
    this.nextGroupNo = (first + count) >>> 0;
    return first;
  }

  private buildChunks(part: StagedSpans): StagingChunks {
    return buildStagingChunks(part, this.takeGroupNos(part.groupCount));
  }

  /** Queues OTLP log records in the same batched writer as spans; resolves once committed. */
  appendLogs(logs: LogRow[], options?: WriteOptions): Promise<void> {
    return this.enqueue([], logs, undefined, options);
  }

  private enqueue(rows: SpanRow[], logs: LogRow[] | undefined, staged?: StagedSpans, options?: WriteOptions): Promise<void> {
    if (!this.writer) return Promise.reject(new Error('The store is open read-only.'));
    if (this.closed) return Promise.reject(new Error('The store is closed.'));
    const size = rows.length + (logs?.length ?? 0) + (staged?.count ?? 0);
    const reserved = Math.min(options?.reserved ?? 0, this.reservedRows);
    this.reservedRows -= reserved;
    if (size === 0) return Promise.resolve();
    // Refuse rather than queue without bound; a single request larger than the whole queue is
    // still taken when the queue is empty, so no request is refused forever.
    if (reserved === 0 && !this.hasRoomFor(size)) {
      return Promise.reject(
        new QueueFullError(`The write queue is full (${this.backlogRows} rows waiting or promised room, limit ${this.maxQueuedRows}).`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      // Built now, while the write before this one (if any) runs: the write then only appends.
      const journaled = options?.journaled === true;
      this.pending.push({ rows, logs, journaled, resolve, reject, ...(staged ? { chunks: this.buildChunks(staged) } : {}) });
      this.pendingRows += size;
      if (!journaled) this.awaitedBatches++;
      if (this.pendingRows >= this.maxBatchRows) this.scheduleFlush(0);
      else if (this.writingRows === 0) this.scheduleFlush(journaled ? this.gatherDelay() : this.flushIntervalMs, journaled);
      // else: the write in progress schedules the next one when it ends.
    });
  }

  /** Rows queued but not yet committed. */
  get queuedRows(): number {
    return this.pendingRows;
  }

  /** Rows queued, reserved or in the write in progress. */
  get backlogRows(): number {
    return this.pendingRows + this.writingRows + this.reservedRows;
  }

  /**
   * Keeps room for `rows` that will be queued soon (a request answered from the journal before
   * its rows are built: Engine.ingestTraceBody), so that their append is not refused as the queue
   * fills meanwhile. The append passes them as WriteOptions.reserved; unreserve gives them back
   * when they will not come.
   */
  reserve(rows: number): void {
    this.reservedRows += rows;
  }

  unreserve(rows: number): void {
    this.reservedRows = Math.max(0, this.reservedRows - rows);
  }

  /** Rows in the write in progress (0 when none is running): rows queued now wait for it, then for their own. */
  get rowsBeingWritten(): number {
    return this.writingRows;
  }

  /** Whether `size` more rows would be queued now (not refused: queue full, closed, read-only). */
  accepts(size: number): boolean {
    return this.writer !== null && !this.closed && this.hasRoomFor(size);
  }

  private hasRoomFor(size: number): boolean {
    const held = this.pendingRows + this.writingRows + this.reservedRows;
    return held === 0 || held + size <= this.maxQueuedRows;
  }

  /**
   * How long the next write may wait to gather more requests: under steady ingest (the last
   * write ended within BURST_OVER_AFTER_MS), when nobody waits for its COMMIT and there is room
   * in the batch, until steadyWriteIntervalMs after the last write started; else flushIntervalMs.
   */
  private gatherDelay(): number {
    const now = performance.now();
    const steady = now - this.lastWriteEnded < BURST_OVER_AFTER_MS;
    if (!steady || this.awaitedBatches > 0 || this.pendingRows >= this.maxBatchRows) return this.flushIntervalMs;
    return Math.max(this.flushIntervalMs, Math.ceil(this.lastWriteStarted + this.steadyWriteIntervalMs - now));
  }

  /**
   * `gather`: a delay gatherDelay gave. When it is not 0 the idle writer waits for requests, and
   * the write that ends the wait is `gathered`, whatever starts it (the timer, a full batch, a
   * caller that waits, flush()).
   */
  private scheduleFlush(delayMs: number, gather = false): void {
    if (this.flushTimer && delayMs > 0) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (gather && delayMs > 0) this.gatherTimer = true;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, delayMs);
  }

  /** Writes everything queued so far; resolves when it is committed. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.writeQueued());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Whether the idle writer waited for requests (gatherDelay) since the last write started: it keeps up. */
  private gatherTimer = false;

  private async writeQueued(): Promise<void> {
    const batches = this.pending;
    if (batches.length === 0 || !this.writer) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const gathered = this.gatherTimer;
    this.gatherTimer = false;
    this.pending = [];
    this.writingRows = this.pendingRows;
    this.pendingRows = 0;
    this.awaitedBatches = 0;
    this.lastWriteStarted = performance.now();
    if (this.burstOverTimer) clearTimeout(this.burstOverTimer);
    this.burstOverTimer = null;
    const sustained = this.writingRows >= SUSTAINED_WRITE_ROWS;
    const deferAttributes = sustained && !gathered;
    // A write that follows the last one within BURST_OVER_AFTER_MS is steady ingest at any size
    // (a paced exporter's 512-span requests, written as they come): one thread too.
    const steady = sustained || performance.now() - this.lastWriteEnded < BURST_OVER_AFTER_MS;
    try {
      try {
        if (steady && !this.singleThreaded) await this.setThreads(1);
        const info = await this.writeBatchesOnce(batches, deferAttributes);
        for (const batch of batches) batch.resolve();
        if (info.count > 0) this.onCommit?.(info);
      } catch (error) {
        if (batches.length === 1) throw error;
        // One request's bad row must not fail the other requests written with it: write each
        // request on its own, so only the one at fault is refused.
        for (const batch of batches) {
          try {
            const info = await this.writeBatchesOnce([batch], deferAttributes);
            batch.resolve();
            if (info.count > 0) this.onCommit?.(info);
          } catch (single) {
            batch.reject(single instanceof Error ? single : new Error(String(single)));
          }
        }
      }
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      for (const batch of batches) batch.reject(err);
    } finally {
      // Written or refused, the batches' chunks are spent.
      releaseStagingChunks(batches.flatMap((batch) => (batch.chunks ? [batch.chunks] : [])));
      this.writingRows = 0;
      this.lastWriteEnded = performance.now();
      if (this.pending.length > 0 && !this.closed) this.scheduleFlush(this.gatherDelay(), true);
      else if ((this.singleThreaded || this.attributesDeferred) && !this.closed) {
        this.burstOverTimer = setTimeout(() => {
          this.burstOverTimer = null;
          if (this.writingRows !== 0 || this.closed) return;
          if (this.singleThreaded) void this.setThreads(this.allThreads!).catch(() => undefined);
          // Build the attribute rows the burst's writes left pending.
          if (this.attributesDeferred) {
            this.attributesDeferred = false;
            void this.indexAttributesInBackground();
          }
        }, BURST_OVER_AFTER_MS);
      }
    }
  }

  /**
   * Sets DuckDB's thread count (global: every connection's queries). Under sustained ingest the
   * writer's small statements spend much of their CPU keeping a second thread busy: on the
   * 2-core box one thread took 30-45% less CPU per span and so ingested more, with the engine
   * thread and the ingest workers on the other core. Reads during such a burst run on one thread
   * too (the trace list reads ~1 row per trace); once no write has run for a second, and before
   * an import or export, DuckDB gets all its threads back. Small writes in a row are switched too:
   * 512-span writes back to back took 73 instead of 112 µs of CPU a span on one thread (scratch
   * timing of the write path alone, 2-core box).
   */
  private async setThreads(threads: number): Promise<void> {
    await this.writer!.run((conn) => conn.run(`SET threads = ${threads}`));
    this.singleThreaded = threads === 1 && this.allThreads !== 1;
  }

  /** The memory DuckDB counts as its own (duckdb_memory(): buffers, caches), for benchmarks. */
  async duckdbMemoryBytes(): Promise<number> {
    return this.reader.run(async (conn) => Number((await conn.runAndReadAll('SELECT sum(memory_usage_bytes) FROM duckdb_memory()')).getRows()[0]![0]));
  }

  /** DuckDB's thread count now (tests). */
  async duckdbThreads(): Promise<number> {
    return this.reader.run(readThreads);
  }

  /**
   * Writes the batches, each span and log record once. Spans keep their keys unique in the
   * insert itself (insertStagedSpans). Log records (log-writer.ts), and the spans of a store kept
   * below schema version 7, have a key index: their insert first runs plain, which is about half
   * the cost of `INSERT OR IGNORE` (per 8,192-span batch, 7.4 instead of 14.5 µs of CPU a span:
   * the conflict check is the expensive part, not the key); when some row is already stored (an
   * exporter's retry) or is twice in the batch, DuckDB refuses the whole insert, and the batches
   * are written again ignoring the rows already there.
   */
  private async writeBatchesOnce(batches: readonly PendingBatch[], deferAttributes: boolean): Promise<CommitInfo> {
    try {
      return await this.writeBatches(batches, false, deferAttributes);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return this.writeBatches(batches, true, deferAttributes);
    }
  }

  /** Whether a write left attribute rows pending (sustained ingest) that no build has taken up yet. */
  private attributesDeferred = false;

  /**
   * Writes the batches' spans and log records in one transaction; throws (rolled back) on
   * failure. With `deferAttributes` (SUSTAINED_WRITE_ROWS) it leaves its traces' attribute rows
   * pending, built once no write has run for BURST_OVER_AFTER_MS.
   */
  private async writeBatches(batches: readonly PendingBatch[], ignoreDuplicates: boolean, deferAttributes: boolean): Promise<CommitInfo> {
    const traceIds = new Set<string>();
    let count = 0;
    const logs: LogRow[] = [];
    for (const batch of batches) if (batch.logs) for (const log of batch.logs) logs.push(log);
    // The rows' chunks are built for this attempt alone (a worker's, with their batch: writeQueued).
    let rowChunks: StagingChunks | null = null;
    await this.writer!.run(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        // Rows of several requests are staged as one part, worker-staged requests as their own.
        const rows: SpanRow[] = [];
        const chunks: StagingChunks[] = [];
        for (const batch of batches) {
          for (const row of batch.rows) rows.push(row);
          if (batch.chunks) chunks.push(batch.chunks);
        }
        if (rows.length > 0) {
          rowChunks = this.buildChunks(stageRows(rows));
          chunks.push(rowChunks);
        }
        // A key can be staged twice only within a part that has a span id twice, or in two
        // parts that share a trace (a request re-sent while the first was queued).
        let mayRepeat = false;
        for (const part of chunks) {
          count += part.count;
          if (!part.repeatFree) mayRepeat = true;
          const before = traceIds.size;
          for (const id of part.traceIds) traceIds.add(id);
          if (traceIds.size - before < part.traceIds.length) mayRepeat = true;
        }
        if (count > 0) {
          await appendStagingChunks(conn, chunks);
          const ids = [...traceIds];
          if (this.keyed) {
            const inserted = Number((await conn.run(ignoreDuplicates ? this.insertSpansSql : this.insertSpansPlainSql)).rowsChanged);
            if (this.summarized) await summarizeStagedSpans(conn, inserted, count, deferAttributes, ids);
          } else {
            await storeStagedSpans(conn, count, deferAttributes, ids, mayRepeat);
          }
          for (const statement of CLEAR_STAGING) await conn.run(statement);
        }
        await writeLogRows(conn, logs, ignoreDuplicates);
        await conn.run('COMMIT');
      } catch (error) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        if (rowChunks) releaseStagingChunks([rowChunks]);
      }
    });
    if (deferAttributes && count > 0 && this.summarized) this.attributesDeferred = true;
    return { count, traceIds: [...traceIds] };
  }

  /**
   * Runs `work` alone on the writer connection once everything queued is written: bulk imports
   * and exports (store/span-import.ts) own their transaction there. `interruptExclusive` cancels
   * the statement it is running (DuckDB then raises, and the work rolls back).
   */
  async exclusive<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (!this.writer) throw new Error('The store is open read-only.');
    if (this.closed) throw new Error('The store is closed.');
    await this.flush();
    if (this.singleThreaded) await this.setThreads(this.allThreads!);
    return this.writer.run(async (conn) => {
      this.exclusiveRunning++;
      try {
        return await work(conn);
      } finally {
        this.exclusiveRunning--;
      }
    });
  }

  /** How many exclusive works hold the writer now (0 or 1: they run one at a time). */
  private exclusiveRunning = 0;

  /**
   * Whether exclusive work (an import, an export, an attribute build) holds the writer now:
   * rows queued meanwhile wait for it, as behind a large write.
   */
  get writerHeldExclusively(): boolean {
    return this.exclusiveRunning > 0;
  }

  interruptExclusive(): void {
    this.writer?.conn.interrupt();
  }

  /** The builds of pending attribute rows queued so far (indexAttributesInBackground). */
  private attributeIndexing: Promise<void> = Promise.resolve();
  /** Whether one of them is running on the writer now (close interrupts it). */
  private attributeIndexRunning = false;

  /**
   * Builds the attribute rows a Parquet import left pending (trace-summary.ts
   * indexPendingAttributes), in a transaction of its own on the writer after what is queued
   * there. Until it commits, attribute-equality filters scan the spans (same answers, slower);
   * a failure, or a close (which interrupts it rather than wait ~5 s at 1M imported spans),
   * leaves the rows pending, and the next open builds them. Resolves when done, never rejects.
   */
  indexAttributesInBackground(): Promise<void> {
    if (!this.writer || !this.summarized) return this.attributeIndexing;
    const build = (conn: DuckDBConnection): Promise<void> => {
      if (this.closed) return Promise.resolve();
      this.attributeIndexRunning = true;
      return indexPendingAttributes(conn)
        .then(() => undefined)
        .finally(() => (this.attributeIndexRunning = false));
    };
    this.attributeIndexing = this.attributeIndexing.then(() => (this.closed ? undefined : this.exclusive(build).catch(() => undefined)));
    return this.attributeIndexing;
  }

  /** Traces waiting for their attribute rows, once everything queued is written (benchmarks). */
  pendingAttributeTraces(): Promise<number> {
    return this.exclusive(pendingAttributeTraces);
  }

  /** Resolves once the attribute builds queued so far are done (benchmarks, tests). */
  attributesIndexed(): Promise<void> {
    return this.attributeIndexing;
  }

  // ---- reading -------------------------------------------------------------------------------

  async listTraces(query: TraceQuery): Promise<TracePage> {
    const filter = query.filter ?? {};
    const sort = query.sort ?? { by: 'start', dir: 'desc' };
    const column = SORT_COLUMNS[sort.by];
    const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    return this.reader.run(async (conn) => {
      const attributeIndex = this.summarized && filter.attributes?.some((c) => c.op === '=') ? await attributeIndexComplete(conn) : false;
      const { where, params, readsSpans } = traceFilterSql(filter, { attributeIndex });
      const countSql = `SELECT count(*)::DOUBLE AS n FROM traces ${where}`;
      let rows: Record<string, unknown>[];
      if (readsSpans) {
        // The total comes with the page: one pass over the span scan, not two (it is what
        // costs). The matching ids and sort key are kept once, counted, and only the page's
        // rows fetched whole (count(*) OVER () carried every column of every match through the
        // sort: 149 → 101 ms for 250k of 500k traces).
        rows = (
          await conn.runAndReadAll(
            `WITH matching AS MATERIALIZED (SELECT trace_id, ${column} AS sort_key FROM traces ${where}),
                  page AS (SELECT trace_id FROM matching ORDER BY sort_key ${dir}, trace_id ${dir} LIMIT ${limit} OFFSET ${offset})
             SELECT ${TRACE_SUMMARY_COLUMNS}, (SELECT count(*) FROM matching)::DOUBLE AS total_matching
             FROM traces WHERE trace_id IN (SELECT trace_id FROM page)
             ORDER BY ${column} ${dir}, trace_id ${dir}`,
            params,
          )
        ).getRowObjectsJS();
      } else {
        // Trace rows only: a top-N and a count are each a few ms, where count(*) OVER () would
        // carry every matching row through the sort (~100 ms at 500k traces). The count is a
        // scalar subquery of the same statement (one snapshot, and one round trip through the
        // connection instead of four: under sustained ingest each waited for the busy engine
        // thread). The top-N sorts the sort key and the rowid alone, and only the page's rows
        // are read whole: sorting whole rows read every column of every trace (at 38k traces
        // 17.7 -> 7.5 ms for the newest first), and finding the page's rows by trace id joined
        // every trace's id (at 102k traces 13.7 -> 8.4 ms by rowid, one thread). A store below
        // version 6 (read-only) has no trace_summary: its view aggregates the spans.
        const rowsOf = this.summarized ? `(${TRACES_WITH_ROWID}) traces` : 'traces';
        const key = this.summarized ? 'summary_rowid' : 'trace_id';
        // `bound`: a condition on start_time that every trace of the page meets (startBounds).
        const page = (bound: string | null): Promise<Record<string, unknown>[]> =>
          conn
            .runAndReadAll(
              `SELECT ${TRACE_SUMMARY_COLUMNS}, (SELECT count(*) FROM traces ${where})::DOUBLE AS total_matching FROM ${rowsOf}
               WHERE ${bound ? `${bound} AND ` : ''}${key} IN (
                 SELECT ${key} FROM (SELECT ${key}, trace_id, ${column} AS sort_key FROM ${rowsOf}
                                     ${bound ? (where ? `${where} AND ${bound}` : `WHERE ${bound}`) : where}
                                     ORDER BY sort_key ${dir}, trace_id ${dir} LIMIT ${limit} OFFSET ${offset}))
               ORDER BY ${column} ${dir}, trace_id ${dir}`,
              params,
            )
            .then((result) => result.getRowObjectsJS());
        const pageKey = this.summarized && sort.by === 'start' ? startPageKey(where, params, dir, limit, offset) : null;
        const bound = pageKey === null ? undefined : this.startBounds.get(pageKey);
        rows = bound === undefined ? [] : await page(`start_time ${dir === 'DESC' ? '>=' : '<='} make_timestamp_ns(${bound}::BIGINT)`);
        // A short page may be the bound's doing (traces deleted since): only a full one is sure.
        if (rows.length < limit) rows = await page(null);
        if (pageKey !== null) this.noteStartBound(pageKey, rows, limit);
      }
      // Only a page past the end needs its own count.
      const total = rows.length > 0 ? Number(rows[0]!.total_matching) : Number((await conn.runAndReadAll(countSql, params)).getRowObjectsJS()[0]?.n ?? 0);
      return { traces: rows.map(traceSummaryFromRow), total };
    });
  }

  /**
   * Per trace-list page sorted by start time (its filter, direction, limit and offset), the
   * start time (ns) of the last trace it showed. The next ask for that page looks only at traces
   * starting from there on (newest first: at or after it), which DuckDB's min/max per row group
   * mostly skips, where a top-N over all traces, newest first, went through every row group
   * (live traces are stored oldest first): at 77k traces 17-19 ms → ~5 ms a page, idle
   * (bench/README.md, eighth round). Those traces hold the whole page whenever it comes back
   * full: any trace not among them sorts after all of them. A short page (traces deleted since)
   * is asked again without the bound.
   */
  private readonly startBounds = new Map<string, bigint>();

  private noteStartBound(pageKey: string, rows: readonly Record<string, unknown>[], limit: number): void {
    this.startBounds.delete(pageKey);
    // Not for a short page (the last one, or a small store): asking with a bound would only add a query.
    const last = rows.length === limit ? rows[rows.length - 1]!.start_ns : null;
    if (last === undefined || last === null) return;
    // A few pages a window shows (each filter, sort and scroll position): kept to the latest 32.
    if (this.startBounds.size >= 32) this.startBounds.delete(this.startBounds.keys().next().value!);
    this.startBounds.set(pageKey, BigInt(String(last)));
  }

  async getTrace(traceId: string): Promise<TraceDetail | null> {
    return this.reader.run((conn) => readTraceDetail(conn, traceId));
  }

  async getTraceColumns(traceId: string): Promise<TraceColumns | null> {
    return this.reader.run((conn) => readTraceColumns(conn, traceId));
  }

  async getSpan(traceId: string, spanId: string): Promise<SpanDetail | null> {
    return this.reader.run(async (conn) => {
      const result = await conn.runAndReadAll(
        `SELECT trace_id, span_id, parent_span_id, trace_state, name, kind,
                epoch_ns(start_time)::VARCHAR AS start_ns, epoch_ns(end_time)::VARCHAR AS end_ns,
                duration_ns::DOUBLE AS duration_ns, status_code, status_message, service_name,
                scope_name, scope_version, attributes::VARCHAR AS attributes,
                resource_attributes::VARCHAR AS resource_attributes, events::VARCHAR AS events,
                links::VARCHAR AS links, span_type, llm_provider, llm_model,
                input_tokens::DOUBLE AS input_tokens, output_tokens::DOUBLE AS output_tokens,
                total_tokens::DOUBLE AS total_tokens, cost_usd, session_id, user_id, source
         FROM span_data WHERE trace_id = $1 AND span_id = $2`,
        [traceId, spanId],
      );
      const r = result.getRowObjectsJS()[0];
      if (!r) return null;
      return {
        traceId: String(r.trace_id),
        spanId: String(r.span_id),
        parentSpanId: str(r.parent_span_id),
        traceState: String(r.trace_state ?? ''),
        name: String(r.name),
        kind: r.kind as SpanKind,
        startNs: String(r.start_ns),
        endNs: String(r.end_ns),
        durationNs: Number(r.duration_ns),
        statusCode: r.status_code as StatusCode,
        statusMessage: String(r.status_message ?? ''),
        serviceName: str(r.service_name),
        scopeName: str(r.scope_name),
        scopeVersion: str(r.scope_version),
        attributesJson: String(r.attributes),
        resourceAttributesJson: String(r.resource_attributes),
        eventsJson: String(r.events),
        linksJson: String(r.links),
        spanType: (str(r.span_type) as SpanType | null) ?? null,
        llmProvider: str(r.llm_provider),
        llmModel: str(r.llm_model),
        inputTokens: num(r.input_tokens),
        outputTokens: num(r.output_tokens),
        totalTokens: num(r.total_tokens),
        costUsd: num(r.cost_usd),
        sessionId: str(r.session_id),
        userId: str(r.user_id),
        source: String(r.source),
      };
    });
  }

  /** The aggregated flame graph of the traces `filter` matches (aggregate-flame.ts). */
  async getAggregateFlame(filter: TraceFilter, options?: AggregateOptions): Promise<AggregateFlame> {
    return this.reader.run((conn) => readAggregateFlame(conn, filter, options));
  }

  /** One span name's callers and callees across the traces `filter` matches (aggregate-flame.ts). */
  async getSpanSandwich(name: string, filter: TraceFilter, options?: AggregateOptions): Promise<SpanSandwich> {
    return this.reader.run((conn) => readSpanSandwich(conn, name, filter, options));
  }

  /** A page of sessions, most recently active first (sessions.ts). */
  async listSessions(query: SessionQuery): Promise<SessionPage> {
    return this.reader.run((conn) => readSessions(conn, query));
  }

  /** A session's turns (traces) in time order (sessions.ts). */
  async getSessionTurns(sessionId: string): ReturnType<typeof readSessionTurns> {
    return this.reader.run((conn) => readSessionTurns(conn, sessionId));
  }

  /** One span's OTLP log records (see log-writer.ts). */
  async getSpanLogs(traceId: string, spanId: string): Promise<SpanLog[]> {
    return this.reader.run((conn) => readSpanLogs(conn, traceId, spanId));
  }

  /** The connection that reads files in place while an import holds the writer (created on first use). */
  private previewer: Promise<SerialConnection> | null = null;

  private previewConnection(): Promise<SerialConnection> {
    this.previewer ??= this.instance.connect().then(async (conn) => {
      // As on the import's connection: zone-less time text is UTC.
      await conn.run("SET TimeZone = 'UTC'");
      return new SerialConnection(conn);
    });
    return this.previewer;
  }

  /** A Parquet file's columns and metadata, read beside a running import (not on the writer). */
  async describeParquetInPlace(path: string): ReturnType<typeof describeParquet> {
    return (await this.previewConnection()).run((conn) => describeParquet(conn, path));
  }

  /** A page of the files' traces read in place, as listTraces will answer once they are imported (import-preview.ts). */
  async previewImport(files: readonly { path: string; plan: ImportPlan }[], page: { limit: number; offset: number }): Promise<PreviewPage> {
    return (await this.previewConnection()).run((conn) => readImportPreview(conn, files, page));
  }

  async counts(): Promise<{ traceCount: number; spanCount: number }> {
    return this.reader.run(async (conn) => {
      const r = await conn.runAndReadAll(
        this.summarized
          ? 'SELECT (SELECT count(*) FROM span_data)::DOUBLE AS spans, (SELECT count(*) FROM trace_summary)::DOUBLE AS traces'
          : 'SELECT count(*)::DOUBLE AS spans, count(DISTINCT trace_id)::DOUBLE AS traces FROM span_data',
      );
      const row = r.getRowObjectsJS()[0]!;
      return { traceCount: Number(row.traces), spanCount: Number(row.spans) };
    });
  }

  /** Bytes of the store's files on disk (database and write-ahead log). */
  diskBytes(): number {
    let total = 0;
    for (const file of [this.path, `${this.path}.wal`]) {
      try {
        total += statSync(file).size;
      } catch {
        // absent: nothing to count
      }
    }
    return total;
  }

  /** True while a user query (query()) is executing: what cancelQuery() interrupts. */
  private userQueryRunning = false;
  /** Each query() call takes the next number; a cancel covers every number up to `cancelledUpTo`. */
  private userQuerySeq = 0;
  private userQueriesDone = 0;
  private cancelledUpTo = 0;

  /**
   * Cancels the user queries asked for so far: the one executing is interrupted (DuckDB then
   * fails it with "Interrupted"), and one still being checked or queued fails before it runs —
   * a Cancel that arrives right after Run must not miss it.
   */
  cancelQuery(): boolean {
    if (this.userQueriesDone === this.userQuerySeq) return false;
    const upTo = (this.cancelledUpTo = this.userQuerySeq);
    // An interrupt that lands between the check before execution and DuckDB starting the
    // statement is lost (nothing is running yet), and the query then runs to its end: seen on a
    // loaded machine as a console stuck behind a cancelled cross join. So interrupt again every
    // 50 ms until every cancelled query has finished.
    const interrupt = (): void => {
      if (this.userQueriesDone >= upTo || this.closed) return;
      if (this.userQueryRunning) this.userQueries.conn.interrupt();
      setTimeout(interrupt, 50).unref();
    };
    interrupt();
    return true;
  }

  /**
   * Retention: deletes whole traces, oldest first, that started before `olderThanNs` or that
   * lie beyond the newest `maxSpans` spans (a trace is kept or dropped whole), with their log
   * records and summary rows. Returns what was deleted. Which traces: from trace_summary (start
   * and span count per trace); the deletes pass over span_data and the per-trace tables;
   * meant for occasional maintenance, not per batch.
   */
  async prune(policy: RetentionPolicy): Promise<{ traces: number; spans: number }> {
    const olderThan = policy.olderThanNs ? BigInt(policy.olderThanNs) : null;
    const maxSpans = policy.maxSpans ?? null;
    if (olderThan === null && maxSpans === null) return { traces: 0, spans: 0 };
    return this.exclusive(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run(
          `CREATE OR REPLACE TEMP TABLE retention_doomed AS
           SELECT trace_id FROM (
             SELECT trace_id, start_time AS started,
                    sum(span_count) OVER (ORDER BY start_time DESC, trace_id DESC) AS spans_up_to_here
             FROM trace_summary)
           WHERE ($1::BIGINT IS NOT NULL AND epoch_ns(started) < $1::BIGINT)
              OR ($2::BIGINT IS NOT NULL AND spans_up_to_here > $2::BIGINT)`,
          [olderThan, maxSpans === null ? null : BigInt(maxSpans)],
        );
        const counted = await conn.runAndReadAll(
          `SELECT (SELECT count(*) FROM retention_doomed)::DOUBLE AS traces,
                  (SELECT sum(span_count) FROM trace_summary WHERE trace_id IN (SELECT trace_id FROM retention_doomed))::DOUBLE AS spans`,
        );
        await conn.run('DELETE FROM span_data WHERE trace_id IN (SELECT trace_id FROM retention_doomed)');
        await conn.run('DELETE FROM log_data WHERE trace_id IN (SELECT trace_id FROM retention_doomed)');
        await deleteTraceRows(conn, 'SELECT trace_id FROM retention_doomed');
        await conn.run('DROP TABLE retention_doomed');
        await conn.run('COMMIT');
        const row = counted.getRowObjectsJS()[0]!;
        return { traces: Number(row.traces), spans: Number(row.spans) };
      } catch (error) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Deletes every span and log record, after what is queued has been written (so nothing
   * acknowledged before the call survives it), then checkpoints so the file can shrink.
   */
  async clearAll(): Promise<void> {
    await this.exclusive(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run('DELETE FROM span_data');
        await conn.run('DELETE FROM log_data');
        await deleteTraceRows(conn, null);
        await conn.run('COMMIT');
      } catch (error) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await conn.run('CHECKPOINT').catch(() => undefined);
    });
  }

  /**
   * Runs user SQL read-only over the public views (see readonly-sql.ts for what is refused).
   * Returns at most `limit` rows and says whether there were more.
   */
  async query(sql: string, limit = 1000): Promise<QueryResult> {
    const text = sql.trim().replace(/;\s*$/, '');
    if (!text) throw new RefusedSqlError('The query is empty.');
    const rowLimit = Math.min(Math.max(Math.trunc(limit), 1), 100_000);
    const ticket = ++this.userQuerySeq;
    const cancelled = (): boolean => ticket <= this.cancelledUpTo;
    return this.userQueries.run(async (conn) => {
      if (cancelled()) throw new Error('Interrupted: the query was cancelled.');
      const parsed = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [text]);
      checkSerializedSql(String(parsed.getRowObjectsJS()[0]?.tree ?? ''));
      const started = performance.now();
      // A read-only transaction that is always rolled back: belt and braces over the check.
      await conn.run('BEGIN TRANSACTION READ ONLY').catch(() => conn.run('BEGIN TRANSACTION'));
      this.userQueryRunning = true;
      try {
        if (cancelled()) throw new Error('Interrupted: the query was cancelled.');
        const reader = await conn.streamAndReadUntil(text, rowLimit + 1);
        const names = reader.columnNames();
        const types = reader.columnTypes().map((t) => t.toString());
        const rows = reader.getRowsJson() as unknown[][];
        // DuckDB's JSON form writes 64-bit integers as strings; give back numbers when exact.
        const integerColumns = types.flatMap((t, i) => (/^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/.test(t) ? [i] : []));
        for (const row of rows) {
          for (const i of integerColumns) {
            const v = row[i];
            if (typeof v === 'string' && Number.isSafeInteger(Number(v))) row[i] = Number(v);
          }
        }
        const truncated = rows.length > rowLimit;
        return {
          columns: names.map((name, i) => ({ name, type: types[i] ?? '' })),
          rows: truncated ? rows.slice(0, rowLimit) : rows,
          truncated,
          elapsedMs: performance.now() - started,
        };
      } finally {
        this.userQueryRunning = false;
        await conn.run('ROLLBACK').catch(() => undefined);
      }
    }).finally(() => {
      this.userQueriesDone++;
    });
  }

  /** Flushes queued rows and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.closed = true; // no new rows from here on
    await this.flush();
    if (this.attributeIndexRunning) this.interruptExclusive();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.burstOverTimer) clearTimeout(this.burstOverTimer);
    this.burstOverTimer = null;
    // Let in-flight reads finish before the handles go.
    await Promise.all([
      this.reader.run(async () => undefined),
      this.userQueries.run(async () => undefined),
      this.previewer?.then((p) => p.run(async () => undefined)),
    ]);
    if (this.writer) await this.writer.run(async (conn) => conn.run('CHECKPOINT')).catch(() => undefined);
    this.instance.closeSync();
  }
}




async function openInstance(path: string, options: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new StoreOpenError(
        `The store at ${path} is in use by another process (a running Tracedeck app or serve). ` +
          `Stop it or choose another data folder. (${message})`,
      );
    }
    throw new StoreOpenError(`Cannot open the store at ${path}: ${message}`);
  }
}

async function readSchemaVersion(path: string): Promise<number> {
  const instance = await openInstance(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    return await schemaVersion(conn);
  } finally {
    instance.closeSync();
  }
}

async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  const exists = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'tracedeck_meta' AND schema_name = 'main'",
  );
  if (Number(exists.getRowObjectsJS()[0]?.n ?? 0) === 0) return 0;
  const r = await conn.runAndReadAll("SELECT value FROM tracedeck_meta WHERE key = 'schema_version'");
  return Number(r.getRowObjectsJS()[0]?.value ?? 0);
}

/** Applies the migrations above the store's version, each in its own transaction. */
async function migrate(conn: DuckDBConnection, target: number): Promise<void> {
  let current = await schemaVersion(conn);
  if (current === 0) {
    await conn.run('CREATE TABLE IF NOT EXISTS tracedeck_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)');
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await conn.run(statement);
      await conn.run(
        "INSERT OR REPLACE INTO tracedeck_meta VALUES ('schema_version', $1)",
        [String(migration.version)],
      );
      await conn.run('COMMIT');
      current = migration.version;
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw new StoreOpenError(
        `Upgrading the store to schema version ${migration.version} (${migration.description}) failed: ${
          error instanceof Error ? error.message : String(error)
        }. The store was left at version ${current}.`,
      );
    }
  }
}

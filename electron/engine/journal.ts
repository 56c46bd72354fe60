// The ingest journal: OTLP request bodies made durable before DuckDB has committed their rows,
// so that under load a request can be acknowledged as soon as its body is on disk instead of
// after the next COMMIT.
//
// Why: an exporter sends its next batch only when the last one is answered, so with COMMIT-
// then-answer the exporters, the decoder and DuckDB take turns and both cores sit idle half the
// time (4 exporters x 512 spans in flight: ~12k spans/s end to end against ~28k/s for the store
// alone). With the journal the answer waits only for a sequential write and one fdatasync shared
// by every request written together (group commit), while DuckDB commits larger batches behind.
//
// Layout: a folder beside the store (`<store file>.journal/`) of segment files
// `j-<journal opened, ms>-<pid>-<journal no in the process>-<segment no>.log`, each a sequence of records:
//   u32 payload length | u32 CRC-32 of the payload | payload
//   payload = u8 signal (1 traces, 2 logs) | u8 encoding (1 protobuf, 2 json) | u16 source length | source (UTF-8) | body
// A record is acknowledged only after its bytes are written and fdatasync'd. A torn or corrupt
// record (a crash mid-write, never acknowledged) ends the reading of its segment.
//
// A segment is deleted once every record in it is committed to the store; on a clean shutdown
// the folder is left empty. After a crash the engine replays what is left (the store's keys
// make a replayed span that was in fact committed a no-op) and then deletes it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export type JournalSignal = 'traces' | 'logs';
export type JournalEncoding = 'protobuf' | 'json';

export interface JournalRecord {
  signal: JournalSignal;
  encoding: JournalEncoding;
  /** Where the request came from (otlp-http, otlp-grpc): the rows' `source`. */
  source: string;
  /** The request body as received, after decompression. */
  body: Uint8Array;
}

/** A segment is closed (new records go to a new one) past this size; it is deleted once committed. */
const SEGMENT_BYTES = 64 * 1024 * 1024;
const HEADER_BYTES = 8;
const SIGNALS: JournalSignal[] = ['traces', 'logs'];
const ENCODINGS: JournalEncoding[] = ['protobuf', 'json'];
const SEGMENT_NAME = /^j-(\d+)-(\d+)-(\d+)-(\d+)\.log$/;
let journalsOpened = 0;

interface Segment {
  path: string;
  handle: FileHandle;
  bytes: number;
  /** Records written here and not yet committed (or never committed: a failed write keeps its segment). */
  open: number;
  closed: boolean;
}

interface QueuedRecord {
  buffers: Buffer[];
  bytes: number;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
  seq: number;
}

export function encodeJournalRecord(record: JournalRecord): Buffer[] {
  const source = Buffer.from(record.source, 'utf8');
  const meta = Buffer.alloc(HEADER_BYTES + 4 + source.length);
  meta.writeUInt8(SIGNALS.indexOf(record.signal) + 1, HEADER_BYTES);
  meta.writeUInt8(ENCODINGS.indexOf(record.encoding) + 1, HEADER_BYTES + 1);
  meta.writeUInt16LE(source.length, HEADER_BYTES + 2);
  source.copy(meta, HEADER_BYTES + 4);
  const body = Buffer.from(record.body.buffer, record.body.byteOffset, record.body.byteLength);
  const payloadMeta = meta.subarray(HEADER_BYTES);
  meta.writeUInt32LE(payloadMeta.length + body.length, 0);
  meta.writeUInt32LE(crc32(body, crc32(payloadMeta)), 4);
  return [meta, body];
}

/** The complete, intact records of one segment's bytes, in order; stops at a torn or corrupt one. */
export function decodeJournalSegment(bytes: Buffer): { records: JournalRecord[]; intactBytes: number } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const expected = bytes.readUInt32LE(at + 4);
    const start = at + HEADER_BYTES;
    if (length < 4 || start + length > bytes.length) break;
    const payload = bytes.subarray(start, start + length);
    if (crc32(payload) !== expected) break;
    const signal = SIGNALS[payload.readUInt8(0) - 1];
    const encoding = ENCODINGS[payload.readUInt8(1) - 1];
    const sourceLength = payload.readUInt16LE(2);
    if (!signal || !encoding || 4 + sourceLength > payload.length) break;
    records.push({
      signal,
      encoding,
      source: payload.toString('utf8', 4, 4 + sourceLength),
      body: payload.subarray(4 + sourceLength),
    });
    at = start + length;
  }
  return { records, intactBytes: at };
}

export class IngestJournal {
  private seq = 0;
  private segmentNo = 0;
  private active: Segment | null = null;
  /** Which segment holds each record written and not yet committed. */
  private readonly segmentOf = new Map<number, Segment>();
  private queue: QueuedRecord[] = [];
  private draining: Promise<void> | null = null;
  /** Segment deletions under way (close waits for them). */
  private readonly removals = new Set<Promise<void>>();
  private readonly prefix = `j-${Date.now()}-${process.pid}-${++journalsOpened}-`;
  private closed = false;

  /** `segmentBytes`: the size past which a segment is closed (tests use small ones). */
  constructor(
    readonly dir: string,
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {}

  /** The journal folder of the store at `storePath`. */
  static forStore(storePath: string): IngestJournal {
    return new IngestJournal(`${storePath}.journal`);
  }

  /** Segments left by an earlier process (a crash), oldest first. */
  leftoverSegments(): string[] {
    if (!existsSync(this.dir)) return [];
    const mine = this.prefix;
    return readdirSync(this.dir)
      .filter((name) => SEGMENT_NAME.test(name) && !name.startsWith(mine))
      .sort((a, b) => {
        const x = SEGMENT_NAME.exec(a)!.slice(1).map(Number);
        const y = SEGMENT_NAME.exec(b)!.slice(1).map(Number);
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
        return 0;
      })
      .map((name) => join(this.dir, name));
  }

  /** The intact records of one leftover segment. */
  static readSegment(path: string): JournalRecord[] {
    return decodeJournalSegment(readFileSync(path)).records;
  }

  /** Deletes leftover segments once their records are in the store. */
  static discard(paths: readonly string[]): void {
    for (const path of paths) rmSync(path, { force: true });
  }

  /**
   * Writes the record and resolves with its sequence number once it is on disk (written and
   * fdatasync'd). Records appended while a write is in progress are written together and share
   * one fdatasync.
   */
  append(record: JournalRecord): Promise<number> {
    if (this.closed) return Promise.reject(new Error('The ingest journal is closed.'));
    const buffers = encodeJournalRecord(record);
    const bytes = buffers[0]!.length + buffers[1]!.length;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ buffers, bytes, resolve, reject, seq: ++this.seq });
      this.draining ??= this.drain();
    });
  }

  /**
   * The record `seq` is committed to the store: its segment goes once all its records are. The
   * segment being written to goes too when no write is in flight (the next record starts a new
   * one), so that what a crash leaves is only what was not committed: replaying committed
   * requests would bring back spans deleted since (Clear all, retention).
   */
  committed(seq: number): void {
    const segment = this.segmentOf.get(seq);
    if (!segment) return;
    this.segmentOf.delete(seq);
    segment.open--;
    if (segment.open > 0) return;
    if (segment === this.active) {
      if (this.draining) return; // records being written there now: retired when they are committed
      this.active = null;
      segment.closed = true;
    }
    if (segment.closed) this.retire(segment);
  }

  private retire(segment: Segment): void {
    const removal = this.remove(segment);
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }

  /** Records written but not yet committed. */
  get uncommitted(): number {
    return this.segmentOf.size;
  }

  /**
   * Waits for writes in progress and closes the files. Segments whose records were all
   * committed are deleted; any other stays to be replayed at the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
    const active = this.active;
    this.active = null;
    if (active) {
      active.closed = true;
      if (active.open === 0) await this.remove(active);
      else await active.handle.close().catch(() => undefined);
    }
    await Promise.all([...this.removals]);
  }

  /**
   * Writes queued records until none is left. `draining` is cleared before a batch's callers are
   * told, in the same turn as the check that the queue is empty, so an append made by a caller
   * that was just answered always starts a new drain.
   */
  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.queue;
      this.queue = [];
      let failure: Error | null = null;
      try {
        const segment = await this.segmentFor();
        await segment.handle.writev(batch.flatMap((r) => r.buffers));
        await segment.handle.datasync();
        segment.bytes += batch.reduce((n, r) => n + r.bytes, 0);
        segment.open += batch.length;
        for (const r of batch) this.segmentOf.set(r.seq, segment);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      const more = this.queue.length > 0;
      if (!more) this.draining = null;
      for (const r of batch) {
        if (failure) r.reject(failure);
        else r.resolve(r.seq);
      }
      if (!more) return;
    }
  }

  /** The segment to write to: a new one when there is none yet or the current one is full. */
  private async segmentFor(): Promise<Segment> {
    const current = this.active;
    if (current && current.bytes < this.segmentBytes) return current;
    if (current) {
      current.closed = true;
      // Nothing is written there again: its file is closed now, and deleted once its records
      // are committed (never, for one whose rows failed to commit: it is replayed at the next start).
      if (current.open === 0) this.retire(current);
      else void current.handle.close().catch(() => undefined);
    }
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, `${this.prefix}${++this.segmentNo}.log`);
    const handle = await open(path, 'a');
    this.active = { path, handle, bytes: 0, open: 0, closed: false };
    return this.active;
  }

  private async remove(segment: Segment): Promise<void> {
    await segment.handle.close().catch(() => undefined);
    // Not unlinkSync: on the engine thread a segment's unlink took up to ~30 ms under load.
    await unlink(segment.path).catch(() => undefined); // already gone
  }
}

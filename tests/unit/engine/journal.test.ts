// The ingest journal on real files: what a process leaves behind when it stops without closing
// is read back exactly, a torn or corrupt tail is ignored (it was never acknowledged), and
// segments go away once everything in them is committed.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJournalSegment, encodeJournalRecord, IngestJournal, type JournalRecord } from '../../../electron/engine/journal';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-journal-'));
  dirs.push(dir);
  return join(dir, 'store.duckdb.journal');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(i: number, size = 100): JournalRecord {
  const body = new Uint8Array(size);
  for (let j = 0; j < size; j++) body[j] = (i * 31 + j) & 0xff;
  return { signal: i % 3 === 0 ? 'logs' : 'traces', encoding: i % 2 === 0 ? 'protobuf' : 'json', source: `otlp-${i % 2 ? 'http' : 'grpc'}`, body };
}

const plain = (r: JournalRecord) => ({ ...r, body: Buffer.from(r.body).toString('hex') });

describe('IngestJournal', () => {
  it('gives back, in order, every record of a journal that was never closed (a crash)', async () => {
    const dir = freshDir();
    const crashed = new IngestJournal(dir);
    const records = Array.from({ length: 50 }, (_, i) => record(i, 10 + i * 7));
    const seqs = await Promise.all(records.map((r) => crashed.append(r)));
    expect(seqs).toEqual(records.map((_, i) => i + 1));
    // No close(): the next process finds the segment.
    const next = new IngestJournal(dir);
    const segments = next.leftoverSegments();
    expect(segments).toHaveLength(1);
    expect(IngestJournal.readSegment(segments[0]!).map(plain)).toEqual(records.map(plain));
    IngestJournal.discard(segments);
    expect(next.leftoverSegments()).toEqual([]);
  });

  it('ignores a torn last record and a corrupt one, keeping the intact records before them', async () => {
    const dir = freshDir();
    const journal = new IngestJournal(dir);
    for (let i = 0; i < 3; i++) await journal.append(record(i));
    const [segment] = new IngestJournal(dir).leftoverSegments();
    const full = readFileSync(segment!);
    // A write cut short by the crash: half of a fourth record.
    const fourth = Buffer.concat(encodeJournalRecord(record(3)));
    appendFileSync(segment!, fourth.subarray(0, fourth.length / 2));
    expect(IngestJournal.readSegment(segment!).map(plain)).toEqual([0, 1, 2].map((i) => plain(record(i))));
    // A flipped byte in the second record's body: its checksum fails, reading stops there.
    const corrupt = Buffer.from(full);
    const second = Buffer.concat(encodeJournalRecord(record(0))).length + 20;
    corrupt[second] = corrupt[second]! ^ 0xff;
    writeFileSync(segment!, corrupt);
    const { records, intactBytes } = decodeJournalSegment(corrupt);
    expect(records.map(plain)).toEqual([plain(record(0))]);
    expect(intactBytes).toBe(Buffer.concat(encodeJournalRecord(record(0))).length);
    truncateSync(segment!, 3);
    expect(IngestJournal.readSegment(segment!)).toEqual([]);
  });

  it('deletes a closed segment once all its records are committed, and keeps one with an uncommitted record', async () => {
    const dir = freshDir();
    const journal = new IngestJournal(dir, 1000); // ~4 records of 250 bytes a segment
    const seqs: number[] = [];
    for (let i = 0; i < 12; i++) seqs.push(await journal.append(record(i, 240)));
    expect(readdirSync(dir).length).toBe(3);
    for (const seq of seqs.slice(0, 8)) journal.committed(seq);
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).length).toBe(1); // the first two segments are gone, the active one stays
    expect(journal.uncommitted).toBe(4);
    // Closing with record 9 uncommitted keeps its segment for the next start.
    journal.committed(seqs[9]!);
    journal.committed(seqs[10]!);
    journal.committed(seqs[11]!);
    await journal.close();
    const left = new IngestJournal(dir).leftoverSegments();
    expect(left).toHaveLength(1);
    expect(IngestJournal.readSegment(left[0]!).map(plain)[0]).toEqual(plain(record(8, 240)));
  });

  it('leaves nothing behind when everything was committed before close', async () => {
    const dir = freshDir();
    const journal = new IngestJournal(dir);
    const seqs = await Promise.all([1, 2, 3].map((i) => journal.append(record(i))));
    for (const seq of seqs) journal.committed(seq);
    await journal.close();
    expect(readdirSync(dir)).toEqual([]);
    await expect(journal.append(record(4))).rejects.toThrow(/closed/);
  });

  it('lists leftover segments of several earlier journals oldest first, and never its own', async () => {
    const dir = freshDir();
    const first = new IngestJournal(dir, 300);
    for (let i = 0; i < 4; i++) await first.append(record(i, 200));
    const second = new IngestJournal(dir, 300);
    for (let i = 4; i < 6; i++) await second.append(record(i, 200));
    const reader = new IngestJournal(dir);
    await reader.append(record(99));
    const order = reader.leftoverSegments().flatMap((s) => IngestJournal.readSegment(s).map((r) => r.body[0]));
    expect(order).toEqual([0, 1, 2, 3, 4, 5].map((i) => record(i, 200).body[0]));
  });

  it('retires the segment being written once all its records are committed, so a crash leaves only what was not', async () => {
    const dir = freshDir();
    const journal = new IngestJournal(dir);
    const seqs = await Promise.all([1, 2, 3].map((i) => journal.append(record(i))));
    for (const seq of seqs) journal.committed(seq);
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir)).toEqual([]);
    // The next record starts a new segment; "crash" with it uncommitted.
    await journal.append(record(4));
    const left = new IngestJournal(dir).leftoverSegments();
    expect(left.flatMap((s) => IngestJournal.readSegment(s)).map(plain)).toEqual([plain(record(4))]);
  });
});

// OTLP JSON Lines files (the Collector's file exporter) are imported as they are read, in batches
// of OTLP_JSON_BATCH_ROWS rows (parquet/import.ts), inside the import's one transaction: a file of
// several batches must arrive whole and summarised, a key repeated across batches kept once, a bad
// line far into the file must roll back what the batches before it wrote, and a cancel too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/api';
import { OTLP_JSON_BATCH_ROWS } from '../../../electron/engine/parquet/import';
import type { LiveEvent } from '../../../shared/model';
import { engineForEachTest } from '../../helpers/engine';

let dir: string;
let engine: Engine;
engineForEachTest('tracedeck-jsonl-', (opened) => ({ dir, engine } = opened));

const T0 = 1_795_000_000_000_000_000n;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** One ExportTraceServiceRequest line: spans first..first+count-1, 10 to a trace. */
function requestLine(first: number, count: number): string {
  const spans = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    return {
      traceId: hex(Math.floor(i / 10) + 1, 32),
      spanId: hex(i + 1, 16),
      ...(i % 10 === 0 ? {} : { parentSpanId: hex(i - (i % 10) + 1, 16) }),
      name: `step ${i % 10}`,
      kind: 1,
      startTimeUnixNano: String(T0 + BigInt(i) * 1000n),
      endTimeUnixNano: String(T0 + BigInt(i) * 1000n + 500n),
      attributes: [{ key: 'n', value: { intValue: String(i) } }],
    };
  });
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'jsonl' } }] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] });
}

const LINE_SPANS = 500;
/** Lines enough for three batches and a part. */
const LINES = Math.ceil((3.5 * OTLP_JSON_BATCH_ROWS) / LINE_SPANS);
const SPANS = LINES * LINE_SPANS;

function writeLines(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const allLines = (): string[] => Array.from({ length: LINES }, (_, l) => requestLine(l * LINE_SPANS, LINE_SPANS));
const count = async (sql: string): Promise<number> => Number((await engine.query(sql)).rows[0]![0]);

describe('OTLP JSON Lines, read in batches', () => {
  it('imports every span of a file of several batches, with its traces summarised and progress as it goes', async () => {
    const path = writeLines('export.jsonl', allLines());
    const progress: number[] = [];
    const off = engine.subscribe((event: LiveEvent) => {
      if (event.type === 'import-progress') progress.push(event.rowsDone);
    });
    const result = await engine.importPaths([path]);
    off();
    expect(result).toMatchObject({ ok: true, imported: SPANS });
    expect(result.files[0]).toMatchObject({ format: 'otlp-json', rows: SPANS, imported: SPANS, duplicates: 0 });
    expect(await count('SELECT count(*) FROM spans')).toBe(SPANS);
    expect(await count('SELECT count(*) FROM traces')).toBe(SPANS / 10);
    expect(await count('SELECT sum(span_count) FROM traces')).toBe(SPANS);
    expect(await count(`SELECT (attributes->>'$.n')::BIGINT FROM spans WHERE span_id = '${hex(SPANS, 16)}'`)).toBe(SPANS - 1);
    // One report a batch at least, rising, the last the whole file.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress.at(-1)).toBe(SPANS);
  });

  it('keeps the first of a span repeated in a later batch', async () => {
    const lines = allLines();
    const repeat = JSON.parse(requestLine(0, 1)) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
    repeat.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = 'the repeat';
    lines.push(JSON.stringify(repeat));
    const result = await engine.importPaths([writeLines('repeat.jsonl', lines)]);
    expect(result.files[0]).toMatchObject({ rows: SPANS + 1, imported: SPANS, duplicates: 1 });
    expect((await engine.query(`SELECT name FROM spans WHERE span_id = '${hex(1, 16)}'`)).rows).toEqual([['step 0']]);
  });

  it('keeps the first of a span repeated within one batch', async () => {
    // The repeat right after the span's own line, so that both land in the first batch.
    const lines = allLines();
    const repeat = JSON.parse(requestLine(0, 1)) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
    repeat.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = 'the repeat';
    lines.splice(1, 0, JSON.stringify(repeat));
    const result = await engine.importPaths([writeLines('repeat-in-batch.jsonl', lines)]);
    expect(result.files[0]).toMatchObject({ rows: SPANS + 1, imported: SPANS, duplicates: 1 });
    expect((await engine.query(`SELECT name FROM spans WHERE span_id = '${hex(1, 16)}'`)).rows).toEqual([['step 0']]);
    expect(await count('SELECT sum(span_count) FROM traces')).toBe(SPANS);
  });

  it('a bad line after batches were written: an error naming the file and line, and nothing stored', async () => {
    await engine.importPaths([writeLines('good.jsonl', [requestLine(10_000_000, 20)])]);
    const before = (await engine.query('SELECT trace_id, span_id FROM spans ORDER BY ALL')).rows;
    const lines = allLines();
    const badLine = LINES - 2;
    lines[badLine] = '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"';
    const path = writeLines('bad.jsonl', lines);
    const result = await engine.importPaths([path]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(path);
    expect(result.error).toContain(`(line ${badLine + 1})`);
    expect((await engine.query('SELECT trace_id, span_id FROM spans ORDER BY ALL')).rows).toEqual(before);
    expect(await count('SELECT count(*) FROM traces')).toBe(2);
  });

  it('a cancel while batches are written rolls them back', async () => {
    const path = writeLines('cancel.jsonl', allLines());
    let cancelled = false;
    const off = engine.subscribe((event: LiveEvent) => {
      // After the first batch is in: the cancel lands mid-file.
      if (event.type === 'import-progress' && event.rowsDone > 0 && !cancelled) {
        cancelled = true;
        void engine.cancelImport();
      }
    });
    const result = await engine.importPaths([path]);
    off();
    expect(cancelled).toBe(true);
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(await count('SELECT count(*) FROM spans')).toBe(0);
  });
});

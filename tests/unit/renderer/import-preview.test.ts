// The preview shown while files import (state/import-preview.ts, started and finished by
// state/transfer.ts) against a controllable fake TraceApi: it shows while the import runs, the
// store's list is refreshed before it goes, a picked trace opens on success, and a failure or a
// late page leaves no preview. Plus the two pure helpers PreviewList.tsx shows them with.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TraceApi } from '../../../shared/api';
import type { ImportPreview, ImportResult } from '../../../shared/import';
import { traceColumnsFrom } from '../../../shared/span-columns';
import type { LiveEvent, StoreStats, TraceDetail } from '../../../shared/model';
import { setApiForTesting } from '../../../renderer/src/api';
import { importPercent, previewedFilesLabel, useImportPreview } from '../../../renderer/src/state/import-preview';
import { useSelection } from '../../../renderer/src/state/selection';
import { useTransfer } from '../../../renderer/src/state/transfer';

const TRACE = 'b'.repeat(32);
const PAGE: ImportPreview = {
  traces: [{ traceId: TRACE, rootName: 'GET /', serviceName: 's', startNs: '1', durationNs: 5, spanCount: 3, errorCount: 0, inputTokens: null, outputTokens: null, costUsd: null, sessionId: null }],
  total: 1,
  files: ['/data/big.parquet'],
  rows: 3,
  elapsedMs: 1,
};

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let calls: string[];
let running: StoreStats['imports'];
let importDone: ReturnType<typeof deferred<ImportResult>>;
let previewDone: ReturnType<typeof deferred<ImportPreview>>;

beforeEach(() => {
  calls = [];
  running = [];
  importDone = deferred();
  previewDone = deferred();
  const api: Partial<TraceApi> = {
    importPaths: () => (calls.push('importPaths'), importDone.promise),
    previewImport: (_paths, options) => (calls.push(options?.offset ? `previewImport from ${options.offset}` : 'previewImport'), previewDone.promise),
    listTraces: async () => (calls.push('listTraces'), { traces: [], total: 0 }),
    getTrace: async (id) => (calls.push(`getTrace ${id}`), { traceId: id, startNs: '1', durationNs: 5, spans: [] } as TraceDetail),
    getTraceColumns: async (id) => (calls.push(`getTrace ${id}`), traceColumnsFrom({ traceId: id, startNs: '1', durationNs: 5, spans: [] } as TraceDetail)),
    getSpan: async () => null,
    getStats: async () => (calls.push('getStats'), { imports: running } as StoreStats),
  };
  setApiForTesting(api as TraceApi);
  useSelection.getState().closeTrace();
});

const ok: ImportResult = { ok: true, files: [], imported: 3, elapsedMs: 1 };
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('the import preview', () => {
  it('shows while the import runs; on success the list is refreshed, then the preview goes and the picked trace opens', async () => {
    const importing = useTransfer.getState().importPaths(['/data/big.parquet']);
    previewDone.resolve(PAGE);
    await flush();
    expect(useImportPreview.getState().preview).toEqual(PAGE);
    useImportPreview.getState().pick(TRACE);
    importDone.resolve(ok);
    await importing;
    expect(useImportPreview.getState().preview).toBeNull();
    expect(calls).toEqual(['previewImport', 'importPaths', 'listTraces', `getTrace ${TRACE}`]);
    expect(useSelection.getState().traceId).toBe(TRACE);
  });

  it('a failed or cancelled import: the preview goes, nothing is opened or refreshed', async () => {
    const importing = useTransfer.getState().importPaths(['/data/big.parquet']);
    previewDone.resolve(PAGE);
    await flush();
    useImportPreview.getState().pick(TRACE);
    importDone.resolve({ ok: false, files: [], imported: 0, elapsedMs: 1, error: 'cancelled', cancelled: true });
    await importing;
    expect(useImportPreview.getState().preview).toBeNull();
    expect(calls).toEqual(['previewImport', 'importPaths']);
    expect(useSelection.getState().traceId).toBeNull();
  });

  it('pages further down are asked of the files; only the latest page asked is shown', async () => {
    const importing = useTransfer.getState().importPaths(['/data/big.parquet']);
    previewDone.resolve(PAGE);
    await flush();
    const second = deferred<ImportPreview>();
    const third = deferred<ImportPreview>();
    const pages = [second, third];
    setApiForTesting({
      ...({} as TraceApi),
      previewImport: (_paths, options) => (calls.push(`previewImport from ${options?.offset}`), pages.shift()!.promise),
      importPaths: () => importDone.promise,
      listTraces: async () => ({ traces: [], total: 0 }),
    } as TraceApi);
    useImportPreview.getState().setOffset(200);
    useImportPreview.getState().setOffset(400);
    third.resolve({ ...PAGE, total: 500, traces: [{ ...PAGE.traces[0]!, traceId: 'c'.repeat(32) }] });
    second.resolve({ ...PAGE, total: 500 });
    await flush();
    expect(calls).toEqual(['previewImport', 'importPaths', 'previewImport from 200', 'previewImport from 400']);
    expect(useImportPreview.getState().offset).toBe(400);
    expect(useImportPreview.getState().preview?.traces[0]?.traceId).toBe('c'.repeat(32));
    importDone.resolve(ok);
    await importing;
    expect(useImportPreview.getState().preview).toBeNull();
    expect(useImportPreview.getState().offset).toBe(0);
  });

  it('a page that comes after its import ended is not shown', async () => {
    const importing = useTransfer.getState().importPaths(['/data/big.parquet']);
    importDone.resolve(ok);
    await importing;
    previewDone.resolve(PAGE);
    await flush();
    expect(useImportPreview.getState().preview).toBeNull();
  });
});

describe('an import this window did not start (File › Open, a drop, a launch argument in the desktop app)', () => {
  const started: Extract<LiveEvent, { type: 'import-started' }> = { type: 'import-started', importId: 'import-7', paths: ['/data/big.parquet'] };

  it('is previewed from its import-started event and finishes on its own import-finished', async () => {
    useTransfer.getState().onImportStarted(started);
    expect(useTransfer.getState().running).toBe(true);
    previewDone.resolve(PAGE);
    await flush();
    expect(useImportPreview.getState().preview).toEqual(PAGE);
    useImportPreview.getState().pick(TRACE);
    // Another import's end changes nothing.
    await useTransfer.getState().onImportFinished({ type: 'import-finished', importId: 'import-8', ...ok });
    expect(useImportPreview.getState().preview).toEqual(PAGE);
    await useTransfer.getState().onImportFinished({ type: 'import-finished', importId: 'import-7', ...ok });
    expect(useImportPreview.getState().preview).toBeNull();
    expect(useTransfer.getState()).toMatchObject({ running: false, message: 'Imported 3 spans from 0 files.' });
    expect(calls).toEqual(['previewImport', 'listTraces', `getTrace ${TRACE}`]);
    expect(useSelection.getState().traceId).toBe(TRACE);
  });

  it('is not previewed twice when it is the window\'s own import, nor taken from an event that does not check out', async () => {
    const importing = useTransfer.getState().importPaths(['/data/big.parquet']);
    useTransfer.getState().onImportStarted({ ...started, importId: 'import-9' });
    await useTransfer.getState().onImportFinished({ type: 'import-finished', importId: 'import-9', ...ok });
    expect(useTransfer.getState().running).toBe(true);
    importDone.resolve(ok);
    await importing;
    expect(calls).toEqual(['previewImport', 'importPaths', 'listTraces']);
    for (const bad of [{ ...started, paths: [] }, { ...started, paths: ['/a', 42] }, { ...started, importId: '' }, { ...started, mapping: { traceId: 7 } }]) {
      useTransfer.getState().onImportStarted(bad as never);
      expect(useTransfer.getState().running).toBe(false);
    }
    expect(calls).toEqual(['previewImport', 'importPaths', 'listTraces']);
  });
});

describe('an import running before the window listened (StoreStats.imports)', () => {
  it('is taken up from getStats and finishes on its import-finished', async () => {
    running = [{ importId: 'import-21', paths: ['/data/big.parquet'] }];
    await useTransfer.getState().adoptRunningImports();
    expect(useTransfer.getState().running).toBe(true);
    previewDone.resolve(PAGE);
    await flush();
    expect(useImportPreview.getState().preview).toEqual(PAGE);
    await useTransfer.getState().onImportFinished({ type: 'import-finished', importId: 'import-21', ...ok });
    expect(useTransfer.getState().running).toBe(false);
    expect(useImportPreview.getState().preview).toBeNull();
  });

  it('is not taken up once its import-finished was seen, nor when its entry does not check out', async () => {
    running = [{ importId: 'import-22', paths: ['/data/big.parquet'] }];
    // The answer was written before the import ended; the end's event arrived first.
    await useTransfer.getState().onImportFinished({ type: 'import-finished', importId: 'import-22', ...ok });
    await useTransfer.getState().adoptRunningImports();
    expect(useTransfer.getState().running).toBe(false);
    running = [{ importId: 'import-23', paths: [] }, { importId: '', paths: ['/a'] }] as StoreStats['imports'];
    await useTransfer.getState().adoptRunningImports();
    expect(useTransfer.getState().running).toBe(false);
    expect(calls).toEqual(['getStats', 'getStats']);
  });
});

describe('PreviewList helpers', () => {
  it('names the files by their file names', () => {
    expect(previewedFilesLabel(['/a/b/events_0001.parquet'])).toBe('events_0001.parquet');
    expect(previewedFilesLabel(['C:\\t\\x.parquet', '/y.parquet'])).toBe('x.parquet and 1 more file');
    expect(previewedFilesLabel(['/a.parquet', '/b.parquet', '/c.parquet'])).toBe('a.parquet and 2 more files');
  });
  it('counts percent of the rows, at most 99 before the commit', () => {
    expect(importPercent(0, 1000)).toBe(0);
    expect(importPercent(333, 1000)).toBe(33);
    expect(importPercent(1000, 1000)).toBe(99);
    expect(importPercent(5, 0)).toBe(0);
  });
});

// The trace list of the files being imported, read in place (TraceApi.previewImport), shown
// instead of the store's list while the import runs (views/PreviewList.tsx): a 1M-span import
// takes tens of seconds, the page asked of the file about a second. When the import commits,
// the store's list is refreshed first and then takes the preview's place; when it fails or is
// cancelled, the preview simply goes away (the store was not changed). state/transfer.ts
// starts and finishes it around each import. Tests drive it with setApiForTesting.
import { create } from 'zustand';
import type { ColumnMapping, ImportPreview } from '../../../shared/import';
import { getApi } from '../api';
import { useSelection } from './selection';
import { TRACE_PAGE_SIZE, useTraceList } from './traces';

interface ImportPreviewState {
  /** A page of the files' traces; null when no import runs or its first page has not come. */
  preview: ImportPreview | null;
  /** Where the page shown starts. */
  offset: number;
  /** Asks for another page of the same files (while the import runs: slower, it shares the cores). */
  setOffset(offset: number): void;
  /** A trace picked in the preview: opened as soon as the import commits. */
  openWhenImported: string | null;
  /** Asks for the page of the files an import just started on. */
  start(paths: string[], mapping?: ColumnMapping): void;
  /** The import ended: on success the store's list replaces the preview (and a picked trace opens). */
  finish(ok: boolean): Promise<void>;
  pick(traceId: string): void;
}

/** Each import's preview has its number: a page that comes after its import ended is dropped. */
let generation = 0;
let active = false;
/** What the running import's preview reads: its paths and mapping. */
let asked: { paths: string[]; mapping?: ColumnMapping } = { paths: [] };
/** Page requests have numbers too: only the latest one's page is shown. */
let pageRequest = 0;

export const useImportPreview = create<ImportPreviewState>((set, get) => ({
  preview: null,
  openWhenImported: null,
  offset: 0,
  start: (paths, mapping) => {
    ++generation;
    active = true;
    asked = { paths, ...(mapping ? { mapping } : {}) };
    set({ preview: null, offset: 0, openWhenImported: null });
    get().setOffset(0);
  },
  setOffset: (offset) => {
    if (!active) return;
    const mine = generation;
    const request = ++pageRequest;
    const from = Math.max(0, Math.trunc(offset));
    getApi()
      .previewImport(asked.paths, { limit: TRACE_PAGE_SIZE, offset: from, ...(asked.mapping ? { mapping: asked.mapping } : {}) })
      .then(
        (preview) => {
          if (mine === generation && request === pageRequest && active && preview.files.length > 0) set({ preview, offset: from });
        },
        // A file the preview cannot read fails the import too, which says why; until then the
        // store's list (or the page shown) stays.
        () => undefined,
      );
  },
  finish: async (ok) => {
    active = false;
    const picked = get().openWhenImported;
    // The store's list first, so the switch does not show the list from before the import.
    if (ok) await useTraceList.getState().refresh();
    set({ preview: null, offset: 0, openWhenImported: null });
    if (ok && picked) await useSelection.getState().openTrace(picked);
  },
  pick: (traceId) => set({ openWhenImported: traceId }),
}));

/** "a.parquet", "a.parquet and 3 more files": file names only, the folders are long. */
export function previewedFilesLabel(files: readonly string[]): string {
  const name = (path: string): string => path.split(/[\\/]/).pop() || path;
  if (files.length === 0) return '';
  return files.length === 1 ? name(files[0]!) : `${name(files[0]!)} and ${files.length - 1} more file${files.length === 2 ? '' : 's'}`;
}

/** Percent of the files' rows imported so far; 99 at most until the import commits. */
export function importPercent(rowsDone: number, rowsTotal: number): number {
  if (rowsTotal <= 0) return 0;
  return Math.min(99, Math.max(0, Math.floor((rowsDone / rowsTotal) * 100)));
}

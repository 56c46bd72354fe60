// Import / export state: the running import (progress from `import-progress` live events), the
// last result, and the mapping step for a file that was not recognised. One small store; the
// component only renders it. Tests drive it with setApiForTesting + useTransfer.getState().
//
// An import this window did not start (the desktop's File › Open, a drop or a launch argument,
// which main hands to the engine; another window; `tracedeck import` into a running instance)
// arrives as `import-started` / `import-finished` live events and is shown the same way: its
// preview, progress, Cancel and result.
import { create } from 'zustand';
import type { ColumnMapping, ImportInspection, ImportProgress, ImportResult } from '../../../shared/import';
import type { LiveEvent, RunningImport } from '../../../shared/model';
import { validateApiArgs } from '../../../shared/validate';
import { getApi } from '../api';
import { useImportPreview } from './import-preview';

type ImportStarted = Extract<LiveEvent, { type: 'import-started' }>;
type ImportFinished = Extract<LiveEvent, { type: 'import-finished' }>;

export type TransferDialog = 'none' | 'open' | 'export' | 'mapping';

interface TransferState {
  dialog: TransferDialog;
  running: boolean;
  progress: ImportProgress | null;
  result: ImportResult | null;
  message: string | null;
  inspection: ImportInspection | null;
  /** The paths of the import shown (running, or the last one). */
  shownPaths: string[];
  show(dialog: TransferDialog): void;
  importPaths(paths: string[], mapping?: ColumnMapping): Promise<void>;
  cancel(): Promise<void>;
  exportAll(outPath: string, where?: string): Promise<void>;
  onProgress(progress: ImportProgress): void;
  /** An import began in the engine: shown unless this window is running its own. */
  onImportStarted(event: ImportStarted): void;
  /** An import ended: the one taken up by onImportStarted finishes as if this window had run it. */
  onImportFinished(event: ImportFinished): Promise<void>;
  /**
   * Takes up an import that began before this window was listening (StoreStats.imports, asked
   * once the window subscribes), as onImportStarted would have.
   */
  adoptRunningImports(): Promise<void>;
}

const NEEDS_MAPPING = /no recognisable span columns/;

/** The import shown that this window did not start (its importId), until its `import-finished`. */
let adopted: string | null = null;
/**
 * Imports whose `import-finished` this window has seen, so that a getStats answer written before
 * that event (adoptRunningImports) cannot take one up again and leave it showing as running.
 */
const finishedImports = new Set<string>();
const FINISHED_IMPORTS_KEPT = 32;

function noteFinished(importId: string): void {
  finishedImports.add(importId);
  if (finishedImports.size > FINISHED_IMPORTS_KEPT) finishedImports.delete(finishedImports.values().next().value!);
}

/**
 * The checked content of an `import-started` event (paths and mapping as importPaths takes them),
 * or null: what main or the server relays is still not taken on trust.
 */
export function importStartedFrom(event: ImportStarted): { importId: string; paths: string[]; mapping?: ColumnMapping } | null {
  if (typeof event.importId !== 'string' || event.importId === '') return null;
  try {
    const [paths, options] = validateApiArgs('importPaths', event.mapping === undefined ? [event.paths] : [event.paths, { mapping: event.mapping }]) as [
      string[],
      { mapping?: ColumnMapping }?,
    ];
    return { importId: event.importId, paths, ...(options?.mapping ? { mapping: options.mapping } : {}) };
  } catch {
    return null;
  }
}

export const useTransfer = create<TransferState>((set, get) => ({
  dialog: 'none',
  running: false,
  progress: null,
  result: null,
  message: null,
  inspection: null,
  shownPaths: [],
  show: (dialog) => set({ dialog, message: dialog === 'none' ? get().message : null }),
  importPaths: async (paths, mapping) => {
    began(paths, mapping);
    try {
      await ended(paths, await getApi().importPaths(paths, mapping ? { mapping } : undefined));
    } catch (error) {
      await useImportPreview.getState().finish(false);
      set({ running: false, message: error instanceof Error ? error.message : String(error) });
    }
  },
  onImportStarted: (event) => {
    const started = importStartedFrom(event);
    // This window's own import is already shown (its event comes after its call); one import at a time.
    if (!started || get().running || finishedImports.has(started.importId)) return;
    adopted = started.importId;
    began(started.paths, started.mapping);
  },
  onImportFinished: async (event) => {
    if (typeof event.importId === 'string') noteFinished(event.importId);
    if (adopted === null || event.importId !== adopted) return;
    adopted = null;
    await ended(get().shownPaths, event);
  },
  adoptRunningImports: async () => {
    const running = (await getApi().getStats()).imports;
    if (!Array.isArray(running)) return;
    for (const entry of running) get().onImportStarted({ ...(entry as RunningImport), type: 'import-started' });
  },
  cancel: async () => {
    await getApi().cancelImport();
  },
  exportAll: async (outPath, where) => {
    set({ message: null });
    try {
      const r = await getApi().exportParquet(outPath, where ? { where } : undefined);
      set({ dialog: 'none', message: `Exported ${r.rows.toLocaleString('en')} spans to ${r.path}.` });
    } catch (error) {
      set({ message: error instanceof Error ? error.message : String(error) });
    }
  },
  onProgress: (progress) => {
    if (get().running) set({ progress });
  },
}));

/** An import starts being shown: the bar's progress, and the preview of its files. */
function began(paths: string[], mapping?: ColumnMapping): void {
  useTransfer.setState({ running: true, progress: null, result: null, message: null, dialog: 'none', shownPaths: paths });
  useImportPreview.getState().start(paths, mapping);
}

/** The shown import ended: the store's list replaces the preview; the result, or the mapping step it asks for. */
async function ended(paths: string[], result: ImportResult): Promise<void> {
  await useImportPreview.getState().finish(result.ok);
  useTransfer.setState({ result, running: false });
  if (result.ok) {
    useTransfer.setState({
      message: `Imported ${result.imported.toLocaleString('en')} spans from ${result.files.length} file${result.files.length === 1 ? '' : 's'}.`,
      inspection: null,
    });
  } else if (paths.length === 1 && result.error && NEEDS_MAPPING.test(result.error) && !result.cancelled) {
    const inspection = await getApi().inspectImportFile(result.files[0]?.path ?? paths[0]!);
    useTransfer.setState({ inspection, dialog: 'mapping', message: result.error });
  } else {
    useTransfer.setState({ message: result.error ?? 'The import failed; nothing was imported.' });
  }
}

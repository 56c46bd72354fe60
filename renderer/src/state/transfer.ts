// Import / export state: the running import (progress from `import-progress` live events), the
// last result, and the mapping step for a file that was not recognised. One small store; the
// component only renders it. Tests drive it with setApiForTesting + useTransfer.getState().
import { create } from 'zustand';
import type { ColumnMapping, ImportInspection, ImportProgress, ImportResult } from '../../../shared/import';
import { getApi } from '../api';
import { useImportPreview } from './import-preview';

export type TransferDialog = 'none' | 'open' | 'export' | 'mapping';

interface TransferState {
  dialog: TransferDialog;
  running: boolean;
  progress: ImportProgress | null;
  result: ImportResult | null;
  message: string | null;
  inspection: ImportInspection | null;
  show(dialog: TransferDialog): void;
  importPaths(paths: string[], mapping?: ColumnMapping): Promise<void>;
  cancel(): Promise<void>;
  exportAll(outPath: string, where?: string): Promise<void>;
  onProgress(progress: ImportProgress): void;
}

const NEEDS_MAPPING = /no recognisable span columns/;

export const useTransfer = create<TransferState>((set, get) => ({
  dialog: 'none',
  running: false,
  progress: null,
  result: null,
  message: null,
  inspection: null,
  show: (dialog) => set({ dialog, message: dialog === 'none' ? get().message : null }),
  importPaths: async (paths, mapping) => {
    set({ running: true, progress: null, result: null, message: null, dialog: 'none' });
    useImportPreview.getState().start(paths, mapping);
    try {
      const result = await getApi().importPaths(paths, mapping ? { mapping } : undefined);
      await useImportPreview.getState().finish(result.ok);
      set({ result, running: false });
      if (result.ok) {
        set({ message: `Imported ${result.imported.toLocaleString('en')} spans from ${result.files.length} file${result.files.length === 1 ? '' : 's'}.`, inspection: null });
      } else if (paths.length === 1 && result.error && NEEDS_MAPPING.test(result.error) && !result.cancelled) {
        const inspection = await getApi().inspectImportFile(result.files[0]?.path ?? paths[0]!);
        set({ inspection, dialog: 'mapping', message: result.error });
      } else {
        set({ message: result.error ?? 'The import failed; nothing was imported.' });
      }
    } catch (error) {
      await useImportPreview.getState().finish(false);
      set({ running: false, message: error instanceof Error ? error.message : String(error) });
    }
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

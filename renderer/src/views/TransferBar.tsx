// "Open…" / "Export…" in the view bar, the import progress with Cancel, the mapping step, and
// (with a trace open) "OTLP JSON" and "Copy outline". Paths are typed or pasted: in serve mode
// the files are on the engine's machine, which is where the browser's server runs (README).
// Everything shown is text; nothing from a file or span becomes markup.
import { useEffect, useState } from 'react';
import type { ColumnMapping, DurationUnit } from '../../../shared/import';
import { getApi } from '../api';
import { useSelection } from '../state/selection';
import { useTransfer } from '../state/transfer';
import './transfer.css';

function splitPaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function OpenDialog() {
  const [paths, setPaths] = useState('');
  const importPaths = useTransfer((s) => s.importPaths);
  const show = useTransfer((s) => s.show);
  return (
    <form
      className="transfer-dialog"
      role="dialog"
      aria-label="Open trace files"
      onSubmit={(e) => {
        e.preventDefault();
        const list = splitPaths(paths);
        if (list.length > 0) void importPaths(list);
      }}
    >
      <label>
        Files or folders on the Tracedeck machine (one per line): .parquet, OTLP .json / .jsonl
        <textarea aria-label="Paths" value={paths} onChange={(e) => setPaths(e.target.value)} rows={3} autoFocus />
      </label>
      <div className="transfer-actions">
        <button type="submit">Import</button>
        <button type="button" onClick={() => show('none')}>
          Close
        </button>
      </div>
    </form>
  );
}

function ExportDialog() {
  const [path, setPath] = useState('');
  const [where, setWhere] = useState('');
  const exportAll = useTransfer((s) => s.exportAll);
  const show = useTransfer((s) => s.show);
  return (
    <form
      className="transfer-dialog"
      role="dialog"
      aria-label="Export spans to Parquet"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void exportAll(path.trim(), where.trim() || undefined);
      }}
    >
      <label>
        Output file (absolute path ending in .parquet)
        <input aria-label="Output path" value={path} onChange={(e) => setPath(e.target.value)} autoFocus />
      </label>
      <label>
        Only spans where (optional, SQL condition over the spans view)
        <input aria-label="Condition" value={where} onChange={(e) => setWhere(e.target.value)} placeholder="status_code = 'error'" />
      </label>
      <div className="transfer-actions">
        <button type="submit">Export</button>
        <button type="button" onClick={() => show('none')}>
          Close
        </button>
      </div>
    </form>
  );
}

const FIELDS: { key: keyof Omit<ColumnMapping, 'attributes' | 'durationUnit'>; label: string; required?: boolean }[] = [
  { key: 'traceId', label: 'Trace id', required: true },
  { key: 'spanId', label: 'Span id', required: true },
  { key: 'parentSpanId', label: 'Parent id' },
  { key: 'name', label: 'Name' },
  { key: 'start', label: 'Start', required: true },
  { key: 'end', label: 'End' },
  { key: 'duration', label: 'Duration' },
  { key: 'status', label: 'Status' },
  { key: 'service', label: 'Service' },
];

function MappingDialog() {
  const inspection = useTransfer((s) => s.inspection);
  const importPaths = useTransfer((s) => s.importPaths);
  const show = useTransfer((s) => s.show);
  const [mapping, setMapping] = useState<Partial<ColumnMapping>>(inspection?.suggestedMapping ?? {});
  if (!inspection) return null;
  const columns = inspection.columns.map((c) => c.name);
  const ready = Boolean(mapping.traceId && mapping.spanId && mapping.start);
  return (
    <form
      className="transfer-dialog transfer-mapping"
      role="dialog"
      aria-label="Map columns"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void importPaths([inspection.path], mapping as ColumnMapping);
      }}
    >
      <p>
        {inspection.path}: which columns hold what? ({inspection.rowCount.toLocaleString('en')} rows)
      </p>
      <div className="transfer-fields">
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            {f.required ? ' *' : ''}
            <select aria-label={f.label} value={mapping[f.key] ?? ''} onChange={(e) => setMapping({ ...mapping, [f.key]: e.target.value || undefined })}>
              <option value="">—</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Duration unit
          <select aria-label="Duration unit" value={mapping.durationUnit ?? ''} onChange={(e) => setMapping({ ...mapping, durationUnit: (e.target.value || undefined) as DurationUnit | undefined })}>
            <option value="">from the name</option>
            <option value="s">s</option>
            <option value="ms">ms</option>
            <option value="us">µs</option>
            <option value="ns">ns</option>
          </select>
        </label>
      </div>
      <div className="transfer-preview">
        <table aria-label="Preview">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {inspection.preview.slice(0, 5).map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{row[c] === null || row[c] === undefined ? '' : typeof row[c] === 'object' ? JSON.stringify(row[c]) : String(row[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="transfer-actions">
        <button type="submit" disabled={!ready}>
          Import with this mapping
        </button>
        <button type="button" onClick={() => show('none')}>
          Close
        </button>
      </div>
    </form>
  );
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function TraceActions({ traceId }: { traceId: string }) {
  const [note, setNote] = useState<string | null>(null);
  return (
    <span className="transfer-trace">
      <button
        type="button"
        onClick={() =>
          void getApi()
            .exportTraceOtlpJson(traceId)
            .then((json) => (json ? download(`trace-${traceId}.json`, json, 'application/json') : setNote('Trace not found.')))
        }
      >
        OTLP JSON
      </button>
      <button
        type="button"
        onClick={() =>
          void getApi()
            .traceOutline(traceId)
            .then(async (text) => {
              if (!text) return setNote('Trace not found.');
              try {
                await navigator.clipboard.writeText(text);
                setNote('Outline copied.');
              } catch {
                download(`trace-${traceId}.txt`, text, 'text/plain');
              }
            })
        }
      >
        Copy outline
      </button>
      {note ? <span role="status">{note}</span> : null}
    </span>
  );
}

export function TransferBar() {
  const { dialog, running, progress, message, show, cancel } = useTransfer();
  const traceId = useSelection((s) => s.traceId);

  useEffect(() => {
    const off = getApi().subscribe((event) => {
      if (event.type === 'import-progress') useTransfer.getState().onProgress(event);
      else if (event.type === 'import-started') useTransfer.getState().onImportStarted(event);
      else if (event.type === 'import-finished') void useTransfer.getState().onImportFinished(event);
    });
    // An import that began before this window listened (opened, or reloaded, mid-import).
    useTransfer.getState().adoptRunningImports().catch(() => undefined);
    // Dropped files: the desktop bridge knows their paths; a browser does not, so it asks.
    const onDragOver = (e: DragEvent): void => e.preventDefault();
    const onDrop = (e: DragEvent): void => {
      e.preventDefault();
      const files = e.dataTransfer?.files;
      if (!files || files.length === 0) return;
      const bridge = (globalThis as { tracedeck?: { openDroppedFiles?: (f: FileList) => Promise<void> } }).tracedeck;
      if (bridge?.openDroppedFiles) void bridge.openDroppedFiles(files);
      else useTransfer.getState().show('open');
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      off();
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <div className="transfer-bar">
      <button type="button" onClick={() => show('open')} disabled={running}>
        Open…
      </button>
      <button type="button" onClick={() => show('export')}>
        Export…
      </button>
      {traceId ? <TraceActions traceId={traceId} /> : null}
      {running ? (
        <span className="transfer-progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={progress?.filesTotal ?? 1} aria-valuenow={progress?.filesDone ?? 0}>
          Importing… {progress ? `${progress.filesDone}/${progress.filesTotal} files, ${progress.rowsDone.toLocaleString('en')} rows, ${progress.rowsPerSecond.toLocaleString('en')} rows/s` : ''}
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        </span>
      ) : null}
      {message ? (
        <span className="transfer-message" role="status">
          {message}
        </span>
      ) : null}
      {dialog === 'open' ? <OpenDialog /> : dialog === 'export' ? <ExportDialog /> : dialog === 'mapping' ? <MappingDialog /> : null}
    </div>
  );
}

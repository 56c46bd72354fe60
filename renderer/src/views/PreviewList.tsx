// Shown in the trace list's place while files are imported: their traces read in place
// (state/import-preview.ts), marked as a preview with the import's progress. A row picked here
// opens once the import commits (the store does not have its spans before that).
import type { KeyboardEvent } from 'react';
import type { TraceSummary } from '../../../shared/model';
import './transfer.css';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';
import { importPercent, previewedFilesLabel, useImportPreview } from '../state/import-preview';
import { TRACE_PAGE_SIZE } from '../state/traces';
import { useTransfer } from '../state/transfer';

function PreviewRow({ trace, picked }: { trace: TraceSummary; picked: boolean }) {
  const pick = useImportPreview((s) => s.pick);
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(trace.traceId);
    }
  };
  const tokens = trace.inputTokens === null && trace.outputTokens === null ? '' : formatCount((trace.inputTokens ?? 0) + (trace.outputTokens ?? 0));
  return (
    <tr tabIndex={0} data-trace-id={trace.traceId} aria-selected={picked} title="Opens once the import is done" onClick={() => pick(trace.traceId)} onKeyDown={onKeyDown}>
      <td className="name">
        {trace.rootName ?? <span className="muted">(no root span)</span>}
        {picked ? <span className="muted"> — opens once imported</span> : null}
      </td>
      <td className="service">{trace.serviceName ?? ''}</td>
      <td className="mono">{formatInstant(trace.startNs)}</td>
      <td className="num mono">{formatDuration(trace.durationNs)}</td>
      <td className="num mono">{formatCount(trace.spanCount)}</td>
      <td className="num mono">{trace.errorCount > 0 ? `● ${formatCount(trace.errorCount)}` : ''}</td>
      <td className="num mono">{tokens}</td>
      <td className="num mono">{formatCost(trace.costUsd)}</td>
    </tr>
  );
}

/** Pages of the preview, each asked of the files (never the whole list). */
function PreviewPager({ total, shown }: { total: number; shown: number }) {
  const offset = useImportPreview((s) => s.offset);
  const setOffset = useImportPreview((s) => s.setOffset);
  if (total <= TRACE_PAGE_SIZE && offset === 0) return null;
  return (
    <nav className="pager" aria-label="Preview pages">
      <span className="mono">
        {formatCount(shown === 0 ? 0 : offset + 1)}–{formatCount(offset + shown)} of {formatCount(total)}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => setOffset(offset - TRACE_PAGE_SIZE)}>
        Previous
      </button>
      <button type="button" disabled={offset + TRACE_PAGE_SIZE >= total} onClick={() => setOffset(offset + TRACE_PAGE_SIZE)}>
        Next
      </button>
    </nav>
  );
}

export function PreviewList() {
  const preview = useImportPreview((s) => s.preview);
  const picked = useImportPreview((s) => s.openWhenImported);
  const rowsDone = useTransfer((s) => s.progress?.rowsDone ?? 0);
  if (!preview) return null;
  return (
    <section className="trace-list preview-list" aria-label="Trace list">
      <header className="pane-header">
        <h1 className="brand">Tracedeck</h1>
        <h2>Traces</h2>
        <span className="muted">{formatCount(preview.total)}</span>
        <PreviewPager total={preview.total} shown={preview.traces.length} />
        <span className="preview-banner" role="status">
          previewing {previewedFilesLabel(preview.files)} — importing {importPercent(rowsDone, preview.rows)}%
        </span>
      </header>
      <p className="muted preview-note">
        Read from the file{preview.files.length === 1 ? '' : 's'} in place, newest first; the list switches to the store when the import
        is done.
      </p>
      <div className="table-scroll">
        <table aria-label="Traces (preview)" className="grid preview-table">
          <thead>
            <tr>
              <th scope="col" className="col-name">Root span</th>
              <th scope="col">Service</th>
              <th scope="col" className="fit">Start</th>
              <th scope="col" className="fit num">Duration</th>
              <th scope="col" className="fit num">Spans</th>
              <th scope="col" className="fit num">Errors</th>
              <th scope="col" className="fit num">Tokens</th>
              <th scope="col" className="fit num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {preview.traces.map((t) => (
              <PreviewRow key={t.traceId} trace={t} picked={picked === t.traceId} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

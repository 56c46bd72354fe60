// One trace: a header, the span tree, and the selected span's detail.
import { useMemo } from 'react';
import { formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { TraceLlmTotals } from '../llm/TraceLlmTotals';
import { SpanDetail } from './SpanDetail';
import { SpanTree } from './SpanTree';

export function TraceView() {
  const traceId = useSelection((s) => s.traceId);
  const trace = useSelection((s) => s.trace);
  const tree = useSelection((s) => s.tree);
  const status = useSelection((s) => s.traceStatus);
  const traceError = useSelection((s) => s.traceError);
  const closeTrace = useSelection((s) => s.closeTrace);

  const summary = useMemo(() => {
    if (!tree) return null;
    let root = -1;
    for (const i of tree.roots) {
      if (tree.orphan[i] === 0) {
        root = i;
        break;
      }
    }
    let errors = 0;
    for (const s of tree.spans) if (s.statusCode === 'error') errors++;
    return { rootName: root >= 0 ? tree.spans[root]!.name : null, errors };
  }, [tree]);

  if (!traceId) return null;
  return (
    <section className="trace-view" aria-label="Trace">
      <header className="pane-header trace-header">
        <button type="button" className="back" onClick={closeTrace} title="Back to the trace list (Esc)">
          ← Traces
        </button>
        <h2 className="trace-title">{summary?.rootName ?? (trace ? <span className="muted">(no root span)</span> : 'Trace')}</h2>
        {trace && (
          <span className="trace-meta mono">
            <span title="Start">{formatInstant(trace.startNs)}</span>
            <span title="Duration">{formatDuration(trace.durationNs)}</span>
            <span>{formatCount(trace.spans.length)} spans</span>
            <TraceLlmTotals spans={trace.spans} />
            {summary && summary.errors > 0 && (
              <span className="error-mark">
                {formatCount(summary.errors)} {summary.errors === 1 ? 'error' : 'errors'}
              </span>
            )}
          </span>
        )}
        <span className="trace-id mono" title="Trace ID">
          <span className="muted">trace </span>
          <span className="selectable">{traceId}</span>
        </span>
      </header>
      {status === 'loading' && <p className="pane-message muted">Loading trace…</p>}
      {status === 'missing' && (
        <p className="pane-message">
          Trace <span className="mono">{traceId}</span> is not in the store (yet). It opens here by itself when its spans
          arrive.
        </p>
      )}
      {status === 'error' && (
        <p className="error-banner" role="alert">
          Could not load the trace: {traceError}
        </p>
      )}
      {trace && tree && (
        <div className="trace-body">
          <SpanTree tree={tree} traceDurationNs={trace.durationNs} />
          <SpanDetail />
        </div>
      )}
    </section>
  );
}

// One trace: a header; the span tree with its waterfall, and the flame graph; the selected
// span's detail. All three views select through state/selection.ts, so they stay in step.
import { useEffect, useMemo } from 'react';
import { FlameGraph } from '../flamegraph/FlameGraph';
import { formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { startSpanHistory, useSpanHistory } from '../state/span-history';
import { eventOffsetsNs } from '../waterfall/events';
import { TraceLlmTotals } from '../llm/TraceLlmTotals';
import { SpanDetail } from './SpanDetail';
import { TraceTimeline } from './TraceTimeline';
import './trace-views.css';

export function TraceView() {
  const traceId = useSelection((s) => s.traceId);
  const trace = useSelection((s) => s.trace);
  const tree = useSelection((s) => s.tree);
  const metrics = useSelection((s) => s.metrics);
  const flame = useSelection((s) => s.flame);
  const totals = useSelection((s) => s.totals);
  const builtBy = useSelection((s) => s.builtBy);
  const status = useSelection((s) => s.traceStatus);
  const traceError = useSelection((s) => s.traceError);
  const closeTrace = useSelection((s) => s.closeTrace);
  const selectedSpan = useSelection((s) => s.span);
  const canGoBack = useSpanHistory((h) => h.cursor > 0);
  const canGoForward = useSpanHistory((h) => h.cursor < h.entries.length - 1);

  useEffect(() => startSpanHistory(), []);
  useEffect(() => {
    // Alt+← / Alt+→ move through the spans selected in this trace, as a browser's back/forward.
    const onKey = (event: KeyboardEvent): void => {
      if (!event.altKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
      event.preventDefault();
      if (event.key === 'ArrowLeft') useSpanHistory.getState().back();
      else useSpanHistory.getState().forward();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const selectedEvents = useMemo(
    () => (selectedSpan && trace ? eventOffsetsNs(selectedSpan.eventsJson, trace.startNs) : []),
    [selectedSpan, trace],
  );

  const rootName = useMemo(() => {
    if (!tree) return null;
    for (const i of tree.roots) if (tree.orphan[i] === 0) return tree.spans[i]!.name;
    return null;
  }, [tree]);

  if (!traceId) return null;
  return (
    // data-built-by: where the tree was laid out (worker-fetch, worker-build, main); e2e tests read it.
    <section className="trace-view" aria-label="Trace" data-built-by={builtBy ?? undefined}>
      <header className="pane-header trace-header">
        <button type="button" className="back" onClick={closeTrace} title="Back to the trace list (Esc)">
          ← Traces
        </button>
        <span className="history-nav">
          <button type="button" aria-label="Previous selected span" title="Previous selected span (Alt+←)" disabled={!canGoBack} onClick={() => useSpanHistory.getState().back()}>
            ‹
          </button>
          <button type="button" aria-label="Next selected span" title="Next selected span (Alt+→)" disabled={!canGoForward} onClick={() => useSpanHistory.getState().forward()}>
            ›
          </button>
        </span>
        <h2 className="trace-title">{rootName ?? (trace ? <span className="muted">(no root span)</span> : 'Trace')}</h2>
        {trace && (
          <span className="trace-meta mono">
            <span title="Start">{formatInstant(trace.startNs)}</span>
            <span title="Duration">{formatDuration(trace.durationNs)}</span>
            <span>{formatCount(trace.spans.length)} spans</span>
            {totals && <TraceLlmTotals totals={totals.llm} />}
            {totals && totals.errors > 0 && (
              <span className="error-mark">
                {formatCount(totals.errors)} {totals.errors === 1 ? 'error' : 'errors'}
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
      {trace && tree && metrics && flame && (
        <div className="trace-body">
          <div className="trace-main">
            <TraceTimeline tree={tree} metrics={metrics} traceDurationNs={trace.durationNs} selectedEventOffsetsNs={selectedEvents} />
            <FlameGraph tree={tree} metrics={metrics} layout={flame} />
          </div>
          <SpanDetail />
        </div>
      )}
    </section>
  );
}

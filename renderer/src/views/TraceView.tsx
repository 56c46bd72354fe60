import { useSelection } from '../state/selection';
import { formatDuration, formatInstant } from '../format';
import { SpanDetail } from './SpanDetail';
import { SpanTree } from './SpanTree';

export function TraceView() {
  const { traceId, trace, spanId, span, error, selectSpan, close } = useSelection();
  if (!traceId) return null;
  const root = trace?.spans.find((s) => s.parentSpanId === null) ?? trace?.spans[0];
  const errors = trace?.spans.filter((s) => s.statusCode === 'error').length ?? 0;
  return (
    <section className="trace-view" aria-label="Trace">
      <header className="pane-header trace-header">
        <button type="button" className="back" onClick={close} aria-label="Back to traces">
          ← Traces
        </button>
        <h2>{root?.name ?? traceId}</h2>
        {trace && (
          <span className="muted mono">
            {formatInstant(trace.startNs)} · {formatDuration(trace.durationNs)} · {trace.spans.length} spans
            {errors > 0 && <span className="error-mark">{errors} error{errors > 1 ? 's' : ''}</span>}
          </span>
        )}
        <span className="mono muted trace-id" title="Trace ID">
          {traceId}
        </span>
      </header>
      {error && <p className="error-banner">{error}</p>}
      {trace && (
        <div className="trace-body">
          <SpanTree trace={trace} selectedSpanId={spanId} onSelect={(id) => void selectSpan(id)} />
          <SpanDetail span={span} />
        </div>
      )}
    </section>
  );
}

import type { KeyboardEvent } from 'react';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { useTraceList } from '../state/traces';

export function TraceList({ otlpEndpoint }: { otlpEndpoint: string | undefined }) {
  const { traces, total, error } = useTraceList();
  const openTrace = useSelection((s) => s.openTrace);

  const onKey = (event: KeyboardEvent<HTMLTableRowElement>, traceId: string): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void openTrace(traceId);
    }
  };

  return (
    <section className="trace-list">
      <header className="pane-header">
        <h2>Traces</h2>
        <span className="muted">{total > traces.length ? `newest ${traces.length} of ${formatCount(total)}` : formatCount(total)}</span>
      </header>
      {error && <p className="error-banner">{error}</p>}
      <div className="table-scroll">
        <table aria-label="Traces" className="grid">
          <thead>
            <tr>
              <th scope="col">Root span</th>
              <th scope="col">Service</th>
              <th scope="col">Start</th>
              <th scope="col" className="num">Duration</th>
              <th scope="col" className="num">Spans</th>
              <th scope="col" className="num">Errors</th>
              <th scope="col" className="num">Tokens</th>
              <th scope="col" className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {traces.map((t) => (
              <tr key={t.traceId} tabIndex={0} onClick={() => void openTrace(t.traceId)} onKeyDown={(e) => onKey(e, t.traceId)} title={t.traceId}>
                <td className="name">{t.rootName ?? <span className="muted">(no root)</span>}</td>
                <td>{t.serviceName ?? ''}</td>
                <td className="mono">{formatInstant(t.startNs)}</td>
                <td className="num mono">{formatDuration(t.durationNs)}</td>
                <td className="num mono">{formatCount(t.spanCount)}</td>
                <td className="num mono">{t.errorCount > 0 ? <span className="error-mark">{t.errorCount} error{t.errorCount > 1 ? 's' : ''}</span> : ''}</td>
                <td className="num mono">{t.inputTokens !== null || t.outputTokens !== null ? formatCount((t.inputTokens ?? 0) + (t.outputTokens ?? 0)) : ''}</td>
                <td className="num mono">{formatCost(t.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {traces.length === 0 && !error && (
          <div className="empty">
            <p>No traces yet.</p>
            <p>Point an OpenTelemetry exporter at Tracedeck:</p>
            <pre>OTEL_EXPORTER_OTLP_ENDPOINT={otlpEndpoint ?? 'http://localhost:4318'}</pre>
            <p className="muted">Traces appear here as they arrive.</p>
          </div>
        )}
      </div>
    </section>
  );
}

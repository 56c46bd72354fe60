// The status line: what the store holds and where spans should be sent.
import { formatBytes, formatCount } from '../format';
import { otlpHttpEndpoint, useStats } from '../state/stats';
import { ClearAll, IngestRate, Retention } from './DataControls';

export function StatusBar() {
  const stats = useStats((s) => s.stats);
  const engine = useStats((s) => s.engine);
  const error = useStats((s) => s.error);
  const endpoint = useStats((s) => otlpHttpEndpoint(s));

  return (
    <footer className="status-bar" aria-label="Status">
      {engine && engine.state !== 'ready' && (
        <span className={engine.state === 'failed' ? 'error-mark' : 'warn'}>
          Engine {engine.state}
          {engine.message ? `: ${engine.message}` : ''}
        </span>
      )}
      {error && <span className="error-mark">Not connected: {error}</span>}
      {stats ? (
        <>
          <span>{formatCount(stats.traceCount)} traces</span>
          <span>{formatCount(stats.spanCount)} spans</span>
          <span>{formatBytes(stats.diskBytes)}</span>
          <IngestRate />
          <Retention />
          <ClearAll />
        </>
      ) : (
        !error && <span>Connecting…</span>
      )}
      <span className="status-endpoint">
        OTLP HTTP: <span className="mono">{endpoint ?? (stats ? 'not listening' : '…')}</span>
      </span>
      {engine?.notices?.map((notice) => (
        <span key={notice} className="warn">
          {notice}
        </span>
      ))}
    </footer>
  );
}

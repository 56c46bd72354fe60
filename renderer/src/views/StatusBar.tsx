import type { StoreStats } from '../../../shared/model';
import { formatCount } from '../format';

export function StatusBar({ stats }: { stats: StoreStats | null }) {
  return (
    <footer className="status-bar" aria-label="Status">
      {stats ? (
        <>
          <span>{formatCount(stats.traceCount)} traces</span>
          <span>{formatCount(stats.spanCount)} spans</span>
          <span>{(stats.diskBytes / 1_048_576).toFixed(1)} MiB</span>
          <span>OTLP HTTP: {stats.endpoints.otlpHttp ?? 'not listening'}</span>
        </>
      ) : (
        <span>Connecting…</span>
      )}
    </footer>
  );
}

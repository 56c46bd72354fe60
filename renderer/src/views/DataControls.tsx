// Data management in the status bar: the ingest rate and "Clear all" behind a confirmation.
import { useEffect, useState } from 'react';
import { getApi } from '../api';
import { errorMessage, formatCount } from '../format';
import { useStats } from '../state/stats';

/** A rate older than this is not "now" any more (stats refresh only when spans arrive). */
const RATE_FRESH_MS = 3000;

export function IngestRate() {
  const ingest = useStats((s) => s.ingest);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const rate = ingest && now - ingest.atMs < RATE_FRESH_MS ? ingest.spansPerSecond : 0;
  return <span title="spans received per second">{formatCount(Math.round(rate))} spans/s</span>;
}

export function ClearAll() {
  const traceCount = useStats((s) => s.stats?.traceCount ?? 0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const clear = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await getApi().clearAll();
      setConfirming(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!confirming) {
    return (
      <button type="button" className="link-button" onClick={() => setConfirming(true)}>
        Clear all…
      </button>
    );
  }
  return (
    <span role="alertdialog" aria-label="Confirm clear all" className="confirm">
      Delete all {formatCount(traceCount)} traces and their logs? This cannot be undone.{' '}
      <button type="button" disabled={busy} onClick={() => void clear()}>
        Delete everything
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
        Keep
      </button>
      {error && <span className="error-mark"> {error}</span>}
    </span>
  );
}

// Data management in the status bar: the ingest rate, retention and "Clear all" behind a confirmation.
import { useEffect, useState } from 'react';
import { getApi } from '../api';
import { errorMessage, formatCount } from '../format';
import { DEFAULT_RETENTION, parseRetention, RETENTION_KEY, retentionPolicy, type RetentionSettings } from '../state/retention';
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

function loadRetention(): RetentionSettings {
  try {
    return parseRetention(window.localStorage.getItem(RETENTION_KEY));
  } catch {
    return DEFAULT_RETENTION;
  }
}

const AUTOMATIC_RETENTION_MS = 60_000;

/** Retention settings and "Apply now"; with "automatic", applied once a minute while open. */
export function Retention() {
  const [open, setOpen] = useState(false);
  const [settings, setSettings] = useState<RetentionSettings>(loadRetention);
  const [message, setMessage] = useState<string | null>(null);

  const save = (next: RetentionSettings): void => {
    setSettings(next);
    try {
      window.localStorage.setItem(RETENTION_KEY, JSON.stringify(next));
    } catch {
      // not remembered
    }
  };
  const apply = async (current: RetentionSettings): Promise<void> => {
    const policy = retentionPolicy(current, Date.now());
    if (policy.olderThanNs === undefined && policy.maxSpans === undefined) {
      setMessage('No limit set.');
      return;
    }
    try {
      const deleted = await getApi().pruneTraces(policy);
      setMessage(`Deleted ${formatCount(deleted.traces)} traces (${formatCount(deleted.spans)} spans).`);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  useEffect(() => {
    if (!settings.automatic) return;
    const timer = setInterval(() => void apply(settings), AUTOMATIC_RETENTION_MS);
    return () => clearInterval(timer);
  }, [settings]);

  const numberOrNull = (text: string): number | null => (text.trim() === '' || !(Number(text) > 0) ? null : Number(text));

  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Retention…
      </button>
    );
  }
  return (
    <span role="group" aria-label="Retention" className="confirm">
      <label>
        Keep days{' '}
        <input type="number" min={0} step="any" size={5} value={settings.maxAgeDays ?? ''} onChange={(e) => save({ ...settings, maxAgeDays: numberOrNull(e.target.value) })} />
      </label>{' '}
      <label>
        Max spans{' '}
        <input type="number" min={0} size={9} value={settings.maxSpans ?? ''} onChange={(e) => save({ ...settings, maxSpans: numberOrNull(e.target.value) })} />
      </label>{' '}
      <label>
        <input type="checkbox" checked={settings.automatic} onChange={(e) => save({ ...settings, automatic: e.target.checked })} /> automatic
      </label>{' '}
      <button type="button" onClick={() => void apply(settings)}>
        Apply now
      </button>{' '}
      <button type="button" onClick={() => setOpen(false)}>
        Close
      </button>
      {message && <span role="status"> {message}</span>}
    </span>
  );
}

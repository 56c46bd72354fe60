// Display formatting: durations in the unit that fits, instants in local time with milliseconds.
// Pure functions; every view formats through here so the same value reads the same everywhere.

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;
const NS_PER_MIN = 60 * NS_PER_S;

/** 3 significant digits, which is what a reader compares at a glance: 1.23 ms, 12.3 ms, 123 ms. */
function threeDigits(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A duration in nanoseconds as "850 ns", "12.3 µs", "4.56 ms", "1.20 s", "2 min 3.4 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns < 0) return `−${formatDuration(-ns)}`;
  if (ns < NS_PER_US) return `${Math.round(ns)} ns`;
  if (ns < NS_PER_MS) return `${threeDigits(ns / NS_PER_US)} µs`;
  if (ns < NS_PER_S) return `${threeDigits(ns / NS_PER_MS)} ms`;
  if (ns < NS_PER_MIN) return `${threeDigits(ns / NS_PER_S)} s`;
  const minutes = Math.floor(ns / NS_PER_MIN);
  const seconds = (ns - minutes * NS_PER_MIN) / NS_PER_S;
  if (minutes < 60) return `${minutes} min ${seconds.toFixed(1)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function parseNanos(ns: string): bigint | null {
  try {
    return BigInt(ns);
  } catch {
    return null;
  }
}

/** Local date and time with milliseconds ("2026-11-23 14:05:09.123") from ns since the epoch. */
export function formatInstant(ns: string): string {
  const nanos = parseNanos(ns);
  if (nanos === null) return ns;
  const d = new Date(Number(nanos / 1_000_000n));
  if (Number.isNaN(d.getTime())) return ns;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** Nanoseconds between two instants given as decimal strings; null when either is not a number. */
export function nanosBetween(fromNs: string, toNs: string): number | null {
  const from = parseNanos(fromNs);
  const to = parseNanos(toNs);
  return from === null || to === null ? null : Number(to - from);
}

/** One formatter for all counts: `toLocaleString` builds a new one per call (~20 µs, per tree row). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number | null): string {
  return n === null ? '' : COUNT_FORMAT.format(n);
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '';
  // Single LLM calls cost fractions of a cent; show enough digits to tell them apart.
  return usd !== 0 && Math.abs(usd) < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(4)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

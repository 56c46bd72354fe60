// Display formatting: durations in the unit that fits, instants in local time with ms.

export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${ns} ns`;
  if (abs < 1_000_000) return `${trim(ns / 1_000)} µs`;
  if (abs < 1_000_000_000) return `${trim(ns / 1_000_000)} ms`;
  if (abs < 60_000_000_000) return `${trim(ns / 1_000_000_000)} s`;
  const minutes = Math.floor(ns / 60_000_000_000);
  return `${minutes} m ${trim((ns - minutes * 60_000_000_000) / 1_000_000_000)} s`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Local date and time with milliseconds, from nanoseconds since the epoch (decimal string). */
export function formatInstant(ns: string): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatCount(n: number | null): string {
  return n === null ? '' : n.toLocaleString('en-US');
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '';
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(4)}`;
}

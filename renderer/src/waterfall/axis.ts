// Waterfall geometry, pure: the visible time window, the axis ticks, and each bar's position as
// 0–1 fractions of the waterfall's width, so components only multiply by their width.
import { ticks as niceTicks } from 'd3';

/** A time window within the trace, in nanoseconds from the trace's start. */
export interface TimeWindow {
  startNs: number;
  endNs: number;
}

export function wholeTrace(durationNs: number): TimeWindow {
  return { startNs: 0, endNs: Math.max(durationNs, 1) };
}

/** Where a span's bar sits in the window; null when it lies entirely outside. */
export function barFractions(window: TimeWindow, startNs: number, durationNs: number): { left: number; width: number } | null {
  const span = window.endNs - window.startNs;
  if (span <= 0) return null;
  const end = startNs + durationNs;
  if (end < window.startNs || startNs > window.endNs) return null;
  const left = Math.max(0, (startNs - window.startNs) / span);
  const right = Math.min(1, (end - window.startNs) / span);
  return { left, width: Math.max(0, right - left) };
}

/** A time's position in the window as a fraction (may be outside 0..1). */
export function timeFraction(window: TimeWindow, ns: number): number {
  const span = window.endNs - window.startNs;
  return span > 0 ? (ns - window.startNs) / span : 0;
}

export interface Tick {
  /** Offset from the trace start, ns. */
  ns: number;
  fraction: number;
}

/** About `count` round-numbered ticks inside the window. */
export function axisTicks(window: TimeWindow, count: number): Tick[] {
  if (!(window.endNs > window.startNs)) return [];
  return niceTicks(window.startNs, window.endNs, Math.max(1, count))
    .filter((ns) => ns >= window.startNs && ns <= window.endNs)
    .map((ns) => ({ ns, fraction: timeFraction(window, ns) }));
}

/**
 * A window chosen on the minimap (fractions of the whole trace, in either order), kept at least
 * `minFraction` wide so a click does not zoom into nothing.
 */
export function windowFromFractions(durationNs: number, a: number, b: number, minFraction = 0.001): TimeWindow {
  let lo = Math.max(0, Math.min(1, Math.min(a, b)));
  let hi = Math.max(0, Math.min(1, Math.max(a, b)));
  if (hi - lo < minFraction) {
    const mid = (lo + hi) / 2;
    lo = Math.max(0, mid - minFraction / 2);
    hi = Math.min(1, lo + minFraction);
  }
  const total = Math.max(durationNs, 1);
  return { startNs: lo * total, endNs: hi * total };
}

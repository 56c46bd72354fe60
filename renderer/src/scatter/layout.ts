// The duration-over-time scatter plot's geometry, pure (no DOM): each trace a point at
// (start time, duration) as 0–1 fractions of the plot ("plot space"), so the view only
// multiplies by its size; and the inverse for a brushed x interval -> a time range.
// Durations use a log scale: LLM traces run from milliseconds to minutes.
import { scaleLog } from 'd3';
import type { TraceSummary } from '../../../shared/model';

export interface ScatterPoint {
  traceId: string;
  /** 0 = earliest start in view, 1 = latest. */
  x: number;
  /** 0 = longest duration (top), 1 = shortest (bottom). */
  y: number;
  error: boolean;
  label: string;
}

export interface ScatterLayout {
  points: ScatterPoint[];
  /** The x domain in ns since the epoch (bigint: 1.7e18 does not fit a double exactly). */
  startNs: bigint;
  endNs: bigint;
  minDurationNs: number;
  maxDurationNs: number;
}

export function scatterLayout(traces: readonly TraceSummary[]): ScatterLayout | null {
  if (traces.length === 0) return null;
  let startNs = BigInt(traces[0]!.startNs);
  let endNs = startNs;
  let minD = Infinity;
  let maxD = 0;
  for (const t of traces) {
    const s = BigInt(t.startNs);
    if (s < startNs) startNs = s;
    if (s > endNs) endNs = s;
    const d = Math.max(t.durationNs, 1);
    if (d < minD) minD = d;
    if (d > maxD) maxD = d;
  }
  // One trace, or all at one instant: give the axis some width so points sit in the middle.
  if (endNs === startNs) {
    startNs -= 1_000_000_000n;
    endNs += 1_000_000_000n;
  }
  // 2% margin each side, so the first and last dots are inside the plot (and a brush to the
  // edge takes them in).
  const margin = (endNs - startNs) / 50n;
  startNs -= margin;
  endNs += margin;
  const span = Number(endNs - startNs);
  const y = scaleLog()
    .domain([minD === maxD ? minD / 2 : minD, minD === maxD ? maxD * 2 : maxD])
    .range([1, 0]);
  const points = traces.map((t) => ({
    traceId: t.traceId,
    x: Number(BigInt(t.startNs) - startNs) / span,
    y: y(Math.max(t.durationNs, 1)),
    error: t.errorCount > 0,
    label: t.rootName ?? t.traceId,
  }));
  return { points, startNs, endNs, minDurationNs: minD, maxDurationNs: maxD };
}

/** The time range a brush from x0 to x1 (fractions, any order) covers, as decimal ns strings. */
export function brushRange(layout: Pick<ScatterLayout, 'startNs' | 'endNs'>, x0: number, x1: number): { fromNs: string; toNs: string } {
  const clamp = (v: number): number => Math.min(Math.max(v, 0), 1);
  const [a, b] = x0 <= x1 ? [clamp(x0), clamp(x1)] : [clamp(x1), clamp(x0)];
  const span = Number(layout.endNs - layout.startNs);
  const from = layout.startNs + BigInt(Math.floor(a * span));
  // toNs is exclusive: one past the last instant covered, so a trace at the brush's edge is in.
  const to = layout.startNs + BigInt(Math.ceil(b * span)) + 1n;
  return { fromNs: from.toString(), toNs: to.toString() };
}

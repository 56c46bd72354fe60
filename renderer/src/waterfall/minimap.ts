// The waterfall's minimap on a canvas: each visible row a thin line at its time range, rows
// squeezed into the canvas height (many rows share a pixel row at 100,000 spans; the last one
// drawn wins, which is enough to show the trace's shape).
import type { SpanTree, TreeRow } from '../tree/rows';

export interface MinimapPaint {
  tree: SpanTree;
  critical: Uint8Array;
  rows: readonly TreeRow[];
  durationNs: number;
  widthPx: number;
  heightPx: number;
}

export function drawMinimap(canvas: HTMLCanvasElement, paint: MinimapPaint): void {
  const { tree, critical, rows, durationNs, widthPx, heightPx } = paint;
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(widthPx * ratio);
  canvas.height = Math.round(heightPx * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, widthPx, heightPx);
  const style = getComputedStyle(canvas);
  const bar = style.getPropertyValue('--bar').trim() || '#86a8ee';
  const criticalColour = style.getPropertyValue('--critical').trim() || '#d97706';
  const error = style.getPropertyValue('--error').trim() || '#c92a2a';
  const total = Math.max(durationNs, 1);
  const n = Math.max(1, rows.length);
  const lineHeight = Math.max(1, heightPx / n);
  // At most one line per pixel row and colour pass: sample rows evenly when there are more rows
  // than pixels (100,000 rows into 44 pixels), so the cost is bounded by the canvas, not the trace.
  const step = Math.max(1, Math.floor(n / (heightPx * 4)));
  for (let p = 0; p < rows.length; p += step) {
    const i = rows[p]!.index;
    const span = tree.spans[i]!;
    const x = (span.startOffsetNs / total) * widthPx;
    const w = Math.max(1, (span.durationNs / total) * widthPx);
    ctx.fillStyle = span.statusCode === 'error' ? error : critical[i] === 1 ? criticalColour : bar;
    ctx.fillRect(x, (p / n) * heightPx, w, lineHeight);
  }
}

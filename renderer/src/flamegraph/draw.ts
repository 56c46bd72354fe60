// Paints a flame graph on a canvas from layout.ts's culled frames. A canvas rather than SVG: at
// 100,000 spans even the culled frame count (about one per pixel per depth) is more DOM than SVG
// can keep interactive, and a canvas repaint of a few thousand rectangles takes ~2 ms.
import { color as d3Color } from 'd3';
import type { SpanSummary } from '../../../shared/model';
import { forEachVisibleFrame, type FlameLayout, type FlameView } from './layout';

export type ColourBy = 'service' | 'type';

export const FRAME_HEIGHT = 18;

/** What painting a frame reads: a span, or a merged frame that looks like one (merged.ts). */
export type FrameLook = Pick<SpanSummary, 'name' | 'statusCode' | 'serviceName' | 'spanType' | 'kind'>;

export interface FlamePaint {
  layout: FlameLayout;
  spans: readonly FrameLook[];
  view: FlameView;
  widthPx: number;
  heightPx: number;
  /** The first depth shown at the top of the canvas (vertical scroll). */
  topDepth: number;
  colourBy: ColourBy;
  /** Search matches; other frames are dimmed. Null: no search. */
  matches: Uint8Array | null;
  selected: number;
  hovered: number;
  theme: { text: string; textOnBar: string; error: string; selectedOutline: string; background: string; dim: number };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** d3's Tableau 10 without its red and pink: red means an error here. */
const PALETTE = ['#4e79a7', '#f28e2c', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#9c755f', '#bab0ab'];

const colourCache = new Map<string, string>();
/** A stable colour per service name or span type (the same key is the same colour everywhere). */
export function colourFor(key: string): string {
  let c = colourCache.get(key);
  if (!c) {
    c = PALETTE[hashString(key) % PALETTE.length]!;
    colourCache.set(key, c);
  }
  return c;
}

export function frameKey(span: FrameLook, colourBy: ColourBy): string {
  return colourBy === 'service' ? (span.serviceName ?? '(no service)') : (span.spanType ?? span.kind);
}

function dimmed(hex: string, alpha: number): string {
  const c = d3Color(hex);
  if (!c) return hex;
  c.opacity = alpha;
  return c.formatRgb();
}

/** Paints and returns how many frames were drawn. */
export function drawFlame(ctx: CanvasRenderingContext2D, paint: FlamePaint): number {
  const { layout, spans, view, widthPx, heightPx, topDepth, colourBy, matches, selected, hovered, theme } = paint;
  ctx.clearRect(0, 0, widthPx, heightPx);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const depthsShown = Math.ceil(heightPx / FRAME_HEIGHT);
  // Outlines are stroked after all fills so neighbours do not paint over them.
  const boxes: { selected?: [number, number, number]; hovered?: [number, number, number] } = {};
  const drawn = forEachVisibleFrame(layout, view, widthPx, topDepth, topDepth + depthsShown, (i, depth, x0, x1) => {
    const span = spans[i]!;
    const y = (depth - topDepth) * FRAME_HEIGHT;
    const w = Math.max(1, x1 - x0);
    const base = span.statusCode === 'error' ? theme.error : colourFor(frameKey(span, colourBy));
    ctx.fillStyle = matches && matches[i] !== 1 ? dimmed(base, theme.dim) : base;
    ctx.fillRect(x0, y, w, FRAME_HEIGHT - 1);
    if (w > 2) {
      // A one-pixel gap between neighbours keeps siblings apart.
      ctx.fillStyle = theme.background;
      ctx.fillRect(x0 + w - 1, y, 1, FRAME_HEIGHT - 1);
    }
    if (w > 28) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0 + 3, y, w - 6, FRAME_HEIGHT);
      ctx.clip();
      ctx.fillStyle = matches && matches[i] !== 1 ? theme.text : theme.textOnBar;
      ctx.fillText(span.name, x0 + 4, y + FRAME_HEIGHT / 2);
      ctx.restore();
    }
    if (i === selected) boxes.selected = [x0, y, w];
    if (i === hovered) boxes.hovered = [x0, y, w];
  });
  for (const [box, width] of [
    [boxes.hovered, 1],
    [boxes.selected, 2],
  ] as const) {
    if (!box) continue;
    const [x, y, w] = box;
    ctx.strokeStyle = theme.selectedOutline;
    ctx.lineWidth = width;
    ctx.strokeRect(x + width / 2, y + width / 2, Math.max(1, w - width), FRAME_HEIGHT - 1 - width);
  }
  return drawn;
}

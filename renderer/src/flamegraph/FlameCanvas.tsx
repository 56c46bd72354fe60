// The canvas part of every flame graph (one trace's, the aggregated one, a sandwich's halves):
// paints layout.ts's frames with draw.ts, hit-tests the pointer, and turns wheel and keys into
// view changes. What a click or a zoom-out means is the caller's: it owns the view and the depth
// scroll (state lifted up), and says what the tooltip shows.
//
// Ctrl/⌘+wheel zooms around the pointer, the wheel scrolls through depths, Shift+wheel pans;
// +/- zoom, ←/→ pan, ↑/↓ scroll, Escape zooms out.
import { useLayoutEffect, useRef, useState, type Dispatch, type KeyboardEvent, type MouseEvent, type ReactNode, type SetStateAction, type WheelEvent } from 'react';
import { drawFlame, FRAME_HEIGHT, type ColourBy, type FrameLook } from './draw';
import { frameAt, panBy, zoomAround, type FlameLayout, type FlameView } from './layout';

export interface CanvasSize {
  width: number;
  height: number;
}

interface Props {
  layout: FlameLayout;
  frames: readonly FrameLook[];
  view: FlameView;
  setView: Dispatch<SetStateAction<FlameView>>;
  topDepth: number;
  setTopDepth: Dispatch<SetStateAction<number>>;
  size: CanvasSize;
  onResize(size: CanvasSize): void;
  colourBy: ColourBy;
  matches: Uint8Array | null;
  selected: number;
  onFrameClick(index: number): void;
  /** Whether Escape has something to undo; when not, Escape is left to the page. */
  canZoomOut: boolean;
  onZoomOut(): void;
  /** Ctrl/⌘+wheel zoomed: the view no longer is a frame's. */
  onFreeZoom?(): void;
  tooltip(index: number): ReactNode;
  label: string;
  /** Rows from the bottom of the box up (see depthScroll). */
  bottomAligned?: boolean;
}

function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/**
 * How many rows fit, and how far the depth scroll may go. Bottom-aligned (an inverted graph: its
 * last row is the focus), a graph shorter than the box starts below the top: the first row shown
 * is then negative (blank rows above; drawing and hit-testing skip depths below 0).
 */
export function depthScroll(layout: FlameLayout, heightPx: number, bottomAligned = false): { depthsShown: number; minTop: number; maxTop: number } {
  const depthsShown = Math.max(1, Math.floor(heightPx / FRAME_HEIGHT));
  const lastFit = layout.maxDepth + 1 - depthsShown;
  return { depthsShown, minTop: bottomAligned ? Math.min(0, lastFit) : 0, maxTop: Math.max(0, lastFit) };
}

export function FlameCanvas(props: Props) {
  const { layout, frames, view, setView, topDepth, setTopDepth, size, onResize, colourBy, matches, selected } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [drawn, setDrawn] = useState(0);
  const { minTop, maxTop } = depthScroll(layout, size.height, props.bottomAligned);

  const resizeRef = useRef(onResize);
  resizeRef.current = onResize;
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    // The observer reports the box once when it starts observing, after the first layout, with
    // the size measured just below: a new size object then would draw the whole graph again
    // (~20-35 ms at 10,000 spans on the 2-core box) in the task after the views' first paint.
    let last: CanvasSize = { width: -1, height: -1 };
    const measure = (): void => {
      const next = { width: box.clientWidth, height: box.clientHeight };
      if (next.width === last.width && next.height === last.height) return;
      last = next;
      resizeRef.current(next);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    measure();
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0 || size.height === 0) return;
    const ratio = globalThis.devicePixelRatio || 1;
    const w = Math.round(size.width * ratio);
    const h = Math.round(size.height * ratio);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const count = drawFlame(ctx, {
      layout,
      spans: frames,
      view,
      widthPx: size.width,
      heightPx: size.height,
      topDepth,
      colourBy,
      matches,
      selected,
      hovered: hover?.index ?? -1,
      theme: {
        text: cssVar(canvas, '--fg', '#1d2129'),
        textOnBar: '#1d2129',
        error: cssVar(canvas, '--error', '#c92a2a'),
        selectedOutline: cssVar(canvas, '--fg', '#1d2129'),
        background: cssVar(canvas, '--bg', '#ffffff'),
        dim: 0.18,
      },
    });
    setDrawn(count);
  }, [layout, frames, view, size, topDepth, colourBy, matches, selected, hover?.index]);

  const hit = (event: MouseEvent<HTMLElement>): { index: number; x: number; y: number } => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const depth = topDepth + Math.floor(y / FRAME_HEIGHT);
    return { index: frameAt(layout, view, size.width, depth, x), x, y };
  };

  const onClick = (event: MouseEvent<HTMLCanvasElement>): void => {
    const { index } = hit(event);
    if (index >= 0) props.onFrameClick(index);
  };

  const onWheel = (event: WheelEvent<HTMLDivElement>): void => {
    if (event.ctrlKey || event.metaKey) {
      const box = event.currentTarget.getBoundingClientRect();
      const anchor = (event.clientX - box.left) / Math.max(1, box.width);
      setView((v) => zoomAround(v, anchor, Math.exp(-event.deltaY / 300), layout.durationNs));
      props.onFreeZoom?.();
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      const delta = event.shiftKey ? event.deltaY : event.deltaX;
      setView((v) => panBy(v, delta / Math.max(1, size.width), layout.durationNs));
    } else {
      const steps = Math.sign(event.deltaY) * Math.max(1, Math.round(Math.abs(event.deltaY) / FRAME_HEIGHT));
      setTopDepth((t) => Math.max(minTop, Math.min(maxTop, t + steps)));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    switch (event.key) {
      case 'Escape':
        if (!props.canZoomOut) return;
        props.onZoomOut();
        break;
      case '+':
      case '=':
        setView((v) => zoomAround(v, 0.5, 1.5, layout.durationNs));
        break;
      case '-':
        setView((v) => zoomAround(v, 0.5, 1 / 1.5, layout.durationNs));
        break;
      case 'ArrowLeft':
        setView((v) => panBy(v, -0.1, layout.durationNs));
        break;
      case 'ArrowRight':
        setView((v) => panBy(v, 0.1, layout.durationNs));
        break;
      case 'ArrowUp':
        setTopDepth((t) => Math.max(minTop, t - 1));
        break;
      case 'ArrowDown':
        setTopDepth((t) => Math.min(maxTop, t + 1));
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const tip = hover && hover.index >= 0 ? props.tooltip(hover.index) : null;

  return (
    <div
      ref={boxRef}
      className="flame-canvas-box"
      tabIndex={0}
      role="img"
      aria-label={props.label}
      data-frames-drawn={drawn}
      data-top-depth={topDepth}
      onKeyDown={onKeyDown}
      onWheel={onWheel}
    >
      <canvas
        ref={canvasRef}
        className="flame-canvas"
        style={{ width: size.width, height: size.height }}
        onClick={onClick}
        onMouseMove={(e) => {
          const h = hit(e);
          if (h.index !== (hover?.index ?? -1) || h.index >= 0) setHover(h);
        }}
        onMouseLeave={() => setHover(null)}
      />
      {tip && hover && (
        <div
          className="flame-tooltip"
          role="tooltip"
          style={{ left: Math.min(hover.x + 12, Math.max(0, size.width - 260)), top: Math.min(hover.y + 14, Math.max(0, size.height - 80)) }}
        >
          {tip}
        </div>
      )}
    </div>
  );
}

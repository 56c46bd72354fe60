// The flame graph of one trace: x = time within the trace, y = nesting (depth 0 on top).
// Click a frame to select it and zoom to it; the breadcrumb or Escape zooms out; Ctrl/⌘+wheel
// zooms around the pointer, the wheel scrolls through depths, Shift+wheel pans; a search box
// highlights matching frames (name, service, type). Colour by service or span type; errors red.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type WheelEvent } from 'react';
import type { SpanTree } from '../tree/rows';
import type { SpanMetrics } from '../tree/metrics';
import { formatCount, formatDuration } from '../format';
import { useSelection } from '../state/selection';
import { drawFlame, FRAME_HEIGHT, type ColourBy } from './draw';
import { frameAt, layoutFlame, matchSpans, panBy, wholeView, zoomAround, zoomToSpan, type FlameView } from './layout';

interface Props {
  tree: SpanTree;
  metrics: SpanMetrics;
  traceDurationNs: number;
}

/** Breadcrumbs show this many of the outermost and innermost ancestors; deeper chains elide the middle. */
const CRUMBS_EACH_END = 3;

function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

export function FlameGraph({ tree, metrics, traceDurationNs }: Props) {
  const layout = useMemo(() => layoutFlame(tree.spans, metrics.depth, metrics.maxDepth, traceDurationNs), [tree, metrics, traceDurationNs]);
  const selectedSpanId = useSelection((s) => s.spanId);
  const selected = selectedSpanId === null ? -1 : (tree.indexById.get(selectedSpanId) ?? -1);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [view, setView] = useState<FlameView>(() => wholeView(layout));
  /** The frames zoomed into, outermost first; empty = whole trace (or a wheel zoom). */
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [topDepth, setTopDepth] = useState(0);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [query, setQuery] = useState('');
  const [colourBy, setColourBy] = useState<ColourBy>('service');
  const [drawn, setDrawn] = useState(0);
  const search = useMemo(() => matchSpans(tree.spans, query), [tree, query]);

  // Another trace starts at the whole view. The same trace reloaded (its spans still arriving)
  // keeps the user's zoom and scroll: the zoomed frame is found again by its span id.
  const traceId = useSelection((s) => s.traceId);
  const shown = useRef({ traceId, tree, durationNs: layout.durationNs });
  useEffect(() => {
    const before = shown.current;
    shown.current = { traceId, tree, durationNs: layout.durationNs };
    if (before.tree === tree) return;
    if (before.traceId !== traceId) {
      setView(wholeView(layout));
      setZoomed(null);
      setTopDepth(0);
      return;
    }
    setZoomed((z) => (z === null ? null : (tree.indexById.get(before.tree.spans[z]!.spanId) ?? null)));
    // An unzoomed view follows the trace as it grows.
    setView((v) => (v.startNs === 0 && v.endNs === before.durationNs ? wholeView(layout) : v));
  }, [layout, tree, traceId]);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const measure = (): void => setSize({ width: box.clientWidth, height: box.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    measure();
    return () => observer.disconnect();
  }, []);

  const depthsShown = Math.max(1, Math.floor(size.height / FRAME_HEIGHT));
  const maxTop = Math.max(0, layout.maxDepth + 1 - depthsShown);

  // A span selected elsewhere (tree, waterfall, URL) comes into view: zoom out if it lies outside
  // the zoomed window, scroll to its depth if it is above or below.
  const measured = size.height > 0;
  // A new trace resets the scroll to the top in the effect above, in the same commit: this
  // effect must then judge the selection against depth 0, not the position it still sees.
  const traceIdSeen = useRef(traceId);
  useEffect(() => {
    // Before the box is measured every depth looks off-screen; wait for its size.
    if (selected < 0 || !measured) return;
    const top = traceIdSeen.current === traceId ? topDepth : 0;
    traceIdSeen.current = traceId;
    const p = layout.position[selected]!;
    if (layout.frameEnd[p]! < view.startNs || layout.frameStart[p]! > view.endNs) {
      setView(wholeView(layout));
      setZoomed(null);
    }
    const depth = metrics.depth[selected]!;
    if (depth < top || depth >= top + depthsShown) setTopDepth(Math.max(0, Math.min(maxTop, depth - Math.floor(depthsShown / 2))));
    // Only a new selection moves the view; zooming and scrolling afterwards are the user's.
  }, [selected, layout, measured]);

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
      spans: tree.spans,
      view,
      widthPx: size.width,
      heightPx: size.height,
      topDepth,
      colourBy,
      matches: search?.matches ?? null,
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
  }, [layout, tree, view, size, topDepth, colourBy, search, selected, hover?.index]);

  const hit = (event: MouseEvent<HTMLElement>): { index: number; x: number; y: number } => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const depth = topDepth + Math.floor(y / FRAME_HEIGHT);
    return { index: frameAt(layout, view, size.width, depth, x), x, y };
  };

  const zoomTo = (index: number): void => {
    setZoomed(index);
    setView(zoomToSpan(layout, index));
  };
  const zoomOut = (): void => {
    if (zoomed !== null && tree.parent[zoomed]! >= 0) zoomTo(tree.parent[zoomed]!);
    else {
      setZoomed(null);
      setView(wholeView(layout));
    }
  };

  const onClick = (event: MouseEvent<HTMLCanvasElement>): void => {
    const { index } = hit(event);
    if (index < 0) return;
    void useSelection.getState().selectSpan(tree.spans[index]!.spanId);
    zoomTo(index);
  };

  const onWheel = (event: WheelEvent<HTMLDivElement>): void => {
    if (event.ctrlKey || event.metaKey) {
      const box = event.currentTarget.getBoundingClientRect();
      const anchor = (event.clientX - box.left) / Math.max(1, box.width);
      setView((v) => zoomAround(v, anchor, Math.exp(-event.deltaY / 300), layout.durationNs));
      setZoomed(null);
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      const delta = event.shiftKey ? event.deltaY : event.deltaX;
      setView((v) => panBy(v, delta / Math.max(1, size.width), layout.durationNs));
    } else {
      const steps = Math.sign(event.deltaY) * Math.max(1, Math.round(Math.abs(event.deltaY) / FRAME_HEIGHT));
      setTopDepth((t) => Math.max(0, Math.min(maxTop, t + steps)));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    switch (event.key) {
      case 'Escape':
        if (zoomed === null && view.startNs === 0 && view.endNs === layout.durationNs) return;
        zoomOut();
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
        setTopDepth((t) => Math.max(0, t - 1));
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

  // Breadcrumb: whole trace › ancestors of the zoomed frame › the zoomed frame.
  const crumbs: (number | 'gap')[] = [];
  if (zoomed !== null) {
    const chain: number[] = [];
    for (let i = zoomed; i >= 0; i = tree.parent[i]!) chain.push(i);
    chain.reverse();
    if (chain.length > CRUMBS_EACH_END * 2 + 1) {
      crumbs.push(...chain.slice(0, CRUMBS_EACH_END), 'gap', ...chain.slice(-CRUMBS_EACH_END));
    } else crumbs.push(...chain);
  }

  const hovered = hover && hover.index >= 0 ? tree.spans[hover.index]! : null;
  const zoomFactor = layout.durationNs / Math.max(1, view.endNs - view.startNs);

  return (
    <section className="flame" aria-label="Flame graph">
      <div className="flame-toolbar">
        <nav className="breadcrumb" aria-label="Flame graph zoom">
          <button type="button" className={zoomed === null ? 'crumb current' : 'crumb'} onClick={() => (setZoomed(null), setView(wholeView(layout)))}>
            Whole trace
          </button>
          {crumbs.map((c, k) =>
            c === 'gap' ? (
              <span key={`gap${k}`} className="crumb-gap">
                › …
              </span>
            ) : (
              <span key={c} className="crumb-item">
                ›{' '}
                <button type="button" className={c === zoomed ? 'crumb current' : 'crumb'} aria-current={c === zoomed ? 'true' : undefined} onClick={() => zoomTo(c)}>
                  {tree.spans[c]!.name}
                </button>
              </span>
            ),
          )}
        </nav>
        <span className="flame-zoom muted mono" data-zoom={zoomFactor.toFixed(3)}>
          {zoomFactor > 1.001 ? `×${zoomFactor < 100 ? zoomFactor.toFixed(1) : formatCount(Math.round(zoomFactor))}` : ''}
        </span>
        <input type="search" className="flame-search" placeholder="Highlight spans…" aria-label="Search the flame graph" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="flame-matches muted" role="status">
          {search ? `${formatCount(search.count)} ${search.count === 1 ? 'match' : 'matches'}` : ''}
        </span>
        <label className="flame-colour">
          Colour by{' '}
          <select value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)} aria-label="Colour frames by">
            <option value="service">service</option>
            <option value="type">span type</option>
          </select>
        </label>
      </div>
      <div
        ref={boxRef}
        className="flame-canvas-box"
        tabIndex={0}
        role="img"
        aria-label={`Flame graph: ${formatCount(tree.spans.length)} spans, ${formatCount(metrics.maxDepth + 1)} levels; depths ${formatCount(topDepth + 1)}–${formatCount(Math.min(layout.maxDepth + 1, topDepth + depthsShown))} shown. Escape zooms out.`}
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
        {hovered && hover && (
          <div
            className="flame-tooltip"
            role="tooltip"
            style={{ left: Math.min(hover.x + 12, Math.max(0, size.width - 260)), top: Math.min(hover.y + 14, Math.max(0, size.height - 80)) }}
          >
            <div className="tooltip-name">{hovered.name}</div>
            <div className="mono">
              {formatDuration(hovered.durationNs)} · self {formatDuration(metrics.selfNs[hover.index]!)}
            </div>
            <div className="muted">
              {hovered.serviceName ?? '(no service)'}
              {hovered.spanType ? ` · ${hovered.spanType}` : ''}
              {hovered.statusCode === 'error' ? ' · error' : ''}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

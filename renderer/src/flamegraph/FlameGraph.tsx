// The flame graph of one trace: x = time within the trace, y = nesting (depth 0 on top).
// Click a frame to select it and zoom to it; the breadcrumb or Escape zooms out; Ctrl/⌘+wheel
// zooms around the pointer, the wheel scrolls through depths, Shift+wheel pans; a search box
// highlights matching frames (name, service, type). Colour by service or span type; errors red.
import { useEffect, useRef } from 'react';
import type { SpanTree } from '../tree/rows';
import type { SpanMetrics } from '../tree/metrics';
import { formatCount, formatDuration } from '../format';
import { useSelection } from '../state/selection';
import { FlameCanvas } from './FlameCanvas';
import { FlameToolbar } from './FlameToolbar';
import { wholeView, type FlameLayout } from './layout';
import { useFlameState } from './useFlameState';

interface Props {
  tree: SpanTree;
  metrics: SpanMetrics;
  /** layoutFlame of the tree, built with it (state/selection.ts; in the worker for large traces). */
  layout: FlameLayout;
}

export function FlameGraph({ tree, metrics, layout }: Props) {
  const selectedSpanId = useSelection((s) => s.spanId);
  const selected = selectedSpanId === null ? -1 : (tree.indexById.get(selectedSpanId) ?? -1);

  const flame = useFlameState(layout, tree.spans, tree.parent);
  const { view, setView, setZoomed, topDepth, setTopDepth, zoomTo, depthsShown, maxTop } = flame;

  // Another trace starts at the whole view. The same trace reloaded (its spans still arriving)
  // keeps the user's zoom and scroll: the zoomed frame is found again by its span id.
  const traceId = useSelection((s) => s.traceId);
  const shown = useRef({ traceId, tree, durationNs: layout.durationNs });
  useEffect(() => {
    const before = shown.current;
    shown.current = { traceId, tree, durationNs: layout.durationNs };
    if (before.tree === tree) return;
    if (before.traceId !== traceId) {
      flame.showWhole();
      setTopDepth(0);
      return;
    }
    setZoomed((z) => (z === null ? null : (tree.indexById.get(before.tree.spans[z]!.spanId) ?? null)));
    // An unzoomed view follows the trace as it grows.
    setView((v) => (v.startNs === 0 && v.endNs === before.durationNs ? wholeView(layout) : v));
  }, [layout, tree, traceId]);

  // A span selected elsewhere (tree, waterfall, URL) comes into view: zoom out if it lies outside
  // the zoomed window, scroll to its depth if it is above or below.
  const measured = flame.size.height > 0;
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

  const onFrameClick = (index: number): void => {
    void useSelection.getState().selectSpan(tree.spans[index]!.spanId);
    zoomTo(index);
  };

  return (
    <section className="flame" aria-label="Flame graph">
      <FlameToolbar {...flame.toolbar} wholeLabel="Whole trace" nameOf={(i) => tree.spans[i]!.name} graphName="Flame graph" />
      <FlameCanvas
        {...flame.canvas}
        frames={tree.spans}
        selected={selected}
        onFrameClick={onFrameClick}
        label={`Flame graph: ${formatCount(tree.spans.length)} spans, ${formatCount(metrics.maxDepth + 1)} levels; depths ${formatCount(topDepth + 1)}–${formatCount(Math.min(layout.maxDepth + 1, topDepth + depthsShown))} shown. Escape zooms out.`}
        tooltip={(index) => {
          const hovered = tree.spans[index]!;
          return (
            <>
              <div className="tooltip-name">{hovered.name}</div>
              <div className="mono">
                {formatDuration(hovered.durationNs)} · self {formatDuration(metrics.selfNs[index]!)}
              </div>
              <div className="muted">
                {hovered.serviceName ?? '(no service)'}
                {hovered.spanType ? ` · ${hovered.spanType}` : ''}
                {hovered.statusCode === 'error' ? ' · error' : ''}
              </div>
            </>
          );
        }}
      />
    </section>
  );
}

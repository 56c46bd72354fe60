// The state every flame graph view keeps (the view window, the frame zoomed to, the depth scroll,
// search and colour, the canvas size) and the props it hands FlameToolbar and FlameCanvas, so
// one trace's flame graph and the merged ones (MergedFlameGraph) wire them the same way.
import { useMemo, useState } from 'react';
import type { ColourBy } from './draw';
import { depthScroll, type CanvasSize } from './FlameCanvas';
import { matchSpans, wholeView, zoomToSpan, type FlameLayout, type FlameView, type SearchableFrame } from './layout';

/**
 * `parent[i]` is frame i's parent (-1 at the top): the breadcrumb's chain and where Escape
 * zooms out to.
 */
export function useFlameState(layout: FlameLayout, frames: readonly SearchableFrame[], parent: ArrayLike<number>, bottomAligned = false) {
  const [size, setSize] = useState<CanvasSize>({ width: 0, height: 0 });
  const [view, setView] = useState<FlameView>(() => wholeView(layout));
  /** The frame zoomed into; null = the whole graph (or a wheel zoom). */
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [topDepth, setTopDepth] = useState(0);
  const [query, setQuery] = useState('');
  const [colourBy, setColourBy] = useState<ColourBy>('service');
  const search = useMemo(() => matchSpans(frames, query), [frames, query]);

  const zoomTo = (index: number): void => {
    setZoomed(index);
    setView(zoomToSpan(layout, index));
  };
  const showWhole = (): void => {
    setZoomed(null);
    setView(wholeView(layout));
  };
  const zoomOut = (): void => {
    const up = zoomed === null ? -1 : parent[zoomed]!;
    if (up >= 0) zoomTo(up);
    else showWhole();
  };

  // Breadcrumb: the zoomed frame's ancestors, outermost first, then the frame.
  const chain: number[] = [];
  for (let i = zoomed ?? -1; i >= 0; i = parent[i]!) chain.push(i);
  chain.reverse();

  return {
    size,
    view,
    setView,
    zoomed,
    setZoomed,
    topDepth,
    setTopDepth,
    search,
    zoomTo,
    showWhole,
    ...depthScroll(layout, size.height, bottomAligned),
    /** The FlameToolbar props that come from this state. */
    toolbar: {
      chain,
      zoomed,
      onZoomTo: (index: number | null) => (index === null ? showWhole() : zoomTo(index)),
      zoomFactor: layout.durationNs / Math.max(1, view.endNs - view.startNs),
      query,
      onQuery: setQuery,
      matchCount: search ? search.count : null,
      colourBy,
      onColourBy: setColourBy,
    },
    /** The FlameCanvas props that come from this state. */
    canvas: {
      layout,
      view,
      setView,
      topDepth,
      setTopDepth,
      size,
      onResize: setSize,
      colourBy,
      matches: search?.matches ?? null,
      canZoomOut: zoomed !== null || view.startNs !== 0 || view.endNs !== layout.durationNs,
      onZoomOut: zoomOut,
      onFreeZoom: () => setZoomed(null),
      bottomAligned,
    },
  };
}

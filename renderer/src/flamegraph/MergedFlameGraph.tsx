// A flame graph of merged frames (merged.ts): the aggregated flame graph across traces, and each
// half of a sandwich. Width is total time; click a frame to zoom to it (and pick it: the view
// offers its callers and callees), the breadcrumb or Escape zooms out; hover tells the frame's
// count, total, mean and self time. Drawing and interaction are FlameCanvas's, as for one trace.
import { useEffect } from 'react';
import { formatCount, formatDuration } from '../format';
import { FlameCanvas } from './FlameCanvas';
import { FlameToolbar } from './FlameToolbar';
import { useFlameState } from './useFlameState';
import { meanNs, type MergedFlame, type PlacedFrame } from './merged';

interface Props {
  merged: MergedFlame;
  /** "Aggregate flame graph", "Callers", "Callees": the region's name. */
  graphName: string;
  /** The first breadcrumb. */
  wholeLabel: string;
  /** Callers of a sandwich: the figures are the focus spans' that came through each frame. */
  focusName?: string;
  /** Called with the frame clicked last (null when the graph changes). */
  onPick?(frame: PlacedFrame | null): void;
}

function FrameTooltip({ frame, focusName }: { frame: PlacedFrame; focusName: string | undefined }) {
  const spans = `${formatCount(frame.count)} ${frame.count === 1 ? 'span' : 'spans'} in ${formatCount(frame.traceCount)} ${frame.traceCount === 1 ? 'trace' : 'traces'}`;
  return (
    <>
      <div className="tooltip-name">{frame.name}</div>
      {focusName !== undefined && frame.depth > 0 ? (
        <div className="muted">
          {formatCount(frame.count)} {focusName} {frame.count === 1 ? 'span' : 'spans'} called through here, in {formatCount(frame.traceCount)}{' '}
          {frame.traceCount === 1 ? 'trace' : 'traces'}
        </div>
      ) : (
        <div className="muted">{spans}</div>
      )}
      <div className="mono">
        total {formatDuration(frame.totalNs)} · mean {formatDuration(meanNs(frame))} · self {formatDuration(frame.selfNs)}
      </div>
      <div className="muted">
        {frame.serviceName ?? '(no service)'}
        {frame.spanType ? ` · ${frame.spanType}` : ''}
        {frame.errorCount > 0 ? ` · ${formatCount(frame.errorCount)} ${frame.errorCount === 1 ? 'error' : 'errors'}` : ''}
      </div>
    </>
  );
}

export function MergedFlameGraph({ merged, graphName, wholeLabel, focusName, onPick }: Props) {
  const { layout, frames } = merged;
  const flame = useFlameState(layout, frames, merged.parent, merged.inverted);
  const { topDepth, setTopDepth, zoomTo, depthsShown } = flame;

  // New frames (a new filter, a refresh) start at the whole graph: an inverted one (callers)
  // with its bottom row, where the focus is, at the bottom of the box.
  const measured = flame.size.height > 0;
  useEffect(() => {
    flame.showWhole();
    onPick?.(null);
    setTopDepth(merged.inverted && measured ? layout.maxDepth + 1 - depthsShown : 0);
    // Only new frames (or the first measurement) reset the view.
  }, [merged, measured]);
  // A resized box keeps an inverted graph's bottom row at the bottom.
  useEffect(() => {
    if (merged.inverted && measured) setTopDepth(layout.maxDepth + 1 - depthsShown);
  }, [depthsShown]);

  const firstShown = Math.max(0, topDepth);
  const lastShown = Math.min(layout.maxDepth + 1, topDepth + depthsShown);

  return (
    <section className="flame merged-flame" aria-label={graphName} data-frame-count={frames.length}>
      <FlameToolbar {...flame.toolbar} wholeLabel={wholeLabel} nameOf={(i) => frames[i]!.name} graphName={graphName} />
      <FlameCanvas
        {...flame.canvas}
        frames={frames}
        selected={flame.zoomed ?? -1}
        onFrameClick={(index) => {
          zoomTo(index);
          onPick?.(frames[index]!);
        }}
        label={`${graphName}: ${formatCount(frames.length)} frames, ${formatCount(merged.maxDepth + 1)} levels; rows ${formatCount(firstShown + 1)}–${formatCount(lastShown)} shown. Escape zooms out.`}
        tooltip={(index) => <FrameTooltip frame={frames[index]!} focusName={focusName} />}
      />
    </section>
  );
}

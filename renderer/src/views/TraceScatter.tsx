// The duration-over-time scatter plot above the trace list: a dot per trace of the list's first
// page (the top 200 in its sort; x = start, y = duration, log scale), errors in red. Click a dot to open its trace;
// drag across the plot to set the time range to what was brushed. Geometry in scatter/layout.ts.
import { useMemo, useRef, useState, type PointerEvent } from 'react';
import { formatDuration, formatInstant } from '../format';
import { brushRange, scatterLayout } from '../scatter/layout';
import { useSelection } from '../state/selection';
import { useTraceList } from '../state/traces';

const HEIGHT = 120;
const PAD = { left: 56, right: 12, top: 8, bottom: 18 };
/** A drag shorter than this (px) is a click, not a brush. */
const MIN_BRUSH_PX = 4;

export function TraceScatter() {
  const traces = useTraceList((s) => s.traces);
  const filterState = useTraceList((s) => s.filterState);
  const setFilter = useTraceList((s) => s.setFilter);
  const layout = useMemo(() => scatterLayout(traces), [traces]);
  const svgRef = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(800);
  const [brush, setBrush] = useState<{ x0: number; x1: number } | null>(null);

  if (!layout) return null;
  const plotW = Math.max(width - PAD.left - PAD.right, 10);
  const plotH = HEIGHT - PAD.top - PAD.bottom;

  // Pointer x in plot space (0–1).
  const plotX = (event: PointerEvent<SVGRectElement>): number => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box) return 0;
    if (Math.abs(box.width - width) > 1) setWidth(box.width);
    return (event.clientX - box.left - PAD.left) / plotW;
  };

  const onPointerDown = (event: PointerEvent<SVGRectElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    const x = plotX(event);
    setBrush({ x0: x, x1: x });
  };
  const onPointerMove = (event: PointerEvent<SVGRectElement>): void => {
    if (brush) setBrush({ ...brush, x1: plotX(event) });
  };
  const onPointerUp = (event: PointerEvent<SVGRectElement>): void => {
    if (!brush) return;
    const x1 = plotX(event);
    setBrush(null);
    if (Math.abs(x1 - brush.x0) * plotW < MIN_BRUSH_PX) return;
    void setFilter({ ...filterState, range: 'custom', ...brushRange(layout, brush.x0, x1) });
  };

  return (
    <figure className="trace-scatter" aria-label="Duration over time">
      <svg
        ref={(el) => {
          svgRef.current = el;
          if (el && Math.abs(el.getBoundingClientRect().width - width) > 1) setWidth(el.getBoundingClientRect().width);
        }}
        width="100%"
        height={HEIGHT}
        role="group"
        aria-label="Traces by start time and duration; drag to choose a time range"
      >
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" className="axis-label">
          {formatDuration(layout.maxDurationNs)}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end" className="axis-label">
          {formatDuration(layout.minDurationNs)}
        </text>
        <text x={PAD.left} y={HEIGHT - 4} className="axis-label">
          {formatInstant(layout.startNs.toString())}
        </text>
        <text x={PAD.left + plotW} y={HEIGHT - 4} textAnchor="end" className="axis-label">
          {formatInstant(layout.endNs.toString())}
        </text>
        <rect
          className="scatter-area"
          x={PAD.left}
          y={PAD.top}
          width={plotW}
          height={plotH}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        />
        {brush && (
          <rect
            className="scatter-brush"
            x={PAD.left + Math.min(brush.x0, brush.x1) * plotW}
            y={PAD.top}
            width={Math.abs(brush.x1 - brush.x0) * plotW}
            height={plotH}
            pointerEvents="none"
          />
        )}
        {layout.points.map((p) => (
          <circle
            key={p.traceId}
            data-trace-id={p.traceId}
            className={p.error ? 'dot dot-error' : 'dot'}
            cx={PAD.left + p.x * plotW}
            cy={PAD.top + p.y * plotH}
            r={p.error ? 4 : 3}
            onClick={() => void useSelection.getState().openTrace(p.traceId)}
          >
            <title>{p.label}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}

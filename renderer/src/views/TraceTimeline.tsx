// The span tree and the waterfall side by side, sharing one virtualised list of rows: one scroll
// container, fixed row height, and only the rows in view (plus a few) in the DOM, so a
// 100,000-span trace costs the same to scroll as a 100-span one. The tree keeps ARIA tree
// semantics (aria-setsize/posinset say where a row sits, since most rows are not in the DOM).
//
// Scrolling costs what changes, not what is shown: the window of rows is re-rendered only when it
// moves (rowWindow), and then at once (flushSync) so the new rows are in the frame the scroll
// paints; rows are memoised components with plain props, so the rows that stay in view are not
// rendered again, and clicks are handled once for the whole list (no closures per row). A scroll
// frame used to render every row in view again; what is left is mostly the DOM of the rows that
// enter (bench/README.md).
//
// Keyboard on the focused row: ↑/↓ move, ←/→ collapse/expand (or go to the parent / first
// child), Backspace or p: parent, Home/End, Enter/Space select, * expand all, - collapse all.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type UIEvent } from 'react';
import { flushSync } from 'react-dom';
import type { SpanSummary } from '../../../shared/model';
import type { SpanTree } from '../tree/rows';
import { visibleRows, type TreeRow } from '../tree/rows';
import { rowWindow, sameWindow } from '../tree/window';
import type { SpanMetrics } from '../tree/metrics';
import { formatDuration } from '../format';
import { SpanTokensBadge } from '../llm/SpanTokensBadge';
import { useSelection } from '../state/selection';
import { useSpanTreeView } from '../state/span-tree';
import { axisTicks, barFractions, timeFraction, wholeTrace, windowFromFractions, type TimeWindow } from '../waterfall/axis';
import { drawMinimap } from '../waterfall/minimap';

export const ROW_HEIGHT = 24;
/** Rows rendered above and below the viewport, so a fast wheel does not show blank rows. */
const OVERSCAN = 8;
/** Indent grows to this depth, then stays: at 10,000 levels the names must still be on screen. */
const MAX_INDENT_DEPTH = 32;
const INDENT_PX = 14;

interface Props {
  tree: SpanTree;
  metrics: SpanMetrics;
  traceDurationNs: number;
  /**
   * Events (ns from the trace start) of the selected span, from its detail: markers for a span
   * whose summary carries no eventOffsetsNs (every span's events come with the trace otherwise).
   */
  selectedEventOffsetsNs: readonly number[];
}

export function collapseAllIds(tree: SpanTree): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tree.spans.length; i++) {
    if (tree.childStart[i + 1]! > tree.childStart[i]!) out.add(tree.spans[i]!.spanId);
  }
  return out;
}

export function TraceTimeline({ tree, metrics, traceDurationNs, selectedEventOffsetsNs }: Props) {
  const collapsed = useSpanTreeView((s) => s.collapsed);
  const selectedSpanId = useSelection((s) => s.spanId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const wantFocus = useRef(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);
  const [timeWindow, setTimeWindow] = useState<TimeWindow>(() => wholeTrace(traceDurationNs));
  useEffect(() => setTimeWindow(wholeTrace(traceDurationNs)), [tree, traceDurationNs]);

  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  /** rowOf[spanIndex] = position in `rows`, or -1 when folded away. */
  const rowOf = useMemo(() => {
    const out = new Int32Array(tree.spans.length).fill(-1);
    for (let p = 0; p < rows.length; p++) out[rows[p]!.index] = p;
    return out;
  }, [tree, rows]);

  const selectedIndex = selectedSpanId === null ? undefined : tree.indexById.get(selectedSpanId);
  // The row that takes the keyboard focus: the selected span, or its nearest visible ancestor.
  let focusRow = 0;
  for (let i = selectedIndex ?? -1; i >= 0; i = tree.parent[i]!) {
    if (rowOf[i]! >= 0) {
      focusRow = rowOf[i]!;
      break;
    }
  }

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the selected row in view: scroll the container, then (after the rows for the new scroll
  // position render) focus it if the user is driving with the keyboard.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const top = focusRow * ROW_HEIGHT;
    // The header row is sticky and one row tall.
    const visibleTop = element.scrollTop;
    const visibleBottom = element.scrollTop + element.clientHeight - ROW_HEIGHT;
    let next = element.scrollTop;
    if (top < visibleTop) next = top;
    else if (top + ROW_HEIGHT > visibleBottom) next = top + 2 * ROW_HEIGHT - element.clientHeight;
    if (next !== element.scrollTop) {
      element.scrollTop = Math.max(0, next);
      setScrollTop(element.scrollTop);
    }
  }, [focusRow, selectedSpanId]);
  useEffect(() => {
    if (!wantFocus.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${focusRow}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      wantFocus.current = false;
    }
  });

  // `scrollTop` is only updated when the window it gives changes (see onScroll), so when the
  // rows change (folded, expanded, reloaded) take the real position again.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element) setScrollTop(element.scrollTop);
  }, [rows]);
  const { first, last } = rowWindow(scrollTop, viewportHeight, ROW_HEIGHT, rows.length, OVERSCAN);
  const onScroll = (event: UIEvent<HTMLDivElement>): void => {
    const top = event.currentTarget.scrollTop;
    if (sameWindow(rowWindow(top, viewportHeight, ROW_HEIGHT, rows.length, OVERSCAN), { first, last })) return;
    flushSync(() => setScrollTop(top));
  };

  const select = (row: TreeRow | undefined): void => {
    if (row) void useSelection.getState().selectSpan(tree.spans[row.index]!.spanId);
  };
  const setExpanded = (row: TreeRow, expanded: boolean): void => {
    useSpanTreeView.getState().setExpanded(tree.spans[row.index]!.spanId, expanded);
  };
  const expandAll = (): void => useSpanTreeView.setState({ collapsed: new Set() });
  const collapseAll = (): void => {
    const all = collapseAllIds(tree);
    useSpanTreeView.setState({ collapsed: all });
    // The selection folds away with its ancestors: move it to its top-level span.
    let i = selectedIndex ?? -1;
    while (i >= 0 && tree.parent[i]! >= 0) i = tree.parent[i]!;
    if (i >= 0) void useSelection.getState().selectSpan(tree.spans[i]!.spanId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const from = (event.target as HTMLElement).closest<HTMLElement>('[data-row]')?.dataset.row;
    const position = from === undefined ? focusRow : Number(from);
    const row = rows[position];
    if (!row) return;
    const page = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
    wantFocus.current = true;
    switch (event.key) {
      case 'ArrowDown':
        select(rows[position + 1]);
        break;
      case 'ArrowUp':
        select(rows[position - 1]);
        break;
      case 'PageDown':
        select(rows[Math.min(rows.length - 1, position + page)]);
        break;
      case 'PageUp':
        select(rows[Math.max(0, position - page)]);
        break;
      case 'Home':
        select(rows[0]);
        break;
      case 'End':
        select(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) setExpanded(row, true);
        else if (row.expanded) select(rows[position + 1]);
        break;
      case 'ArrowLeft': {
        const parent = tree.parent[row.index]!;
        if (row.expanded) setExpanded(row, false);
        else if (parent >= 0) select(rows[rowOf[parent]!]);
        break;
      }
      case 'Backspace':
      case 'p': {
        const parent = tree.parent[row.index]!;
        if (parent >= 0) select(rows[rowOf[parent]!]);
        break;
      }
      case 'Enter':
        if (row.index !== selectedIndex) select(row);
        else if (row.hasChildren) setExpanded(row, !row.expanded);
        break;
      case ' ':
        select(row);
        break;
      case '*':
        expandAll();
        break;
      case '-':
        collapseAll();
        break;
      default:
        wantFocus.current = false;
        return;
    }
    event.preventDefault();
  };

  /** The row (tree or waterfall) an event happened in. */
  const rowAt = (event: MouseEvent): { row: TreeRow; element: HTMLElement } | null => {
    const element = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
    const row = element ? rows[Number(element.dataset.row)] : undefined;
    return element && row ? { row, element } : null;
  };
  const onRowClick = (event: MouseEvent): void => {
    const hit = rowAt(event);
    if (!hit) return;
    // The twisty of a span with children folds it and does not select.
    if (hit.row.hasChildren && (event.target as HTMLElement).closest('.twisty')) useSpanTreeView.getState().toggle(tree.spans[hit.row.index]!.spanId);
    else select(hit.row);
  };
  const onRowDoubleClick = (event: MouseEvent): void => {
    const hit = rowAt(event);
    if (hit && hit.element.classList.contains('vtree-row') && hit.row.hasChildren) setExpanded(hit.row, !hit.row.expanded);
  };

  const ticks = useMemo(() => axisTicks(timeWindow, 6), [timeWindow]);
  const zoomed = timeWindow.startNs > 0 || timeWindow.endNs < Math.max(traceDurationNs, 1);

  const treeItems: React.ReactNode[] = [];
  const bars: React.ReactNode[] = [];
  for (let position = first; position < last; position++) {
    const row = rows[position]!;
    const span = tree.spans[row.index]!;
    const selected = row.index === selectedIndex;
    treeItems.push(
      <TreeItem
        key={row.index}
        row={row}
        span={span}
        position={position}
        selected={selected}
        focusable={position === focusRow}
        setSize={metrics.setSize[row.index]!}
        posInSet={metrics.posInSet[row.index]!}
        selfNs={metrics.selfNs[row.index]!}
      />,
    );
    bars.push(
      <WaterfallRow
        key={row.index}
        span={span}
        position={position}
        selected={selected}
        critical={metrics.critical[row.index] === 1}
        timeWindow={timeWindow}
        eventOffsetsNs={span.eventOffsetsNs ?? (selected ? selectedEventOffsetsNs : NO_EVENTS)}
      />,
    );
  }

  return (
    <section className="timeline" aria-label="Span tree and waterfall">
      <div className="timeline-toolbar">
        <button type="button" onClick={expandAll} title="Expand all (*)">
          Expand all
        </button>
        <button type="button" onClick={collapseAll} title="Collapse all (-)">
          Collapse all
        </button>
        <span className="muted">
          {rows.length.toLocaleString()} of {tree.spans.length.toLocaleString()} spans shown
        </span>
        <span className="legend">
          <span className="wf-bar-sample is-critical" /> critical path <span className="wf-bar-sample is-error" /> error
        </span>
        {zoomed && (
          <button type="button" onClick={() => setTimeWindow(wholeTrace(traceDurationNs))}>
            Reset time window
          </button>
        )}
      </div>
      <Minimap tree={tree} metrics={metrics} traceDurationNs={traceDurationNs} timeWindow={timeWindow} onWindow={setTimeWindow} rows={rows} firstRow={first} lastRow={last} />
      <div
        ref={scrollRef}
        className="timeline-scroll"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div className="timeline-head">
          <div className="timeline-head-tree">
            <span>Span</span>
            <span className="head-duration">Duration</span>
            <span className="head-self">Self</span>
          </div>
          <div className="timeline-axis" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t.ns} className="tick" style={{ left: `${t.fraction * 100}%` }}>
                {formatDuration(t.ns)}
              </span>
            ))}
          </div>
        </div>
        <div className="timeline-body" style={{ height: rows.length * ROW_HEIGHT }} onClick={onRowClick} onDoubleClick={onRowDoubleClick}>
          <div role="tree" aria-label="Span tree" className="vtree">
            {treeItems}
          </div>
          <div role="group" aria-label="Waterfall" className="waterfall">
            {ticks.map((t) => (
              <span key={t.ns} className="wf-gridline" style={{ left: `${t.fraction * 100}%`, top: first * ROW_HEIGHT, height: (last - first) * ROW_HEIGHT }} />
            ))}
            {bars}
          </div>
        </div>
      </div>
    </section>
  );
}

const NO_EVENTS: readonly number[] = [];

interface TreeItemProps {
  row: TreeRow;
  span: SpanSummary;
  position: number;
  selected: boolean;
  focusable: boolean;
  setSize: number;
  posInSet: number;
  selfNs: number;
}

/** One treeitem; props are plain values, so a row that stays in view is not rendered again. */
const TreeItem = memo(function TreeItem({ row, span, position, selected, focusable, setSize, posInSet, selfNs }: TreeItemProps) {
  const isError = span.statusCode === 'error';
  const indent = Math.min(row.depth, MAX_INDENT_DEPTH) * INDENT_PX;
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      aria-setsize={setSize}
      aria-posinset={posInSet}
      tabIndex={focusable ? 0 : -1}
      data-row={position}
      data-span-id={span.spanId}
      className={`vtree-row${selected ? ' selected' : ''}${isError ? ' is-error' : ''}`}
      style={{ top: position * ROW_HEIGHT }}
    >
      <span className="tree-label" style={{ paddingLeft: `${indent}px` }}>
        {row.depth > MAX_INDENT_DEPTH && <span className="depth-marker mono">{row.depth + 1}</span>}
        <span className="twisty" aria-hidden="true">
          {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
        </span>
        {isError && (
          <span className="error-dot" title="Error status">
            !
          </span>
        )}
        <span className="span-name">{span.name}</span>
        {span.serviceName && <span className="span-service">{span.serviceName}</span>}
        {row.orphan && <span className="badge warn">parent missing</span>}
        {span.spanType && <span className="badge">{span.spanType}</span>}
        <SpanTokensBadge span={span} />
        {isError && <span className="visually-hidden">error</span>}
      </span>
      <span className="tree-duration mono" title="Duration">
        {formatDuration(span.durationNs)}
      </span>
      <span className="tree-self mono muted" title="Self time (not in any child)">
        {formatDuration(selfNs)}
      </span>
    </div>
  );
});

interface WaterfallRowProps {
  span: SpanSummary;
  position: number;
  selected: boolean;
  critical: boolean;
  timeWindow: TimeWindow;
  eventOffsetsNs: readonly number[];
}

/** One waterfall row: the bar, its duration label, the span's event markers. */
const WaterfallRow = memo(function WaterfallRow({ span, position, selected, critical, timeWindow, eventOffsetsNs }: WaterfallRowProps) {
  const isError = span.statusCode === 'error';
  const bar = barFractions(timeWindow, span.startOffsetNs, span.durationNs);
  return (
    <div className={`wf-row${selected ? ' selected' : ''}`} style={{ top: position * ROW_HEIGHT }} data-row={position} title={`${span.name} — ${formatDuration(span.durationNs)}`}>
      {bar && <span className={`wf-bar${isError ? ' is-error' : ''}${critical ? ' is-critical' : ''}`} style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }} />}
      {bar && (
        <span className="wf-label mono" style={bar.left < 0.7 ? { left: `calc(${(bar.left + bar.width) * 100}% + 4px)` } : { right: `calc(${(1 - bar.left) * 100}% + 4px)` }}>
          {formatDuration(span.durationNs)}
        </span>
      )}
      {eventOffsetsNs.map((ns, k) => {
        const f = timeFraction(timeWindow, ns);
        return f >= 0 && f <= 1 ? <span key={k} className="wf-event" style={{ left: `${f * 100}%` }} title={`Span event at ${formatDuration(ns)}`} /> : null;
      })}
    </div>
  );
});

interface MinimapProps {
  tree: SpanTree;
  metrics: SpanMetrics;
  traceDurationNs: number;
  timeWindow: TimeWindow;
  onWindow(next: TimeWindow): void;
  rows: readonly TreeRow[];
  firstRow: number;
  lastRow: number;
}

/**
 * The whole trace in 48 pixels: every visible row as a one-pixel line at its time, the time
 * window shown (drag across it to choose another), and the rows in view. Drawn on a canvas:
 * 100,000 lines are one pass over typed arrays.
 */
function Minimap({ tree, metrics, traceDurationNs, timeWindow, onWindow, rows, firstRow, lastRow }: MinimapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() => setWidth(canvas.clientWidth));
    observer.observe(canvas);
    setWidth(canvas.clientWidth);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0) return;
    drawMinimap(canvas, { tree, critical: metrics.critical, rows, durationNs: traceDurationNs, widthPx: width, heightPx: 44 });
  }, [tree, metrics, rows, traceDurationNs, width]);

  const fraction = (event: PointerEvent<HTMLDivElement>): number => {
    const box = event.currentTarget.getBoundingClientRect();
    return Math.max(0, Math.min(1, (event.clientX - box.left) / Math.max(1, box.width)));
  };
  const total = Math.max(traceDurationNs, 1);
  const shownFrom = drag ? Math.min(drag.from, drag.to) : timeWindow.startNs / total;
  const shownTo = drag ? Math.max(drag.from, drag.to) : timeWindow.endNs / total;
  const rowCount = Math.max(1, rows.length);

  return (
    <div
      className="minimap"
      aria-label="Minimap: drag to choose the time window"
      role="group"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        const f = fraction(e);
        setDrag({ from: f, to: f });
      }}
      onPointerMove={(e) => drag && setDrag({ from: drag.from, to: fraction(e) })}
      onPointerUp={() => {
        if (!drag) return;
        setDrag(null);
        if (Math.abs(drag.to - drag.from) < 0.005) onWindow(wholeTrace(traceDurationNs));
        else onWindow(windowFromFractions(traceDurationNs, drag.from, drag.to));
      }}
      onDoubleClick={() => onWindow(wholeTrace(traceDurationNs))}
    >
      <canvas ref={canvasRef} className="minimap-canvas" />
      <span className="minimap-rows" style={{ top: `${(firstRow / rowCount) * 100}%`, height: `${Math.max(2, ((lastRow - firstRow) / rowCount) * 100)}%` }} />
      <span className="minimap-window" style={{ left: `${shownFrom * 100}%`, width: `${(shownTo - shownFrom) * 100}%` }} />
    </div>
  );
}

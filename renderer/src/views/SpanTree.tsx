// The span tree: one row per visible span, children under parents, ARIA tree semantics.
// Keyboard (on the focused row): ↑/↓ move the selection, ←/→ collapse/expand (or go to the
// parent / first child), Home/End, Enter or Space select. The rows come from the pure
// tree/rows.ts so a virtualised list can replace the plain map below without other changes.
import { useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { formatDuration } from '../format';
import { useSelection } from '../state/selection';
import { useSpanTreeView } from '../state/span-tree';
import { visibleRows, type SpanTree as SpanTreeModel, type TreeRow } from '../tree/rows';

/**
 * Indent grows to this depth, then stays (the level number shows instead): at 10,000 levels
 * the names must still be on screen. 20 levels × 12 px fits the label column's 240 px minimum.
 */
const MAX_INDENT_DEPTH = 20;
const INDENT_PX = 12;
/** Width of the level number plus the label's gap; matches .depth-marker in styles.css. */
const DEPTH_MARKER_PX = 46;
/** Must match --row-height in styles.css (fixed so that scrolling, and later virtualising, is arithmetic). */
const ROW_HEIGHT_PX = 24;

interface Props {
  tree: SpanTreeModel;
  traceDurationNs: number;
}

export function SpanTree({ tree, traceDurationNs }: Props) {
  const collapsed = useSpanTreeView((s) => s.collapsed);
  const selectedSpanId = useSelection((s) => s.spanId);
  const treeRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  /** rowOf[spanIndex] = position in `rows`, or -1 when hidden. */
  const rowOf = useMemo(() => {
    const out = new Int32Array(tree.spans.length).fill(-1);
    rows.forEach((row, position) => (out[row.index] = position));
    return out;
  }, [tree, rows]);

  // The row that takes the keyboard focus: the selected span, or its nearest visible ancestor
  // when it is folded away, or the first row.
  const selectedIndex = selectedSpanId === null ? undefined : tree.indexById.get(selectedSpanId);
  let focusRow = 0;
  for (let i = selectedIndex ?? -1; i >= 0; i = tree.parent[i]!) {
    if (rowOf[i]! >= 0) {
      focusRow = rowOf[i]!;
      break;
    }
  }

  // Keep the selected row in view, and the keyboard focus on it while the tree has the focus
  // (or nothing has: a trace just opened from the list). Rows have a fixed height, so the
  // scroll position is arithmetic; scrollIntoView would lay out every row first (seconds at
  // 20,000 rows).
  useEffect(() => {
    const container = treeRef.current;
    const element = container?.querySelector<HTMLElement>(`[data-row="${focusRow}"]`);
    if (!container || !element) return;
    const top = focusRow * ROW_HEIGHT_PX;
    if (top < container.scrollTop) container.scrollTop = top;
    else if (top + ROW_HEIGHT_PX > container.scrollTop + container.clientHeight) {
      container.scrollTop = top + ROW_HEIGHT_PX - container.clientHeight;
    }
    const active = document.activeElement;
    if (container.contains(active) || active === null || active === document.body) element.focus({ preventScroll: true });
  }, [focusRow, selectedSpanId]);

  const select = (row: TreeRow | undefined): void => {
    if (row) void useSelection.getState().selectSpan(tree.spans[row.index]!.spanId);
  };
  const setExpanded = (row: TreeRow, expanded: boolean): void => {
    useSpanTreeView.getState().setExpanded(tree.spans[row.index]!.spanId, expanded);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const from = (event.target as HTMLElement).closest<HTMLElement>('[data-row]')?.dataset.row;
    const position = from === undefined ? focusRow : Number(from);
    const row = rows[position];
    if (!row) return;
    switch (event.key) {
      case 'ArrowDown':
        select(rows[position + 1]);
        break;
      case 'ArrowUp':
        select(rows[position - 1]);
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
      case 'Enter':
      case ' ':
        select(row);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const onTwisty = (event: MouseEvent, row: TreeRow): void => {
    event.stopPropagation();
    useSpanTreeView.getState().toggle(tree.spans[row.index]!.spanId);
  };

  return (
    <div ref={treeRef} role="tree" aria-label="Span tree" className="span-tree" onKeyDown={onKeyDown}>
      {rows.map((row, position) => {
        const span = tree.spans[row.index]!;
        const selected = row.index === selectedIndex;
        const isError = span.statusCode === 'error';
        const left = traceDurationNs > 0 ? (span.startOffsetNs / traceDurationNs) * 100 : 0;
        const width = traceDurationNs > 0 ? (span.durationNs / traceDurationNs) * 100 : 100;
        const deep = row.depth > MAX_INDENT_DEPTH;
        // Past the cap the level number takes the place of its own width of indent, so the
        // twisties stay in one column.
        const indent = Math.min(row.depth, MAX_INDENT_DEPTH) * INDENT_PX - (deep ? DEPTH_MARKER_PX : 0);
        return (
          <div
            key={row.index}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-expanded={row.hasChildren ? row.expanded : undefined}
            aria-selected={selected}
            tabIndex={position === focusRow ? 0 : -1}
            data-row={position}
            className={`tree-row${selected ? ' selected' : ''}${isError ? ' is-error' : ''}`}
            onClick={() => select(row)}
            onDoubleClick={() => row.hasChildren && setExpanded(row, !row.expanded)}
          >
            <span className="tree-label" style={{ paddingLeft: `${indent}px` }}>
              {deep && (
                <span className="depth-marker mono" title={`Level ${row.depth + 1}`}>
                  {row.depth + 1}
                </span>
              )}
              {row.hasChildren ? (
                <span className="twisty" aria-hidden="true" onClick={(e) => onTwisty(e, row)}>
                  {row.expanded ? '▾' : '▸'}
                </span>
              ) : (
                <span className="twisty" aria-hidden="true" />
              )}
              <span className="span-name">{span.name}</span>
              {span.serviceName && <span className="span-service">{span.serviceName}</span>}
              {row.orphan && <span className="badge warn">parent missing</span>}
              {span.spanType && <span className="badge">{span.spanType}</span>}
              {isError && <span className="error-mark">error</span>}
            </span>
            <span className="tree-bar-cell" aria-hidden="true">
              <span className="tree-bar" style={{ left: `${Math.min(left, 100)}%`, width: `${Math.min(width, 100 - Math.min(left, 100))}%` }} />
            </span>
            <span className="tree-duration mono">{formatDuration(span.durationNs)}</span>
          </div>
        );
      })}
    </div>
  );
}

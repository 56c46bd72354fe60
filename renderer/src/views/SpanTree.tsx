import { useMemo, useState, type KeyboardEvent } from 'react';
import type { TraceDetail } from '../../../shared/model';
import { formatDuration } from '../format';
import { indexSpans, visibleRows } from '../tree/rows';

interface Props {
  trace: TraceDetail;
  selectedSpanId: string | null;
  onSelect(spanId: string): void;
}

export function SpanTree({ trace, selectedSpanId, onSelect }: Props) {
  const index = useMemo(() => indexSpans(trace.spans), [trace]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const rows = useMemo(() => visibleRows(index, collapsed), [index, collapsed]);
  const selectedRow = rows.findIndex((r) => trace.spans[r.index]!.spanId === selectedSpanId);

  const toggle = (i: number, open?: boolean): void => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      const isOpen = !next.has(i);
      if (open ?? !isOpen) next.delete(i);
      else next.add(i);
      return next;
    });
  };

  const onKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const row = rows[selectedRow];
    const move = (to: number): void => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, to))];
      if (target) onSelect(trace.spans[target.index]!.spanId);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(selectedRow + 1);
        break;
      case 'ArrowUp':
        move(selectedRow - 1);
        break;
      case 'ArrowRight':
        if (row?.hasChildren) toggle(row.index, true);
        break;
      case 'ArrowLeft':
        if (row?.hasChildren && !collapsed.has(row.index)) toggle(row.index, false);
        else if (row && index.parent[row.index]! >= 0) onSelect(trace.spans[index.parent[row.index]!]!.spanId);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div role="tree" aria-label="Span tree" className="span-tree" tabIndex={0} onKeyDown={onKey}>
      {rows.map((row) => {
        const span = trace.spans[row.index]!;
        const selected = span.spanId === selectedSpanId;
        const isError = span.statusCode === 'error';
        const left = trace.durationNs > 0 ? (span.startOffsetNs / trace.durationNs) * 100 : 0;
        const width = trace.durationNs > 0 ? Math.max((span.durationNs / trace.durationNs) * 100, 0.2) : 100;
        return (
          <div
            key={span.spanId}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-selected={selected}
            aria-expanded={row.hasChildren ? !collapsed.has(row.index) : undefined}
            className={`tree-row${selected ? ' selected' : ''}${isError ? ' is-error' : ''}`}
            onClick={() => onSelect(span.spanId)}
          >
            <span className="tree-label" style={{ paddingLeft: `${Math.min(row.depth, 60) * 14}px` }}>
              {row.hasChildren ? (
                <button
                  type="button"
                  className="twisty"
                  aria-label={collapsed.has(row.index) ? 'Expand' : 'Collapse'}
                  tabIndex={-1}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(row.index);
                  }}
                >
                  {collapsed.has(row.index) ? '▸' : '▾'}
                </button>
              ) : (
                <span className="twisty" />
              )}
              <span className="span-name">{span.name}</span>
              {span.serviceName && <span className="service">{span.serviceName}</span>}
              {row.orphan && <span className="badge warn">parent missing</span>}
              {span.spanType && <span className="badge">{span.spanType}</span>}
              {isError && <span className="error-mark">error</span>}
            </span>
            <span className="tree-bar-cell" aria-hidden="true">
              <span className={`tree-bar${isError ? ' is-error' : ''}`} style={{ left: `${left}%`, width: `${width}%` }} />
            </span>
            <span className="tree-duration mono">{formatDuration(span.durationNs)}</span>
          </div>
        );
      })}
    </div>
  );
}

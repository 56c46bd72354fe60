// The trace list's columns: which exist, which can be hidden, their default widths. The view
// remembers the hidden ones and the widths in localStorage under the keys below; parsing what
// was stored is here, pure (stored values may be anything an older version or a user wrote).
import type { TraceSortKey } from '../../../shared/model';

export type ColumnKey = 'pick' | 'name' | 'service' | 'start' | 'duration' | 'spans' | 'errors' | 'tokens' | 'cost' | 'session';

export interface ColumnSpec {
  key: ColumnKey;
  label: string;
  /** Default width in px; the root name column grows past it to fill the row. */
  width: number;
  /** Sorted by the store when its header is clicked. */
  sort?: TraceSortKey;
  numeric?: boolean;
  /** May be hidden in the Columns menu (the pick box and root name always show). */
  optional: boolean;
}

export const COLUMNS: readonly ColumnSpec[] = [
  { key: 'pick', label: 'Compare', width: 36, optional: false },
  { key: 'name', label: 'Root span', width: 280, sort: 'name', optional: false },
  { key: 'service', label: 'Service', width: 140, sort: 'service', optional: true },
  { key: 'start', label: 'Start', width: 210, sort: 'start', optional: true },
  { key: 'duration', label: 'Duration', width: 100, sort: 'duration', numeric: true, optional: true },
  { key: 'spans', label: 'Spans', width: 80, sort: 'spans', numeric: true, optional: true },
  { key: 'errors', label: 'Errors', width: 80, sort: 'errors', numeric: true, optional: true },
  { key: 'tokens', label: 'Tokens', width: 80, sort: 'tokens', numeric: true, optional: true },
  { key: 'cost', label: 'Cost', width: 90, sort: 'cost', numeric: true, optional: true },
  { key: 'session', label: 'Session', width: 160, sort: 'session', optional: true },
];

export const OPTIONAL_COLUMNS = COLUMNS.filter((c) => c.optional);
export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 2000;

export type ColumnWidths = Record<ColumnKey, number>;

export const DEFAULT_WIDTHS = Object.fromEntries(COLUMNS.map((c) => [c.key, c.width])) as ColumnWidths;

export function clampWidth(width: number): number {
  return Math.round(Math.min(Math.max(width, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH));
}

/** Widths from what was stored: known columns with finite numbers (clamped), defaults for the rest. */
export function parseColumnWidths(stored: string | null): ColumnWidths {
  const widths = { ...DEFAULT_WIDTHS };
  try {
    const value: unknown = JSON.parse(stored ?? '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return widths;
    for (const column of COLUMNS) {
      const width = (value as Record<string, unknown>)[column.key];
      if (column.key !== 'pick' && typeof width === 'number' && Number.isFinite(width)) widths[column.key] = clampWidth(width);
    }
  } catch {
    // not JSON: the defaults
  }
  return widths;
}

/** Hidden columns from what was stored: only optional ones, in column order. */
export function parseHiddenColumns(stored: string | null): ColumnKey[] {
  try {
    const value: unknown = JSON.parse(stored ?? '[]');
    return Array.isArray(value) ? OPTIONAL_COLUMNS.map((c) => c.key).filter((key) => value.includes(key)) : [];
  } catch {
    return [];
  }
}

/** The row's width when every shown column has its width (the root name may grow past it). */
export function rowWidth(widths: ColumnWidths, hidden: readonly ColumnKey[]): number {
  return COLUMNS.filter((c) => !hidden.includes(c.key)).reduce((sum, c) => sum + widths[c.key], 0);
}

export const HIDDEN_COLUMNS_KEY = 'tracedeck.traceList.hiddenColumns';
export const COLUMN_WIDTHS_KEY = 'tracedeck.traceList.columnWidths';

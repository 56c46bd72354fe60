// What the trace list is filtered by: the "Filter traces" text (shared/filter-query.ts syntax)
// and a time range. The text and range live in the URL's query string (?q=...&range=1h), so a
// reload, Back/Forward (browser) or history (desktop) bring the same filter back. Named filters
// are kept in localStorage. Pure helpers here are unit-tested under node.
import type { TraceFilter } from '../../../shared/model';
import { parseFilterQuery } from '../../../shared/filter-query';

export const TIME_RANGES = [
  { key: 'all', label: 'All time', ms: null },
  { key: '5m', label: 'Last 5 min', ms: 5 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  // Set by brushing the scatter plot: `custom` with fromNs/toNs.
  { key: 'custom', label: 'Custom range', ms: null },
] as const;
export type TimeRangeKey = (typeof TIME_RANGES)[number]['key'];

export interface FilterState {
  /** The search text as typed (and applied). */
  text: string;
  range: TimeRangeKey;
  /** For range 'custom': ns since the epoch, decimal strings; start inclusive, end exclusive. */
  fromNs?: string;
  toNs?: string;
}

const NANOS = /^\d{1,20}$/;

export const EMPTY_FILTER_STATE: FilterState = { text: '', range: 'all' };

export function isTimeRangeKey(value: string | null): value is TimeRangeKey {
  return TIME_RANGES.some((r) => r.key === value);
}

/**
 * The store filter for a filter state at `nowMs`: relative ranges are re-evaluated on every
 * refresh, so "last 5 min" keeps moving while the list is live.
 */
export function traceFilterFor(state: FilterState, nowMs: number): { filter: TraceFilter; errors: string[] } {
  const { filter, errors } = parseFilterQuery(state.text);
  const range = TIME_RANGES.find((r) => r.key === state.range);
  if (range && range.ms !== null) filter.fromNs = (BigInt(Math.floor(nowMs - range.ms)) * 1_000_000n).toString();
  if (state.range === 'custom') {
    if (state.fromNs) filter.fromNs = state.fromNs;
    if (state.toNs) filter.toNs = state.toNs;
  }
  return { filter, errors };
}

/** ?q=...&range=... from a location.search string. */
export function filterStateFromSearch(search: string): FilterState {
  const params = new URLSearchParams(search);
  const range = params.get('range');
  const state: FilterState = { text: params.get('q') ?? '', range: isTimeRangeKey(range) ? range : 'all' };
  if (state.range === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    if (from && NANOS.test(from)) state.fromNs = from;
    if (to && NANOS.test(to)) state.toNs = to;
  }
  return state;
}

/** The location.search for a filter state ('' when no filter), other parameters kept. */
export function searchForFilterState(state: FilterState, currentSearch = ''): string {
  const params = new URLSearchParams(currentSearch);
  params.delete('q');
  params.delete('range');
  params.delete('from');
  params.delete('to');
  if (state.text.trim() !== '') params.set('q', state.text.trim());
  if (state.range !== 'all') params.set('range', state.range);
  if (state.range === 'custom') {
    if (state.fromNs) params.set('from', state.fromNs);
    if (state.toNs) params.set('to', state.toNs);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

// ---- saved filters ---------------------------------------------------------------------------

export interface SavedFilter extends FilterState {
  name: string;
}

export const SAVED_FILTERS_KEY = 'tracedeck.savedFilters';

/** Reads saved filters, dropping anything malformed (the storage is the user's to edit). */
export function parseSavedFilters(json: string | null): SavedFilter[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.flatMap((v: unknown) => {
      if (typeof v !== 'object' || v === null) return [];
      const { name, text, range } = v as Record<string, unknown>;
      if (typeof name !== 'string' || name === '' || typeof text !== 'string') return [];
      return [{ name, text, range: isTimeRangeKey(typeof range === 'string' ? range : null) ? (range as TimeRangeKey) : 'all' }];
    });
  } catch {
    return [];
  }
}

/** Adds or replaces (by name) a saved filter, sorted by name. */
export function withSavedFilter(list: SavedFilter[], saved: SavedFilter): SavedFilter[] {
  return [...list.filter((f) => f.name !== saved.name), saved].sort((a, b) => a.name.localeCompare(b.name));
}

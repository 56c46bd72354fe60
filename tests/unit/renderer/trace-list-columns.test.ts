// The trace list's remembered columns: what localStorage gives back may be anything.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WIDTHS,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  parseColumnWidths,
  parseHiddenColumns,
  rowWidth,
} from '../../../renderer/src/trace-list/columns';

describe('remembered column widths', () => {
  it('keeps known columns with finite widths, clamped and rounded; defaults for the rest', () => {
    const widths = parseColumnWidths(JSON.stringify({ duration: 150.6, service: 5, session: 1e9, cost: 'wide', nope: 300, pick: 400 }));
    expect(widths.duration).toBe(151);
    expect(widths.service).toBe(MIN_COLUMN_WIDTH);
    expect(widths.session).toBe(MAX_COLUMN_WIDTH);
    expect(widths.cost).toBe(DEFAULT_WIDTHS.cost);
    expect(widths.pick).toBe(DEFAULT_WIDTHS.pick); // the checkbox column is not resizable
    expect('nope' in widths).toBe(false);
  });

  it('falls back to the defaults for nothing, garbage or the wrong shape', () => {
    expect(parseColumnWidths(null)).toEqual(DEFAULT_WIDTHS);
    expect(parseColumnWidths('{not json')).toEqual(DEFAULT_WIDTHS);
    expect(parseColumnWidths('[100, 200]')).toEqual(DEFAULT_WIDTHS);
    expect(parseColumnWidths(JSON.stringify({ start: null }))).toEqual(DEFAULT_WIDTHS);
  });
});

describe('remembered hidden columns', () => {
  it('keeps only optional columns, in column order', () => {
    expect(parseHiddenColumns(JSON.stringify(['session', 'name', 'service', 'bogus', 'pick']))).toEqual(['service', 'session']);
    expect(parseHiddenColumns('"service"')).toEqual([]);
    expect(parseHiddenColumns('oops')).toEqual([]);
    expect(parseHiddenColumns(null)).toEqual([]);
  });

  it('sums the widths of the columns shown', () => {
    const all = Object.values(DEFAULT_WIDTHS).reduce((a, b) => a + b, 0);
    expect(rowWidth(DEFAULT_WIDTHS, [])).toBe(all);
    expect(rowWidth(DEFAULT_WIDTHS, ['service', 'session'])).toBe(all - DEFAULT_WIDTHS.service - DEFAULT_WIDTHS.session);
  });
});

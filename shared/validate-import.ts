// Argument checks of the import/export TraceApi methods (used by shared/validate.ts).
import type { ColumnMapping, DurationUnit, ExportSelection, ImportOptions, ImportPreviewOptions } from './import';

import { ApiArgumentError } from './api-error';

const MAX_PATH = 4096;
const MAX_PATHS = 10_000;
const MAX_CONDITION = 100_000;
const MAX_TRACE_IDS = 100_000;

function fail(message: string): never {
  throw new ApiArgumentError(message);
}

export function filePath(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH || value.includes('\0')) {
    fail(`${what} must be a non-empty path of at most ${MAX_PATH} characters`);
  }
  return value;
}

export function importPathList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PATHS) fail(`paths must be an array of 1 to ${MAX_PATHS} paths`);
  return value.map((p, i) => filePath(p, `paths[${i}]`));
}

const COLUMN_FIELDS = ['traceId', 'spanId', 'parentSpanId', 'name', 'start', 'end', 'duration', 'status', 'service', 'kind'] as const;
const UNITS: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns'];

function column(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) fail(`${what} must be a column name`);
  return value;
}

export function columnMapping(value: unknown): ColumnMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('mapping must be an object');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!(COLUMN_FIELDS as readonly string[]).includes(key) && key !== 'attributes' && key !== 'durationUnit') fail(`mapping.${key} is not a mapping field`);
  }
  const out: ColumnMapping = { traceId: column(v.traceId, 'mapping.traceId'), spanId: column(v.spanId, 'mapping.spanId'), start: column(v.start, 'mapping.start') };
  for (const field of COLUMN_FIELDS) {
    if (field === 'traceId' || field === 'spanId' || field === 'start') continue;
    if (v[field] !== undefined && v[field] !== null) out[field] = column(v[field], `mapping.${field}`);
  }
  if (v.durationUnit !== undefined) {
    if (!UNITS.includes(v.durationUnit as DurationUnit)) fail(`mapping.durationUnit must be one of ${UNITS.join(', ')}`);
    out.durationUnit = v.durationUnit as DurationUnit;
  }
  if (v.attributes !== undefined) {
    if (!Array.isArray(v.attributes) || v.attributes.length > 10_000) fail('mapping.attributes must be an array of column names');
    out.attributes = v.attributes.map((c, i) => column(c, `mapping.attributes[${i}]`));
  }
  return out;
}

export function importOptions(value: unknown): ImportOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail('options must be an object');
  const v = value as Record<string, unknown>;
  return v.mapping === undefined ? {} : { mapping: columnMapping(v.mapping) };
}

export function importPreviewOptions(value: unknown): ImportPreviewOptions {
  const out: ImportPreviewOptions = importOptions(value);
  const v = value as Record<string, unknown> | null | undefined;
  for (const [key, max] of [['limit', 1000], ['offset', Number.MAX_SAFE_INTEGER]] as const) {
    const n = v?.[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < (key === 'limit' ? 1 : 0) || n > max) fail(`options.${key} must be an integer from ${key === 'limit' ? 1 : 0} to ${max}`);
    out[key] = n;
  }
  return out;
}

export function exportSelection(value: unknown): ExportSelection {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail('selection must be an object');
  const v = value as Record<string, unknown>;
  const out: ExportSelection = {};
  if (v.where !== undefined) {
    if (typeof v.where !== 'string' || v.where.length > MAX_CONDITION) fail(`selection.where must be a string of at most ${MAX_CONDITION} characters`);
    out.where = v.where;
  }
  if (v.traceIds !== undefined) {
    if (!Array.isArray(v.traceIds) || v.traceIds.length > MAX_TRACE_IDS || !v.traceIds.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 512)) {
      fail('selection.traceIds must be an array of trace ids');
    }
    out.traceIds = v.traceIds as string[];
  }
  return out;
}

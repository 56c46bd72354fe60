// Checks the arguments of every TraceApi call that crosses a process boundary (IPC from the
// window, HTTP from a browser). Both transports call it before the engine sees anything.
import type { TraceApiMethod } from './api';
import { exportSelection, importOptions, importPathList, importPreviewOptions, filePath } from './validate-import';
import type { SessionQuery } from './llm';
import { AGGREGATE_LIMITS, type AggregateOptions } from './aggregate';
import type { TraceFilter, TraceQuery, TraceSortKey } from './model';
import { validateFilterFields } from './validate-filter';
import { ApiArgumentError } from './api-error';

export { ApiArgumentError };

const SORT_KEYS: readonly TraceSortKey[] = ['start', 'duration', 'spans', 'errors', 'name', 'service', 'tokens', 'cost', 'session'];
const NANOS = /^-?\d{1,20}$/;
const MAX_ID_LENGTH = 512;
const MAX_SQL_LENGTH = 100_000;

function fail(message: string): never {
  throw new ApiArgumentError(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function id(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    fail(`${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

function optionalInt(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function filter(value: unknown): TraceFilter | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail('filter must be an object');
  const out: TraceFilter = {};
  for (const key of ['fromNs', 'toNs'] as const) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !NANOS.test(v)) fail(`filter.${key} must be a decimal string of nanoseconds`);
    out[key] = v;
  }
  if (value.services !== undefined) {
    const s = value.services;
    if (!Array.isArray(s) || s.length > 1000 || !s.every((x) => typeof x === 'string' && x.length <= 1000)) {
      fail('filter.services must be an array of strings');
    }
    out.services = s as string[];
  }
  validateFilterFields(value, out, fail);
  return out;
}

function traceQuery(value: unknown): TraceQuery {
  if (value === undefined) return {};
  if (!isRecord(value)) fail('the query must be an object');
  const out: TraceQuery = {};
  const f = filter(value.filter);
  if (f) out.filter = f;
  if (value.sort !== undefined) {
    const sort = value.sort;
    if (!isRecord(sort) || !SORT_KEYS.includes(sort.by as TraceSortKey) || (sort.dir !== 'asc' && sort.dir !== 'desc')) {
      fail(`sort must be {by: ${SORT_KEYS.join('|')}, dir: asc|desc}`);
    }
    out.sort = { by: sort.by as TraceSortKey, dir: sort.dir };
  }
  const limit = optionalInt(value.limit, 'limit', 1, 1000);
  if (limit !== undefined) out.limit = limit;
  const offset = optionalInt(value.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  if (offset !== undefined) out.offset = offset;
  return out;
}

function sessionQuery(value: unknown): SessionQuery {
  if (value === undefined) return {};
  if (!isRecord(value)) fail('the session query must be an object');
  const out: SessionQuery = {};
  const limit = optionalInt(value.limit, 'limit', 1, 1000);
  if (limit !== undefined) out.limit = limit;
  const offset = optionalInt(value.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  if (offset !== undefined) out.offset = offset;
  return out;
}

function aggregateOptions(value: unknown): AggregateOptions {
  if (!isRecord(value)) fail('the aggregation options must be an object');
  const out: AggregateOptions = {};
  for (const key of ['maxTraces', 'maxFrames', 'maxDepth'] as const) {
    const v = optionalInt(value[key], key, 1, AGGREGATE_LIMITS[key].max);
    if (v !== undefined) out[key] = v;
  }
  if (value.traceId !== undefined) out.traceId = id(value.traceId, 'traceId');
  return out;
}

/** A filter argument that must be present (an empty object for none). */
function requiredFilter(value: unknown): TraceFilter {
  if (value === undefined) fail('filter must be an object');
  return filter(value)!;
}

function spanName(value: unknown): string {
  const max = AGGREGATE_LIMITS.maxNameLength;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) fail(`name must be a non-empty string of at most ${max} characters`);
  return value;
}

/** Returns the validated arguments for `method`, or throws ApiArgumentError. */
export function validateApiArgs(method: TraceApiMethod, args: unknown): unknown[] {
  if (!Array.isArray(args)) fail('arguments must be an array');
  switch (method) {
    case 'listTraces':
      return [traceQuery(args[0])];
    case 'getTrace':
    case 'getTraceColumns':
      return [id(args[0], 'traceId')];
    case 'getSpan':
    case 'getLlmView':
    case 'getSpanLogs':
      return [id(args[0], 'traceId'), id(args[1], 'spanId')];
    case 'getAggregateFlame':
      return args[1] === undefined ? [requiredFilter(args[0])] : [requiredFilter(args[0]), aggregateOptions(args[1])];
    case 'getSpanSandwich':
      return args[2] === undefined
        ? [spanName(args[0]), requiredFilter(args[1])]
        : [spanName(args[0]), requiredFilter(args[1]), aggregateOptions(args[2])];
    case 'listSessions':
      return [sessionQuery(args[0])];
    case 'getSession':
      return [id(args[0], 'sessionId')];
    case 'importPaths':
      return args[1] === undefined ? [importPathList(args[0])] : [importPathList(args[0]), importOptions(args[1])];
    case 'previewImport':
      return args[1] === undefined ? [importPathList(args[0])] : [importPathList(args[0]), importPreviewOptions(args[1])];
    case 'inspectImportFile':
      return [filePath(args[0], 'path')];
    case 'cancelImport':
      return [];
    case 'exportParquet':
      return args[1] === undefined ? [filePath(args[0], 'outPath')] : [filePath(args[0], 'outPath'), exportSelection(args[1])];
    case 'exportTraceOtlpJson':
    case 'traceOutline':
      return [id(args[0], 'traceId')];
    case 'getStats':
      return [];
    case 'cancelQuery':
    case 'clearAll':
      return [];
    case 'pruneTraces': {
      const policy = args[0];
      if (!isRecord(policy)) fail('the retention policy must be an object');
      const out: { olderThanNs?: string; maxSpans?: number } = {};
      if (policy.olderThanNs !== undefined) {
        if (typeof policy.olderThanNs !== 'string' || !/^\d{1,20}$/.test(policy.olderThanNs)) fail('olderThanNs must be a decimal string of nanoseconds');
        out.olderThanNs = policy.olderThanNs;
      }
      const maxSpans = optionalInt(policy.maxSpans, 'maxSpans', 0, Number.MAX_SAFE_INTEGER);
      if (maxSpans !== undefined) out.maxSpans = maxSpans;
      return [out];
    }
    case 'query': {
      const sql = args[0];
      if (typeof sql !== 'string' || sql.length === 0 || sql.length > MAX_SQL_LENGTH) {
        fail(`sql must be a non-empty string of at most ${MAX_SQL_LENGTH} characters`);
      }
      return [sql, optionalInt(args[1], 'limit', 1, 100_000)];
    }
    default:
      return fail(`unknown method ${String(method)}`);
  }
}

export function isApiMethod(name: string, methods: readonly string[]): name is TraceApiMethod {
  return methods.includes(name);
}

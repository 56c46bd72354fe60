// Recognises a span table from its Parquet schema (column names and types, key-value metadata)
// and guesses a column mapping for generic tables. Pure: no SQL, no files.
import type { ColumnMapping, FileColumn, ImportFormat } from '../../../shared/import';

export interface Detection {
  format: ImportFormat;
  mapping?: ColumnMapping;
}

const has = (names: ReadonlySet<string>, ...wanted: string[]): boolean => wanted.every((w) => names.has(w));

/** The format of a file with these columns, or null when it needs the mapping step. */
export function detectFormat(columns: readonly FileColumn[], kv: Readonly<Record<string, string>> = {}): Detection | null {
  const names = new Set(columns.map((c) => c.name));
  if (kv['tracedeck.schema'] !== undefined || has(names, 'trace_id', 'span_id', 'start_time', 'end_time', 'attributes', 'resource_attributes', 'events', 'links', 'span_type', 'source')) {
    return { format: 'tracedeck' };
  }
  if (has(names, 'TraceId', 'SpanId', 'Timestamp', 'SpanName')) return { format: 'clickhouse-otel' };
  if (has(names, 'context.trace_id', 'context.span_id', 'start_time')) return { format: 'phoenix' };
  if (has(names, 'id', 'trace_id', 'run_type', 'start_time')) return { format: 'langsmith' };
  if (has(names, 'trace_id', 'span_id', 'operation_name', 'timestamp') && (names.has('duration_ms') || names.has('operation_type'))) {
    return { format: 'llmops-monitoring' };
  }
  const mapping = guessMapping(columns);
  return mapping ? { format: 'generic', mapping } : null;
}

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

// Candidate names per field, compared after lower-casing and dropping '_', '.', '-'
// (so trace_id, traceId, TraceId and trace.id all match "traceid").
const CANDIDATES: Record<keyof Omit<ColumnMapping, 'attributes' | 'durationUnit'>, string[]> = {
  traceId: ['traceid', 'contexttraceid', 'trace', 'tid'],
  spanId: ['spanid', 'contextspanid', 'id', 'sid'],
  parentSpanId: ['parentspanid', 'parentid', 'parent', 'parentrunid', 'referencesparentspanid'],
  name: ['name', 'spanname', 'operationname', 'operation', 'span'],
  start: ['starttime', 'start', 'startts', 'starttimestamp', 'starttimeunixnano', 'timestamp', 'ts', 'time', 'begin', 'starttimens', 'starttimems', 'starttimeus', 'startms', 'startus', 'startns', 'startedat', 'began'],
  end: ['endtime', 'end', 'endts', 'endtimestamp', 'endtimeunixnano', 'finish', 'endtimens', 'endtimems', 'endtimeus', 'endms', 'endus', 'endns', 'endedat'],
  duration: ['duration', 'durationns', 'durationms', 'durationus', 'durations', 'latency', 'latencyms', 'elapsed', 'elapsedms'],
  status: ['statuscode', 'status', 'state'],
  service: ['servicename', 'service', 'resourceservicename'],
  kind: ['kind', 'spankind'],
};

/** A mapping from common column names, or null without a trace id, span id and start. */
export function guessMapping(columns: readonly FileColumn[]): ColumnMapping | null {
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!byNorm.has(normalise(c.name))) byNorm.set(normalise(c.name), c.name);
  const pick = (field: keyof typeof CANDIDATES): string | undefined => {
    for (const candidate of CANDIDATES[field]) {
      const found = byNorm.get(candidate);
      if (found) return found;
    }
    return undefined;
  };
  const traceId = pick('traceId');
  const spanId = pick('spanId');
  const start = pick('start');
  if (!traceId || !spanId || !start || traceId === spanId) return null;
  const mapping: ColumnMapping = { traceId, spanId, start };
  const fields = ['parentSpanId', 'name', 'end', 'duration', 'status', 'service', 'kind'] as const;
  const used = new Set([traceId, spanId, start]);
  for (const field of fields) {
    const found = pick(field);
    if (found && !used.has(found)) {
      mapping[field] = found;
      used.add(found);
    }
  }
  return mapping;
}

/** A stable key for a set of columns (the mapping step remembers answers per column set). */
export function columnSetKey(columns: readonly FileColumn[]): string {
  return columns
    .map((c) => `${c.name}:${c.type}`)
    .sort()
    .join('\u0000');
}

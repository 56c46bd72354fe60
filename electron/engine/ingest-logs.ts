// Turns a decoded OTLP logs request into store rows. A log record's trace_id and span_id are
// optional (empty when the record is not about a span); when present they must be well formed
// (16 and 8 bytes), else the record is rejected on its own and reported through partial_success.
// Everything else of the record is kept: body and attributes as typed JSON (attributes-json.ts),
// resource and scope flattened onto each record as on spans.
import { anyValueToJson, keyValuesToJson, ValueTypes } from './otlp/attributes-json';
import { MAX_TIME_NS } from './ingest';
import type { DecodedLogsRequest, KeyValue } from './otlp/types';

export interface LogRow {
  /** Nanoseconds since the epoch; null when the sender left the time unset (0). */
  timeNs: bigint | null;
  observedTimeNs: bigint | null;
  traceId: string | null;
  spanId: string | null;
  severityText: string;
  severityNumber: number;
  eventName: string;
  /** JSON text of the body; null when the record has none. */
  bodyJson: string | null;
  attributesJson: string;
  serviceName: string | null;
  resourceAttributesJson: string;
  scopeName: string | null;
  scopeVersion: string | null;
  scopeAttributesJson: string;
  flags: number;
  droppedAttributesCount: number;
  resourceSchemaUrl: string;
  scopeSchemaUrl: string;
  /** As SpanRow.valueTypesJson: where body or attributes hold bytes or non-finite doubles. */
  valueTypesJson: string | null;
  source: string;
}

export interface LogIngestResult {
  rows: LogRow[];
  rejected: number;
  errorMessage: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function stringAttribute(attributes: readonly KeyValue[], key: string): string | null {
  for (const [k, v] of attributes) if (k === key && typeof v === 'string') return v;
  return null;
}

/** An id that is all zero bytes means "not set" in OTLP, like an empty one. */
const unset = (hex: string): boolean => /^0*$/.test(hex);

export function logsRequestToRows(request: DecodedLogsRequest, source: string): LogIngestResult {
  const rows: LogRow[] = [];
  const problems: string[] = [];
  let rejected = 0;
  for (const rl of request.resourceLogs) {
    const resourceTypes = new ValueTypes();
    resourceTypes.column = 'resource_attributes';
    const resourceJson = keyValuesToJson(rl.resource.attributes, resourceTypes);
    const serviceName = stringAttribute(rl.resource.attributes, 'service.name');
    for (const sl of rl.scopeLogs) {
      const scopeTypes = new ValueTypes();
      scopeTypes.column = 'scope_attributes';
      const scopeJson = keyValuesToJson(sl.scope.attributes, scopeTypes);
      for (const log of sl.logRecords) {
        const traceId = unset(log.traceId) ? null : log.traceId;
        const spanId = unset(log.spanId) ? null : log.spanId;
        let problem: string | null = null;
        if (traceId !== null && !TRACE_ID.test(traceId)) problem = `invalid trace_id "${traceId}" (need 16 bytes)`;
        else if (spanId !== null && !SPAN_ID.test(spanId)) problem = `invalid span_id "${spanId}" (need 8 bytes)`;
        else if (log.severityNumber < 0 || log.severityNumber > 24) problem = `invalid severity_number ${log.severityNumber}`;
        else if (log.timeUnixNano > MAX_TIME_NS || log.observedTimeUnixNano > MAX_TIME_NS) problem = 'a time beyond 2262-04-11';
        if (problem) {
          rejected++;
          if (problems.length < 5) problems.push(problem);
          continue;
        }
        const types = new ValueTypes();
        types.column = 'body';
        const bodyJson = log.body === null ? null : anyValueToJson(log.body, types);
        types.column = 'attributes';
        const attributesJson = keyValuesToJson(log.attributes, types);
        if (resourceTypes.found || scopeTypes.found) types.found = { ...types.found, ...resourceTypes.found, ...scopeTypes.found };
        rows.push({
          timeNs: log.timeUnixNano === 0n ? null : log.timeUnixNano,
          observedTimeNs: log.observedTimeUnixNano === 0n ? null : log.observedTimeUnixNano,
          traceId,
          spanId,
          severityText: log.severityText,
          severityNumber: log.severityNumber,
          eventName: log.eventName,
          bodyJson,
          attributesJson,
          serviceName,
          resourceAttributesJson: resourceJson,
          scopeName: sl.scope.name || null,
          scopeVersion: sl.scope.version || null,
          scopeAttributesJson: scopeJson,
          flags: log.flags,
          droppedAttributesCount: log.droppedAttributesCount,
          resourceSchemaUrl: rl.schemaUrl,
          scopeSchemaUrl: sl.schemaUrl,
          valueTypesJson: types.toJson(),
          source,
        });
      }
    }
  }
  const errorMessage =
    rejected === 0 ? '' : `${rejected} log record(s) rejected: ${problems.join('; ')}${rejected > problems.length ? '; ...' : ''}`;
  return { rows, rejected, errorMessage };
}

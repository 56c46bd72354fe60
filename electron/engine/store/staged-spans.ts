// Span rows as the columns of the staging tables (span-staging.ts), built without DuckDB: an
// ingest worker turns its rows into this form and sends it to the engine thread, which hands the
// arrays straight to DuckDB's data chunks. One array per column structured-clones in a third of
// the time of one object per span (whose 30 property names are written for every span), and the
// engine thread no longer walks the rows to stage them.
//
// The shapes follow span-staging.ts: the columns every span of a resource/scope shares go once
// per group; kind and status as enum numbers; the values nearly every span has the default for
// (empty status message and trace state, no events, no links) as NULL.
import { SPAN_KINDS, STATUS_CODES, type SpanRow } from '../span-row';

export type StagedValue = string | number | bigint | null;

export interface StagedSpans {
  count: number;
  /** span_staging's columns in order (SPAN_COLUMNS), group_no numbering `groups` from 0. */
  spans: StagedValue[][];
  /** span_group_staging's columns after group_no (GROUP_COLUMNS), one entry per group. */
  groups: StagedValue[][];
  /** The traces the spans belong to, each once (for the live "spans added" event). */
  traceIds: string[];
}

/** Columns of span_staging (SPAN_COLUMNS) and of span_group_staging after group_no. */
export const STAGED_SPAN_COLUMNS = 28;
export const STAGED_GROUP_COLUMNS = 8;

/** What a group shares, as one key (the fields cannot contain U+0000 unescaped: JSON and ids). */
const groupKey = (r: SpanRow): string =>
  `${r.serviceName ?? '\u0001'}\u0000${r.scopeName ?? '\u0001'}\u0000${r.scopeVersion ?? '\u0001'}\u0000${r.resourceAttributesJson}\u0000` +
  `${r.resourceSchemaUrl}\u0000${r.scopeSchemaUrl}\u0000${r.scopeAttributesJson}\u0000${r.source}`;

const sameGroup = (a: SpanRow, b: SpanRow): boolean =>
  a.resourceAttributesJson === b.resourceAttributesJson &&
  a.scopeAttributesJson === b.scopeAttributesJson &&
  a.serviceName === b.serviceName &&
  a.scopeName === b.scopeName &&
  a.scopeVersion === b.scopeVersion &&
  a.resourceSchemaUrl === b.resourceSchemaUrl &&
  a.scopeSchemaUrl === b.scopeSchemaUrl &&
  a.source === b.source;

const nullIf = (value: string, empty: string): string | null => (value === empty ? null : value);
const bigOrNull = (n: number | null): bigint | null => (n === null ? null : BigInt(Math.trunc(n)));

export function stageRows(rows: readonly SpanRow[]): StagedSpans {
  const n = rows.length;
  const spans: StagedValue[][] = Array.from({ length: STAGED_SPAN_COLUMNS }, () => new Array<StagedValue>(n));
  const groups: StagedValue[][] = Array.from({ length: STAGED_GROUP_COLUMNS }, () => []);
  const groupNo = new Map<string, number>();
  const traceIds = new Set<string>();
  let previous: SpanRow | null = null;
  let previousGroup = 0;
  for (let j = 0; j < n; j++) {
    const r = rows[j]!;
    // Rows of one request come in runs that share the very same strings: compare with the last.
    if (previous === null || !sameGroup(previous, r)) {
      const key = groupKey(r);
      let no = groupNo.get(key);
      if (no === undefined) {
        no = groupNo.size;
        groupNo.set(key, no);
        const values = [r.serviceName, r.scopeName, r.scopeVersion, r.resourceAttributesJson, r.resourceSchemaUrl, r.scopeSchemaUrl, r.scopeAttributesJson, r.source];
        for (let c = 0; c < STAGED_GROUP_COLUMNS; c++) groups[c]!.push(values[c]!);
      }
      previousGroup = no;
      previous = r;
    }
    traceIds.add(r.traceId);
    let c = 0;
    spans[c++]![j] = previousGroup;
    spans[c++]![j] = r.traceId;
    spans[c++]![j] = r.spanId;
    spans[c++]![j] = r.parentSpanId;
    spans[c++]![j] = r.name;
    spans[c++]![j] = Math.max(0, SPAN_KINDS.indexOf(r.kind));
    spans[c++]![j] = r.startNs;
    spans[c++]![j] = r.endNs;
    spans[c++]![j] = Math.max(0, STATUS_CODES.indexOf(r.statusCode));
    spans[c++]![j] = nullIf(r.statusMessage, '');
    spans[c++]![j] = r.attributesJson;
    spans[c++]![j] = nullIf(r.eventsJson, '[]');
    spans[c++]![j] = nullIf(r.linksJson, '[]');
    spans[c++]![j] = r.spanType;
    spans[c++]![j] = r.llmProvider;
    spans[c++]![j] = r.llmModel;
    spans[c++]![j] = bigOrNull(r.inputTokens);
    spans[c++]![j] = bigOrNull(r.outputTokens);
    spans[c++]![j] = bigOrNull(r.totalTokens);
    spans[c++]![j] = r.costUsd;
    spans[c++]![j] = r.sessionId;
    spans[c++]![j] = r.userId;
    spans[c++]![j] = nullIf(r.traceState, '');
    spans[c++]![j] = r.flags;
    spans[c++]![j] = r.droppedAttributesCount;
    spans[c++]![j] = r.droppedEventsCount;
    spans[c++]![j] = r.droppedLinksCount;
    spans[c]![j] = r.valueTypesJson ?? null;
  }
  return { count: n, spans, groups, traceIds: [...traceIds] };
}

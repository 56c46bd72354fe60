// TraceDetail <-> TraceColumns (shared/model.ts): the trace views' spans as one array per field,
// with repeated strings coded as indexes. The engine answers getTraceColumns in this form and the
// renderer turns it back into SpanSummary objects, which costs ~30 ms at 100,000 spans against the
// ~300 ms saved on the JSON it no longer builds, sends and parses (bench/render.bench.ts).
import type { SparseColumn, SpanColumns, SpanKind, SpanSummary, SpanType, StatusCode, TraceColumns, TraceDetail } from './model';

/** Codes strings in order of first use; null is -1. */
export class StringCoder {
  readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string | null): number {
    if (value === null) return -1;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

/** An empty sparse column (no span has a value). */
export const emptySparse = <T>(): SparseColumn<T> => ({ at: [], values: [] });

/** Adds span i's value unless it is null or undefined (call in ascending i). */
export function addSparse<T>(column: SparseColumn<T>, i: number, value: T | null | undefined): void {
  if (value === null || value === undefined) return;
  column.at.push(i);
  column.values.push(value);
}

/** Writes the column's values at their spans' indexes into `out` (prefilled with the none value); returns it. */
export function scatterSparse<T, Out extends { [i: number]: T }>(column: SparseColumn<T>, out: Out): Out {
  for (let k = 0; k < column.at.length; k++) out[column.at[k]!] = column.values[k]!;
  return out;
}

/** The column as one entry per span (null where it has none). */
export function denseFromSparse<T>(column: SparseColumn<T>, n: number): (T | null)[] {
  return scatterSparse<T | null, (T | null)[]>(column, new Array<T | null>(n).fill(null));
}

export function spanColumnsFrom(spans: readonly SpanSummary[]): SpanColumns {
  const n = spans.length;
  const coder = new StringCoder();
  const columns: SpanColumns = {
    spanId: new Array<string>(n),
    parentSpanId: new Array<string | null>(n),
    strings: coder.strings,
    name: new Array<number>(n),
    kind: new Array<number>(n),
    serviceName: new Array<number>(n),
    statusCode: new Array<number>(n),
    spanType: new Array<number>(n),
    llmModel: new Array<number>(n),
    startOffsetNs: new Array<number>(n),
    durationNs: new Array<number>(n),
    inputTokens: emptySparse(),
    outputTokens: emptySparse(),
    costUsd: emptySparse(),
    eventCount: new Array<number>(n),
    eventOffsetsNs: emptySparse(),
  };
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    columns.spanId[i] = s.spanId;
    columns.parentSpanId[i] = s.parentSpanId;
    columns.name[i] = coder.code(s.name);
    columns.kind[i] = coder.code(s.kind);
    columns.serviceName[i] = coder.code(s.serviceName);
    columns.statusCode[i] = coder.code(s.statusCode);
    columns.spanType[i] = coder.code(s.spanType);
    columns.llmModel[i] = coder.code(s.llmModel);
    columns.startOffsetNs[i] = s.startOffsetNs;
    columns.durationNs[i] = s.durationNs;
    addSparse(columns.inputTokens, i, s.inputTokens);
    addSparse(columns.outputTokens, i, s.outputTokens);
    addSparse(columns.costUsd, i, s.costUsd);
    columns.eventCount[i] = s.eventCount;
    addSparse(columns.eventOffsetsNs, i, s.eventOffsetsNs);
  }
  return columns;
}

export function spansFromColumns(columns: SpanColumns): SpanSummary[] {
  const { strings } = columns;
  const text = (code: number): string | null => (code < 0 ? null : strings[code]!);
  const n = columns.spanId.length;
  const spans = new Array<SpanSummary>(n);
  const inputTokens = denseFromSparse(columns.inputTokens, n);
  const outputTokens = denseFromSparse(columns.outputTokens, n);
  const costUsd = denseFromSparse(columns.costUsd, n);
  const eventOffsetsNs = denseFromSparse(columns.eventOffsetsNs, n);
  for (let i = 0; i < n; i++) {
    const span: SpanSummary = {
      spanId: columns.spanId[i]!,
      parentSpanId: columns.parentSpanId[i]!,
      name: text(columns.name[i]!) as string,
      kind: text(columns.kind[i]!) as SpanKind,
      serviceName: text(columns.serviceName[i]!),
      startOffsetNs: columns.startOffsetNs[i]!,
      durationNs: columns.durationNs[i]!,
      statusCode: text(columns.statusCode[i]!) as StatusCode,
      spanType: text(columns.spanType[i]!) as SpanType | null,
      llmModel: text(columns.llmModel[i]!),
      inputTokens: inputTokens[i]!,
      outputTokens: outputTokens[i]!,
      costUsd: costUsd[i]!,
      eventCount: columns.eventCount[i]!,
    };
    const events = eventOffsetsNs[i];
    if (events) span.eventOffsetsNs = events;
    spans[i] = span;
  }
  return spans;
}

export function traceColumnsFrom(trace: TraceDetail): TraceColumns {
  return { traceId: trace.traceId, startNs: trace.startNs, durationNs: trace.durationNs, spans: spanColumnsFrom(trace.spans) };
}

export function traceDetailFromColumns(trace: TraceColumns): TraceDetail {
  return { traceId: trace.traceId, startNs: trace.startNs, durationNs: trace.durationNs, spans: spansFromColumns(trace.spans) };
}

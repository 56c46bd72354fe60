// TraceDetail <-> TraceColumns (shared/model.ts): the trace views' spans as one array per field,
// with repeated strings coded as indexes. The engine answers getTraceColumns in this form and the
// renderer turns it back into SpanSummary objects, which costs ~30 ms at 100,000 spans against the
// ~300 ms saved on the JSON it no longer builds, sends and parses (bench/render.bench.ts).
import type { SpanColumns, SpanKind, SpanSummary, SpanType, StatusCode, TraceColumns, TraceDetail } from './model';

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
    inputTokens: new Array<number | null>(n),
    outputTokens: new Array<number | null>(n),
    costUsd: new Array<number | null>(n),
    eventCount: new Array<number>(n),
    eventOffsetsNs: new Array<number[] | null>(n),
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
    columns.inputTokens[i] = s.inputTokens;
    columns.outputTokens[i] = s.outputTokens;
    columns.costUsd[i] = s.costUsd;
    columns.eventCount[i] = s.eventCount;
    columns.eventOffsetsNs[i] = s.eventOffsetsNs ?? null;
  }
  return columns;
}

export function spansFromColumns(columns: SpanColumns): SpanSummary[] {
  const { strings } = columns;
  const text = (code: number): string | null => (code < 0 ? null : strings[code]!);
  const n = columns.spanId.length;
  const spans = new Array<SpanSummary>(n);
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
      inputTokens: columns.inputTokens[i]!,
      outputTokens: columns.outputTokens[i]!,
      costUsd: columns.costUsd[i]!,
      eventCount: columns.eventCount[i]!,
    };
    const events = columns.eventOffsetsNs[i];
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

// TraceDetail <-> TraceColumns (shared/span-columns.ts): the columns carry every SpanSummary field
// exactly, nulls included, and code each repeated string once.
import { describe, expect, it } from 'vitest';
import type { SpanSummary, TraceDetail } from '../../../shared/model';
import { spanColumnsFrom, spansFromColumns, StringCoder, traceColumnsFrom, traceDetailFromColumns } from '../../../shared/span-columns';
import { spansOf } from '../renderer/spans';

const [base, child] = spansOf([
  ['0000000000000001', null, 0, 9_007_199_254, 'chat "gpt-4o" — ünïcode \\ <b>'],
  ['0000000000000002', '0000000000000001', 10, 0, 'tool run_sql'],
]);
const llm: SpanSummary = {
  ...base!,
  kind: 'client',
  serviceName: 'llm-gateway',
  statusCode: 'error',
  spanType: 'llm',
  llmModel: 'gpt-4o',
  inputTokens: 1840,
  outputTokens: 0,
  costUsd: 0.00556,
  eventCount: 2,
  eventOffsetsNs: [5, 7_000_000_000],
};
const tool: SpanSummary = { ...child!, serviceName: null };
const again: SpanSummary = { ...tool, spanId: '0000000000000003', name: '', serviceName: 'llm-gateway', statusCode: 'ok', eventCount: 1 };
const trace: TraceDetail = { traceId: 'ab'.repeat(16), startNs: '1795392000123456789', durationNs: 9_007_199_254, spans: [llm, tool, again] };

describe('span columns', () => {
  it('round-trips every field, absent event offsets staying absent', () => {
    const back = traceDetailFromColumns(traceColumnsFrom(trace));
    expect(back).toEqual(trace);
    expect('eventOffsetsNs' in back.spans[1]!).toBe(false);
    // Through JSON too: what the HTTP transport does to it.
    expect(traceDetailFromColumns(JSON.parse(JSON.stringify(traceColumnsFrom(trace))))).toEqual(trace);
  });

  it('lays the spans out one array per field, repeated strings coded once in order of first use', () => {
    const c = spanColumnsFrom(trace.spans);
    expect(c.spanId).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
    expect(c.parentSpanId).toEqual([null, '0000000000000001', '0000000000000001']);
    expect(c.strings).toEqual(['chat "gpt-4o" — ünïcode \\ <b>', 'client', 'llm-gateway', 'error', 'llm', 'gpt-4o', 'tool run_sql', 'internal', 'unset', '', 'ok']);
    expect(c.name).toEqual([0, 6, 9]);
    expect(c.kind).toEqual([1, 7, 7]);
    expect(c.serviceName).toEqual([2, -1, 2]);
    expect(c.statusCode).toEqual([3, 8, 10]);
    expect(c.spanType).toEqual([4, -1, -1]);
    expect(c.llmModel).toEqual([5, -1, -1]);
    expect(c.startOffsetNs).toEqual([0, 10, 10]);
    expect(c.durationNs).toEqual([9_007_199_254, 0, 0]);
    // Sparse: only the spans that have a value (0 is one).
    expect(c.inputTokens).toEqual({ at: [0], values: [1840] });
    expect(c.outputTokens).toEqual({ at: [0], values: [0] });
    expect(c.costUsd).toEqual({ at: [0], values: [0.00556] });
    expect(c.eventCount).toEqual([2, 0, 1]);
    expect(c.eventOffsetsNs).toEqual({ at: [0], values: [[5, 7_000_000_000]] });
  });

  it('handles an empty trace', () => {
    expect(spansFromColumns(spanColumnsFrom([]))).toEqual([]);
  });

  it('codes null as -1 and never adds it to the strings', () => {
    const coder = new StringCoder();
    expect([coder.code('a'), coder.code(null), coder.code('b'), coder.code('a'), coder.code('null')]).toEqual([0, -1, 1, 0, 2]);
    expect(coder.strings).toEqual(['a', 'b', 'null']);
  });
});

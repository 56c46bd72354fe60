// getTrace and getTraceColumns read one trace as number columns plus one JSON row of ids, strings
// and event times (store/trace-detail.ts): every SpanSummary field must come through typed and exact, including
// awkward names, ties in start time and event times (as offsets from the trace start, for the
// waterfall's markers), and both answers must hold the same spans.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { traceDetailFromColumns } from '../../../shared/span-columns';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const T0 = 1_795_392_000_123_456_789n;

it('returns every summary field, ordered by start time then span id', async () => {
  const store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  const traceId = hexId(9, 32);
  await store.appendSpans([
    spanRow({ traceId, spanId: hexId(3, 16), parentSpanId: hexId(1, 16), name: 'tie b', startNs: T0 + 10n, endNs: T0 + 20n }),
    spanRow({
      traceId,
      spanId: hexId(1, 16),
      name: 'chat "gpt-4o" — ünïcode \\ <b>',
      kind: 'client',
      startNs: T0,
      endNs: T0 + 9_007_199_254n,
      statusCode: 'error',
      spanType: 'llm',
      llmModel: 'gpt-4o',
      inputTokens: 1840,
      outputTokens: 96,
      costUsd: 0.00556,
      eventsJson: `[{"time_unix_nano":"${T0 + 5n}","name":"a","attributes":{}},{"time_unix_nano":"${T0 + 7_000_000_000n}","name":"b","attributes":{}}]`,
    }),
    spanRow({ traceId, spanId: hexId(2, 16), parentSpanId: hexId(1, 16), name: 'tie a', startNs: T0 + 10n, endNs: T0 + 30n, serviceName: null }),
  ]);
  const trace = (await store.getTrace(traceId))!;
  expect(trace.startNs).toBe(T0.toString());
  expect(trace.durationNs).toBe(9_007_199_254);
  expect(trace.spans.map((s) => s.name)).toEqual(['chat "gpt-4o" — ünïcode \\ <b>', 'tie a', 'tie b']);
  expect(trace.spans[0]).toEqual({
    spanId: hexId(1, 16),
    parentSpanId: null,
    name: 'chat "gpt-4o" — ünïcode \\ <b>',
    kind: 'client',
    serviceName: 'svc',
    startOffsetNs: 0,
    durationNs: 9_007_199_254,
    statusCode: 'error',
    spanType: 'llm',
    llmModel: 'gpt-4o',
    inputTokens: 1840,
    outputTokens: 96,
    costUsd: 0.00556,
    eventCount: 2,
    eventOffsetsNs: [5, 7_000_000_000],
  });
  expect(trace.spans[1]).toMatchObject({ parentSpanId: hexId(1, 16), serviceName: null, startOffsetNs: 10, durationNs: 20, eventCount: 0, inputTokens: null, costUsd: null });
  expect(trace.spans[1]!.eventOffsetsNs).toBeUndefined();

  const columns = (await store.getTraceColumns(traceId))!;
  expect(columns.spans.spanId).toEqual([hexId(1, 16), hexId(2, 16), hexId(3, 16)]);
  expect(columns.spans.serviceName.map((c) => (c < 0 ? null : columns.spans.strings[c]))).toEqual(['svc', null, 'svc']);
  expect(columns.spans.eventOffsetsNs).toEqual({ at: [0], values: [[5, 7_000_000_000]] });
  expect(columns.spans.inputTokens).toEqual({ at: [0], values: [1840] });
  expect(traceDetailFromColumns(columns)).toEqual(trace);
  expect(await store.getTraceColumns(hexId(8, 32))).toBeNull();
  await store.close();
});

it('keeps free-text span ids, orphans and events without a valid time', async () => {
  const store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  const traceId = 'run "42" \\ ünï';
  await store.appendSpans([
    spanRow({ traceId, spanId: 'step "b"', parentSpanId: 'gone\\away', name: 'orphan', startNs: T0 + 5n, endNs: T0 + 6n,
      eventsJson: '[{"time_unix_nano":"soon","name":"x","attributes":{}}]' }),
    spanRow({ traceId, spanId: 'root ü', name: 'root', startNs: T0, endNs: T0 + 100n,
      eventsJson: `[{"time_unix_nano":"later","name":"x","attributes":{}},{"time_unix_nano":"${T0 + 50n}","name":"y","attributes":{}}]` }),
  ]);
  const columns = (await store.getTraceColumns(traceId))!;
  expect(columns.spans.spanId).toEqual(['root ü', 'step "b"']);
  expect(columns.spans.parentSpanId).toEqual([null, 'gone\\away']);
  expect(columns.spans.eventCount).toEqual([2, 1]);
  expect(columns.spans.eventOffsetsNs).toEqual({ at: [0], values: [[50]] });
  expect(columns.spans.name.map((c) => columns.spans.strings[c])).toEqual(['root', 'orphan']);
  await store.close();
});

it('gives ids and names holding a newline exactly (read as JSON, not as lines)', async () => {
  const store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  const traceId = hexId(5, 32);
  await store.appendSpans([
    spanRow({ traceId, spanId: 'a\nb', name: 'two\nlines', startNs: T0, endNs: T0 + 10n }),
    spanRow({ traceId, spanId: 'c', parentSpanId: 'a\nb', name: 'plain', startNs: T0 + 1n, endNs: T0 + 2n }),
  ]);
  const columns = (await store.getTraceColumns(traceId))!;
  expect(columns.spans.spanId).toEqual(['a\nb', 'c']);
  expect(columns.spans.parentSpanId).toEqual([null, 'a\nb']);
  expect(columns.spans.name.map((c) => columns.spans.strings[c])).toEqual(['two\nlines', 'plain']);
  await store.close();
});

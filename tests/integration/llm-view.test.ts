// Engine.getLlmView: the stored span (attributes and events as typed JSON) and its log records
// read back through semconv/ give the transcript, tokens, cost, parameters and TTFT.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/api';
import { KeyValueList, type DecodedLogRecord, type DecodedSpan, type KeyValue } from '../../electron/engine/otlp/types';
import { validateApiArgs } from '../../shared/validate';
import { decodedSpan, hexId, tempDir } from '../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let engine: Engine;
const T0 = 1_763_000_000_000_000_000n;

function span(n: number, name: string, attributes: KeyValue[], events: DecodedSpan['events'] = []): DecodedSpan {
  return decodedSpan({
    traceId: hexId(1, 32),
    spanId: hexId(n, 16),
    flags: 1,
    name,
    kind: 3,
    startTimeUnixNano: T0,
    endTimeUnixNano: T0 + 2_000_000_000n,
    attributes,
    events,
  });
}

function log(spanN: number, eventName: string, body: KeyValueList, at: bigint): DecodedLogRecord {
  return {
    timeUnixNano: at,
    observedTimeUnixNano: at,
    severityNumber: 9,
    severityText: '',
    body,
    attributes: [['gen_ai.system', 'openai']],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: hexId(1, 32),
    spanId: hexId(spanN, 16),
    eventName,
  };
}

const scope = { name: 'test', version: '', attributes: [], droppedAttributesCount: 0 };
const resource = { attributes: [['service.name', 'llm-app']] as KeyValue[], droppedAttributesCount: 0 };

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open({ path: join(dir.path, 'llm.duckdb'), dataDir: dir.path });
  const openInference = span(
    1,
    'ChatCompletion',
    [
      ['openinference.span.kind', 'LLM'],
      ['llm.model_name', 'gpt-4o-mini-2024-07-18'],
      ['llm.provider', 'openai'],
      ['llm.invocation_parameters', '{"model":"gpt-4o-mini","temperature":0.2,"max_tokens":300}'],
      ['llm.input_messages.0.message.role', 'system'],
      ['llm.input_messages.0.message.content', 'Be brief.'],
      ['llm.input_messages.1.message.role', 'user'],
      ['llm.input_messages.1.message.content', 'Weather in Paris?'],
      ['llm.output_messages.0.message.role', 'assistant'],
      ['llm.output_messages.0.message.tool_calls.0.tool_call.id', 'call_1'],
      ['llm.output_messages.0.message.tool_calls.0.tool_call.function.name', 'get_weather'],
      ['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', '{"city":"Paris"}'],
      ['llm.token_count.prompt', 1000n],
      ['llm.token_count.completion', 100n],
      ['llm.token_count.prompt_details.cache_read', 400n],
    ],
    [{ timeUnixNano: T0 + 350_000_000n, name: 'First Token Stream Event', attributes: [], droppedAttributesCount: 0 }],
  );
  const official = span(2, 'chat gpt-4o-mini', [
    ['gen_ai.operation.name', 'chat'],
    ['gen_ai.system', 'openai'],
    ['gen_ai.request.model', 'gpt-4o-mini'],
    ['gen_ai.request.temperature', 0.5],
    ['gen_ai.usage.input_tokens', 10n],
    ['gen_ai.usage.output_tokens', 5n],
  ]);
  const unknownModel = span(3, 'chat', [
    ['gen_ai.operation.name', 'chat'],
    ['gen_ai.request.model', 'house-model-7'],
    ['gen_ai.usage.input_tokens', 10n],
    ['gen_ai.usage.output_tokens', 5n],
  ]);
  await engine.ingestTraceRequest(
    { resourceSpans: [{ resource, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [openInference, official, unknownModel] }] }] },
    'test',
  );
  await engine.ingestLogsRequest(
    {
      resourceLogs: [
        {
          resource,
          schemaUrl: '',
          scopeLogs: [
            {
              scope,
              schemaUrl: '',
              logRecords: [
                log(2, 'gen_ai.user.message', new KeyValueList([['content', 'What is <b>2+2</b>?']]), T0 + 1n),
                log(
                  2,
                  'gen_ai.choice',
                  new KeyValueList([
                    ['index', 0n],
                    ['finish_reason', 'stop'],
                    ['message', new KeyValueList([['content', 'It is 4.']])],
                  ]),
                  T0 + 2n,
                ),
              ],
            },
          ],
        },
      ],
    },
    'test',
  );
});
afterAll(async () => {
  await engine.close();
  dir.remove();
});

describe('Engine.getLlmView', () => {
  it('reads an OpenInference span back from the store: messages, tool calls, tokens, cost, parameters, TTFT', async () => {
    const view = await engine.getLlmView(hexId(1, 32), hexId(1, 16));
    expect(view).not.toBeNull();
    expect(view).toMatchObject({
      spanType: 'llm',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 1000,
      outputTokens: 100,
      totalTokens: 1100,
      cacheReadTokens: 400,
      costSource: 'table',
      latencyNs: 2_000_000_000,
      timeToFirstTokenNs: 350_000_000,
    });
    // 600 uncached × 1.5e-7 + 400 cached × 7.5e-8 + 100 × 6e-7 (resources/prices.json, gpt-4o-mini)
    expect(view!.costUsd).toBeCloseTo(600 * 1.5e-7 + 400 * 7.5e-8 + 100 * 6e-7, 12);
    expect(view!.parameters).toEqual([
      { name: 'model', value: 'gpt-4o-mini' },
      { name: 'temperature', value: '0.2' },
      { name: 'max_tokens', value: '300' },
    ]);
    expect(view!.input.map((m) => [m.role, m.parts])).toEqual([
      ['system', [{ type: 'text', text: 'Be brief.' }]],
      ['user', [{ type: 'text', text: 'Weather in Paris?' }]],
    ]);
    expect(view!.output[0]!.parts).toEqual([{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  });

  it('takes the messages of the official instrumentation from the span\'s log records', async () => {
    const view = await engine.getLlmView(hexId(1, 32), hexId(2, 16));
    expect(view!.input).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'What is <b>2+2</b>?' }] }]);
    expect(view!.output[0]).toMatchObject({ role: 'assistant', finishReason: 'stop', parts: [{ type: 'text', text: 'It is 4.' }] });
    // a double stored as 0.5 reads back as a double
    expect(view!.parameters).toEqual([{ name: 'temperature', value: '0.5' }]);
    expect(view!.timeToFirstTokenNs).toBeNull();
  });

  it('says "no price" (null), not 0, for a model missing from the price table', async () => {
    const view = await engine.getLlmView(hexId(1, 32), hexId(3, 16));
    expect(view!.costUsd).toBeNull();
    expect(view!.costSource).toBeNull();
    expect(view!.totalTokens).toBe(15);
  });

  it('answers null for an unknown span and validates its arguments', async () => {
    expect(await engine.getLlmView(hexId(1, 32), hexId(99, 16))).toBeNull();
    expect(() => validateApiArgs('getLlmView', [hexId(1, 32)])).toThrow(/spanId/);
  });
});

describe('price overrides from the data folder', () => {
  it('uses <data folder>/prices.json: its rows win, so a house model gets a cost per span, trace and session', async () => {
    const { writeFileSync } = await import('node:fs');
    const { startRuntime } = await import('../../electron/server/runtime');
    const d = tempDir();
    writeFileSync(
      join(d.path, 'prices.json'),
      JSON.stringify({ taken: '2026-11-23', unit: 'USD per token', models: [{ pattern: 'house-model-*', input: 0.001, output: 0.002 }] }),
    );
    const runtime = await startRuntime({ dataDir: d.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, log: () => undefined });
    try {
      const s = span(5, 'chat', [
        ['gen_ai.operation.name', 'chat'],
        ['gen_ai.request.model', 'house-model-7'],
        ['gen_ai.conversation.id', 'conv-1'],
        ['gen_ai.usage.input_tokens', 10n],
        ['gen_ai.usage.output_tokens', 5n],
      ]);
      await runtime.engine.ingestTraceRequest(
        { resourceSpans: [{ resource, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [s] }] }] },
        'test',
      );
      const view = await runtime.engine.getLlmView(hexId(1, 32), hexId(5, 16));
      expect(view!.costUsd).toBeCloseTo(10 * 0.001 + 5 * 0.002, 12);
      const trace = await runtime.engine.listTraces({});
      expect(trace.traces[0]!.costUsd).toBeCloseTo(0.02, 12);
      const sessions = await runtime.engine.listSessions({});
      expect(sessions.sessions[0]).toMatchObject({ sessionId: 'conv-1' });
      expect(sessions.sessions[0]!.costUsd).toBeCloseTo(0.02, 12);
    } finally {
      await runtime.stop();
      d.remove();
    }
  });
});

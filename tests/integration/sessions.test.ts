// Engine.listSessions / getSession: traces grouped by session id in time order, each turn's
// input and output as text, totals per session ("no price" stays null).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/api';
import { KeyValueList, type DecodedSpan, type KeyValue } from '../../electron/engine/otlp/types';
import { validateApiArgs } from '../../shared/validate';
import { decodedSpan, hexId, tempDir } from '../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let engine: Engine;
const T0 = 1_763_000_000_000_000_000n;
const SECOND = 1_000_000_000n;

function span(trace: number, n: number, parent: number | null, name: string, at: bigint, attributes: KeyValue[]): DecodedSpan {
  return decodedSpan({
    traceId: hexId(trace, 32),
    spanId: hexId(n, 16),
    parentSpanId: parent === null ? '' : hexId(parent, 16),
    flags: 1,
    name,
    kind: 1,
    startTimeUnixNano: at,
    endTimeUnixNano: at + SECOND,
    attributes,
  });
}

const llm = (content: string, answer: string, model: string, session: string): KeyValue[] => [
  ['openinference.span.kind', 'LLM'],
  ['llm.model_name', model],
  ['session.id', session],
  ['llm.input_messages.0.message.role', 'user'],
  ['llm.input_messages.0.message.content', content],
  ['llm.output_messages.0.message.role', 'assistant'],
  ['llm.output_messages.0.message.content', answer],
  ['llm.token_count.prompt', 100n],
  ['llm.token_count.completion', 20n],
];

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open({ path: join(dir.path, 's.duckdb'), dataDir: dir.path });
  const spans = [
    // turn 2 first in the request: order must come from time
    span(2, 21, null, 'agent turn', T0 + 60n * SECOND, [
      ['openinference.span.kind', 'CHAIN'],
      ['input.value', 'And tomorrow?'],
      ['output.value', 'Rain tomorrow.'],
    ]),
    span(2, 22, 21, 'ChatCompletion', T0 + 60n * SECOND, llm('And tomorrow?', 'Rain tomorrow.', 'gpt-4o-mini', 'chat-1')),
    // turn 1: the root has no input/output; the LLM call's messages tell the turn
    span(1, 11, null, 'handle request', T0, []),
    span(1, 12, 11, 'ChatCompletion', T0, llm('Weather in Paris?', 'Sunny.', 'gpt-4o-mini', 'chat-1')),
    // another session, with a model without a price
    span(3, 31, null, 'ChatCompletion', T0 + 120n * SECOND, llm('Hi', 'Hello', 'house-model-7', 'chat-2')),
    // the official instrumentation: the conversation id on the span, the messages in log records
    span(5, 51, null, 'chat gpt-4o-mini', T0 + 200n * SECOND, [
      ['gen_ai.operation.name', 'chat'],
      ['gen_ai.request.model', 'gpt-4o-mini'],
      ['gen_ai.conversation.id', 'chat-3'],
    ]),
    // no session at all
    span(4, 41, null, 'GET /health', T0, []),
  ];
  await engine.ingestTraceRequest(
    {
      resourceSpans: [
        {
          resource: { attributes: [['service.name', 'bot']], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeSpans: [{ scope: { name: 't', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans }],
        },
      ],
    },
    'test',
  );
  const record = (eventName: string, body: KeyValueList, at: bigint) => ({
    timeUnixNano: at,
    observedTimeUnixNano: at,
    severityNumber: 9,
    severityText: '',
    body,
    attributes: [] as KeyValue[],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: hexId(5, 32),
    spanId: hexId(51, 16),
    eventName,
  });
  await engine.ingestLogsRequest(
    {
      resourceLogs: [
        {
          resource: { attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeLogs: [
            {
              scope: { name: 't', version: '', attributes: [], droppedAttributesCount: 0 },
              schemaUrl: '',
              logRecords: [
                record('gen_ai.user.message', new KeyValueList([['content', 'Logged question']]), T0 + 200n * SECOND + 1n),
                record('gen_ai.choice', new KeyValueList([['index', 0n], ['message', new KeyValueList([['content', 'Logged answer']])]]), T0 + 200n * SECOND + 2n),
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

describe('sessions', () => {
  it('lists sessions, most recently active first, with totals over every span of their traces', async () => {
    const page = await engine.listSessions({});
    expect(page.total).toBe(3);
    expect(page.sessions.map((s) => s.sessionId)).toEqual(['chat-3', 'chat-2', 'chat-1']);
    const chat1 = page.sessions[2]!;
    expect(chat1).toMatchObject({ turns: 2, llmCalls: 2, inputTokens: 200, outputTokens: 40, unpricedCalls: 0, errorCount: 0 });
    expect(chat1.costUsd).toBeCloseTo(2 * (100 * 1.5e-7 + 20 * 6e-7), 12);
    expect(chat1.firstStartNs).toBe(T0.toString());
    expect(page.sessions[1]).toMatchObject({ sessionId: 'chat-2', costUsd: null, unpricedCalls: 1 });
    expect((await engine.listSessions({ limit: 1, offset: 2 })).sessions.map((s) => s.sessionId)).toEqual(['chat-1']);
  });

  it('gives a session\'s turns in time order with their input and output as text', async () => {
    const detail = await engine.getSession('chat-1');
    expect(detail!.truncated).toBe(false);
    expect(detail!.turns.map((t) => [t.traceId, t.rootName, t.input, t.output])).toEqual([
      [hexId(1, 32), 'handle request', 'Weather in Paris?', 'Sunny.'],
      [hexId(2, 32), 'agent turn', 'And tomorrow?', 'Rain tomorrow.'],
    ]);
    expect(detail!.turns[0]).toMatchObject({ llmCalls: 1, inputTokens: 100, outputTokens: 20 });
    expect(await engine.getSession('no-such-session')).toBeNull();
    const logged = await engine.getSession('chat-3');
    expect(logged!.turns.map((t) => [t.input, t.output])).toEqual([['Logged question', 'Logged answer']]);
  });

  it('validates the arguments', () => {
    expect(() => validateApiArgs('listSessions', [{ limit: 0 }])).toThrow(/limit/);
    expect(() => validateApiArgs('getSession', [''])).toThrow(/sessionId/);
    expect(validateApiArgs('listSessions', [{ limit: 5 }])).toEqual([{ limit: 5 }]);
  });
});

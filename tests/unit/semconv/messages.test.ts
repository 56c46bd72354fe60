// The normalised message list: every convention's way of recording the conversation comes out
// as the same roles, text parts, tool calls, tool results and finish reasons.
import { describe, expect, it } from 'vitest';
import { KeyValueList, type AnyValue, type KeyValue } from '../../../electron/engine/otlp/types';
import { extractMessages } from '../../../electron/engine/semconv/normalize';
import type { ChatMessage, LogForMessages, SpanForNormalize } from '../../../electron/engine/semconv/types';
import { decodeLogsPb, decodeTracesJson, decodeTracesPb, type FixtureLog } from './fixture-decoder';

function span(attributes: KeyValue[], extra: Partial<SpanForNormalize> = {}): SpanForNormalize {
  return { name: 'span', attributes, resourceAttributes: [], ...extra };
}
const kv = (entries: Record<string, AnyValue>): KeyValueList => new KeyValueList(Object.entries(entries));
const text = (role: string, t: string): ChatMessage => ({ role, parts: [{ type: 'text', text: t }] });

describe('OpenTelemetry GenAI (current): gen_ai.input.messages / output.messages / system_instructions', () => {
  const input = [
    { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { location: 'Paris' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
  ];
  const output = [{ role: 'assistant', parts: [{ type: 'text', content: 'It is rainy.' }], finish_reason: 'stop' }];
  const expected = {
    input: [
      text('user', 'Weather in Paris?'),
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: 'rainy, 57°F' }] },
    ],
    output: [{ ...text('assistant', 'It is rainy.'), finishReason: 'stop' }],
    system: 'You are a weather bot.',
  };

  it('reads them as JSON strings', () => {
    const m = extractMessages(
      span([
        ['gen_ai.input.messages', JSON.stringify(input)],
        ['gen_ai.output.messages', JSON.stringify(output)],
        ['gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'You are a weather bot.' }])],
      ]),
    );
    expect(m).toEqual(expected);
  });

  it('reads them as structured values (arrays of kvlists)', () => {
    const structured = (list: unknown[]): AnyValue =>
      list.map(function conv(v: unknown): AnyValue {
        if (Array.isArray(v)) return v.map(conv);
        if (v !== null && typeof v === 'object') return new KeyValueList(Object.entries(v).map(([k, x]) => [k, conv(x)]));
        return v as AnyValue;
      } as (v: unknown) => AnyValue);
    const m = extractMessages(
      span([
        ['gen_ai.input.messages', structured(input)],
        ['gen_ai.output.messages', structured(output)],
        ['gen_ai.system_instructions', structured([{ type: 'text', content: 'You are a weather bot.' }])],
      ]),
    );
    expect(m).toEqual(expected);
  });

  it('accepts plain-text system instructions and keeps tool definitions', () => {
    const m = extractMessages(
      span([
        ['gen_ai.system_instructions', 'Be brief.'],
        ['gen_ai.tool.definitions', JSON.stringify([{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }])],
      ]),
    );
    expect(m.system).toBe('Be brief.');
    expect(m.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: '{"type":"object"}' }]);
  });

  it('keeps parts it has no column for as "other" with their kind', () => {
    const m = extractMessages(
      span([
        [
          'gen_ai.input.messages',
          JSON.stringify([
            {
              role: 'user',
              parts: [
                { type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' },
                { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
                { type: 'reasoning', content: 'thinking…' },
              ],
            },
          ]),
        ],
      ]),
    );
    expect(m.input[0]!.parts).toEqual([
      { type: 'other', kind: 'uri', value: 'https://example.com/cat.png' },
      { type: 'other', kind: 'blob', value: '[image/png data]' },
      { type: 'other', kind: 'reasoning', value: 'thinking…' },
    ]);
  });

  it('uses gen_ai.response.finish_reasons for output messages that lack one', () => {
    const m = extractMessages(
      span([
        ['gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'a' }] }, { role: 'assistant', parts: [{ type: 'text', content: 'b' }] }])],
        ['gen_ai.response.finish_reasons', ['stop', 'length']],
      ]),
    );
    expect(m.output.map((o) => o.finishReason)).toEqual(['stop', 'length']);
  });

  it('reads the messages from a gen_ai.client.inference.operation.details event', () => {
    const logs: LogForMessages[] = [
      {
        eventName: 'gen_ai.client.inference.operation.details',
        body: null,
        attributes: [
          ['gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }])],
          ['gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' }])],
        ],
      },
    ];
    const m = extractMessages(span([['gen_ai.operation.name', 'chat']]), logs);
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([{ ...text('assistant', 'hello'), finishReason: 'stop' }]);
  });
});

describe('OpenTelemetry GenAI (deprecated): per-message events', () => {
  const body = {
    system: kv({ content: 'Be brief.' }),
    user: kv({ content: 'Weather in Paris?' }),
    assistant: kv({ tool_calls: [kv({ id: 'call_1', type: 'function', function: kv({ name: 'get_weather', arguments: '{"location":"Paris"}' }) })] }),
    tool: kv({ id: 'call_1', content: 'rainy' }),
    choice: kv({ index: 0n, finish_reason: 'stop', message: kv({ content: 'It is rainy.' }) }),
  };
  const expected = {
    input: [
      text('system', 'Be brief.'),
      text('user', 'Weather in Paris?'),
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: 'rainy' }] },
    ],
    output: [{ ...text('assistant', 'It is rainy.'), finishReason: 'stop' }],
  };

  it('reads log records named by event_name', () => {
    const logs: LogForMessages[] = [
      { eventName: 'gen_ai.system.message', body: body.system, attributes: [] },
      { eventName: 'gen_ai.user.message', body: body.user, attributes: [] },
      { eventName: 'gen_ai.assistant.message', body: body.assistant, attributes: [] },
      { eventName: 'gen_ai.tool.message', body: body.tool, attributes: [] },
      { eventName: 'gen_ai.choice', body: body.choice, attributes: [] },
    ];
    expect(extractMessages(span([]), logs)).toEqual(expected);
  });

  it('reads log records named by the event.name attribute', () => {
    const logs: LogForMessages[] = [
      { eventName: '', body: body.system, attributes: [['event.name', 'gen_ai.system.message'], ['gen_ai.system', 'openai']] },
      { eventName: '', body: body.user, attributes: [['event.name', 'gen_ai.user.message']] },
      { eventName: '', body: body.assistant, attributes: [['event.name', 'gen_ai.assistant.message']] },
      { eventName: '', body: body.tool, attributes: [['event.name', 'gen_ai.tool.message']] },
      { eventName: '', body: body.choice, attributes: [['event.name', 'gen_ai.choice']] },
    ];
    expect(extractMessages(span([]), logs)).toEqual(expected);
  });

  it('orders choices by index', () => {
    const logs: LogForMessages[] = [
      { eventName: 'gen_ai.choice', body: kv({ index: 1n, finish_reason: 'stop', message: kv({ content: 'second' }) }), attributes: [] },
      { eventName: 'gen_ai.choice', body: kv({ index: 0n, finish_reason: 'stop', message: kv({ content: 'first' }) }), attributes: [] },
    ];
    expect(extractMessages(span([]), logs).output.map((m) => m.parts[0])).toEqual([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
    ]);
  });

  it('reads span events, with the body in gen_ai.event.content or as attributes', () => {
    const m = extractMessages(
      span([], {
        events: [
          { name: 'gen_ai.user.message', attributes: [['gen_ai.system', 'openai'], ['gen_ai.event.content', '{"content": "hi"}']] },
          { name: 'gen_ai.choice', attributes: [['index', 0n], ['finish_reason', 'stop'], ['message', '{"role": "assistant", "content": "hello"}']] },
        ],
      }),
    );
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([{ ...text('assistant', 'hello'), finishReason: 'stop' }]);
  });

  it('reads the older gen_ai.content.prompt / gen_ai.content.completion events', () => {
    const m = extractMessages(
      span([], {
        events: [
          { name: 'gen_ai.content.prompt', attributes: [['gen_ai.prompt', '[{"role": "user", "content": "hi"}]']] },
          { name: 'gen_ai.content.completion', attributes: [['gen_ai.completion', '[{"role": "assistant", "content": "hello"}]']] },
        ],
      }),
    );
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([text('assistant', 'hello')]);
  });

  it('prefers span attributes to events and events to logs', () => {
    const logs: LogForMessages[] = [{ eventName: 'gen_ai.user.message', body: kv({ content: 'from log' }), attributes: [] }];
    const withEvent = span([], { events: [{ name: 'gen_ai.user.message', attributes: [['content', 'from event']] }] });
    expect(extractMessages(withEvent, logs).input).toEqual([text('user', 'from event')]);
    expect(extractMessages(span([]), logs).input).toEqual([text('user', 'from log')]);
  });
});

describe('OpenInference: llm.input_messages.N / llm.output_messages.N', () => {
  it('reads roles, content, contents, tool calls and tool results', () => {
    const m = extractMessages(
      span([
        ['openinference.span.kind', 'LLM'],
        ['llm.input_messages.0.message.role', 'system'],
        ['llm.input_messages.0.message.content', 'Be brief.'],
        ['llm.input_messages.1.message.role', 'user'],
        ['llm.input_messages.1.message.contents.0.message_content.type', 'text'],
        ['llm.input_messages.1.message.contents.0.message_content.text', 'What is this?'],
        ['llm.input_messages.1.message.contents.1.message_content.type', 'image'],
        ['llm.input_messages.1.message.contents.1.message_content.image.image.url', 'https://example.com/a.png'],
        ['llm.input_messages.2.message.role', 'assistant'],
        ['llm.input_messages.2.message.tool_calls.0.tool_call.id', 'call_1'],
        ['llm.input_messages.2.message.tool_calls.0.tool_call.function.name', 'look'],
        ['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments', '{"x":1}'],
        ['llm.input_messages.3.message.role', 'tool'],
        ['llm.input_messages.3.message.tool_call_id', 'call_1'],
        ['llm.input_messages.3.message.content', 'a cat'],
        // Keys sort as text (10 before 2): order must follow the index.
        ['llm.input_messages.10.message.role', 'user'],
        ['llm.input_messages.10.message.content', 'later'],
        ['llm.output_messages.0.message.role', 'assistant'],
        ['llm.output_messages.0.message.content', 'A cat.'],
        ['llm.finish_reason', 'stop'],
        ['llm.tools.0.tool.json_schema', '{"type":"function","function":{"name":"look","description":"Look","parameters":{"type":"object"}}}'],
      ]),
    );
    expect(m.input).toEqual([
      text('system', 'Be brief.'),
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is this?' },
          { type: 'other', kind: 'image', value: 'https://example.com/a.png' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'look', arguments: '{"x":1}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: 'a cat' }] },
      text('user', 'later'),
    ]);
    expect(m.output).toEqual([{ ...text('assistant', 'A cat.'), finishReason: 'stop' }]);
    expect(m.tools).toEqual([{ name: 'look', description: 'Look', parameters: '{"type":"object"}' }]);
  });

  it('reads retrieved documents', () => {
    const m = extractMessages(
      span([
        ['openinference.span.kind', 'RETRIEVER'],
        ['input.value', 'cats'],
        ['retrieval.documents.0.document.id', 'd1'],
        ['retrieval.documents.0.document.content', 'Cats purr.'],
        ['retrieval.documents.0.document.score', 0.9],
        ['retrieval.documents.1.document.content', 'Cats nap.'],
      ]),
    );
    expect(m.documents).toEqual([{ id: 'd1', content: 'Cats purr.', score: 0.9 }, { content: 'Cats nap.' }]);
    expect(m.input).toEqual([text('input', 'cats')]);
  });

  it('reads a TOOL span as a call and its result', () => {
    const m = extractMessages(
      span([
        ['openinference.span.kind', 'TOOL'],
        ['tool.name', 'run_sql'],
        ['input.value', '{"query":"SELECT 1"}'],
        ['output.value', '[[1]]'],
      ]),
    );
    expect(m.input).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', name: 'run_sql', arguments: '{"query":"SELECT 1"}' }] }]);
    expect(m.output).toEqual([{ role: 'tool', parts: [{ type: 'tool_result', content: '[[1]]' }] }]);
  });

  it('falls back to an OpenAI request and response in input.value / output.value', () => {
    const m = extractMessages(
      span([
        ['input.value', JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })],
        ['input.mime_type', 'application/json'],
        ['output.value', JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }] })],
      ]),
    );
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([{ ...text('assistant', 'hello'), finishReason: 'stop' }]);
  });
});

describe('OpenLLMetry/Traceloop: gen_ai.prompt.N / gen_ai.completion.N', () => {
  it('reads roles, content, tool calls and finish reasons', () => {
    const m = extractMessages(
      span([
        ['gen_ai.prompt.0.role', 'user'],
        ['gen_ai.prompt.0.content', 'Weather in Paris?'],
        ['gen_ai.prompt.1.role', 'assistant'],
        ['gen_ai.prompt.1.tool_calls.0.id', 'call_1'],
        ['gen_ai.prompt.1.tool_calls.0.name', 'get_weather'],
        ['gen_ai.prompt.1.tool_calls.0.arguments', '{"location":"Paris"}'],
        ['gen_ai.prompt.2.role', 'tool'],
        ['gen_ai.prompt.2.tool_call_id', 'call_1'],
        ['gen_ai.prompt.2.content', 'rainy'],
        ['gen_ai.completion.0.role', 'assistant'],
        ['gen_ai.completion.0.content', 'It is rainy.'],
        ['gen_ai.completion.0.finish_reason', 'stop'],
        ['llm.request.functions.0.name', 'get_weather'],
        ['llm.request.functions.0.description', 'Weather'],
        ['llm.request.functions.0.parameters', '{"type":"object"}'],
      ]),
    );
    expect(m.input).toEqual([
      text('user', 'Weather in Paris?'),
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: 'rainy' }] },
    ]);
    expect(m.output).toEqual([{ ...text('assistant', 'It is rainy.'), finishReason: 'stop' }]);
    expect(m.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: '{"type":"object"}' }]);
  });

  it('reads Anthropic-style content written as a JSON list of blocks', () => {
    const m = extractMessages(
      span([
        ['gen_ai.completion.0.role', 'assistant'],
        ['gen_ai.completion.0.content', JSON.stringify([{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'toolu_1', name: 'look', input: { q: 'x' } }])],
      ]),
    );
    expect(m.output[0]!.parts).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_call', id: 'toolu_1', name: 'look', arguments: '{"q":"x"}' },
    ]);
  });

  it('keeps a tool result that happens to be a JSON array as text', () => {
    const m = extractMessages(span([['gen_ai.prompt.0.role', 'tool'], ['gen_ai.prompt.0.content', '[["a",1]]']]));
    expect(m.input).toEqual([{ role: 'tool', parts: [{ type: 'tool_result', content: '[["a",1]]' }] }]);
  });

  it('falls back to traceloop.entity.input / output on workflow spans', () => {
    const m = extractMessages(span([['traceloop.span.kind', 'workflow'], ['traceloop.entity.input', '{"args":["hi"],"kwargs":{}}'], ['traceloop.entity.output', '"hello"']]));
    expect(m.input).toEqual([text('input', '{"args":["hi"],"kwargs":{}}')]);
    expect(m.output).toEqual([text('output', '"hello"')]);
  });
});

describe('Vercel AI SDK', () => {
  it('reads ai.prompt.messages and ai.response.* on a doGenerate span', () => {
    const m = extractMessages(
      span(
        [
          ['ai.operationId', 'ai.generateText.doGenerate'],
          [
            'ai.prompt.messages',
            JSON.stringify([
              { role: 'system', content: 'Be brief.' },
              { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
              { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } }] },
              { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { type: 'text', value: 'rainy' } }] },
            ]),
          ],
          ['ai.response.text', 'It is rainy.'],
          ['ai.response.toolCalls', JSON.stringify([{ toolCallType: 'function', toolCallId: 'c2', toolName: 'forecast', args: '{"days":2}' }])],
          ['ai.response.finishReason', 'tool-calls'],
          ['ai.prompt.tools', ['{"type":"function","name":"weather","description":"Weather","inputSchema":{"type":"object"}}']],
        ],
        { name: 'ai.generateText.doGenerate' },
      ),
    );
    expect(m.input).toEqual([
      text('system', 'Be brief.'),
      text('user', 'Weather in Paris?'),
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'c1', content: 'rainy' }] },
    ]);
    expect(m.output).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'It is rainy.' },
          { type: 'tool_call', id: 'c2', name: 'forecast', arguments: '{"days":2}' },
        ],
        finishReason: 'tool-calls',
      },
    ]);
    expect(m.tools).toEqual([{ name: 'weather', description: 'Weather', parameters: '{"type":"object"}' }]);
  });

  it('reads ai.prompt and the older ai.result.* on the outer span', () => {
    const m = extractMessages(
      span([['ai.prompt', JSON.stringify({ system: 'Be brief.', prompt: 'Hi' })], ['ai.result.text', 'Hello'], ['ai.finishReason', 'stop']], { name: 'ai.generateText' }),
    );
    expect(m.input).toEqual([text('system', 'Be brief.'), text('user', 'Hi')]);
    expect(m.output).toEqual([{ ...text('assistant', 'Hello'), finishReason: 'stop' }]);
  });

  it('reads an ai.toolCall span as a call and its result', () => {
    const m = extractMessages(
      span([['ai.toolCall.name', 'weather'], ['ai.toolCall.id', 'c1'], ['ai.toolCall.args', '{"city":"Paris"}'], ['ai.toolCall.result', '"rainy"']], { name: 'ai.toolCall' }),
    );
    expect(m.input).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }] }]);
    expect(m.output).toEqual([{ role: 'tool', parts: [{ type: 'tool_result', id: 'c1', content: '"rainy"' }] }]);
  });
});

describe('other conventions', () => {
  it('OpenTelemetry execute_tool span', () => {
    const m = extractMessages(
      span([
        ['gen_ai.operation.name', 'execute_tool'],
        ['gen_ai.tool.name', 'get_weather'],
        ['gen_ai.tool.call.id', 'call_1'],
        ['gen_ai.tool.call.arguments', '{"location":"Paris"}'],
        ['gen_ai.tool.call.result', 'rainy'],
      ]),
    );
    expect(m.input).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }] }]);
    expect(m.output).toEqual([{ role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: 'rainy' }] }]);
  });

  it('LangSmith: whole gen_ai.prompt / gen_ai.completion JSON', () => {
    const m = extractMessages(
      span([
        ['langsmith.span.kind', 'llm'],
        ['gen_ai.prompt', JSON.stringify({ messages: [{ role: 'user', content: 'What is 2+2?' }] })],
        ['gen_ai.completion', JSON.stringify({ choices: [{ message: { role: 'assistant', content: '4' }, finish_reason: 'stop' }] })],
      ]),
    );
    expect(m.input).toEqual([text('user', 'What is 2+2?')]);
    expect(m.output).toEqual([{ ...text('assistant', '4'), finishReason: 'stop' }]);
  });

  it('MLflow: spanInputs / spanOutputs, including LangChain-serialised messages', () => {
    const m = extractMessages(
      span([
        ['mlflow.spanType', '"CHAT_MODEL"'],
        [
          'mlflow.spanInputs',
          JSON.stringify([[{ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'HumanMessage'], kwargs: { content: 'hi', type: 'human' } }]]),
        ],
        ['mlflow.spanOutputs', JSON.stringify({ generations: [[{ text: 'hello', message: { lc: 1, type: 'constructor', id: ['x', 'AIMessage'], kwargs: { content: 'hello' } } }]] })],
      ]),
    );
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([text('assistant', 'hello')]);
  });

  it('Langfuse: observation input and output', () => {
    const m = extractMessages(
      span([
        ['langfuse.observation.type', 'generation'],
        ['langfuse.observation.input', JSON.stringify([{ role: 'user', content: 'hi' }])],
        ['langfuse.observation.output', JSON.stringify({ role: 'assistant', content: 'hello' })],
      ]),
    );
    expect(m.input).toEqual([text('user', 'hi')]);
    expect(m.output).toEqual([text('assistant', 'hello')]);
  });

  it('Anthropic and Gemini response shapes', () => {
    const anthropic = extractMessages(span([['output.value', JSON.stringify({ role: 'assistant', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn' })]]));
    expect(anthropic.output).toEqual([{ ...text('assistant', 'Hi'), finishReason: 'end_turn' }]);
    const gemini = extractMessages(
      span([['output.value', JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }, { functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' }] })]]),
    );
    expect(gemini.output).toEqual([
      { role: 'assistant', parts: [{ type: 'text', text: 'Hi' }, { type: 'tool_call', name: 'f', arguments: '{"a":1}' }], finishReason: 'STOP' },
    ]);
  });
});

describe('content is kept as text', () => {
  it('returns markup and script text verbatim, for the UI to show as text', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>';
    const m = extractMessages(span([['gen_ai.prompt.0.role', 'user'], ['gen_ai.prompt.0.content', evil]]));
    expect(m.input).toEqual([text('user', evil)]);
  });

  it('gives empty lists for a span without any conversation', () => {
    expect(extractMessages(span([['http.request.method', 'GET']]))).toEqual({ input: [], output: [] });
  });

  it('survives malformed JSON', () => {
    const m = extractMessages(span([['gen_ai.input.messages', '[{"role": "user", "parts": ['], ['ai.prompt.messages', '{']]));
    expect(m.output).toEqual([]);
    expect(m.input).toEqual([]);
  });
});

describe('the OTLP fixtures', () => {
  const logsFor = (logs: FixtureLog[], spanId: string): FixtureLog[] => logs.filter((l) => l.spanId === spanId);

  it('official OpenAI instrumentation: messages come from the log records of each span', () => {
    const spans = decodeTracesPb('genai-official-openai.pb').filter((s) => s.scopeName === '@opentelemetry/instrumentation-openai');
    const logs = decodeLogsPb('genai-official-openai.logs.pb');
    expect(spans.length).toBe(6);
    const conversations = spans.map((s) => extractMessages(s, logsFor(logs, s.spanId)));
    for (const m of conversations) {
      expect(m.input.slice(0, 2)).toEqual([text('system', 'You translate questions into SQLite queries.'), text('user', 'list the most popular albums')]);
    }
    const toolTurns = conversations.filter((m) => m.input.length === 2);
    const answerTurns = conversations.filter((m) => m.input.length === 4);
    expect(toolTurns.length).toBe(3);
    expect(answerTurns.length).toBe(3);
    for (const m of toolTurns) {
      expect(m.output).toEqual([
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'run_sql', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls' },
      ]);
    }
    for (const m of answerTurns) {
      expect(m.input.slice(2)).toEqual([
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'run_sql', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: '[["Minha Historia",27],["Greatest Hits",26]]' }] },
      ]);
      expect(m.output).toEqual([{ ...text('assistant', 'The most popular album is "Minha Historia" with 27 tracks sold.'), finishReason: 'stop' }]);
    }
  });

  it('official OpenAI instrumentation: without its logs a span has no messages', () => {
    const s = decodeTracesPb('genai-official-openai.pb').find((x) => x.name.startsWith('chat'))!;
    expect(extractMessages(s)).toEqual({ input: [], output: [] });
  });

  it.each([
    ['openinference-openai.pb', decodeTracesPb],
    ['openinference-openai.json', decodeTracesJson],
  ] as const)('%s: OpenInference spans give the same conversation', (file, decode) => {
    const spans = decode(file).filter((s) => s.scopeName === '@arizeai/openinference-instrumentation-openai');
    for (const s of spans) {
      const m = extractMessages(s);
      expect(m.input[1]).toEqual(text('user', 'list the most popular albums'));
      if (m.input.length === 2) {
        expect(m.output).toEqual([
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'run_sql', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls' },
        ]);
        expect(m.tools?.map((t) => t.name)).toEqual(['run_sql']);
      } else {
        expect(m.input[3]).toEqual({ role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', content: '[["Minha Historia",27],["Greatest Hits",26]]' }] });
        expect(m.output).toEqual([{ ...text('assistant', 'The most popular album is "Minha Historia" with 27 tracks sold.'), finishReason: 'stop' }]);
      }
    }
  });

  it("the root spans' input and output values become the turn's input and output", () => {
    const root = decodeTracesPb('openinference-openai.pb').find((s) => s.name === 'answer_question')!;
    const m = extractMessages(root);
    expect(m.input).toEqual([text('input', 'list the most popular albums')]);
    expect(m.output).toEqual([text('output', 'The most popular album is "Minha Historia" with 27 tracks sold.')]);
  });
});

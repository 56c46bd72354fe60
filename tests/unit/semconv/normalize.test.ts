// The LLM columns, key by key (one case per row of the mapping table, written here independently
// of the table), then whole spans as each instrumentation writes them, then the OTLP fixtures.
import { describe, expect, it } from 'vitest';
import { KeyValueList, type AnyValue, type KeyValue } from '../../../electron/engine/otlp/types';
import {
  MAPPING_TABLE,
  normalizeLlmColumns,
  normalizeLlmSpan,
  SPAN_NAME,
  type Target,
} from '../../../electron/engine/semconv/normalize';
import { loadPriceTable } from '../../../electron/engine/semconv/prices';
import type { NormalizedLlmSpan, SpanForNormalize } from '../../../electron/engine/semconv/types';
import { decodeTracesJson, decodeTracesPb, type FixtureSpan } from './fixture-decoder';

function span(attributes: KeyValue[], extra: Partial<SpanForNormalize> = {}): SpanForNormalize {
  return { name: 'span', attributes, resourceAttributes: [], ...extra };
}

const kv = (entries: Record<string, AnyValue>): KeyValueList => new KeyValueList(Object.entries(entries));

/** Where a target's value shows up in normalizeLlmSpan's result. */
const FIELD: Record<Target, keyof NormalizedLlmSpan> = {
  spanType: 'spanType',
  provider: 'llmProvider',
  responseModel: 'responseModel',
  model: 'llmModel',
  requestModel: 'requestModel',
  inputTokens: 'inputTokens',
  outputTokens: 'outputTokens',
  totalTokens: 'totalTokens',
  cacheReadTokens: 'cacheReadTokens',
  cacheWriteTokens: 'cacheWriteTokens',
  reasoningTokens: 'reasoningTokens',
  costUsd: 'costUsd',
  sessionId: 'sessionId',
  userId: 'userId',
};

// [attribute key, target, example value, expected value]. Several values per key where the
// convention has several spellings.
type Case = [key: string, target: Target, value: AnyValue, expected: string | number];
const CASES: Case[] = [
  // span_type
  ['openinference.span.kind', 'spanType', 'LLM', 'llm'],
  ['openinference.span.kind', 'spanType', 'EMBEDDING', 'embedding'],
  ['openinference.span.kind', 'spanType', 'TOOL', 'tool'],
  ['openinference.span.kind', 'spanType', 'RETRIEVER', 'retriever'],
  ['openinference.span.kind', 'spanType', 'RERANKER', 'reranker'],
  ['openinference.span.kind', 'spanType', 'AGENT', 'agent'],
  ['openinference.span.kind', 'spanType', 'CHAIN', 'chain'],
  ['openinference.span.kind', 'spanType', 'GUARDRAIL', 'guardrail'],
  ['openinference.span.kind', 'spanType', 'EVALUATOR', 'evaluator'],
  ['traceloop.span.kind', 'spanType', 'workflow', 'chain'],
  ['traceloop.span.kind', 'spanType', 'task', 'chain'],
  ['traceloop.span.kind', 'spanType', 'agent', 'agent'],
  ['traceloop.span.kind', 'spanType', 'tool', 'tool'],
  ['mlflow.spanType', 'spanType', 'CHAT_MODEL', 'llm'],
  ['mlflow.spanType', 'spanType', '"LLM"', 'llm'],
  ['mlflow.spanType', 'spanType', 'RETRIEVER', 'retriever'],
  ['mlflow.spanType', 'spanType', 'RERANKER', 'reranker'],
  ['mlflow.spanType', 'spanType', 'AGENT', 'agent'],
  ['langsmith.span.kind', 'spanType', 'llm', 'llm'],
  ['langsmith.span.kind', 'spanType', 'retriever', 'retriever'],
  ['langsmith.span.kind', 'spanType', 'embedding', 'embedding'],
  ['langfuse.observation.type', 'spanType', 'generation', 'llm'],
  ['langfuse.observation.type', 'spanType', 'guardrail', 'guardrail'],
  ['langfuse.observation.type', 'spanType', 'evaluator', 'evaluator'],
  ['gen_ai.operation.name', 'spanType', 'chat', 'llm'],
  ['gen_ai.operation.name', 'spanType', 'text_completion', 'llm'],
  ['gen_ai.operation.name', 'spanType', 'generate_content', 'llm'],
  ['gen_ai.operation.name', 'spanType', 'embeddings', 'embedding'],
  ['gen_ai.operation.name', 'spanType', 'execute_tool', 'tool'],
  ['gen_ai.operation.name', 'spanType', 'invoke_agent', 'agent'],
  ['gen_ai.operation.name', 'spanType', 'create_agent', 'agent'],
  ['llm.request.type', 'spanType', 'chat', 'llm'],
  ['llm.request.type', 'spanType', 'completion', 'llm'],
  ['llm.request.type', 'spanType', 'embedding', 'embedding'],
  ['llm.request.type', 'spanType', 'rerank', 'reranker'],
  ['ai.operationId', 'spanType', 'ai.generateText.doGenerate', 'llm'],
  ['ai.operationId', 'spanType', 'ai.streamText.doStream', 'llm'],
  ['ai.operationId', 'spanType', 'ai.toolCall', 'tool'],
  ['ai.operationId', 'spanType', 'ai.embedMany.doEmbed', 'embedding'],
  ['ai.operationId', 'spanType', 'ai.generateText', 'chain'],
  [SPAN_NAME, 'spanType', 'ai.streamObject.doStream', 'llm'],
  [SPAN_NAME, 'spanType', 'ai.toolCall', 'tool'],
  ['gen_ai.request.model', 'spanType', 'gpt-4o', 'llm'],
  // llm_provider
  ['gen_ai.provider.name', 'provider', 'anthropic', 'anthropic'],
  ['gen_ai.system', 'provider', 'openai', 'openai'],
  ['llm.provider', 'provider', 'azure', 'azure'],
  ['llm.system', 'provider', 'openai', 'openai'],
  ['ai.model.provider', 'provider', 'openai.chat', 'openai'],
  ['ai.model.provider', 'provider', 'anthropic.messages', 'anthropic'],
  ['llm.vendor', 'provider', 'OpenAI', 'OpenAI'],
  // llm_model
  ['gen_ai.response.model', 'responseModel', 'gpt-4o-2024-08-06', 'gpt-4o-2024-08-06'],
  ['llm.response.model_name', 'responseModel', 'claude-opus-4-8', 'claude-opus-4-8'],
  ['ai.response.model', 'responseModel', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18'],
  ['llm.model_name', 'model', 'gpt-4o-mini', 'gpt-4o-mini'],
  ['embedding.model_name', 'model', 'text-embedding-3-small', 'text-embedding-3-small'],
  ['reranker.model_name', 'model', 'cross-encoder/ms-marco-MiniLM-L-12-v2', 'cross-encoder/ms-marco-MiniLM-L-12-v2'],
  ['mlflow.llm.model', 'model', '"gpt-4o"', 'gpt-4o'],
  ['mlflow.llm.model', 'model', 'gpt-4o', 'gpt-4o'],
  ['langfuse.observation.model.name', 'model', 'claude-haiku-4-5', 'claude-haiku-4-5'],
  ['gen_ai.request.model', 'requestModel', 'gpt-4o', 'gpt-4o'],
  ['llm.request.model_name', 'requestModel', 'claude-opus-5', 'claude-opus-5'],
  ['ai.model.id', 'requestModel', 'gpt-4o-mini', 'gpt-4o-mini'],
  // input tokens
  ['gen_ai.usage.input_tokens', 'inputTokens', 57n, 57],
  ['gen_ai.usage.prompt_tokens', 'inputTokens', 57n, 57],
  ['llm.token_count.prompt', 'inputTokens', 57n, 57],
  ['ai.usage.inputTokens', 'inputTokens', 57n, 57],
  ['ai.usage.promptTokens', 'inputTokens', 57n, 57],
  ['ai.usage.tokens', 'inputTokens', 12n, 12],
  ['mlflow.chat.tokenUsage', 'inputTokens', '{"input_tokens": 57, "output_tokens": 17, "total_tokens": 74}', 57],
  ['langfuse.observation.usage_details', 'inputTokens', '{"input": 40, "output": 17, "input_cache_read": 17}', 57],
  // output tokens
  ['gen_ai.usage.output_tokens', 'outputTokens', 17n, 17],
  ['gen_ai.usage.completion_tokens', 'outputTokens', 17n, 17],
  ['llm.token_count.completion', 'outputTokens', 17n, 17],
  ['ai.usage.outputTokens', 'outputTokens', 17n, 17],
  ['ai.usage.completionTokens', 'outputTokens', 17n, 17],
  ['mlflow.chat.tokenUsage', 'outputTokens', '{"input_tokens": 57, "output_tokens": 17}', 17],
  ['langfuse.observation.usage_details', 'outputTokens', '{"input": 57, "output": 12, "output_reasoning_tokens": 5}', 17],
  // total tokens
  ['gen_ai.usage.total_tokens', 'totalTokens', 74n, 74],
  ['llm.usage.total_tokens', 'totalTokens', 74n, 74],
  ['llm.token_count.total', 'totalTokens', 74n, 74],
  ['ai.usage.totalTokens', 'totalTokens', 74n, 74],
  ['mlflow.chat.tokenUsage', 'totalTokens', '{"total_tokens": 74}', 74],
  ['langfuse.observation.usage_details', 'totalTokens', '{"total": 74}', 74],
  // cache and reasoning
  ['gen_ai.usage.cache_read.input_tokens', 'cacheReadTokens', 30n, 30],
  ['gen_ai.usage.cache_read_input_tokens', 'cacheReadTokens', 30n, 30],
  ['llm.token_count.prompt_details.cache_read', 'cacheReadTokens', 30n, 30],
  ['ai.usage.cachedInputTokens', 'cacheReadTokens', 30n, 30],
  ['langfuse.observation.usage_details', 'cacheReadTokens', '{"input": 10, "cache_read_input_tokens": 30}', 30],
  ['gen_ai.usage.cache_creation.input_tokens', 'cacheWriteTokens', 20n, 20],
  ['gen_ai.usage.cache_creation_input_tokens', 'cacheWriteTokens', 20n, 20],
  ['llm.token_count.prompt_details.cache_write', 'cacheWriteTokens', 20n, 20],
  ['langfuse.observation.usage_details', 'cacheWriteTokens', '{"input": 10, "input_cache_creation": 20}', 20],
  ['gen_ai.usage.reasoning.output_tokens', 'reasoningTokens', 9n, 9],
  ['gen_ai.usage.reasoning_tokens', 'reasoningTokens', 9n, 9],
  ['llm.token_count.completion_details.reasoning', 'reasoningTokens', 9n, 9],
  ['ai.usage.reasoningTokens', 'reasoningTokens', 9n, 9],
  ['langfuse.observation.usage_details', 'reasoningTokens', '{"output": 20, "output_reasoning_tokens": 9}', 9],
  // cost the span states
  ['llm.cost.total', 'costUsd', 0.0066, 0.0066],
  ['llm.cost.prompt', 'costUsd', 0.0021, 0.0021],
  ['mlflow.llm.cost', 'costUsd', '{"input_cost": 0.001, "output_cost": 0.002, "total_cost": 0.003}', 0.003],
  ['langfuse.observation.cost_details', 'costUsd', '{"input": 0.001, "output": 0.002, "total": 0.003}', 0.003],
  ['langfuse.observation.cost_details', 'costUsd', '{"input": 0.25, "output": 0.5}', 0.75],
  // session and user
  ['gen_ai.conversation.id', 'sessionId', 'conv_5j66', 'conv_5j66'],
  ['session.id', 'sessionId', 'session-1', 'session-1'],
  ['session.id', 'sessionId', 42n, '42'],
  ['langfuse.session.id', 'sessionId', 'lf-session', 'lf-session'],
  ['langsmith.trace.session_id', 'sessionId', 'ls-session', 'ls-session'],
  ['langsmith.metadata.session_id', 'sessionId', 'ls-meta-session', 'ls-meta-session'],
  ['ai.telemetry.metadata.sessionId', 'sessionId', 'vercel-session', 'vercel-session'],
  ['traceloop.association.properties.session_id', 'sessionId', 'tl-session', 'tl-session'],
  ['user.id', 'userId', 'ana', 'ana'],
  ['langfuse.user.id', 'userId', 'lf-user', 'lf-user'],
  ['langsmith.metadata.user_id', 'userId', 'ls-user', 'ls-user'],
  ['ai.telemetry.metadata.userId', 'userId', 'vercel-user', 'vercel-user'],
  ['traceloop.association.properties.user_id', 'userId', 'tl-user', 'tl-user'],
  ['enduser.id', 'userId', 'legacy-user', 'legacy-user'],
];

function spanWith(key: string, value: AnyValue): SpanForNormalize {
  return key === SPAN_NAME ? span([], { name: String(value) }) : span([[key, value]]);
}

describe('the mapping table, key by key', () => {
  it('has a case here for every row of the table', () => {
    const covered = new Set(CASES.map(([key, target]) => `${key} → ${target}`));
    const missing = MAPPING_TABLE.map((r) => `${r.key} → ${r.target}`).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });

  it.each(CASES)('%s → %s: %s gives %s', (key, target, value, expected) => {
    const n = normalizeLlmSpan(spanWith(key, value));
    expect(n[FIELD[target]]).toBe(expected);
  });

  const fromResource = MAPPING_TABLE.filter((r) => r.resourceFallback);
  it.each(fromResource.map((r) => [r.key, r.target] as const))('%s → %s also comes from the resource', (key, target) => {
    const n = normalizeLlmSpan(span([], { resourceAttributes: [[key, 'from-resource']] }));
    expect(n[FIELD[target]]).toBe('from-resource');
  });

  it('only session and user fall back to the resource', () => {
    expect(new Set(MAPPING_TABLE.filter((r) => r.resourceFallback).map((r) => r.target))).toEqual(new Set(['sessionId', 'userId']));
    const n = normalizeLlmSpan(span([], { resourceAttributes: [['gen_ai.request.model', 'gpt-4o'], ['gen_ai.usage.input_tokens', 5n]] }));
    expect(n.llmModel).toBeNull();
    expect(n.inputTokens).toBeNull();
  });
});

describe('values', () => {
  it.each([
    ['int64', 57n, 57],
    ['double', 57, 57],
    ['double with a fraction', 57.0000001, 57],
    ['numeric text', '57', 57],
    ['numeric text with spaces', ' 57 ', 57],
  ] as const)('accepts a token count as %s', (_name, value, expected) => {
    expect(normalizeLlmColumns(span([['gen_ai.usage.input_tokens', value]])).inputTokens).toBe(expected);
  });

  it.each<[string, AnyValue]>([
    ['negative', -5n],
    ['text', 'many'],
    ['a bool', true],
    ['an empty value', null],
    ['an array', [1n]],
    ['NaN', NaN],
  ])('ignores a token count that is %s', (_name, value) => {
    expect(normalizeLlmColumns(span([['gen_ai.usage.input_tokens', value]])).inputTokens).toBeNull();
  });

  it('keeps int64 token counts beyond 2^31', () => {
    expect(normalizeLlmColumns(span([['gen_ai.usage.input_tokens', 5_000_000_000n]])).inputTokens).toBe(5_000_000_000);
  });

  it('accepts a cost as double, int64 or text', () => {
    expect(normalizeLlmColumns(span([['llm.cost.total', 0.5]])).costUsd).toBe(0.5);
    expect(normalizeLlmColumns(span([['llm.cost.total', 2n]])).costUsd).toBe(2);
    expect(normalizeLlmColumns(span([['llm.cost.total', '0.0042']])).costUsd).toBe(0.0042);
    expect(normalizeLlmColumns(span([['llm.cost.total', 'free']])).costUsd).toBeNull();
  });

  it('reads JSON-valued attributes whether they arrive as text or as a kvlist', () => {
    const asKvlist = kv({ input_tokens: 57n, output_tokens: 17n, total_tokens: 74n });
    expect(normalizeLlmColumns(span([['mlflow.chat.tokenUsage', asKvlist]]))).toMatchObject({ inputTokens: 57, outputTokens: 17, totalTokens: 74 });
    expect(normalizeLlmColumns(span([['mlflow.chat.tokenUsage', '{not json']])).inputTokens).toBeNull();
  });

  it('ignores blank strings and unknown kinds', () => {
    const n = normalizeLlmSpan(span([['gen_ai.request.model', '  '], ['gen_ai.operation.name', 'dance'], ['session.id', '']]));
    expect(n.requestModel).toBeNull();
    expect(n.spanType).toBeNull();
    expect(n.sessionId).toBeNull();
  });

  it('gives all columns null for a span with no LLM attributes', () => {
    expect(normalizeLlmColumns(span([['http.request.method', 'GET']]))).toEqual({
      spanType: null,
      llmProvider: null,
      llmModel: null,
      inputTokens: null,
      outputTokens: null,
      totalTokens: null,
      costUsd: null,
      sessionId: null,
      userId: null,
    });
  });

  it('uses the last value of a repeated key, as OTLP maps do', () => {
    expect(normalizeLlmColumns(span([['gen_ai.request.model', 'a'], ['gen_ai.request.model', 'b']])).llmModel).toBe('b');
  });
});

describe('precedence and derived values', () => {
  it('keeps the last value of a repeated key, and nothing of one span reaches the next, even when a transform throws', () => {
    expect(normalizeLlmColumns(span([['gen_ai.request.model', 'first'], ['gen_ai.request.model', 'last']])).llmModel).toBe('last');
    const row = MAPPING_TABLE.find((r) => r.key === 'openinference.span.kind')!;
    const transform = row.transform;
    row.transform = (value, attributes) => {
      if (value === 'BOOM') throw new Error('a transform that throws');
      return transform(value, attributes);
    };
    try {
      const failing = span([['openinference.span.kind', 'BOOM'], ['gen_ai.request.model', 'gpt-4o'], ['session.id', 'stale']]);
      expect(() => normalizeLlmColumns(failing)).toThrow('a transform that throws');
    } finally {
      row.transform = transform;
    }
    expect(normalizeLlmColumns(span([['enduser.id', 'u1']]))).toMatchObject({ spanType: null, llmModel: null, sessionId: null, userId: 'u1' });
  });

  it('prefers the response model to the request model', () => {
    const n = normalizeLlmSpan(span([['gen_ai.request.model', 'gpt-4o'], ['gen_ai.response.model', 'gpt-4o-2024-08-06']]));
    expect(n.llmModel).toBe('gpt-4o-2024-08-06');
    expect(n.requestModel).toBe('gpt-4o');
    expect(n.responseModel).toBe('gpt-4o-2024-08-06');
  });

  it('prefers a plain model name to a request model', () => {
    expect(normalizeLlmColumns(span([['ai.model.id', 'requested'], ['llm.model_name', 'named']])).llmModel).toBe('named');
  });

  it('prefers gen_ai.provider.name to the deprecated gen_ai.system', () => {
    expect(normalizeLlmColumns(span([['gen_ai.system', 'az.ai.inference'], ['gen_ai.provider.name', 'azure.ai.inference']])).llmProvider).toBe('azure.ai.inference');
  });

  it('prefers current token keys to deprecated ones', () => {
    const n = normalizeLlmColumns(span([['gen_ai.usage.prompt_tokens', 1n], ['gen_ai.usage.input_tokens', 2n]]));
    expect(n.inputTokens).toBe(2);
  });

  it("takes the library's own span kind before the operation name", () => {
    const n = normalizeLlmColumns(span([['gen_ai.operation.name', 'chat'], ['langfuse.observation.type', 'guardrail']]));
    expect(n.spanType).toBe('guardrail');
  });

  it('falls through a kind that says nothing (langfuse span, mlflow UNKNOWN)', () => {
    expect(normalizeLlmColumns(span([['langfuse.observation.type', 'span'], ['gen_ai.operation.name', 'execute_tool']])).spanType).toBe('tool');
    expect(normalizeLlmColumns(span([['mlflow.spanType', 'UNKNOWN']])).spanType).toBeNull();
  });

  it('takes session and user from the span before the resource', () => {
    const n = normalizeLlmColumns(
      span([['session.id', 'span-session']], { resourceAttributes: [['session.id', 'resource-session'], ['user.id', 'resource-user']] }),
    );
    expect(n.sessionId).toBe('span-session');
    expect(n.userId).toBe('resource-user');
  });

  it('adds input and output for the total when the span does not state one', () => {
    expect(normalizeLlmColumns(span([['gen_ai.usage.input_tokens', 57n], ['gen_ai.usage.output_tokens', 17n]])).totalTokens).toBe(74);
    expect(normalizeLlmColumns(span([['gen_ai.usage.input_tokens', 12n]])).totalTokens).toBe(12);
    expect(normalizeLlmColumns(span([['llm.token_count.total', 80n], ['llm.token_count.prompt', 57n]])).totalTokens).toBe(80);
    expect(normalizeLlmColumns(span([['gen_ai.operation.name', 'chat']])).totalTokens).toBeNull();
  });
});

describe('cost', () => {
  const tokens: KeyValue[] = [
    ['gen_ai.operation.name', 'chat'],
    ['gen_ai.request.model', 'gpt-4o-mini'],
    ['gen_ai.usage.input_tokens', 1000n],
    ['gen_ai.usage.output_tokens', 100n],
  ];

  it('prices a known model from the bundled table', () => {
    const n = normalizeLlmSpan(span(tokens));
    expect(n.costUsd).toBeCloseTo(1000 * 0.15e-6 + 100 * 0.6e-6, 12);
    expect(n.costSource).toBe('table');
  });

  it('lets a cost the span states win over the table', () => {
    const n = normalizeLlmSpan(span([...tokens, ['llm.cost.total', 0.5]]));
    expect(n.costUsd).toBe(0.5);
    expect(n.costSource).toBe('span');
  });

  it('gives no price, not $0, for a model the table does not know', () => {
    const n = normalizeLlmSpan(span([['gen_ai.request.model', 'my-own-model-7b'], ['gen_ai.usage.input_tokens', 1000n]]));
    expect(n.costUsd).toBeNull();
    expect(n.costSource).toBeNull();
  });

  it('gives no price when there are no token counts', () => {
    expect(normalizeLlmColumns(span([['gen_ai.request.model', 'gpt-4o']])).costUsd).toBeNull();
  });

  it('uses the request model when the response model has no price', () => {
    const n = normalizeLlmColumns(span([...tokens, ['gen_ai.response.model', 'gpt-4o-mini-custom-deployment']]));
    expect(n.llmModel).toBe('gpt-4o-mini-custom-deployment');
    expect(n.costUsd).toBeCloseTo(1000 * 0.15e-6 + 100 * 0.6e-6, 12);
  });

  it('prices cache reads and writes at their own rates', () => {
    const n = normalizeLlmSpan(
      span([
        ['gen_ai.provider.name', 'anthropic'],
        ['gen_ai.request.model', 'claude-sonnet-4-5'],
        ['gen_ai.usage.input_tokens', 1000n],
        ['gen_ai.usage.cache_read.input_tokens', 600n],
        ['gen_ai.usage.cache_creation.input_tokens', 300n],
        ['gen_ai.usage.output_tokens', 10n],
      ]),
    );
    expect(n.costUsd).toBeCloseTo(100 * 3e-6 + 600 * 0.3e-6 + 300 * 3.75e-6 + 10 * 15e-6, 12);
  });

  it('uses the table it is given', () => {
    const table = loadPriceTable({ taken: '2026-01-01', source: 'test', models: [{ pattern: 'gpt-4o-mini', input: 1, output: 2 }] });
    expect(normalizeLlmColumns(span(tokens), table).costUsd).toBe(1000 + 200);
  });
});

describe('aggregate spans', () => {
  it('leaves token and cost columns empty on agent spans, reporting their usage apart', () => {
    const n = normalizeLlmSpan(
      span([
        ['gen_ai.operation.name', 'invoke_agent'],
        ['gen_ai.request.model', 'gpt-4o-mini'],
        ['gen_ai.usage.input_tokens', 300n],
        ['gen_ai.usage.output_tokens', 40n],
        ['gen_ai.conversation.id', 'conv-1'],
      ]),
    );
    expect(n).toMatchObject({ spanType: 'agent', llmModel: 'gpt-4o-mini', inputTokens: null, outputTokens: null, totalTokens: null, costUsd: null, sessionId: 'conv-1', aggregate: true });
    expect(n.aggregateUsage).toMatchObject({ inputTokens: 300, outputTokens: 40, totalTokens: 340 });
    expect(n.aggregateUsage?.costUsd).toBeGreaterThan(0);
  });

  it('does the same for the Vercel AI SDK outer call, whose steps carry the usage', () => {
    const n = normalizeLlmSpan(
      span([['ai.operationId', 'ai.generateText'], ['ai.model.id', 'gpt-4o-mini'], ['ai.usage.promptTokens', 10n], ['ai.usage.completionTokens', 5n]], {
        name: 'ai.generateText',
      }),
    );
    expect(n).toMatchObject({ spanType: 'chain', llmModel: 'gpt-4o-mini', inputTokens: null, aggregate: true });
    expect(n.aggregateUsage?.inputTokens).toBe(10);
  });

  it('reports no aggregate usage for a chain span without any', () => {
    expect(normalizeLlmSpan(span([['traceloop.span.kind', 'workflow']])).aggregateUsage).toBeNull();
  });
});

describe('whole spans as each convention writes them', () => {
  it('OpenTelemetry GenAI (current): Anthropic chat with cache and reasoning', () => {
    const n = normalizeLlmSpan(
      span(
        [
          ['gen_ai.operation.name', 'chat'],
          ['gen_ai.provider.name', 'anthropic'],
          ['gen_ai.request.model', 'claude-opus-4-8'],
          ['gen_ai.response.model', 'claude-opus-4-8-20261001'],
          ['gen_ai.request.max_tokens', 1024n],
          ['gen_ai.usage.input_tokens', 2000n],
          ['gen_ai.usage.cache_read.input_tokens', 1500n],
          ['gen_ai.usage.cache_creation.input_tokens', 0n],
          ['gen_ai.usage.output_tokens', 300n],
          ['gen_ai.usage.reasoning.output_tokens', 120n],
          ['gen_ai.conversation.id', 'conv_abc'],
          ['gen_ai.response.finish_reasons', ['end_turn']],
        ],
        { name: 'chat claude-opus-4-8', resourceAttributes: [['service.name', 'bot'], ['user.id', 'u-7']] },
      ),
    );
    expect(n).toMatchObject({
      spanType: 'llm',
      llmProvider: 'anthropic',
      llmModel: 'claude-opus-4-8-20261001',
      inputTokens: 2000,
      outputTokens: 300,
      totalTokens: 2300,
      cacheReadTokens: 1500,
      cacheWriteTokens: 0,
      reasoningTokens: 120,
      sessionId: 'conv_abc',
      userId: 'u-7',
      costSource: 'table',
    });
    expect(n.costUsd).toBeCloseTo(500 * 5e-6 + 1500 * 0.5e-6 + 300 * 25e-6, 12);
  });

  it('OpenTelemetry GenAI: embeddings and tool execution', () => {
    expect(
      normalizeLlmColumns(
        span([['gen_ai.operation.name', 'embeddings'], ['gen_ai.provider.name', 'openai'], ['gen_ai.request.model', 'text-embedding-3-small'], ['gen_ai.usage.input_tokens', 1000n]]),
      ),
    ).toMatchObject({ spanType: 'embedding', llmModel: 'text-embedding-3-small', inputTokens: 1000, outputTokens: null, totalTokens: 1000, costUsd: 1000 * 0.02e-6 });
    expect(normalizeLlmColumns(span([['gen_ai.operation.name', 'execute_tool'], ['gen_ai.tool.name', 'get_weather']]))).toMatchObject({ spanType: 'tool', costUsd: null });
  });

  it('OpenTelemetry GenAI (deprecated) as OpenLLMetry writes it', () => {
    const n = normalizeLlmColumns(
      span([
        ['llm.request.type', 'chat'],
        ['gen_ai.system', 'openai'],
        ['gen_ai.request.model', 'gpt-4o'],
        ['gen_ai.response.model', 'gpt-4o-2024-08-06'],
        ['gen_ai.usage.prompt_tokens', 100n],
        ['gen_ai.usage.completion_tokens', 20n],
        ['llm.usage.total_tokens', 120n],
        ['gen_ai.prompt.0.role', 'user'],
        ['gen_ai.prompt.0.content', 'hi'],
        ['traceloop.association.properties.session_id', 'chat-9'],
      ], { name: 'openai.chat' }),
    );
    expect(n).toMatchObject({ spanType: 'llm', llmProvider: 'openai', llmModel: 'gpt-4o-2024-08-06', inputTokens: 100, outputTokens: 20, totalTokens: 120, sessionId: 'chat-9' });
    expect(n.costUsd).toBeCloseTo(100 * 2.5e-6 + 20 * 10e-6, 12);
  });

  it('OpenLLMetry workflow and task spans', () => {
    expect(normalizeLlmColumns(span([['traceloop.span.kind', 'workflow'], ['traceloop.workflow.name', 'qa'], ['traceloop.entity.name', 'qa']])).spanType).toBe('chain');
    expect(normalizeLlmColumns(span([['traceloop.span.kind', 'tool'], ['traceloop.entity.name', 'search']])).spanType).toBe('tool');
  });

  it('OpenInference LLM span with its own cost', () => {
    const n = normalizeLlmSpan(
      span([
        ['openinference.span.kind', 'LLM'],
        ['llm.provider', 'azure'],
        ['llm.system', 'openai'],
        ['llm.model_name', 'gpt-4.1-mini-2025-04-14'],
        ['llm.token_count.prompt', 1000n],
        ['llm.token_count.completion', 200n],
        ['llm.token_count.total', 1200n],
        ['llm.token_count.prompt_details.cache_read', 400n],
        ['llm.cost.total', 0.00042],
        ['session.id', 's-1'],
        ['user.id', 'ana'],
      ]),
    );
    expect(n).toMatchObject({
      spanType: 'llm',
      llmProvider: 'azure',
      llmModel: 'gpt-4.1-mini-2025-04-14',
      inputTokens: 1000,
      outputTokens: 200,
      totalTokens: 1200,
      cacheReadTokens: 400,
      costUsd: 0.00042,
      costSource: 'span',
      sessionId: 's-1',
      userId: 'ana',
    });
  });

  it('OpenInference cost from prompt and completion parts', () => {
    expect(normalizeLlmColumns(span([['llm.cost.prompt', 0.25], ['llm.cost.completion', 0.5]])).costUsd).toBe(0.75);
  });

  it('OpenInference embedding, retriever and reranker spans', () => {
    expect(normalizeLlmColumns(span([['openinference.span.kind', 'EMBEDDING'], ['embedding.model_name', 'text-embedding-3-large']]))).toMatchObject({
      spanType: 'embedding',
      llmModel: 'text-embedding-3-large',
    });
    expect(normalizeLlmColumns(span([['openinference.span.kind', 'RETRIEVER'], ['retrieval.documents.0.document.content', 'x']])).spanType).toBe('retriever');
    expect(normalizeLlmColumns(span([['openinference.span.kind', 'RERANKER'], ['reranker.model_name', 'rerank-v3']]))).toMatchObject({ spanType: 'reranker', llmModel: 'rerank-v3' });
  });

  it('MLflow chat model span (values written as JSON)', () => {
    const n = normalizeLlmSpan(
      span([
        ['mlflow.spanType', '"CHAT_MODEL"'],
        ['mlflow.llm.model', '"gpt-4o"'],
        ['mlflow.chat.tokenUsage', '{"input_tokens": 80, "output_tokens": 40, "total_tokens": 120}'],
        ['mlflow.llm.cost', '{"input_cost": 0.0002, "output_cost": 0.0004, "total_cost": 0.0006}'],
        ['mlflow.spanInputs', '{"messages": [{"role": "user", "content": "hi"}]}'],
      ]),
    );
    expect(n).toMatchObject({ spanType: 'llm', llmModel: 'gpt-4o', inputTokens: 80, outputTokens: 40, totalTokens: 120, costUsd: 0.0006, costSource: 'span' });
  });

  it('LangSmith run exported over OpenTelemetry', () => {
    const n = normalizeLlmColumns(
      span([
        ['langsmith.span.kind', 'llm'],
        ['gen_ai.system', 'anthropic'],
        ['gen_ai.request.model', 'claude-haiku-4-5'],
        ['gen_ai.usage.input_tokens', 100n],
        ['gen_ai.usage.output_tokens', 50n],
        ['gen_ai.usage.total_tokens', 150n],
        ['langsmith.trace.session_id', 'thread-42'],
        ['langsmith.metadata.user_id', 'u1'],
      ]),
    );
    expect(n).toMatchObject({ spanType: 'llm', llmProvider: 'anthropic', llmModel: 'claude-haiku-4-5', totalTokens: 150, sessionId: 'thread-42', userId: 'u1' });
    expect(n.costUsd).toBeCloseTo(100 * 1e-6 + 50 * 5e-6, 12);
  });

  it('Langfuse generation with usage and cost details', () => {
    const n = normalizeLlmSpan(
      span([
        ['langfuse.observation.type', 'generation'],
        ['langfuse.observation.model.name', 'gpt-4o'],
        ['langfuse.observation.usage_details', '{"input": 500, "cache_read_input_tokens": 500, "output": 80, "total": 1080}'],
        ['langfuse.observation.cost_details', '{"input": 0.00125, "cache_read_input_tokens": 0.000625, "output": 0.0008}'],
        ['langfuse.session.id', 'lf-s'],
        ['langfuse.user.id', 'lf-u'],
      ]),
    );
    expect(n).toMatchObject({ spanType: 'llm', llmModel: 'gpt-4o', inputTokens: 1000, cacheReadTokens: 500, outputTokens: 80, totalTokens: 1080, sessionId: 'lf-s', userId: 'lf-u', costSource: 'span' });
    expect(n.costUsd).toBeCloseTo(0.002675, 12);
  });

  it('Vercel AI SDK: doGenerate, toolCall and embed spans', () => {
    const doGenerate = normalizeLlmSpan(
      span(
        [
          ['operation.name', 'ai.generateText.doGenerate chat'],
          ['ai.operationId', 'ai.generateText.doGenerate'],
          ['ai.model.id', 'gpt-4o-mini'],
          ['ai.model.provider', 'openai.chat'],
          ['ai.response.model', 'gpt-4o-mini-2024-07-18'],
          ['ai.usage.inputTokens', 57n],
          ['ai.usage.outputTokens', 17n],
          ['ai.usage.totalTokens', 74n],
          ['ai.usage.cachedInputTokens', 0n],
          ['ai.telemetry.metadata.sessionId', 'v-s'],
          ['ai.telemetry.metadata.userId', 'v-u'],
          ['gen_ai.system', 'openai.chat'],
          ['gen_ai.request.model', 'gpt-4o-mini'],
        ],
        { name: 'ai.generateText.doGenerate' },
      ),
    );
    expect(doGenerate).toMatchObject({
      spanType: 'llm',
      llmProvider: 'openai.chat',
      llmModel: 'gpt-4o-mini-2024-07-18',
      requestModel: 'gpt-4o-mini',
      inputTokens: 57,
      outputTokens: 17,
      totalTokens: 74,
      sessionId: 'v-s',
      userId: 'v-u',
    });
    expect(doGenerate.costUsd).toBeCloseTo(57 * 0.15e-6 + 17 * 0.6e-6, 12);
    // Without gen_ai.system the Vercel provider id is shortened.
    expect(normalizeLlmColumns(span([['ai.model.provider', 'google.generative-ai']])).llmProvider).toBe('google');
    expect(normalizeLlmColumns(span([['ai.operationId', 'ai.toolCall'], ['ai.toolCall.name', 'weather']], { name: 'ai.toolCall' })).spanType).toBe('tool');
    expect(
      normalizeLlmColumns(span([['ai.operationId', 'ai.embed.doEmbed'], ['ai.model.id', 'text-embedding-3-small'], ['ai.usage.tokens', 8n]], { name: 'ai.embed.doEmbed' })),
    ).toMatchObject({ spanType: 'embedding', inputTokens: 8, totalTokens: 8 });
    // Older SDKs: promptTokens/completionTokens.
    expect(
      normalizeLlmColumns(span([['ai.usage.promptTokens', 3n], ['ai.usage.completionTokens', 4n]], { name: 'ai.streamText.doStream' })),
    ).toMatchObject({ spanType: 'llm', inputTokens: 3, outputTokens: 4, totalTokens: 7 });
  });
});

describe('the OTLP fixtures', () => {
  const isLlm = (s: FixtureSpan): boolean => s.scopeName !== 'sql-agent';

  it('official GenAI instrumentation: every chat span is llm with model, tokens and cost', () => {
    const spans = decodeTracesPb('genai-official-openai.pb');
    const llm = spans.filter(isLlm);
    expect(llm.length).toBe(6);
    for (const s of llm) {
      const n = normalizeLlmColumns(s);
      expect(n).toMatchObject({ spanType: 'llm', llmProvider: 'openai', llmModel: 'gpt-4o-mini-2024-07-18', inputTokens: 57, outputTokens: 17, totalTokens: 74 });
      expect(n.costUsd).toBeCloseTo(57 * 0.15e-6 + 17 * 0.6e-6, 12);
    }
  });

  // The protobuf fixtures hold three traces, the JSON one two.
  it.each([
    ['genai-official-openai.pb', 'session-otel', decodeTracesPb, 3],
    ['openinference-openai.pb', 'session-openinference', decodeTracesPb, 3],
    ['openinference-openai.json', 'session-openinference', decodeTracesJson, 2],
  ] as const)('%s: the root answer_question spans carry session.id and user.id', (file, sessionPrefix, decode, traces) => {
    const roots = decode(file).filter((s) => s.name === 'answer_question');
    expect(roots.length).toBe(traces);
    roots.forEach((s) => {
      const n = normalizeLlmColumns(s);
      expect(n.sessionId).toMatch(new RegExp(`^${sessionPrefix}-\\d$`));
      expect(n.userId).toBe('ana');
      expect(n.spanType).toBeNull();
    });
    expect(new Set(roots.map((s) => normalizeLlmColumns(s).sessionId)).size).toBe(traces);
  });

  it.each([
    ['openinference-openai.pb', decodeTracesPb, 3],
    ['openinference-openai.json', decodeTracesJson, 2],
  ] as const)('%s: OpenInference LLM spans are llm with model; tool-call turns carry tokens', (file, decode, traces) => {
    const llm = decode(file).filter(isLlm);
    expect(llm.length).toBe(2 * traces);
    const columns = llm.map((s) => normalizeLlmColumns(s));
    for (const n of columns) {
      expect(n.spanType).toBe('llm');
      expect(n.llmProvider).toBe('openai');
      expect(n.llmModel).toMatch(/^gpt-4o-mini/);
    }
    const withTokens = columns.filter((n) => n.inputTokens !== null);
    expect(withTokens.length).toBe(traces);
    for (const n of withTokens) {
      expect(n).toMatchObject({ llmModel: 'gpt-4o-mini-2024-07-18', inputTokens: 57, outputTokens: 17, totalTokens: 74 });
      expect(n.costUsd).toBeCloseTo(57 * 0.15e-6 + 17 * 0.6e-6, 12);
    }
    // The streamed answers were recorded without usage: no tokens, and no price rather than $0.
    for (const n of columns.filter((c) => c.inputTokens === null)) expect(n.costUsd).toBeNull();
  });

  it('the plain database spans get no LLM columns', () => {
    for (const s of decodeTracesPb('genai-official-openai.pb').filter((x) => x.name === 'run_sql')) {
      expect(normalizeLlmColumns(s)).toMatchObject({ spanType: null, llmModel: null, inputTokens: null, costUsd: null });
    }
  });

  it('the protobuf and JSON encodings of the OpenInference fixture normalise alike', () => {
    // The JSON fixture is the same application run, one trace shorter.
    const pb = decodeTracesPb('openinference-openai.pb').map((s) => normalizeLlmColumns(s));
    const json = decodeTracesJson('openinference-openai.json').map((s) => normalizeLlmColumns(s));
    const key = (n: ReturnType<typeof normalizeLlmColumns>): string => JSON.stringify({ ...n, sessionId: n.sessionId?.replace(/\d$/, '') });
    expect(new Set(json.map(key))).toEqual(new Set(pb.map(key)));
  });
});

// The one place that knows how instrumentation libraries name LLM things. It turns a span's
// attributes (OpenTelemetry GenAI current and deprecated, OpenInference, OpenLLMetry/Traceloop,
// MLflow, LangSmith, Langfuse, Vercel AI SDK) into
//   - the LLM columns of the `spans` view (normalizeLlmColumns, at ingest, once per span), and
//   - a normalised message list: roles, text, tool calls, tool results (extractMessages, when a
//     span is shown).
// The column mapping is the declarative MAPPING_TABLE below; README.md says how to extend it.
// Pure: no I/O, no node built-ins.
import type { SpanType } from '../../../shared/model';
import { KeyValueList, type AnyValue, type KeyValue } from '../otlp/types';
import { costFor, DEFAULT_PRICE_TABLE, type PriceTable } from './prices';
import type {
  ChatMessage,
  LlmColumns,
  LogForMessages,
  MessagePart,
  NormalizedLlmSpan,
  NormalizedMessages,
  RetrievedDocument,
  SpanForNormalize,
  ToolDefinition,
} from './types';

export type { LlmColumns, NormalizedLlmSpan, NormalizedMessages, SpanForNormalize } from './types';

// ---------------------------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------------------------

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** An AnyValue as plain JSON-like data: kvlist → object, int64 → number (string beyond 2^53). */
export function toPlain(value: AnyValue): Plain {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    default:
      if (value === null) return null;
      if (value instanceof Uint8Array) {
        let binary = '';
        for (let i = 0; i < value.length; i++) binary += String.fromCharCode(value[i]!);
        return btoa(binary);
      }
      if (value instanceof KeyValueList) {
        const out: { [key: string]: Plain } = {};
        for (const [k, v] of value.entries) out[k] = toPlain(v);
        return out;
      }
      return value.map(toPlain);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Structured data from a value that is JSON text or already structured; undefined if neither. */
function jsonish(value: AnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '' || !'{["'.includes(text[0]!)) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  if (value instanceof KeyValueList || Array.isArray(value)) return toPlain(value);
  return undefined;
}

/** A non-empty string (numbers and int64 ids as their decimal text). */
function asText(value: unknown): string | null {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return null;
}

/** A token count: int64, double or numeric text; never negative. */
function asCount(value: unknown): number | null {
  let n: number;
  if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else return null;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

/** An amount of USD: int64, double or numeric text; never negative. */
function asUsd(value: unknown): number | null {
  let n: number;
  if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d*\.?\d+([eE][-+]?\d+)?\s*$/.test(value)) n = Number(value);
  else return null;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Text for display: strings as they are, anything else as compact JSON. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof KeyValueList || value instanceof Uint8Array) return textOf(toPlain(value));
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return String(value);
  }
}

/** Attributes as a map; a repeated key keeps its last value, as OTLP maps do. */
function attributeMap(attributes: readonly KeyValue[]): Map<string, AnyValue> {
  const map = new Map<string, AnyValue>();
  for (const [k, v] of attributes) map.set(k, v);
  return map;
}

// ---------------------------------------------------------------------------------------------
// The mapping table
// ---------------------------------------------------------------------------------------------

export type Convention =
  | 'otel-genai'
  | 'otel-genai-deprecated'
  | 'openinference'
  | 'openllmetry'
  | 'mlflow'
  | 'langsmith'
  | 'langfuse'
  | 'vercel-ai'
  | 'otel-general'
  | 'inferred';

/** What a row fills. `model` is a model name that is neither explicitly request nor response. */
export type Target =
  | 'spanType'
  | 'provider'
  | 'responseModel'
  | 'model'
  | 'requestModel'
  | 'inputTokens'
  | 'outputTokens'
  | 'totalTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | 'costUsd'
  | 'sessionId'
  | 'userId';

/** Turns an attribute's value into the target's value, or null when it does not apply. */
export type Transform = (value: AnyValue, attributes: AttributeReader) => string | number | null;

/** What a transform may ask of the span's other attributes (a Map is one). */
export interface AttributeReader {
  get(key: string): AnyValue | undefined;
}

export interface MappingRow {
  convention: Convention;
  /** The attribute key, or SPAN_NAME for the span's name. */
  key: string;
  target: Target;
  transform: Transform;
  /** Also looked up in the resource attributes when the span has no value (session, user). */
  resourceFallback?: boolean;
}

/** Stands for the span's name in MappingRow.key. */
export const SPAN_NAME = '<span name>';

// Transforms ------------------------------------------------------------------------------------

const text: Transform = (v) => asText(v);
const count: Transform = (v) => asCount(v);
const usd: Transform = (v) => asUsd(v);

/** A string value looked up, case-insensitively, in a value → SpanType table. */
function kind(table: Record<string, SpanType | null>): Transform {
  const lower = new Map(Object.entries(table).map(([k, t]) => [k.toLowerCase(), t]));
  return (v) => {
    let s = asText(v);
    // MLflow writes attribute values as JSON, so a string can arrive quoted.
    if (s && s.length > 1 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
    return s === null ? null : (lower.get(s.toLowerCase()) ?? null);
  };
}

/** The same, for MLflow's JSON-encoded string attributes ("\"gpt-4o\"" → gpt-4o). */
const jsonText: Transform = (v) => {
  const s = asText(v);
  if (s && s.startsWith('"')) {
    try {
      return asText(JSON.parse(s));
    } catch {
      return s;
    }
  }
  return s;
};

/** A field of a JSON object held in the attribute (first present of `fields`). */
function jsonField(fields: string[], read: (v: unknown) => number | null): Transform {
  return (v) => {
    const data = jsonish(v);
    if (!isRecord(data)) return null;
    for (const f of fields) {
      const n = read(data[f]);
      if (n !== null) return n;
    }
    return null;
  };
}

/** Sum of the JSON object's fields whose names pass `pick`; null when none is a number. */
function jsonSum(pick: (field: string) => boolean, read: (v: unknown) => number | null): Transform {
  return (v) => {
    const data = jsonish(v);
    if (!isRecord(data)) return null;
    let sum: number | null = null;
    for (const [f, value] of Object.entries(data)) {
      if (!pick(f)) continue;
      const n = read(value);
      if (n !== null) sum = (sum ?? 0) + n;
    }
    return sum;
  };
}

// Langfuse's usage_details keys: input/output/total plus free-form detail keys such as
// input_cached_tokens, cache_read_input_tokens, input_cache_creation, output_reasoning_tokens.
// `input` excludes the cache details, which are priced apart, so the input column adds them.
const isLangfuseCacheRead = (f: string): boolean => /cache_?read|cached/.test(f);
const isLangfuseCacheWrite = (f: string): boolean => /cache_?(creation|write)/.test(f);
const isLangfuseInput = (f: string): boolean =>
  f === 'input' || f === 'prompt_tokens' || f === 'input_tokens' || f.startsWith('input_') || isLangfuseCacheRead(f) || isLangfuseCacheWrite(f);
const isLangfuseOutput = (f: string): boolean =>
  f === 'output' || f === 'completion_tokens' || f === 'output_tokens' || f.startsWith('output_');

/** OpenInference llm.cost.prompt + llm.cost.completion, when the span gives no total. */
const openInferencePartsCost: Transform = (v, attrs) => {
  const prompt = asUsd(v);
  const completion = asUsd(attrs.get('llm.cost.completion'));
  return prompt === null && completion === null ? null : (prompt ?? 0) + (completion ?? 0);
};

/** Vercel AI SDK provider ids name the API too ("openai.chat", "anthropic.messages"). */
const vercelProvider: Transform = (v) => {
  const s = asText(v);
  return s === null ? null : (s.split('.')[0] ?? s);
};

const VERCEL_OPERATIONS: Record<string, SpanType> = {
  // The provider calls are the model calls.
  'ai.generateText.doGenerate': 'llm',
  'ai.streamText.doStream': 'llm',
  'ai.generateObject.doGenerate': 'llm',
  'ai.streamObject.doStream': 'llm',
  'ai.embed.doEmbed': 'embedding',
  'ai.embedMany.doEmbed': 'embedding',
  'ai.toolCall': 'tool',
  // The outer calls wrap one or more provider calls and tool calls (steps); their usage is the
  // sum of their steps', so they are chains, not extra LLM calls.
  'ai.generateText': 'chain',
  'ai.streamText': 'chain',
  'ai.generateObject': 'chain',
  'ai.streamObject': 'chain',
  'ai.embed': 'chain',
  'ai.embedMany': 'chain',
};
const vercelOperation: Transform = (v) => {
  const s = asText(v);
  return s === null ? null : (VERCEL_OPERATIONS[s] ?? null);
};

// The table -------------------------------------------------------------------------------------
//
// Rows are grouped by target. Within a target the first row whose attribute is present and
// whose transform returns a value wins, so the order of rows is the order of precedence.

const row = (convention: Convention, key: string, target: Target, transform: Transform, resourceFallback?: boolean): MappingRow =>
  resourceFallback ? { convention, key, target, transform, resourceFallback } : { convention, key, target, transform };

export const MAPPING_TABLE: readonly MappingRow[] = [
  // span_type: the libraries' own span kinds first, then the operation names.
  row('openinference', 'openinference.span.kind', 'spanType', kind({
    LLM: 'llm', EMBEDDING: 'embedding', TOOL: 'tool', RETRIEVER: 'retriever', RERANKER: 'reranker', AGENT: 'agent',
    CHAIN: 'chain', GUARDRAIL: 'guardrail', EVALUATOR: 'evaluator', PROMPT: 'chain', UNKNOWN: null,
  })),
  row('openllmetry', 'traceloop.span.kind', 'spanType', kind({ workflow: 'chain', task: 'chain', agent: 'agent', tool: 'tool', unknown: null })),
  row('mlflow', 'mlflow.spanType', 'spanType', kind({
    LLM: 'llm', CHAT_MODEL: 'llm', EMBEDDING: 'embedding', TOOL: 'tool', RETRIEVER: 'retriever', RERANKER: 'reranker',
    AGENT: 'agent', CHAIN: 'chain', PARSER: 'chain', MEMORY: 'chain', UNKNOWN: null,
  })),
  row('langsmith', 'langsmith.span.kind', 'spanType', kind({
    llm: 'llm', chain: 'chain', tool: 'tool', retriever: 'retriever', embedding: 'embedding', prompt: 'chain', parser: 'chain',
  })),
  row('langfuse', 'langfuse.observation.type', 'spanType', kind({
    generation: 'llm', embedding: 'embedding', agent: 'agent', tool: 'tool', chain: 'chain', retriever: 'retriever',
    evaluator: 'evaluator', guardrail: 'guardrail', span: null, event: null,
  })),
  row('otel-genai', 'gen_ai.operation.name', 'spanType', kind({
    chat: 'llm', text_completion: 'llm', generate_content: 'llm', embeddings: 'embedding', execute_tool: 'tool',
    invoke_agent: 'agent', create_agent: 'agent', invoke_workflow: 'chain', retrieval: 'retriever',
  })),
  row('openllmetry', 'llm.request.type', 'spanType', kind({ chat: 'llm', completion: 'llm', embedding: 'embedding', rerank: 'reranker' })),
  row('vercel-ai', 'ai.operationId', 'spanType', vercelOperation),
  row('vercel-ai', SPAN_NAME, 'spanType', vercelOperation),
  // A span that names the model it asked for is a model call, whatever else it lacks.
  row('inferred', 'gen_ai.request.model', 'spanType', (v) => (asText(v) ? 'llm' : null)),

  // llm_provider
  row('otel-genai', 'gen_ai.provider.name', 'provider', text),
  row('otel-genai-deprecated', 'gen_ai.system', 'provider', text),
  row('openinference', 'llm.provider', 'provider', text),
  row('openinference', 'llm.system', 'provider', text),
  row('vercel-ai', 'ai.model.provider', 'provider', vercelProvider),
  row('openllmetry', 'llm.vendor', 'provider', text),

  // llm_model: the response model, else a model name, else the request model.
  row('otel-genai', 'gen_ai.response.model', 'responseModel', text),
  row('openinference', 'llm.response.model_name', 'responseModel', text),
  row('vercel-ai', 'ai.response.model', 'responseModel', text),
  row('openinference', 'llm.model_name', 'model', text),
  row('openinference', 'embedding.model_name', 'model', text),
  row('openinference', 'reranker.model_name', 'model', text),
  row('mlflow', 'mlflow.llm.model', 'model', jsonText),
  row('langfuse', 'langfuse.observation.model.name', 'model', text),
  row('otel-genai', 'gen_ai.request.model', 'requestModel', text),
  row('openinference', 'llm.request.model_name', 'requestModel', text),
  row('vercel-ai', 'ai.model.id', 'requestModel', text),

  // input_tokens (all prompt tokens, cached ones included)
  row('otel-genai', 'gen_ai.usage.input_tokens', 'inputTokens', count),
  row('otel-genai-deprecated', 'gen_ai.usage.prompt_tokens', 'inputTokens', count),
  row('openinference', 'llm.token_count.prompt', 'inputTokens', count),
  row('vercel-ai', 'ai.usage.inputTokens', 'inputTokens', count),
  row('vercel-ai', 'ai.usage.promptTokens', 'inputTokens', count),
  row('vercel-ai', 'ai.usage.tokens', 'inputTokens', count),
  row('mlflow', 'mlflow.chat.tokenUsage', 'inputTokens', jsonField(['input_tokens', 'prompt_tokens'], asCount)),
  row('langfuse', 'langfuse.observation.usage_details', 'inputTokens', jsonSum(isLangfuseInput, asCount)),

  // output_tokens (reasoning tokens included)
  row('otel-genai', 'gen_ai.usage.output_tokens', 'outputTokens', count),
  row('otel-genai-deprecated', 'gen_ai.usage.completion_tokens', 'outputTokens', count),
  row('openinference', 'llm.token_count.completion', 'outputTokens', count),
  row('vercel-ai', 'ai.usage.outputTokens', 'outputTokens', count),
  row('vercel-ai', 'ai.usage.completionTokens', 'outputTokens', count),
  row('mlflow', 'mlflow.chat.tokenUsage', 'outputTokens', jsonField(['output_tokens', 'completion_tokens'], asCount)),
  row('langfuse', 'langfuse.observation.usage_details', 'outputTokens', jsonSum(isLangfuseOutput, asCount)),

  // total_tokens as stated; input + output otherwise
  row('openllmetry', 'gen_ai.usage.total_tokens', 'totalTokens', count),
  row('openllmetry', 'llm.usage.total_tokens', 'totalTokens', count),
  row('openinference', 'llm.token_count.total', 'totalTokens', count),
  row('vercel-ai', 'ai.usage.totalTokens', 'totalTokens', count),
  row('mlflow', 'mlflow.chat.tokenUsage', 'totalTokens', jsonField(['total_tokens'], asCount)),
  row('langfuse', 'langfuse.observation.usage_details', 'totalTokens', jsonField(['total'], asCount)),

  // cache reads and writes (part of the input tokens), reasoning (part of the output tokens)
  row('otel-genai', 'gen_ai.usage.cache_read.input_tokens', 'cacheReadTokens', count),
  row('otel-genai-deprecated', 'gen_ai.usage.cache_read_input_tokens', 'cacheReadTokens', count),
  row('openinference', 'llm.token_count.prompt_details.cache_read', 'cacheReadTokens', count),
  row('vercel-ai', 'ai.usage.cachedInputTokens', 'cacheReadTokens', count),
  row('langfuse', 'langfuse.observation.usage_details', 'cacheReadTokens', jsonSum(isLangfuseCacheRead, asCount)),
  row('otel-genai', 'gen_ai.usage.cache_creation.input_tokens', 'cacheWriteTokens', count),
  row('otel-genai-deprecated', 'gen_ai.usage.cache_creation_input_tokens', 'cacheWriteTokens', count),
  row('openinference', 'llm.token_count.prompt_details.cache_write', 'cacheWriteTokens', count),
  row('langfuse', 'langfuse.observation.usage_details', 'cacheWriteTokens', jsonSum(isLangfuseCacheWrite, asCount)),
  row('otel-genai', 'gen_ai.usage.reasoning.output_tokens', 'reasoningTokens', count),
  row('openllmetry', 'gen_ai.usage.reasoning_tokens', 'reasoningTokens', count),
  row('openinference', 'llm.token_count.completion_details.reasoning', 'reasoningTokens', count),
  row('vercel-ai', 'ai.usage.reasoningTokens', 'reasoningTokens', count),
  row('langfuse', 'langfuse.observation.usage_details', 'reasoningTokens', jsonSum((f) => /reasoning/.test(f), asCount)),

  // cost_usd the span states (the price table is the fallback, applied after the table)
  row('openinference', 'llm.cost.total', 'costUsd', usd),
  row('openinference', 'llm.cost.prompt', 'costUsd', openInferencePartsCost),
  row('mlflow', 'mlflow.llm.cost', 'costUsd', jsonField(['total_cost'], asUsd)),
  row('langfuse', 'langfuse.observation.cost_details', 'costUsd', (v, attrs) =>
    jsonField(['total'], asUsd)(v, attrs) ?? jsonSum((f) => f !== 'total', asUsd)(v, attrs)),

  // session_id
  row('otel-genai', 'gen_ai.conversation.id', 'sessionId', text, true),
  row('openinference', 'session.id', 'sessionId', text, true),
  row('langfuse', 'langfuse.session.id', 'sessionId', text, true),
  row('langsmith', 'langsmith.trace.session_id', 'sessionId', text, true),
  row('langsmith', 'langsmith.metadata.session_id', 'sessionId', text, true),
  row('vercel-ai', 'ai.telemetry.metadata.sessionId', 'sessionId', text, true),
  row('openllmetry', 'traceloop.association.properties.session_id', 'sessionId', text, true),

  // user_id
  row('openinference', 'user.id', 'userId', text, true),
  row('langfuse', 'langfuse.user.id', 'userId', text, true),
  row('langsmith', 'langsmith.metadata.user_id', 'userId', text, true),
  row('vercel-ai', 'ai.telemetry.metadata.userId', 'userId', text, true),
  row('openllmetry', 'traceloop.association.properties.user_id', 'userId', text, true),
  row('otel-general', 'enduser.id', 'userId', text, true),
];

// ---------------------------------------------------------------------------------------------
// Applying the table
// ---------------------------------------------------------------------------------------------

type Found = Partial<Record<Target, string | number>>;

/**
 * Which rows of MAPPING_TABLE read each key, as table positions in ascending order. A span has
 * ~10 attributes and the table ~80 rows, so looking up the span's own keys and applying only the
 * rows they name (in table order, so the first row to find a target still wins) does an eighth
 * of the work of asking every row; walking the table was ~20% of building a span's row.
 */
function rowsByKey(rows: readonly { index: number; row: MappingRow }[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const { index, row } of rows) {
    const list = byKey.get(row.key);
    if (list) list.push(index);
    else byKey.set(row.key, [index]);
  }
  return byKey;
}
const INDEXED_ROWS = MAPPING_TABLE.map((row, index) => ({ index, row }));
const SPAN_ROWS_BY_KEY = rowsByKey(INDEXED_ROWS);
const SPAN_NAME_ROWS = SPAN_ROWS_BY_KEY.get(SPAN_NAME) ?? [];
const RESOURCE_ROWS_BY_KEY = rowsByKey(INDEXED_ROWS.filter(({ row }) => row.resourceFallback));

/** Which table rows applyRows has to apply, and the value each reads (reset after each use). */
const marked = new Uint8Array(MAPPING_TABLE.length);
const markedValues: AnyValue[] = MAPPING_TABLE.map(() => null);

/** A span's attributes by key, a repeated key's last value (as OTLP maps); no Map built. */
class AttributeList implements AttributeReader {
  constructor(readonly attributes: readonly KeyValue[]) {}
  get(key: string): AnyValue | undefined {
    const list = this.attributes;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]![0] === key) return list[i]![1];
    return undefined;
  }
}

/**
 * Applies, in table order, the rows of `byKey` that read one of `attributes`' keys (and
 * `first`). The rows are marked in a table-sized array and walked in order, with the value each
 * reads: no list of positions to concatenate and sort, no Map of the attributes (which were ~30%
 * of a span's normalisation).
 */
function applyRows(
  found: Found,
  attrs: AttributeList,
  byKey: ReadonlyMap<string, number[]>,
  first: readonly number[],
  spanName: string | null,
): void {
  let lo = MAPPING_TABLE.length;
  let hi = -1;
  for (const i of first) {
    marked[i] = 1;
    if (i < lo) lo = i;
    if (i > hi) hi = i;
  }
  for (const [key, value] of attrs.attributes) {
    const rows = byKey.get(key);
    if (rows === undefined) continue;
    for (const i of rows) {
      // A repeated key: the last value, as the Map of the attributes had it.
      marked[i] = 1;
      markedValues[i] = value;
      if (i < lo) lo = i;
      if (i > hi) hi = i;
    }
  }
  try {
    for (let i = lo; i <= hi; i++) {
      if (marked[i] === 0) continue;
      marked[i] = 0;
      const markedValue = markedValues[i]!;
      markedValues[i] = null;
      const r = MAPPING_TABLE[i]!;
      if (found[r.target] !== undefined) continue;
      const value = r.key === SPAN_NAME ? spanName : markedValue;
      if (value === null && r.key === SPAN_NAME) continue;
      const result = r.transform(value, attrs);
      if (result !== null) found[r.target] = result;
    }
  } catch (error) {
    // A transform that throws: the marks after it are cleared too, so none reaches the next span.
    marked.fill(0, lo, hi + 1);
    markedValues.fill(null, lo, hi + 1);
    throw error;
  }
}

function applyTable(span: SpanForNormalize): Found {
  const found: Found = {};
  applyRows(found, new AttributeList(span.attributes), SPAN_ROWS_BY_KEY, SPAN_NAME_ROWS, span.name);
  if ((found.sessionId === undefined || found.userId === undefined) && span.resourceAttributes.length > 0) {
    applyRows(found, new AttributeList(span.resourceAttributes), RESOURCE_ROWS_BY_KEY, [], null);
  }
  return found;
}

const str = (v: string | number | undefined): string | null => (v === undefined ? null : String(v));
const num = (v: string | number | undefined): number | null => (typeof v === 'number' ? v : null);

/** Span types whose token counts are the sum of their children's (see NormalizedLlmSpan.aggregate). */
const AGGREGATE_TYPES: ReadonlySet<SpanType> = new Set<SpanType>(['agent', 'chain']);

/**
 * Everything the mapping finds in one span: the `spans` view's LLM columns plus request and
 * response model, cache and reasoning tokens, and where the cost came from. `prices` defaults to
 * the bundled table.
 */
export function normalizeLlmSpan(span: SpanForNormalize, prices?: PriceTable): NormalizedLlmSpan {
  const found = applyTable(span);
  const spanType = (found.spanType as SpanType | undefined) ?? null;
  const responseModel = str(found.responseModel);
  const requestModel = str(found.requestModel);
  const llmModel = responseModel ?? str(found.model) ?? requestModel;

  const inputTokens = num(found.inputTokens);
  const outputTokens = num(found.outputTokens);
  const cacheReadTokens = num(found.cacheReadTokens);
  const cacheWriteTokens = num(found.cacheWriteTokens);
  const totalTokens = num(found.totalTokens) ?? (inputTokens === null && outputTokens === null ? null : (inputTokens ?? 0) + (outputTokens ?? 0));

  let costUsd = num(found.costUsd);
  let costSource: NormalizedLlmSpan['costSource'] = costUsd === null ? null : 'span';
  if (costUsd === null) {
    const usage = { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens };
    for (const model of [responseModel, str(found.model), requestModel]) {
      costUsd = costFor(model, usage, prices ?? DEFAULT_PRICE_TABLE);
      if (costUsd !== null) {
        costSource = 'table';
        break;
      }
    }
  }

  const aggregate = spanType !== null && AGGREGATE_TYPES.has(spanType);
  const hasUsage = inputTokens !== null || outputTokens !== null || totalTokens !== null || costUsd !== null;
  return {
    spanType,
    llmProvider: str(found.provider),
    llmModel,
    inputTokens: aggregate ? null : inputTokens,
    outputTokens: aggregate ? null : outputTokens,
    totalTokens: aggregate ? null : totalTokens,
    costUsd: aggregate ? null : costUsd,
    sessionId: str(found.sessionId),
    userId: str(found.userId),
    requestModel,
    responseModel,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: num(found.reasoningTokens),
    costSource: aggregate ? null : costSource,
    aggregate,
    aggregateUsage:
      aggregate && hasUsage ? { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, totalTokens, costUsd } : null,
  };
}

/** The `spans` view's LLM columns for one span; what ingest writes. */
export function normalizeLlmColumns(span: SpanForNormalize, prices?: PriceTable): LlmColumns {
  const n = normalizeLlmSpan(span, prices);
  return {
    spanType: n.spanType,
    llmProvider: n.llmProvider,
    llmModel: n.llmModel,
    inputTokens: n.inputTokens,
    outputTokens: n.outputTokens,
    totalTokens: n.totalTokens,
    costUsd: n.costUsd,
    sessionId: n.sessionId,
    userId: n.userId,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

const ROLE_ALIASES: Record<string, string> = { human: 'user', ai: 'assistant', model: 'assistant', bot: 'assistant', function: 'tool' };

function normalizeRole(role: unknown, fallback: string): string {
  const r = asText(role)?.toLowerCase();
  if (!r) return fallback;
  return ROLE_ALIASES[r] ?? r;
}

/** Tool-call arguments as text: JSON text stays as written; objects become JSON. */
function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : textOf(value ?? '');
}

function toolCallPart(obj: Record<string, unknown>): MessagePart | null {
  const fn = isRecord(obj.function) ? obj.function : undefined;
  const name = asText(fn?.name ?? obj.name ?? obj.toolName);
  if (!name) return null;
  const id = asText(obj.id ?? obj.toolCallId ?? obj.call_id);
  const args = fn ? fn.arguments : (obj.arguments ?? obj.args ?? obj.input);
  return { type: 'tool_call', ...(id ? { id } : {}), name, arguments: argumentsText(args) };
}

function toolResultPart(id: unknown, content: unknown): MessagePart {
  const i = asText(id);
  return { type: 'tool_result', ...(i ? { id: i } : {}), content: contentText(content) };
}

/** Text of a content value that may itself be a list of parts. */
function contentText(content: unknown): string {
  if (Array.isArray(content) && content.every((p) => isRecord(p) && typeof p.type === 'string')) {
    return partsFrom(content)
      .map((p) => (p.type === 'text' ? p.text : p.type === 'tool_result' ? p.content : p.type === 'other' ? p.value : p.arguments))
      .join('\n');
  }
  // Vercel AI SDK v5 tool outputs: { type: 'text' | 'json' | ..., value }.
  if (isRecord(content) && typeof content.type === 'string' && 'value' in content) return textOf(content.value);
  return textOf(content);
}

/** One content part in any of the shapes the conventions and provider APIs use. */
function partFrom(p: unknown): MessagePart | null {
  if (p === null || p === undefined) return null;
  if (typeof p === 'string') return { type: 'text', text: p };
  if (!isRecord(p)) return { type: 'other', value: textOf(p) };
  const type = typeof p.type === 'string' ? p.type : undefined;
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: textOf(p.text ?? p.content) };
    case 'tool_call': // OpenTelemetry GenAI
    case 'tool_use': // Anthropic
    case 'tool-call': // Vercel AI SDK
    case 'function_call': // OpenAI Responses API
    case 'function':
      return toolCallPart(p) ?? { type: 'other', kind: type, value: textOf(p) };
    case 'tool_call_response':
      return toolResultPart(p.id, p.response);
    case 'tool_result':
      return toolResultPart(p.tool_use_id ?? p.id, p.content);
    case 'tool-result':
      return toolResultPart(p.toolCallId, p.output ?? p.result);
    case 'function_call_output':
      return toolResultPart(p.call_id, p.output);
    case 'reasoning':
    case 'thinking':
      return { type: 'other', kind: 'reasoning', value: textOf(p.content ?? p.text ?? p.thinking ?? p.summary) };
    case 'blob':
      return { type: 'other', kind: 'blob', value: `[${asText(p.mime_type) ?? asText(p.modality) ?? 'binary'} data]` };
    case 'uri':
    case 'file_data':
    case 'image_url':
    case 'image':
    case 'file': {
      const url = isRecord(p.image_url) ? p.image_url.url : (p.uri ?? p.url ?? p.image_url ?? p.file_id);
      return { type: 'other', kind: type, value: typeof url === 'string' ? url : textOf(p) };
    }
    default:
      break;
  }
  if (type === undefined) {
    // Gemini parts and untyped objects.
    if (typeof p.text === 'string') return { type: 'text', text: p.text };
    if (isRecord(p.functionCall)) {
      const name = asText(p.functionCall.name) ?? 'function';
      return { type: 'tool_call', name, arguments: argumentsText(p.functionCall.args) };
    }
    if (isRecord(p.functionResponse)) return toolResultPart(p.functionResponse.id, p.functionResponse.response);
  }
  return { type: 'other', ...(type ? { kind: type } : {}), value: textOf(p) };
}

function partsFrom(list: unknown[]): MessagePart[] {
  const parts: MessagePart[] = [];
  for (const p of list) {
    const part = partFrom(p);
    if (part) parts.push(part);
  }
  return parts;
}

/** A message's content: text, a JSON list of parts written as text, or a list of parts. */
function contentParts(content: unknown): MessagePart[] {
  if (content === undefined || content === null || content === '') return [];
  if (typeof content === 'string') {
    const t = content.trimStart();
    if (t.startsWith('[{')) {
      const parsed = jsonish(content);
      if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => isRecord(p) && typeof p.type === 'string')) return partsFrom(parsed);
    }
    return [{ type: 'text', text: content }];
  }
  if (Array.isArray(content)) return partsFrom(content);
  const part = partFrom(content);
  return part ? [part] : [];
}

/** A message object in any of the common shapes (OTel GenAI, OpenAI, Anthropic, Vercel, LangChain, Gemini). */
function messageFrom(raw: unknown, fallbackRole: string): ChatMessage | null {
  if (typeof raw === 'string') return { role: fallbackRole, parts: [{ type: 'text', text: raw }] };
  if (!isRecord(raw)) return null;
  let m = raw;
  // LangChain serialised messages: { lc: 1, type: 'constructor', id: [..., 'HumanMessage'], kwargs: {...} }
  let lcRole: string | undefined;
  if (m.lc !== undefined && isRecord(m.kwargs)) {
    const cls = Array.isArray(m.id) ? String(m.id[m.id.length - 1] ?? '') : '';
    lcRole = cls.replace(/MessageChunk$|Message$/, '').toLowerCase() || undefined;
    m = m.kwargs;
  }
  const role = normalizeRole(m.role ?? lcRole ?? (typeof m.type === 'string' && !('parts' in m) ? m.type : undefined), fallbackRole);
  let parts: MessagePart[];
  if (Array.isArray(m.parts)) parts = partsFrom(m.parts);
  else parts = contentParts(m.content ?? m.text);
  const toolCalls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  for (const tc of toolCalls) {
    if (isRecord(tc)) {
      const part = toolCallPart(tc);
      if (part) parts.push(part);
    }
  }
  if (isRecord(m.function_call)) {
    const part = toolCallPart({ function: m.function_call });
    if (part) parts.push(part);
  }
  const toolCallId = asText(m.tool_call_id ?? m.toolCallId);
  if (role === 'tool') parts = parts.map((p) => (p.type === 'text' ? toolResultPart(toolCallId, p.text) : p));
  const message: ChatMessage = { role, parts };
  const finish = asText(m.finish_reason ?? m.finishReason ?? m.stop_reason);
  if (finish) message.finishReason = finish;
  const name = asText(m.name);
  if (name) message.name = name;
  return message;
}

function messagesFrom(list: unknown[], fallbackRole: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const raw of list.flat()) {
    const m = messageFrom(raw, fallbackRole);
    if (m) out.push(m);
  }
  return out;
}

/** A request payload: a message list, { messages }, { prompt }, LangChain's [[messages]]. */
function requestMessages(data: unknown): ChatMessage[] {
  if (Array.isArray(data)) return messagesFrom(data, 'user');
  if (!isRecord(data)) return [];
  const out: ChatMessage[] = [];
  if (typeof data.system === 'string') out.push({ role: 'system', parts: [{ type: 'text', text: data.system }] });
  if (Array.isArray(data.messages)) out.push(...messagesFrom(data.messages, 'user'));
  else if (Array.isArray(data.input)) out.push(...messagesFrom(data.input, 'user'));
  else if (typeof data.prompt === 'string') out.push({ role: 'user', parts: [{ type: 'text', text: data.prompt }] });
  else if (Array.isArray(data.prompt)) out.push(...messagesFrom(data.prompt, 'user'));
  return out;
}

/** A response payload: OpenAI chat/completions/responses, Anthropic, Gemini, LangChain, a list. */
function responseMessages(data: unknown): ChatMessage[] {
  if (Array.isArray(data)) return messagesFrom(data, 'assistant');
  if (!isRecord(data)) return [];
  if (Array.isArray(data.choices)) {
    const out: ChatMessage[] = [];
    for (const choice of data.choices) {
      if (!isRecord(choice)) continue;
      const m = messageFrom(choice.message ?? choice.delta ?? (typeof choice.text === 'string' ? choice.text : undefined), 'assistant');
      if (!m) continue;
      const finish = asText(choice.finish_reason);
      if (finish) m.finishReason = finish;
      out.push(m);
    }
    return out;
  }
  if (Array.isArray(data.candidates)) {
    const out: ChatMessage[] = [];
    for (const c of data.candidates) {
      if (!isRecord(c)) continue;
      const m = messageFrom(c.content, 'assistant');
      if (!m) continue;
      const finish = asText(c.finishReason);
      if (finish) m.finishReason = finish;
      out.push(m);
    }
    return out;
  }
  if (Array.isArray(data.output)) {
    // OpenAI Responses API: message items and function_call items.
    const parts: MessagePart[] = [];
    for (const item of data.output) {
      if (!isRecord(item)) continue;
      if (item.type === 'message' && Array.isArray(item.content)) parts.push(...partsFrom(item.content));
      else {
        const part = partFrom(item);
        if (part) parts.push(part);
      }
    }
    return parts.length ? [{ role: 'assistant', parts }] : [];
  }
  if (Array.isArray(data.generations)) {
    const gens = data.generations.flat() as unknown[];
    return gens.flatMap((g) => {
      if (!isRecord(g)) return [];
      const m = messageFrom(g.message ?? g.text, 'assistant');
      return m ? [m] : [];
    });
  }
  if (Array.isArray(data.messages)) return messagesFrom(data.messages, 'assistant');
  if ('role' in data || 'content' in data || 'parts' in data) {
    const m = messageFrom(data, 'assistant');
    return m ? [m] : [];
  }
  return [];
}

// Flattened attributes (OpenInference llm.input_messages.0.message.role, Traceloop gen_ai.prompt.0.role):
// group "prefix.N.rest" keys by N, in index order.
function indexedGroups(attrs: ReadonlyMap<string, AnyValue>, prefix: string): Map<string, AnyValue>[] {
  const groups = new Map<number, Map<string, AnyValue>>();
  for (const [key, value] of attrs) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const index = Number(rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 0) continue;
    let g = groups.get(index);
    if (!g) groups.set(index, (g = new Map()));
    g.set(rest.slice(dot + 1), value);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

function openInferenceMessages(attrs: ReadonlyMap<string, AnyValue>, prefix: string, fallbackRole: string): ChatMessage[] {
  return indexedGroups(attrs, prefix).map((g) => {
    const role = normalizeRole(g.get('message.role'), fallbackRole);
    let parts = contentParts(g.get('message.content'));
    for (const c of indexedGroups(g, 'message.contents.')) {
      const type = asText(c.get('message_content.type')) ?? 'text';
      const t = c.get('message_content.text');
      if (t !== undefined && (type === 'text' || type === 'reasoning')) {
        parts.push(type === 'text' ? { type: 'text', text: textOf(t) } : { type: 'other', kind: 'reasoning', value: textOf(t) });
      } else {
        const url = c.get('message_content.image.image.url') ?? c.get('message_content.audio.audio.url');
        parts.push({ type: 'other', kind: type, value: url !== undefined ? textOf(url) : textOf(t) });
      }
    }
    for (const tc of indexedGroups(g, 'message.tool_calls.')) {
      const name = asText(tc.get('tool_call.function.name'));
      if (!name) continue;
      const id = asText(tc.get('tool_call.id'));
      parts.push({ type: 'tool_call', ...(id ? { id } : {}), name, arguments: argumentsText(toPlain(tc.get('tool_call.function.arguments') ?? '')) });
    }
    const fnName = asText(g.get('message.function_call_name'));
    if (fnName) parts.push({ type: 'tool_call', name: fnName, arguments: textOf(g.get('message.function_call_arguments_json') ?? '') });
    if (role === 'tool') {
      const id = g.get('message.tool_call_id');
      parts = parts.map((p) => (p.type === 'text' ? toolResultPart(id, p.text) : p));
    }
    const message: ChatMessage = { role, parts };
    const name = asText(g.get('message.name'));
    if (name) message.name = name;
    return message;
  });
}

function traceloopMessages(attrs: ReadonlyMap<string, AnyValue>, prefix: string, fallbackRole: string): ChatMessage[] {
  return indexedGroups(attrs, prefix).map((g) => {
    const role = normalizeRole(g.get('role'), fallbackRole);
    const content = g.get('content');
    let parts = contentParts(content === undefined ? undefined : toPlain(content));
    for (const tc of indexedGroups(g, 'tool_calls.')) {
      const name = asText(tc.get('name'));
      if (!name) continue;
      const id = asText(tc.get('id'));
      parts.push({ type: 'tool_call', ...(id ? { id } : {}), name, arguments: argumentsText(toPlain(tc.get('arguments') ?? '')) });
    }
    const fnName = asText(g.get('function_call.name'));
    if (fnName) parts.push({ type: 'tool_call', name: fnName, arguments: textOf(g.get('function_call.arguments') ?? '') });
    if (role === 'tool') {
      const id = g.get('tool_call_id');
      parts = parts.map((p) => (p.type === 'text' ? toolResultPart(id, p.text) : p));
    }
    const message: ChatMessage = { role, parts };
    const finish = asText(g.get('finish_reason'));
    if (finish) message.finishReason = finish;
    return message;
  });
}

// The deprecated per-message events (span events or log records).
const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};
const CHOICE_EVENT = 'gen_ai.choice';
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

interface EventRecord {
  name: string;
  body: unknown;
  attributes: ReadonlyMap<string, AnyValue>;
}

/** A span event's "body": gen_ai.event.content JSON when present, else its attributes as an object. */
function spanEventBody(attrs: ReadonlyMap<string, AnyValue>): unknown {
  const content = attrs.get('gen_ai.event.content');
  if (content !== undefined) return jsonish(content) ?? toPlain(content);
  const body: Record<string, unknown> = {};
  for (const [k, v] of attrs) if (k !== 'gen_ai.system' && k !== 'event.name') body[k] = jsonish(v) ?? toPlain(v);
  return body;
}

function eventMessage(e: EventRecord): { message: ChatMessage; output: boolean; index: number } | null {
  const body = e.body;
  if (e.name === CHOICE_EVENT) {
    const b = isRecord(body) ? body : {};
    const m = messageFrom(isRecord(b.message) ? b.message : { content: b.message ?? '' }, 'assistant') ?? { role: 'assistant', parts: [] };
    const finish = asText(b.finish_reason);
    if (finish) m.finishReason = finish;
    return { message: m, output: true, index: asCount(b.index) ?? 0 };
  }
  const role = MESSAGE_EVENTS[e.name];
  if (!role) return null;
  const b = isRecord(body) ? body : { content: body };
  // A gen_ai.tool.message body names its tool call `id`.
  const m = messageFrom({ ...b, role: b.role ?? role, ...(role === 'tool' ? { tool_call_id: b.tool_call_id ?? b.id } : {}) }, role);
  return m ? { message: m, output: false, index: 0 } : null;
}

function eventMessages(events: EventRecord[]): { input: ChatMessage[]; output: ChatMessage[] } {
  const input: ChatMessage[] = [];
  const choices: { message: ChatMessage; index: number }[] = [];
  for (const e of events) {
    const r = eventMessage(e);
    if (!r) continue;
    if (r.output) choices.push(r);
    else input.push(r.message);
  }
  choices.sort((a, b) => a.index - b.index);
  return { input, output: choices.map((c) => c.message) };
}

function eventRecords(span: SpanForNormalize, logs: readonly LogForMessages[] | undefined): { fromSpan: EventRecord[]; fromLogs: EventRecord[] } {
  const fromSpan = (span.events ?? []).map((e) => {
    const attributes = attributeMap(e.attributes);
    return { name: e.name, body: spanEventBody(attributes), attributes };
  });
  const fromLogs = (logs ?? []).map((l) => {
    const attributes = attributeMap(l.attributes);
    const name = l.eventName || asText(attributes.get('event.name')) || '';
    return { name, body: jsonish(l.body) ?? toPlain(l.body), attributes };
  });
  return { fromSpan, fromLogs };
}

function systemText(value: AnyValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const data = jsonish(value) ?? toPlain(value);
  if (typeof data === 'string') return data || undefined;
  const parts = Array.isArray(data) ? partsFrom(data) : contentParts(data);
  const text = parts.map((p) => (p.type === 'text' ? p.text : p.type === 'other' ? p.value : '')).filter(Boolean).join('\n');
  return text || undefined;
}

function toolDefinition(raw: unknown): ToolDefinition | null {
  if (typeof raw === 'string') return toolDefinition(jsonish(raw));
  if (!isRecord(raw)) return null;
  const fn = isRecord(raw.function) ? raw.function : raw;
  const name = asText(fn.name);
  if (!name) return null;
  const def: ToolDefinition = { name };
  const description = asText(fn.description);
  if (description) def.description = description;
  const parameters = fn.parameters ?? fn.inputSchema ?? fn.input_schema;
  if (parameters !== undefined && parameters !== null) def.parameters = argumentsText(parameters);
  return def;
}

function toolDefinitions(attrs: ReadonlyMap<string, AnyValue>): ToolDefinition[] {
  const defs: ToolDefinition[] = [];
  const push = (d: ToolDefinition | null): void => {
    if (d) defs.push(d);
  };
  const otel = jsonish(attrs.get('gen_ai.tool.definitions'));
  if (Array.isArray(otel)) otel.forEach((d) => push(toolDefinition(d)));
  if (defs.length) return defs;
  for (const g of indexedGroups(attrs, 'llm.tools.')) {
    const schema = g.get('tool.json_schema');
    const fromSchema = schema !== undefined ? toolDefinition(jsonish(schema)) : null;
    push(
      fromSchema ??
        toolDefinition({ name: g.get('tool.name'), description: g.get('tool.description'), parameters: jsonish(g.get('tool.parameters')) ?? g.get('tool.parameters') }),
    );
  }
  if (defs.length) return defs;
  const vercel = attrs.get('ai.prompt.tools');
  if (vercel !== undefined) {
    const list = Array.isArray(vercel) ? vercel.map(toPlain) : jsonish(vercel);
    if (Array.isArray(list)) list.forEach((d) => push(toolDefinition(d)));
  }
  if (defs.length) return defs;
  for (const g of indexedGroups(attrs, 'llm.request.functions.')) {
    push(toolDefinition({ name: g.get('name'), description: g.get('description'), parameters: jsonish(g.get('parameters')) ?? g.get('parameters') }));
  }
  return defs;
}

function documents(attrs: ReadonlyMap<string, AnyValue>): RetrievedDocument[] {
  const docs: RetrievedDocument[] = [];
  for (const prefix of ['retrieval.documents.', 'reranker.output_documents.']) {
    for (const g of indexedGroups(attrs, prefix)) {
      const doc: RetrievedDocument = { content: textOf(g.get('document.content') ?? '') };
      const id = asText(g.get('document.id'));
      if (id) doc.id = id;
      const score = asUsd(g.get('document.score'));
      if (score !== null) doc.score = score;
      const metadata = g.get('document.metadata');
      if (metadata !== undefined) doc.metadata = textOf(metadata);
      docs.push(doc);
    }
    if (docs.length) return docs;
  }
  const otel = jsonish(attrs.get('gen_ai.retrieval.documents'));
  if (Array.isArray(otel)) {
    for (const d of otel) {
      if (!isRecord(d)) continue;
      const doc: RetrievedDocument = { content: textOf(d.content ?? d.text ?? '') };
      const id = asText(d.id);
      if (id) doc.id = id;
      const score = typeof d.score === 'number' ? d.score : null;
      if (score !== null) doc.score = score;
      docs.push(doc);
    }
  }
  return docs;
}

// A tool execution as a call and its result: OTel execute_tool, Vercel ai.toolCall, OpenInference TOOL.
function toolExecution(attrs: ReadonlyMap<string, AnyValue>): { input: ChatMessage[]; output: ChatMessage[] } | null {
  const sets: [name: string, id: string, args: string, result: string][] = [
    ['gen_ai.tool.name', 'gen_ai.tool.call.id', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'],
    ['ai.toolCall.name', 'ai.toolCall.id', 'ai.toolCall.args', 'ai.toolCall.result'],
    ['ai.toolCall.name', 'ai.toolCall.id', 'ai.toolCall.input', 'ai.toolCall.output'],
  ];
  const oiTool = asText(attrs.get('openinference.span.kind'))?.toUpperCase() === 'TOOL';
  if (oiTool) sets.push(['tool.name', 'tool.id', 'input.value', 'output.value']);
  for (const [nameKey, idKey, argsKey, resultKey] of sets) {
    const name = asText(attrs.get(nameKey));
    const args = attrs.get(argsKey);
    const result = attrs.get(resultKey);
    if (!name || (args === undefined && result === undefined)) continue;
    const id = asText(attrs.get(idKey));
    const input: ChatMessage[] = [
      { role: 'assistant', parts: [{ type: 'tool_call', ...(id ? { id } : {}), name, arguments: argumentsText(args === undefined ? '' : toPlain(args)) }] },
    ];
    const output: ChatMessage[] = result === undefined ? [] : [{ role: 'tool', parts: [toolResultPart(id, toPlain(result))] }];
    return { input, output };
  }
  return null;
}

// Vercel AI SDK outputs: ai.response.* (v4.1+) or ai.result.* (earlier).
function vercelOutput(attrs: ReadonlyMap<string, AnyValue>): ChatMessage[] {
  const textValue = attrs.get('ai.response.text') ?? attrs.get('ai.result.text');
  const objectValue = attrs.get('ai.response.object') ?? attrs.get('ai.result.object');
  const calls = jsonish(attrs.get('ai.response.toolCalls') ?? attrs.get('ai.result.toolCalls'));
  const parts: MessagePart[] = [];
  if (textValue !== undefined && asText(textValue)) parts.push({ type: 'text', text: textOf(textValue) });
  if (objectValue !== undefined) parts.push({ type: 'text', text: textOf(toPlain(objectValue)) });
  if (Array.isArray(calls)) {
    for (const c of calls) {
      if (!isRecord(c)) continue;
      const part = toolCallPart(c);
      if (part) parts.push(part);
    }
  }
  if (parts.length === 0) return [];
  const m: ChatMessage = { role: 'assistant', parts };
  const finish = asText(attrs.get('ai.response.finishReason') ?? attrs.get('ai.finishReason'));
  if (finish) m.finishReason = finish;
  return [m];
}

/** A raw input or output value: messages when it is a message payload, else one message with its text. */
function rawMessages(value: AnyValue | undefined, side: 'input' | 'output'): ChatMessage[] {
  if (value === undefined) return [];
  const data = jsonish(value);
  if (data !== undefined) {
    const messages = side === 'input' ? requestMessages(data) : responseMessages(data);
    if (messages.length) return messages;
  }
  const t = typeof value === 'string' ? value : textOf(toPlain(value));
  return t === '' ? [] : [{ role: side, parts: [{ type: 'text', text: t }] }];
}

function firstNonEmpty(...candidates: (() => ChatMessage[])[]): ChatMessage[] {
  for (const c of candidates) {
    const messages = c();
    if (messages.length) return messages;
  }
  return [];
}

/** Finish reasons the span states apart from its messages, applied to messages that lack one. */
function applyFinishReasons(output: ChatMessage[], attrs: ReadonlyMap<string, AnyValue>): void {
  const listed = attrs.get('gen_ai.response.finish_reasons');
  const list = Array.isArray(listed) ? listed.map((v) => asText(v)) : null;
  const single = asText(attrs.get('llm.finish_reason') ?? attrs.get('ai.response.finishReason') ?? attrs.get('ai.finishReason') ?? attrs.get('gen_ai.response.finish_reason'));
  output.forEach((m, i) => {
    if (m.finishReason) return;
    const reason = list ? (list[i] ?? (list.length === 1 ? list[0] : null)) : single;
    if (reason) m.finishReason = reason;
  });
}

/**
 * The span's conversation, whatever convention wrote it: the input messages (system, user,
 * assistant tool calls, tool results), the output messages with finish reasons, system
 * instructions given apart, the tools offered, and retrieved documents. `logs` are the log
 * records of the same span (same trace and span id), in time order: the official OpenTelemetry
 * instrumentations send message content as log records rather than span attributes.
 * Per side (input, output) the first convention that yields messages wins.
 */
export function extractMessages(span: SpanForNormalize, logs?: readonly LogForMessages[]): NormalizedMessages {
  const attrs = attributeMap(span.attributes);
  const { fromSpan, fromLogs } = eventRecords(span, logs);
  const details = [...fromSpan, ...fromLogs].find((e) => e.name === DETAILS_EVENT);
  const detail = (key: string): AnyValue | undefined => attrs.get(key) ?? details?.attributes.get(key);
  const spanEvents = eventMessages(fromSpan);
  const logEvents = eventMessages(fromLogs);
  const tool = toolExecution(attrs);
  const contentEvent = (name: string, key: string): AnyValue | undefined => fromSpan.find((e) => e.name === name)?.attributes.get(key);

  const input = firstNonEmpty(
    () => requestMessages(jsonish(detail('gen_ai.input.messages'))),
    () => openInferenceMessages(attrs, 'llm.input_messages.', 'user'),
    () => traceloopMessages(attrs, 'gen_ai.prompt.', 'user'),
    () => spanEvents.input,
    () => logEvents.input,
    () => requestMessages(jsonish(attrs.get('ai.prompt.messages'))),
    () => requestMessages(jsonish(attrs.get('ai.prompt'))),
    () => requestMessages(jsonish(attrs.get('gen_ai.prompt') ?? contentEvent('gen_ai.content.prompt', 'gen_ai.prompt'))),
    () => tool?.input ?? [],
    () => rawMessages(attrs.get('mlflow.spanInputs'), 'input'),
    () => rawMessages(attrs.get('langfuse.observation.input'), 'input'),
    () => rawMessages(attrs.get('traceloop.entity.input'), 'input'),
    () => rawMessages(attrs.get('gen_ai.prompt') ?? contentEvent('gen_ai.content.prompt', 'gen_ai.prompt'), 'input'),
    () => rawMessages(attrs.get('input.value'), 'input'),
  );
  const output = firstNonEmpty(
    () => responseMessages(jsonish(detail('gen_ai.output.messages'))),
    () => openInferenceMessages(attrs, 'llm.output_messages.', 'assistant'),
    () => traceloopMessages(attrs, 'gen_ai.completion.', 'assistant'),
    () => spanEvents.output,
    () => logEvents.output,
    () => vercelOutput(attrs),
    () => responseMessages(jsonish(attrs.get('gen_ai.completion') ?? contentEvent('gen_ai.content.completion', 'gen_ai.completion'))),
    () => tool?.output ?? [],
    () => rawMessages(attrs.get('mlflow.spanOutputs'), 'output'),
    () => rawMessages(attrs.get('langfuse.observation.output'), 'output'),
    () => rawMessages(attrs.get('traceloop.entity.output'), 'output'),
    () => rawMessages(attrs.get('gen_ai.completion') ?? contentEvent('gen_ai.content.completion', 'gen_ai.completion'), 'output'),
    () => rawMessages(attrs.get('output.value'), 'output'),
  );
  applyFinishReasons(output, attrs);

  const result: NormalizedMessages = { input, output };
  const vercelPrompt = jsonish(attrs.get('ai.prompt'));
  const system =
    systemText(detail('gen_ai.system_instructions')) ??
    (isRecord(vercelPrompt) && typeof vercelPrompt.system === 'string' && !input.some((m) => m.role === 'system') ? vercelPrompt.system : undefined);
  if (system) result.system = system;
  const tools = toolDefinitions(attrs);
  if (tools.length) result.tools = tools;
  const docs = documents(attrs);
  if (docs.length) result.documents = docs;
  return result;
}

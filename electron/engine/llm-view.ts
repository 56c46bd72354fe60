// One span's normalised LLM view (shared/llm.ts), computed from what the store keeps: the span's
// attributes and events as typed JSON text (otlp/attributes-json.ts) and its log records. The
// JSON is read back into the decoders' AnyValue shape so that semconv/ sees exactly what it sees
// at ingest: integers (no fraction, no exponent) → bigint, doubles → number, objects → kvlist.
import type { LlmView } from '../../shared/llm';
import { parseJsonLossless, type JsonNode } from '../../shared/json';
import type { SpanDetail, SpanLog } from '../../shared/model';
import { KeyValueList, type AnyValue, type KeyValue } from './otlp/types';
import { extractMessages, normalizeLlmSpan } from './semconv/normalize';
import type { PriceTable } from './semconv/prices';
import { extractParameters, timeToFirstTokenNs } from './semconv/request-details';
import type { LogForMessages } from './semconv/types';

export function jsonNodeToAnyValue(node: JsonNode): AnyValue {
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
      return node.value;
    case 'string':
      return node.value;
    case 'number':
      return node.isInteger && /^-?\d+$/.test(node.text) ? BigInt(node.text) : Number(node.text);
    case 'array':
      return node.items.map(jsonNodeToAnyValue);
    case 'object':
      return new KeyValueList(node.entries.map(([k, v]): KeyValue => [k, jsonNodeToAnyValue(v)]));
  }
}

function parse(text: string | null): JsonNode | null {
  if (text === null || text === '') return null;
  try {
    return parseJsonLossless(text);
  } catch {
    return null;
  }
}

/** A stored attributes object (`{"k": v, …}`) as KeyValue pairs; [] when not an object. */
export function keyValuesFromJson(text: string | null): KeyValue[] {
  const node = parse(text);
  if (node?.kind !== 'object') return [];
  return node.entries.map(([k, v]): KeyValue => [k, jsonNodeToAnyValue(v)]);
}

interface StoredEvent {
  name: string;
  timeNs: bigint | null;
  attributes: KeyValue[];
}

/** The stored events array (eventsToJson) back as name, time and attributes. */
export function eventsFromJson(text: string | null): StoredEvent[] {
  const node = parse(text);
  if (node?.kind !== 'array') return [];
  const out: StoredEvent[] = [];
  for (const item of node.items) {
    if (item.kind !== 'object') continue;
    const get = (key: string): JsonNode | undefined => item.entries.find(([k]) => k === key)?.[1];
    const name = get('name');
    const time = get('time_unix_nano');
    const attributes = get('attributes');
    out.push({
      name: name?.kind === 'string' ? name.value : '',
      timeNs: time?.kind === 'number' && /^-?\d+$/.test(time.text) ? BigInt(time.text) : null,
      attributes: attributes?.kind === 'object' ? attributes.entries.map(([k, v]): KeyValue => [k, jsonNodeToAnyValue(v)]) : [],
    });
  }
  return out;
}

function logsForMessages(logs: readonly LogForView[]): LogForMessages[] {
  return logs.map((log) => {
    const body = parse(log.bodyJson);
    return {
      eventName: log.eventName,
      body: body === null ? null : jsonNodeToAnyValue(body),
      attributes: keyValuesFromJson(log.attributesJson),
    };
  });
}

/** What buildLlmView reads of a span and of its log records. */
export type SpanForView = Pick<SpanDetail, 'traceId' | 'spanId' | 'name' | 'startNs' | 'durationNs' | 'attributesJson' | 'resourceAttributesJson' | 'eventsJson'>;
export type LogForView = Pick<SpanLog, 'eventName' | 'bodyJson' | 'attributesJson'>;

export function buildLlmView(span: SpanForView, logs: readonly LogForView[], prices?: PriceTable): LlmView {
  const attributes = keyValuesFromJson(span.attributesJson);
  const resourceAttributes = keyValuesFromJson(span.resourceAttributesJson);
  const events = eventsFromJson(span.eventsJson);
  const forNormalize = { name: span.name, attributes, resourceAttributes, events };
  const n = normalizeLlmSpan(forNormalize, prices);
  const messages = extractMessages(forNormalize, logsForMessages(logs));
  const usage = n.aggregate ? n.aggregateUsage : null;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    spanType: n.spanType,
    provider: n.llmProvider,
    model: n.llmModel,
    requestModel: n.requestModel,
    responseModel: n.responseModel,
    // Aggregate spans (agents, workflows) keep their columns empty so trace sums count each
    // model call once; here, on the span itself, their own figures are worth showing.
    inputTokens: usage ? usage.inputTokens : n.inputTokens,
    outputTokens: usage ? usage.outputTokens : n.outputTokens,
    totalTokens: usage ? usage.totalTokens : n.totalTokens,
    cacheReadTokens: n.cacheReadTokens,
    cacheWriteTokens: n.cacheWriteTokens,
    reasoningTokens: n.reasoningTokens,
    costUsd: usage ? usage.costUsd : n.costUsd,
    costSource: n.costSource,
    aggregate: n.aggregate,
    sessionId: n.sessionId,
    userId: n.userId,
    parameters: extractParameters(attributes),
    latencyNs: span.durationNs,
    timeToFirstTokenNs: timeToFirstTokenNs(BigInt(span.startNs), attributes, events),
    input: messages.input,
    output: messages.output,
    system: messages.system ?? null,
    tools: messages.tools ?? [],
    documents: messages.documents ?? [],
  };
}

// Request parameters (temperature, max tokens, …) and time to first token, whatever convention
// wrote them. Table-driven like MAPPING_TABLE; pure, no I/O.
import { KeyValueList, type AnyValue, type KeyValue } from '../otlp/types';
import { toPlain } from './normalize';

/** attribute key → the parameter's normalised name. First key found per name wins. */
export const PARAMETER_KEYS: readonly (readonly [key: string, name: string])[] = [
  // OpenTelemetry GenAI (also written by OpenLLMetry/Traceloop and LangSmith)
  ['gen_ai.request.temperature', 'temperature'],
  ['gen_ai.request.max_tokens', 'max_tokens'],
  ['gen_ai.request.top_p', 'top_p'],
  ['gen_ai.request.top_k', 'top_k'],
  ['gen_ai.request.frequency_penalty', 'frequency_penalty'],
  ['gen_ai.request.presence_penalty', 'presence_penalty'],
  ['gen_ai.request.stop_sequences', 'stop'],
  ['gen_ai.request.seed', 'seed'],
  ['gen_ai.request.choice.count', 'n'],
  ['gen_ai.output.type', 'output_type'],
  ['gen_ai.request.encoding_formats', 'encoding_formats'],
  // OpenLLMetry's own keys
  ['llm.top_k', 'top_k'],
  ['llm.frequency_penalty', 'frequency_penalty'],
  ['llm.presence_penalty', 'presence_penalty'],
  ['llm.is_streaming', 'stream'],
  ['gen_ai.is_streaming', 'stream'],
  // Vercel AI SDK
  ['ai.settings.temperature', 'temperature'],
  ['ai.settings.maxOutputTokens', 'max_tokens'],
  ['ai.settings.maxTokens', 'max_tokens'],
  ['ai.settings.topP', 'top_p'],
  ['ai.settings.topK', 'top_k'],
  ['ai.settings.frequencyPenalty', 'frequency_penalty'],
  ['ai.settings.presencePenalty', 'presence_penalty'],
  ['ai.settings.stopSequences', 'stop'],
  ['ai.settings.seed', 'seed'],
  ['ai.settings.maxRetries', 'max_retries'],
];

/** Attributes holding a JSON object of parameters; its keys are used as they are. */
export const PARAMETER_OBJECT_KEYS: readonly string[] = [
  'llm.invocation_parameters', // OpenInference
  'langfuse.observation.model.parameters', // Langfuse
];

function asText(value: AnyValue): string {
  if (typeof value === 'string') return value;
  const plain = toPlain(value);
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}

function parseObject(value: AnyValue): Record<string, unknown> | null {
  if (value instanceof KeyValueList) return toPlain(value) as Record<string, unknown>;
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The request parameters the span records, in table order then object order, one per name. */
export function extractParameters(attributes: readonly KeyValue[]): { name: string; value: string }[] {
  const attrs = new Map(attributes);
  const out = new Map<string, string>();
  for (const [key, name] of PARAMETER_KEYS) {
    const value = attrs.get(key);
    if (value === undefined || value === null || out.has(name)) continue;
    out.set(name, asText(value));
  }
  for (const key of PARAMETER_OBJECT_KEYS) {
    const value = attrs.get(key);
    if (value === undefined) continue;
    const object = parseObject(value);
    if (!object) continue;
    for (const [name, v] of Object.entries(object)) {
      // Messages and tools are shown by the transcript; repeating them here would be noise.
      if (name === 'messages' || name === 'tools' || name === 'functions' || out.has(name)) continue;
      if (v === undefined || v === null) continue;
      out.set(name, typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return [...out].map(([name, value]) => ({ name, value }));
}

/** OpenInference's streaming instrumentations add this event when the first chunk arrives. */
export const FIRST_TOKEN_EVENT = 'First Token Stream Event';
/** Milliseconds from the call's start to its first chunk (Vercel AI SDK). */
export const FIRST_CHUNK_MS_KEYS: readonly string[] = ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'];
/** The instant the first chunk arrived, as an ISO timestamp (Langfuse). */
export const COMPLETION_START_KEYS: readonly string[] = ['langfuse.observation.completion_start_time'];

function numberOf(value: AnyValue | undefined): number | null {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/**
 * Nanoseconds from the span's start to its first streamed token, or null when the span does not
 * tell. `events` carry their time as nanoseconds since the epoch.
 */
export function timeToFirstTokenNs(
  startNs: bigint,
  attributes: readonly KeyValue[],
  events: readonly { name: string; timeNs: bigint | null }[],
): number | null {
  const attrs = new Map(attributes);
  for (const key of FIRST_CHUNK_MS_KEYS) {
    const ms = numberOf(attrs.get(key));
    if (ms !== null && ms >= 0) return Math.round(ms * 1e6);
  }
  const first = events.find((e) => e.name === FIRST_TOKEN_EVENT && e.timeNs !== null);
  if (first && first.timeNs! >= startNs) return Number(first.timeNs! - startNs);
  for (const key of COMPLETION_START_KEYS) {
    const value = attrs.get(key);
    if (typeof value !== 'string') continue;
    // JSON-quoted by some SDKs
    const iso = value.startsWith('"') ? value.slice(1, -1) : value;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) continue;
    const ns = BigInt(ms) * 1_000_000n - startNs;
    if (ns >= 0n) return Number(ns);
  }
  return null;
}

// A session's turns with their input and output as text. The store gives the turns and, for all
// turns at once, the root span and the first and last LLM calls with their log records; the text comes from semconv/ like the transcript:
// the root's input/output (input.value, a workflow's entity input, …), else the first call's last
// user message and the last call's final answer.
import type { LlmMessage, LlmView, SessionDetail, SessionTurn } from '../../shared/llm';
import { buildLlmView } from './llm-view';
import type { PriceTable } from './semconv/prices';
import type { Store } from './store';

/** Turn texts are cut to this many characters; the trace has the rest. */
const MAX_TURN_TEXT = 2_000;

function messageText(message: LlmMessage): string {
  const texts: string[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool_call') texts.push(`→ ${part.name}(${part.arguments})`);
    else if (part.type === 'tool_result') texts.push(part.content);
    else texts.push(part.value);
  }
  return texts.join('\n');
}

function cut(text: string | null): string | null {
  if (text === null || text === '') return null;
  return text.length > MAX_TURN_TEXT ? `${text.slice(0, MAX_TURN_TEXT)}…` : text;
}

/** The last message of `messages` with one of `roles` (else the last one), as text. */
export function lastText(messages: readonly LlmMessage[], roles: readonly string[]): string | null {
  if (messages.length === 0) return null;
  const preferred = [...messages].reverse().find((m) => roles.includes(m.role));
  return cut(messageText(preferred ?? messages[messages.length - 1]!));
}

export async function buildSessionDetail(store: Store, sessionId: string, prices?: PriceTable): Promise<SessionDetail | null> {
  const { turns, truncated, spans, logs } = await store.getSessionTurns(sessionId);
  if (turns.length === 0) return null;
  const views = new Map<string, LlmView | null>();
  const viewOf = (traceId: string, spanId: string | null): LlmView | null => {
    if (spanId === null) return null;
    const key = `${traceId}/${spanId}`;
    if (!views.has(key)) {
      const span = spans.get(key);
      views.set(key, span ? buildLlmView(span, logs.get(key) ?? [], prices) : null);
    }
    return views.get(key)!;
  };
  const out: SessionTurn[] = [];
  for (const t of turns) {
    const root = viewOf(t.traceId, t.rootSpanId);
    let input = root ? lastText(root.input, ['user', 'human', 'input']) : null;
    let output = root ? lastText(root.output, ['assistant', 'ai', 'output']) : null;
    if (input === null && t.firstLlmSpanId !== null) {
      const first = viewOf(t.traceId, t.firstLlmSpanId);
      input = first ? lastText(first.input, ['user', 'human', 'input']) : null;
    }
    if (output === null && t.lastLlmSpanId !== null) {
      const last = viewOf(t.traceId, t.lastLlmSpanId);
      output = last ? lastText(last.output, ['assistant', 'ai', 'output']) : null;
    }
    out.push({
      traceId: t.traceId,
      startNs: t.startNs,
      durationNs: t.durationNs,
      rootName: t.rootName,
      input,
      output,
      llmCalls: t.llmCalls,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      costUsd: t.costUsd,
      errorCount: t.errorCount,
    });
  }
  return { sessionId, turns: out, truncated };
}

// The transcript's pure helpers (no React, no DOM), unit-tested on their own.
import type { LlmView } from '../../../shared/llm';
import { parseJsonLossless, stringifyJsonNode } from '../../../shared/json';
import { formatCost, formatCount, formatDuration } from '../format';

/** Content longer than this (characters or lines) is folded to its first part until expanded. */
const FOLD_CHARS = 1_200;
const FOLD_LINES = 16;

/** JSON text pretty-printed (numbers kept exactly as sent); anything else as it is. */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return stringifyJsonNode(parseJsonLossless(trimmed), true);
  } catch {
    return text;
  }
}

/** Where to cut folded content: FOLD_CHARS characters or FOLD_LINES lines, whichever is first. */
export function foldPoint(text: string): number | null {
  let cut = text.length > FOLD_CHARS ? FOLD_CHARS : null;
  let lines = 0;
  for (let i = 0; i < Math.min(text.length, cut ?? text.length); i++) {
    if (text.charCodeAt(i) === 10 && ++lines === FOLD_LINES) {
      cut = i;
      break;
    }
  }
  return cut;
}

/** Label → value pairs of the model, usage, cost and timing. Cost null is "no price", never $0. */
export function usageFacts(view: LlmView): [string, string][] {
  const facts: [string, string][] = [];
  if (view.model) facts.push(['Model', view.model]);
  if (view.requestModel && view.requestModel !== view.model) facts.push(['Requested model', view.requestModel]);
  if (view.provider) facts.push(['Provider', view.provider]);
  const tokens: string[] = [];
  if (view.inputTokens !== null) tokens.push(`${formatCount(view.inputTokens)} in`);
  if (view.outputTokens !== null) tokens.push(`${formatCount(view.outputTokens)} out`);
  if (view.cacheReadTokens !== null) tokens.push(`${formatCount(view.cacheReadTokens)} cached`);
  if (view.cacheWriteTokens !== null) tokens.push(`${formatCount(view.cacheWriteTokens)} cache write`);
  if (view.reasoningTokens !== null) tokens.push(`${formatCount(view.reasoningTokens)} reasoning`);
  if (tokens.length > 0) facts.push(['Tokens', tokens.join(' · ') + (view.aggregate ? ' (sum of the calls below)' : '')]);
  if (view.costUsd !== null) facts.push(['Cost', `${formatCost(view.costUsd)}${view.costSource === 'span' ? ' (as reported)' : ''}`]);
  else if (tokens.length > 0) facts.push(['Cost', 'no price']);
  facts.push(['Latency', formatDuration(view.latencyNs)]);
  if (view.timeToFirstTokenNs !== null) facts.push(['Time to first token', formatDuration(view.timeToFirstTokenNs)]);
  return facts;
}


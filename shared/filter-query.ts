// The "Filter traces" search syntax, parsed into a TraceFilter. Pure: no DOM, no I/O.
//
//   service:checkout           root service (repeat or comma-separate for several)
//   status:error | status:ok
//   name:"chat completion"     a span (root or any) whose name contains this
//   type:llm   model:gpt-4o    span type / model (comma-separated for several)
//   duration>200ms  duration<2s   (ns, us, ms, s, m, h; a bare number is ms)
//   http.status_code=500   key!=v   key~text (contains)   key>1.5   key<10   has:key
//   resource.service.version=1.2   (a "resource." prefix tests resource attributes)
//   "free text"  or bare words  full-text search (all free text joined by spaces)
//
// Values may be double-quoted ("a b", with \" and \\ escapes). Problems are reported, not
// thrown: the rest of the query still applies, and the UI shows what was not understood.
import type { AttributeCondition, AttributeOp, SpanType, TraceFilter } from './model';

export interface ParsedFilterQuery {
  filter: TraceFilter;
  errors: string[];
}

const SPAN_TYPES: readonly string[] = ['llm', 'embedding', 'tool', 'retriever', 'reranker', 'agent', 'chain', 'guardrail', 'evaluator'];
const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const RESOURCE_PREFIX = 'resource.';

interface Token {
  /** The token as written, quotes resolved. */
  text: string;
  /** True when the whole token was one quoted string (always free text). */
  quotedWhole: boolean;
}

/** Splits on whitespace outside double quotes; quotes may start mid-token (key="a b"). */
export function tokenizeFilterQuery(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    let text = '';
    const startsQuoted = input[i] === '"';
    let quotedParts = 0;
    let plainChars = 0;
    while (i < input.length && !/\s/.test(input[i]!)) {
      if (input[i] === '"') {
        quotedParts++;
        i++;
        while (i < input.length && input[i] !== '"') {
          if (input[i] === '\\' && i + 1 < input.length) i++;
          text += input[i];
          i++;
        }
        i++; // the closing quote (or the end, for an unclosed one)
      } else {
        text += input[i];
        plainChars++;
        i++;
      }
    }
    tokens.push({ text, quotedWhole: startsQuoted && quotedParts === 1 && plainChars === 0 });
  }
  return tokens;
}

/** '200ms' -> 200_000_000; a bare number is milliseconds; null when not a duration. */
export function parseDurationNs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)?$/.exec(text.trim());
  if (!match) return null;
  const ns = Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!;
  return Number.isFinite(ns) ? Math.round(ns) : null;
}

const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter((v) => v !== '');

// key, operator, value: the operator is the first of != >= <= = ~ > < after a non-empty key.
const CONDITION = /^([^=!<>~:\s]+(?::[^=!<>~\s]+)*)(!=|=|~|>|<)(.*)$/s;
const FIELD = /^([a-z]+):(.*)$/s;

export function parseFilterQuery(input: string): ParsedFilterQuery {
  const filter: TraceFilter = {};
  const errors: string[] = [];
  const free: string[] = [];
  const addTo = <K extends 'services' | 'models'>(key: K, values: string[]): void => {
    filter[key] = [...(filter[key] ?? []), ...values];
  };

  for (const token of tokenizeFilterQuery(input)) {
    if (token.quotedWhole) {
      if (token.text !== '') free.push(token.text);
      continue;
    }
    const field = FIELD.exec(token.text);
    if (field) {
      const [, name, value = ''] = field;
      if (value === '' && name !== 'has') {
        errors.push(`${name}: needs a value`);
        continue;
      }
      switch (name) {
        case 'service':
          addTo('services', list(value));
          continue;
        case 'status':
          if (value === 'error' || value === 'ok') filter.status = value;
          else errors.push(`status: must be error or ok, not ${value}`);
          continue;
        case 'name':
          filter.name = value;
          continue;
        case 'type': {
          const types = list(value);
          const unknown = types.filter((t) => !SPAN_TYPES.includes(t));
          if (unknown.length > 0) errors.push(`type: unknown span type ${unknown.join(', ')}`);
          const known = types.filter((t) => SPAN_TYPES.includes(t)) as SpanType[];
          if (known.length > 0) filter.spanTypes = [...(filter.spanTypes ?? []), ...known];
          continue;
        }
        case 'model':
          addTo('models', list(value));
          continue;
        case 'has':
          if (value === '') errors.push('has: needs an attribute key');
          else pushCondition(filter, value, 'exists', undefined);
          continue;
        default:
          // Not a field we know: maybe an attribute key with a colon (a:b=c), else free text.
          break;
      }
    }
    const condition = CONDITION.exec(token.text);
    if (condition) {
      const [, key = '', opText = '', value = ''] = condition;
      if (key === 'duration') {
        const ns = parseDurationNs(value);
        if (ns === null || (opText !== '>' && opText !== '<')) errors.push(`duration: write duration>200ms or duration<2s, not ${token.text}`);
        else if (opText === '>') filter.minDurationNs = ns;
        else filter.maxDurationNs = ns;
        continue;
      }
      const op: AttributeOp = opText === '~' ? 'contains' : (opText as AttributeOp);
      if ((op === '>' || op === '<') && (value.trim() === '' || !Number.isFinite(Number(value)))) {
        errors.push(`${key}${opText}: needs a number, not ${JSON.stringify(value)}`);
        continue;
      }
      pushCondition(filter, key, op, value);
      continue;
    }
    if (token.text !== '') free.push(token.text);
  }
  if (free.length > 0) filter.text = free.join(' ');
  return { filter, errors };
}

function pushCondition(filter: TraceFilter, rawKey: string, op: AttributeOp, value: string | undefined): void {
  const resource = rawKey.startsWith(RESOURCE_PREFIX) && rawKey.length > RESOURCE_PREFIX.length;
  const condition: AttributeCondition = { key: resource ? rawKey.slice(RESOURCE_PREFIX.length) : rawKey, op };
  if (value !== undefined) condition.value = value;
  if (resource) condition.scope = 'resource';
  (filter.attributes ??= []).push(condition);
}

/** True when the filter asks for nothing (every trace matches). */
export function isEmptyFilter(filter: TraceFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

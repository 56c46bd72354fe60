// Checks the trace-filter fields beyond time range and service (validate.ts checks those and
// calls this). Every field is checked for type and size: the store turns them into bound
// parameters only, but an unbounded string or list would still cost the engine memory and time.
import type { AttributeCondition, AttributeOp, SpanType, TraceFilter } from './model';

const SPAN_TYPES: readonly SpanType[] = ['llm', 'embedding', 'tool', 'retriever', 'reranker', 'agent', 'chain', 'guardrail', 'evaluator'];
const ATTRIBUTE_OPS: readonly AttributeOp[] = ['=', '!=', 'contains', '>', '<', 'exists'];
const MAX_TEXT = 1000;
const MAX_LIST = 100;
const MAX_CONDITIONS = 20;

function text(value: unknown, what: string, fail: (m: string) => never): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    fail(`${what} must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
  return value;
}

function stringList(value: unknown, what: string, fail: (m: string) => never): string[] {
  if (!Array.isArray(value) || value.length > MAX_LIST) fail(`${what} must be an array of at most ${MAX_LIST} strings`);
  return value.map((v, i) => text(v, `${what}[${i}]`, fail));
}

function duration(value: unknown, what: string, fail: (m: string) => never): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a non-negative integer of nanoseconds`);
  return value;
}

function condition(value: unknown, i: number, fail: (m: string) => never): AttributeCondition {
  const what = `filter.attributes[${i}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  const c = value as Record<string, unknown>;
  const key = text(c.key, `${what}.key`, fail);
  if (!ATTRIBUTE_OPS.includes(c.op as AttributeOp)) fail(`${what}.op must be one of ${ATTRIBUTE_OPS.join(' ')}`);
  const op = c.op as AttributeOp;
  const out: AttributeCondition = { key, op };
  if (op !== 'exists') {
    // An empty value is a legitimate thing to compare with ("key = ''").
    if (typeof c.value !== 'string' || c.value.length > MAX_TEXT) fail(`${what}.value must be a string of at most ${MAX_TEXT} characters`);
    if ((op === '>' || op === '<') && !Number.isFinite(Number(c.value === '' ? NaN : c.value))) fail(`${what}.value must be a number for ${op}`);
    out.value = c.value;
  } else if (c.value !== undefined) {
    fail(`${what}.value must be absent for exists`);
  }
  if (c.scope !== undefined) {
    if (c.scope !== 'span' && c.scope !== 'resource') fail(`${what}.scope must be span or resource`);
    out.scope = c.scope;
  }
  return out;
}

/** Copies the validated extra fields of `value` into `out`; throws through `fail` on the first bad one. */
export function validateFilterFields(value: Record<string, unknown>, out: TraceFilter, fail: (message: string) => never): void {
  if (value.name !== undefined) out.name = text(value.name, 'filter.name', fail);
  if (value.text !== undefined) out.text = text(value.text, 'filter.text', fail);
  if (value.status !== undefined) {
    if (value.status !== 'error' && value.status !== 'ok') fail('filter.status must be error or ok');
    out.status = value.status;
  }
  if (value.minDurationNs !== undefined) out.minDurationNs = duration(value.minDurationNs, 'filter.minDurationNs', fail);
  if (value.maxDurationNs !== undefined) out.maxDurationNs = duration(value.maxDurationNs, 'filter.maxDurationNs', fail);
  if (value.spanTypes !== undefined) {
    const types = stringList(value.spanTypes, 'filter.spanTypes', fail);
    for (const t of types) if (!SPAN_TYPES.includes(t as SpanType)) fail(`filter.spanTypes: unknown span type ${JSON.stringify(t)}`);
    out.spanTypes = types as SpanType[];
  }
  if (value.models !== undefined) out.models = stringList(value.models, 'filter.models', fail);
  if (value.attributes !== undefined) {
    const list = value.attributes;
    if (!Array.isArray(list) || list.length > MAX_CONDITIONS) fail(`filter.attributes must be an array of at most ${MAX_CONDITIONS} conditions`);
    out.attributes = list.map((c, i) => condition(c, i, fail));
  }
}

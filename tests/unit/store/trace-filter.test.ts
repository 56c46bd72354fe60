// Filter semantics of the trace list against a real store (a DuckDB file per test file).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { jsonPointer, lowerSources, prefilterChar } from '../../../electron/engine/store/trace-filter';
import { parseFilterQuery } from '../../../shared/filter-query';
import type { TraceFilter } from '../../../shared/model';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

const T0 = 1_795_392_000_000_000_000n;
const MS = 1_000_000n;
let dir: ReturnType<typeof tempDir>;
let store: Store;

const t = (n: number): string => hexId(n, 32);
const s = (n: number): string => hexId(n, 16);

/**
 * 1 checkout: root + llm child (gpt-4o, prompt in attributes), 300 ms, http.status_code 500, error
 * 2 checkout: root + tool child, 50 ms, http.status_code 200, ok, resource version 2.0
 * 3 billing: one span, 1 s, attribute with a quote and a slash in its key, prompt text in an event
 * 4 search: root only, its output only in a log record
 */
beforeAll(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  await store.appendSpans([
    spanRow({ traceId: t(1), spanId: s(1), name: 'POST /checkout', serviceName: 'checkout', startNs: T0, endNs: T0 + 300n * MS, statusCode: 'error', attributesJson: '{"http.status_code":500,"retry":true}' }),
    spanRow({ traceId: t(1), spanId: s(2), parentSpanId: s(1), name: 'chat gpt-4o', serviceName: 'checkout', startNs: T0 + MS, endNs: T0 + 200n * MS, spanType: 'llm', llmModel: 'gpt-4o', attributesJson: '{"gen_ai.prompt":"Tell me about Zebras","tokens":120}' }),
    spanRow({ traceId: t(2), spanId: s(3), name: 'POST /checkout', serviceName: 'checkout', startNs: T0 + 1000n * MS, endNs: T0 + 1050n * MS, attributesJson: '{"http.status_code":200}', resourceAttributesJson: '{"service.name":"checkout","service.version":"2.0"}' }),
    spanRow({ traceId: t(2), spanId: s(4), parentSpanId: s(3), name: 'lookup_stock', serviceName: 'checkout', startNs: T0 + 1001n * MS, endNs: T0 + 1010n * MS, spanType: 'tool', attributesJson: '{"tokens":7}' }),
    spanRow({ traceId: t(3), spanId: s(5), name: 'invoice', serviceName: 'billing', startNs: T0 + 2000n * MS, endNs: T0 + 3000n * MS, attributesJson: '{"we\\"ird/key~":"yes"}', eventsJson: '[{"time":"1","name":"gen_ai.content.prompt","attributes":{"gen_ai.prompt":"summarise the INVOICE"}}]' }),
    spanRow({ traceId: t(4), spanId: s(6), name: 'search', serviceName: 'search', startNs: T0 + 4000n * MS, endNs: T0 + 4010n * MS }),
  ]);
  await store.appendLogs([
    {
      timeNs: T0 + 4005n * MS, observedTimeNs: null, traceId: t(4), spanId: s(6), severityText: '', severityNumber: 0,
      eventName: 'gen_ai.choice', bodyJson: '{"message":{"content":"The answer is Marmalade"}}', attributesJson: '{}',
      serviceName: 'search', resourceAttributesJson: '{}', scopeName: null, scopeVersion: null, scopeAttributesJson: '{}',
      flags: 0, droppedAttributesCount: 0, resourceSchemaUrl: '', scopeSchemaUrl: '', valueTypesJson: null, source: 'test',
    },
  ]);
});
afterAll(async () => {
  await store.close();
  dir.remove();
});

async function ids(filter: TraceFilter): Promise<number[]> {
  const page = await store.listTraces({ filter, sort: { by: 'start', dir: 'asc' } });
  const found = page.traces.map((tr) => parseInt(tr.traceId, 16));
  expect(page.total).toBe(found.length);
  return found;
}

describe('trace list filters', () => {
  it('no filter: every trace', async () => {
    expect(await ids({})).toEqual([1, 2, 3, 4]);
  });

  it('status, duration range and service', async () => {
    expect(await ids({ status: 'error' })).toEqual([1]);
    expect(await ids({ status: 'ok' })).toEqual([2, 3, 4]);
    expect(await ids({ minDurationNs: 50_000_000 })).toEqual([1, 2, 3]);
    expect(await ids({ minDurationNs: 60_000_000, maxDurationNs: 300_000_000 })).toEqual([1]);
    expect(await ids({ services: ['checkout'], maxDurationNs: 100_000_000 })).toEqual([2]);
  });

  it('span name (any span, case-insensitive), span type and model', async () => {
    expect(await ids({ name: 'LOOKUP' })).toEqual([2]);
    expect(await ids({ name: 'checkout' })).toEqual([1, 2]);
    expect(await ids({ spanTypes: ['llm'] })).toEqual([1]);
    expect(await ids({ spanTypes: ['llm', 'tool'] })).toEqual([1, 2]);
    expect(await ids({ models: ['gpt-4o'] })).toEqual([1]);
    expect(await ids({ models: ['gpt-5'] })).toEqual([]);
  });

  it('attribute operators on numbers, booleans and strings', async () => {
    expect(await ids({ attributes: [{ key: 'http.status_code', op: '=', value: '500' }] })).toEqual([1]);
    expect(await ids({ attributes: [{ key: 'http.status_code', op: '!=', value: '500' }] })).toEqual([2]);
    expect(await ids({ attributes: [{ key: 'http.status_code', op: 'exists' }] })).toEqual([1, 2]);
    expect(await ids({ attributes: [{ key: 'retry', op: '=', value: 'true' }] })).toEqual([1]);
    expect(await ids({ attributes: [{ key: 'tokens', op: '>', value: '100' }] })).toEqual([1]);
    expect(await ids({ attributes: [{ key: 'tokens', op: '<', value: '100' }] })).toEqual([2]);
    expect(await ids({ attributes: [{ key: 'gen_ai.prompt', op: 'contains', value: 'zebra' }] })).toEqual([1]);
  });

  it('several conditions must all hold, each by some span of the trace', async () => {
    expect(await ids({ attributes: [{ key: 'http.status_code', op: '=', value: '200' }, { key: 'tokens', op: '<', value: '10' }] })).toEqual([2]);
    expect(await ids({ attributes: [{ key: 'http.status_code', op: '=', value: '200' }], spanTypes: ['llm'] })).toEqual([]);
  });

  it('resource attributes, and keys with quotes, slashes and tildes are matched literally', async () => {
    expect(await ids({ attributes: [{ key: 'service.version', op: '=', value: '2.0', scope: 'resource' }] })).toEqual([2]);
    expect(await ids({ attributes: [{ key: 'service.version', op: 'exists' }] })).toEqual([]);
    expect(jsonPointer('we"ird/key~')).toBe('/we"ird~1key~0');
    expect(await ids({ attributes: [{ key: 'we"ird/key~', op: '=', value: 'yes' }] })).toEqual([3]);
    expect(await ids({ attributes: [{ key: "x') OR 1=1 --", op: 'exists' }] })).toEqual([]);
  });

  it('full-text search over names, attribute values, events and log bodies', async () => {
    expect(await ids({ text: 'zebras' })).toEqual([1]);
    expect(await ids({ text: 'invoice' })).toEqual([3]);
    expect(await ids({ text: 'marmalade' })).toEqual([4]);
    expect(await ids({ text: "'; DROP TABLE span_data; --" })).toEqual([]);
    expect(await ids({})).toEqual([1, 2, 3, 4]);
  });

  it('span-level filters aggregate only matching traces, with the same rows as the traces view', async () => {
    const all = (await store.listTraces({})).traces;
    const named = (await store.listTraces({ filter: { name: 'checkout' } })).traces;
    expect(named).toEqual(all.filter((tr) => [t(1), t(2)].includes(tr.traceId)));
    const text = (await store.listTraces({ filter: { text: 'marmalade' } })).traces;
    expect(text).toEqual(all.filter((tr) => tr.traceId === t(4)));
  });

  it('a parsed query string gives the same answer', async () => {
    const { filter, errors } = parseFilterQuery('service:checkout status:error duration>200ms http.status_code=500 zebras');
    expect(errors).toEqual([]);
    expect(await ids(filter)).toEqual([1]);
  });
});

describe('full-text prefilter (look for the needle\'s rarest character before lowering the text)', () => {
  it('lowerSources lists every codepoint DuckDB lowers to each ASCII character', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    // Every codepoint (no surrogates) whose lower case holds an ASCII character.
    const r = await conn.runAndReadAll(
      `SELECT cp, lower(chr(cp::INTEGER)) AS l FROM range(0, 1114112) t(cp)
       WHERE (cp < 55296 OR cp > 57343) AND regexp_matches(lower(chr(cp::INTEGER)), '[\\x00-\\x7f]')`,
    );
    const found = new Map<string, string[]>();
    for (const [cp, lowered] of r.getRows() as [bigint, string][]) {
      for (const c of new Set(lowered)) if (c < '\u0080') found.set(c, [...(found.get(c) ?? []), String.fromCodePoint(Number(cp))]);
    }
    // Every ASCII character but the 26 upper-case letters (which lower() never yields).
    expect(found.size).toBe(102);
    expect([...found.keys()].filter((c) => /[A-Z]/.test(c))).toEqual([]);
    for (const [c, sources] of found) expect([c, sources.sort()]).toEqual([c, lowerSources(c).sort()]);
    // lower() works codepoint by codepoint, so a text lowers to the concatenation of its parts.
    const mixed = 'Straße İK\u212a ÀB 𝔸 ǅ ΣΑΣ';
    const whole = await conn.runAndReadAll('SELECT lower($1::VARCHAR) AS w', [mixed]);
    const parts = await conn.runAndReadAll('SELECT string_agg(lower(c), \'\' ORDER BY i) AS p FROM (SELECT unnest(string_split($1::VARCHAR, \'\')) AS c, generate_subscripts(string_split($1::VARCHAR, \'\'), 1) AS i)', [mixed]);
    expect(whole.getRows()[0]![0]).toBe(parts.getRows()[0]![0]);
    instance.closeSync();
  });

  it('picks the rarest ASCII letter, else a digit or symbol that JSON is not full of', () => {
    expect(prefilterChar('zanzibar')).toBe('z');
    expect(prefilterChar('the cat')).toBe('c');
    expect(prefilterChar('500')).toBe('5');
    expect(prefilterChar('"a"')).toBe('a');
    expect(prefilterChar('" :')).toBeNull();
    expect(prefilterChar('日本')).toBeNull();
  });

  it('finds exactly what contains(lower(text), needle) finds, in every case form', async () => {
    const local = tempDir();
    const db = await Store.open({ path: join(local.path, 'text.duckdb') });
    const texts = ['ZANZIBAR trip', 'zanzibar', 'Zanz-ibar', '\u212aiwi fruit', 'KIWI', 'İT works', 'IT', 'Straße', 'STRASSE', '日本語 テキスト', 'café au lait', 'CAFÉ'];
    await db.appendSpans(
      texts.map((text, i) =>
        spanRow({ traceId: t(100 + i), spanId: s(100 + i), name: i % 3 === 0 ? text : 'span', startNs: T0 + BigInt(i) * MS, attributesJson: JSON.stringify({ text }), eventsJson: i % 4 === 1 ? JSON.stringify([{ name: text }]) : '[]' }),
      ),
    );
    for (const needle of ['zanzibar', 'ZanZibar', 'kiwi', 'it', 'straße', 'strasse', '日本', 'café', 'é', 'fruit', '', 'x']) {
      const page = await db.listTraces({ filter: { text: needle }, sort: { by: 'start', dir: 'asc' } });
      const lowered = needle.toLowerCase().replace(/'/g, "''");
      const expected = needle
        ? await db.query(
            `SELECT trace_id FROM traces WHERE trace_id IN (SELECT trace_id FROM spans WHERE contains(lower(name), '${lowered}') OR contains(lower(attributes::VARCHAR), '${lowered}') OR contains(lower(events::VARCHAR), '${lowered}')) ORDER BY start_time`,
          )
        : await db.query('SELECT trace_id FROM traces ORDER BY start_time');
      expect([needle, page.traces.map((tr) => tr.traceId)]).toEqual([needle, expected.rows.map((row) => row[0])]);
    }
    expect((await db.listTraces({ filter: { text: 'kiwi' } })).total).toBe(2);
    expect((await db.listTraces({ filter: { text: 'it' } })).total).toBeGreaterThanOrEqual(2);
    await db.close();
    local.remove();
  });
});

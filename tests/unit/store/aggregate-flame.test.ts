// The views across traces against a real store: spans merged by name path with counts, totals
// and self times that only come out right if the merge, the self-time union and the bounds are
// right; the sandwich's callers and callees; and a cross-check against a plain TypeScript merge
// over random traces.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import type { AggregateFrame } from '../../../shared/aggregate';
import type { SpanRow } from '../../../electron/engine/span-row';
import { hexId, spanRow, tempDir } from '../../helpers/rows';

const T0 = 1_795_392_000_000_000_000n;
const MS = 1_000_000n;
const ms = (n: number): number => n * 1_000_000;
let dir: ReturnType<typeof tempDir>;
let store: Store;

const t = (n: number): string => hexId(n, 32);
let nextSpan = 1;
/** A span of trace `trace` starting `start` ms after `base` ms, `parent` a span id or null. */
function span(trace: number, base: number, name: string, start: number, end: number, parent: string | null, extra: Partial<SpanRow> = {}): SpanRow {
  const b = T0 + BigInt(base) * MS;
  return spanRow({ traceId: t(trace), spanId: hexId(nextSpan++, 16), parentSpanId: parent, name, startNs: b + BigInt(start) * MS, endNs: b + BigInt(end) * MS, ...extra });
}

/**
 * Trace 1 (at 0 s):    agent 0–100 → llm 10–40, tool 30–60 (→ llm 35–45), llm 70–80
 * Trace 2 (at 1 s):    agent 0–50  → llm 0–20 (error), retrieve 25–75 (→ llm 30–40, embed 30–120)
 * Trace 3 (at 2 s):    service "other": batch 0–10 → llm 0–5
 * Trace 4 (at 3 s):    chain 0–100 → llm 10–90 → llm 20–30, parse 40–50   (llm nested in llm)
 * Trace 5 (at -1 s):   orphan work 0–10 (its parent never arrived) → child 0–4; selfish 0–3 (its own parent)
 */
beforeAll(async () => {
  dir = tempDir();
  store = await Store.open({ path: join(dir.path, 'tracedeck.duckdb') });
  const rows: SpanRow[] = [];
  const add = (row: SpanRow): string => (rows.push(row), row.spanId);

  const a1 = add(span(1, 0, 'agent', 0, 100, null));
  add(span(1, 0, 'llm', 10, 40, a1));
  const tool = add(span(1, 0, 'tool', 30, 60, a1));
  add(span(1, 0, 'llm', 35, 45, tool));
  add(span(1, 0, 'llm', 70, 80, a1));

  const a2 = add(span(2, 1000, 'agent', 0, 50, null));
  add(span(2, 1000, 'llm', 0, 20, a2, { statusCode: 'error' }));
  const retrieve = add(span(2, 1000, 'retrieve', 25, 75, a2));
  add(span(2, 1000, 'llm', 30, 40, retrieve));
  add(span(2, 1000, 'embed', 30, 120, retrieve, { serviceName: 'vectors' }));

  const batch = add(span(3, 2000, 'batch', 0, 10, null, { serviceName: 'other' }));
  add(span(3, 2000, 'llm', 0, 5, batch, { serviceName: 'other' }));

  const chain = add(span(4, 3000, 'chain', 0, 100, null));
  const outer = add(span(4, 3000, 'llm', 10, 90, chain, { spanType: 'llm' }));
  add(span(4, 3000, 'llm', 20, 30, outer, { spanType: 'llm' }));
  add(span(4, 3000, 'parse', 40, 50, outer));

  const orphan = add(span(5, -1000, 'orphan work', 0, 10, 'f'.repeat(16)));
  add(span(5, -1000, 'child', 0, 4, orphan));
  const selfish = span(5, -1000, 'selfish', 0, 3, null);
  add({ ...selfish, parentSpanId: selfish.spanId });

  await store.appendSpans(rows);
});
afterAll(async () => {
  await store.close();
  dir.remove();
});

/** Frames keyed by their name path, "agent › llm". */
function byPath(frames: AggregateFrame[]): Map<string, AggregateFrame> {
  const paths: string[] = [];
  const out = new Map<string, AggregateFrame>();
  frames.forEach((f, i) => {
    expect(f.parent).toBeLessThan(i); // parents first
    paths[i] = f.parent < 0 ? f.name : `${paths[f.parent]} › ${f.name}`;
    out.set(paths[i]!, f);
  });
  return out;
}

const figures = (f: AggregateFrame | undefined) => f && { count: f.count, traces: f.traceCount, totalMs: f.totalNs / 1e6, selfMs: f.selfNs / 1e6, errors: f.errorCount };

describe('aggregated flame graph', () => {
  it('merges spans by name path from the root, with counts, totals and self times', async () => {
    const flame = await store.getAggregateFlame({ services: ['svc'] });
    expect(flame.traceCount).toBe(4); // 1, 2, 4, 5 (3 is service "other")
    expect(flame.matchingTraces).toBe(4);
    const f = byPath(flame.frames);
    // agent: 100 + 50. Self: trace 1 children cover 10–60 and 70–80 (60 of 100 → 40);
    // trace 2 children clipped to the parent cover 0–20 and 25–50 (45 of 50 → 5).
    expect(figures(f.get('agent'))).toEqual({ count: 2, traces: 2, totalMs: 150, selfMs: 45, errors: 0 });
    expect(figures(f.get('agent › llm'))).toEqual({ count: 3, traces: 2, totalMs: 60, selfMs: 60, errors: 1 });
    expect(figures(f.get('agent › tool'))).toEqual({ count: 1, traces: 1, totalMs: 30, selfMs: 20, errors: 0 });
    expect(figures(f.get('agent › tool › llm'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    // retrieve 25–75: its children clipped to it cover 30–75 → self 5.
    expect(figures(f.get('agent › retrieve'))).toEqual({ count: 1, traces: 1, totalMs: 50, selfMs: 5, errors: 0 });
    expect(figures(f.get('agent › retrieve › embed'))).toEqual({ count: 1, traces: 1, totalMs: 90, selfMs: 90, errors: 0 });
    expect(f.get('agent › retrieve › embed')!.serviceName).toBe('vectors');
    // Nested same names are separate frames (llm › llm), not merged into one.
    expect(figures(f.get('chain › llm'))).toEqual({ count: 1, traces: 1, totalMs: 80, selfMs: 60, errors: 0 });
    expect(figures(f.get('chain › llm › llm'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(f.get('chain › llm')!.spanType).toBe('llm');
    // An orphan and a span that names itself as parent start frames of their own.
    expect(figures(f.get('orphan work'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 6, errors: 0 });
    expect(figures(f.get('orphan work › child'))).toEqual({ count: 1, traces: 1, totalMs: 4, selfMs: 4, errors: 0 });
    expect(figures(f.get('selfish'))).toEqual({ count: 1, traces: 1, totalMs: 3, selfMs: 3, errors: 0 });
    expect(flame.frames).toHaveLength(14);
    expect(flame.totalFrames).toBe(14);
    expect(flame.spanCount).toBe(17);
    expect(flame.spansMerged).toBe(17);
    expect(flame.depthLimited).toBe(false);
    // Widest first among siblings, parents before children.
    expect(flame.frames.slice(0, 4).map((x) => x.name)).toEqual(['agent', 'chain', 'orphan work', 'selfish']);
  });

  it('uses the trace list filter (span-level conditions too) and one trace when asked', async () => {
    const onlyEmbed = byPath((await store.getAggregateFlame({ name: 'embed' })).frames);
    expect([...onlyEmbed.keys()].sort()).toEqual(['agent', 'agent › llm', 'agent › retrieve', 'agent › retrieve › embed', 'agent › retrieve › llm']);
    expect(figures(onlyEmbed.get('agent'))).toEqual({ count: 1, traces: 1, totalMs: 50, selfMs: 5, errors: 0 });
    const errors = await store.getAggregateFlame({ status: 'error' });
    expect(errors.traceCount).toBe(1);
    expect(errors.frames[0]!.totalNs).toBe(ms(50));
    const one = await store.getAggregateFlame({}, { traceId: t(1) });
    expect(one.traceCount).toBe(1);
    expect(figures(byPath(one.frames).get('agent › llm'))).toEqual({ count: 2, traces: 1, totalMs: 40, selfMs: 40, errors: 0 });
    const none = await store.getAggregateFlame({ name: 'no such span' });
    expect(none).toMatchObject({ frames: [], traceCount: 0, matchingTraces: 0, totalFrames: 0, spanCount: 0 });
  });

  it('merges the newest traces only, and says how many matched', async () => {
    const newest = await store.getAggregateFlame({ services: ['svc'] }, { maxTraces: 2 });
    expect(newest.traceCount).toBe(2);
    expect(newest.matchingTraces).toBe(4);
    expect(newest.maxTraces).toBe(2);
    // Traces 4 and 2 (the newest two): one agent, one chain.
    const f = byPath(newest.frames);
    expect(figures(f.get('agent'))).toEqual({ count: 1, traces: 1, totalMs: 50, selfMs: 5, errors: 0 });
    expect(f.has('chain')).toBe(true);
    expect(f.has('orphan work')).toBe(false);
  });

  it('keeps the widest frames, never one without its parent', async () => {
    // Weights (smallest total along the path): agent 150, llm 60, retrieve 50, retrieve › embed
    // min(90, 50) = 50, tool 30, … The embed frame (90 ms) is wider than its parent but waits for it.
    const filter = { name: 'agent' };
    const names = async (maxFrames: number) => [...byPath((await store.getAggregateFlame(filter, { maxFrames })).frames).keys()];
    expect(await names(1)).toEqual(['agent']);
    expect(await names(3)).toEqual(['agent', 'agent › llm', 'agent › retrieve']);
    expect(await names(4)).toEqual(['agent', 'agent › llm', 'agent › retrieve', 'agent › retrieve › embed']);
    const capped = await store.getAggregateFlame(filter, { maxFrames: 4 });
    expect(capped.totalFrames).toBe(7);
    expect(capped.frames).toHaveLength(4);
  });

  it('follows nesting to maxDepth levels and says that it cut', async () => {
    const shallow = await store.getAggregateFlame({ services: ['svc'] }, { maxDepth: 2 });
    expect(Math.max(...shallow.frames.map((f) => f.depth))).toBe(1);
    expect(shallow.depthLimited).toBe(true);
    // tool › llm, retrieve › llm, retrieve › embed, llm › llm and llm › parse lie deeper.
    expect(shallow.spanCount - shallow.spansMerged).toBe(5);
    // The totals of the levels shown do not change.
    expect(figures(byPath(shallow.frames).get('agent'))).toEqual({ count: 2, traces: 2, totalMs: 150, selfMs: 45, errors: 0 });
    expect((await store.getAggregateFlame({ services: ['svc'] }, { maxDepth: 3 })).depthLimited).toBe(false);
  });
});

describe('sandwich of one span name', () => {
  it('merges the callers upwards and the callees downwards, counting a nested name once', async () => {
    const sw = await store.getSpanSandwich('llm', { services: ['svc'] });
    // Traces with an llm span: 1, 2 and 4. Seven llm spans; the one inside another llm is not a focus.
    expect(sw.traceCount).toBe(3);
    expect(sw.nameCount).toBe(7);
    expect(sw.focusCount).toBe(6);
    const callers = byPath(sw.callers);
    // Focus total: 30 + 10 + 10 (trace 1) + 20 + 10 (trace 2) + 80 (trace 4) = 160.
    // Self: the outer llm of trace 4 has 20 of its 80 covered → 60; the others have no children.
    expect(figures(callers.get('llm'))).toEqual({ count: 6, traces: 3, totalMs: 160, selfMs: 140, errors: 1 });
    expect(figures(callers.get('llm › agent'))).toEqual({ count: 3, traces: 2, totalMs: 60, selfMs: 60, errors: 1 });
    expect(figures(callers.get('llm › tool'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(figures(callers.get('llm › tool › agent'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(figures(callers.get('llm › retrieve › agent'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(figures(callers.get('llm › chain'))).toEqual({ count: 1, traces: 1, totalMs: 80, selfMs: 60, errors: 0 });
    expect(callers.size).toBe(7);
    const callees = byPath(sw.callees);
    expect(figures(callees.get('llm'))).toEqual(figures(callers.get('llm')));
    expect(figures(callees.get('llm › llm'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(figures(callees.get('llm › parse'))).toEqual({ count: 1, traces: 1, totalMs: 10, selfMs: 10, errors: 0 });
    expect(callees.size).toBe(3);
    expect(sw.callersDepthLimited).toBe(false);
    expect(sw.calleesDepthLimited).toBe(false);
  });

  it('in one trace; bounded by depth; an unknown name is empty', async () => {
    const inOne = await store.getSpanSandwich('retrieve', {}, { traceId: t(2) });
    expect(inOne.traceCount).toBe(1);
    expect(figures(byPath(inOne.callers).get('retrieve › agent'))).toEqual({ count: 1, traces: 1, totalMs: 50, selfMs: 5, errors: 0 });
    expect([...byPath(inOne.callees).keys()]).toEqual(['retrieve', 'retrieve › embed', 'retrieve › llm']);
    const shallow = await store.getSpanSandwich('llm', { services: ['svc'] }, { maxDepth: 2 });
    expect(shallow.callersDepthLimited).toBe(true); // tool › agent lies a level further up
    expect(Math.max(...shallow.callers.map((f) => f.depth))).toBe(1);
    expect(shallow.calleesDepthLimited).toBe(false);
    const unknown = await store.getSpanSandwich('nothing', {});
    expect(unknown).toMatchObject({ focusCount: 0, callers: [], callees: [], traceCount: 0 });
  });
});

describe('against a plain TypeScript merge of random traces', () => {
  interface Plain {
    traceId: string;
    spanId: string;
    parent: string | null;
    name: string;
    start: number;
    end: number;
  }

  /** Merge by name path from the root, self time = duration − union of children clipped to the span. */
  function plainMerge(spans: Plain[]): Map<string, { count: number; traces: Set<string>; total: number; self: number }> {
    const out = new Map<string, { count: number; traces: Set<string>; total: number; self: number }>();
    const byTrace = new Map<string, Plain[]>();
    for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    for (const [traceId, list] of byTrace) {
      const ids = new Set(list.map((s) => s.spanId));
      const children = new Map<string, Plain[]>();
      for (const s of list) if (s.parent !== null && s.parent !== s.spanId && ids.has(s.parent)) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
      const visit = (s: Plain, prefix: string): void => {
        const path = prefix === '' ? s.name : `${prefix} › ${s.name}`;
        const clipped = (children.get(s.spanId) ?? [])
          .map((c) => [Math.max(c.start, s.start), Math.min(c.end, s.end)] as const)
          .filter(([a, b]) => b > a)
          .sort((x, y) => x[0] - y[0]);
        let covered = 0;
        let reach = -Infinity;
        for (const [a, b] of clipped) {
          covered += Math.max(0, b - Math.max(a, reach));
          reach = Math.max(reach, b);
        }
        const f = out.get(path) ?? { count: 0, traces: new Set<string>(), total: 0, self: 0 };
        f.count++;
        f.traces.add(traceId);
        f.total += s.end - s.start;
        f.self += s.end - s.start - covered;
        out.set(path, f);
        for (const c of children.get(s.spanId) ?? []) visit(c, path);
      };
      for (const s of list) if (s.parent === null || s.parent === s.spanId || !ids.has(s.parent)) visit(s, '');
    }
    return out;
  }

  it('gives the same frames, counts, totals and self times', async () => {
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const plain: Plain[] = [];
    for (let trace = 1; trace <= 40; trace++) {
      const traceSpans: Plain[] = [];
      const n = 1 + Math.floor(random() * 30);
      for (let i = 0; i < n; i++) {
        const parent = i === 0 || random() < 0.05 ? null : pick(traceSpans);
        const start = parent ? parent.start + Math.floor(random() * (parent.end - parent.start)) : Math.floor(random() * 100);
        // Mostly inside the parent; sometimes past its end (async work).
        const room = parent ? parent.end - start : 1000;
        const duration = 1 + Math.floor(random() * (random() < 0.15 ? room * 2 : room));
        traceSpans.push({ traceId: hexId(1000 + trace, 32), spanId: hexId(100_000 + trace * 100 + i, 16), parent: parent?.spanId ?? null, name: pick(['a', 'b', 'c', 'd']), start, end: start + duration });
      }
      plain.push(...traceSpans);
    }
    const local = tempDir();
    const randomStore = await Store.open({ path: join(local.path, 'tracedeck.duckdb') });
    try {
      await randomStore.appendSpans(
        plain.map((s) => spanRow({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parent, name: s.name, startNs: T0 + BigInt(s.start) * MS, endNs: T0 + BigInt(s.end) * MS })),
      );
      const expected = plainMerge(plain);
      const flame = await randomStore.getAggregateFlame({});
      const got = byPath(flame.frames);
      expect(flame.traceCount).toBe(40);
      expect(flame.spansMerged).toBe(plain.length);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, f] of expected) {
        expect({ path, ...figures(got.get(path)) }).toEqual({ path, count: f.count, traces: f.traces.size, totalMs: f.total, selfMs: f.self, errors: 0 });
      }
    } finally {
      await randomStore.close();
      local.remove();
    }
  });
});

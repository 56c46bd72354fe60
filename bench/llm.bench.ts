// LLM views: Engine.getSession over a long session (turns' texts from the root and first/last LLM
// spans, read in three queries for the whole session) against the per-turn way (getLlmView for
// each turn's LLM span) measured in the same run; and one getLlmView (a span with OpenInference
// messages read back from the store and normalised). `npx tsx bench/llm.bench.ts [--turns N --runs N]`;
// default 500 turns in the measured session (2,500 traces in 5 sessions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../electron/engine/api';
import type { DecodedSpan, KeyValue } from '../electron/engine/otlp/types';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } } });
const TURNS = Number(values.turns);
const RUNS = Number(values.runs);
const SESSIONS = 5;
const T0 = 1_795_392_000_000_000_000n;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return p50(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'tracedeck-bench-llm-'));
const engine = await Engine.open({ path: join(dir, 'bench.duckdb'), dataDir: dir });
try {
  const spans: DecodedSpan[] = [];
  const base = { traceState: '', flags: 1, kind: 1, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, statusCode: 0, statusMessage: '' };
  for (let t = 1; t <= TURNS * SESSIONS; t++) {
    const at = T0 + BigInt(t) * 1_000_000_000n;
    const session = `session-${t % SESSIONS}`;
    spans.push({ ...base, traceId: hex(t, 32), spanId: hex(t * 2, 16), parentSpanId: '', name: 'turn', startTimeUnixNano: at, endTimeUnixNano: at + 900_000_000n, attributes: [['session.id', session]] });
    const attributes: KeyValue[] = [
      ['openinference.span.kind', 'LLM'],
      ['llm.model_name', 'gpt-4o-mini'],
      ['session.id', session],
      ['llm.input_messages.0.message.role', 'system'],
      ['llm.input_messages.0.message.content', 'You are a helpful support agent. '.repeat(20)],
      ['llm.input_messages.1.message.role', 'user'],
      ['llm.input_messages.1.message.content', `Question ${t}: `.repeat(40)],
      ['llm.output_messages.0.message.role', 'assistant'],
      ['llm.output_messages.0.message.content', `Answer ${t}. `.repeat(80)],
      ['llm.token_count.prompt', 900n],
      ['llm.token_count.completion', 300n],
    ];
    spans.push({ ...base, traceId: hex(t, 32), spanId: hex(t * 2 + 1, 16), parentSpanId: hex(t * 2, 16), name: 'ChatCompletion', startTimeUnixNano: at, endTimeUnixNano: at + 800_000_000n, attributes });
  }
  const scope = { name: 'bench', version: '', attributes: [], droppedAttributesCount: 0 };
  await engine.ingestTraceRequest({ resourceSpans: [{ resource: { attributes: [['service.name', 'bench']], droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans }] }] }, 'bench');

  const sessionId = 'session-1';
  const turnIds = Array.from({ length: TURNS * SESSIONS }, (_, i) => i + 1).filter((t) => t % SESSIONS === 1);
  const sessionMs = await time(() => engine.getSession(sessionId));
  const perTurnMs = await time(async () => {
    for (const t of turnIds) await engine.getLlmView(hex(t, 32), hex(t * 2 + 1, 16));
  });
  const listMs = await time(() => engine.listSessions({}));
  const viewMs = await time(() => engine.getLlmView(hex(6, 32), hex(13, 16)));
  console.log(`session of ${turnIds.length} turns (of ${TURNS * SESSIONS} traces in ${SESSIONS} sessions), p50 of ${RUNS} runs:`);
  console.log(`  getSession                      ${sessionMs.toFixed(1)} ms`);
  console.log(`  baseline: getLlmView per turn   ${perTurnMs.toFixed(1)} ms   (ratio ${(perTurnMs / sessionMs).toFixed(1)}x)`);
  console.log(`  listSessions                    ${listMs.toFixed(1)} ms`);
  console.log(`  one getLlmView                  ${viewMs.toFixed(2)} ms`);
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}

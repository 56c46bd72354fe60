// The REAL OpenAI instrumentations (@opentelemetry/instrumentation-openai,
// @arizeai/openinference-instrumentation-openai, @traceloop/instrumentation-openai) tracing the
// real `openai` client against a stand-in OpenAI server, exported with the real OTLP/proto trace
// (and logs) exporters to a running engine. Each library runs in its own process
// (tests/fixtures/openai-instrumented-client.cjs): they patch `openai` through require hooks.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/server/runtime';
import { findPrice } from '../../electron/engine/semconv/prices';
import { ANSWER, FAKE_MODEL, STREAM_USAGE, TOOL_CALL_USAGE, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { tempDir } from '../helpers/rows';

const run = promisify(execFile);
const CLIENT = join(import.meta.dirname, '..', 'fixtures', 'openai-instrumented-client.cjs');
const LIBRARIES = ['official', 'openinference', 'traceloop'] as const;

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;
let openai: FakeOpenAi;

beforeAll(async () => {
  dir = tempDir();
  runtime = await startRuntime({ dataDir: dir.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, log: () => undefined });
  openai = await startFakeOpenAi();
});
afterAll(async () => {
  await openai.close();
  await runtime.stop();
  dir.remove();
});

function rowsOf(r: { columns: { name: string }[]; rows: unknown[][] }): Record<string, unknown>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

const price = findPrice(FAKE_MODEL)!;
const costOf = (u: { prompt_tokens: number; completion_tokens: number }): number => u.prompt_tokens * price.input + u.completion_tokens * price.output;

/**
 * What each library records for the streamed call (versions in package.json, checked
 * 2026-11-23): only the official instrumentation reads the final usage chunk; OpenInference
 * keeps the request model and no counts, OpenLLMetry the response model and no counts (it can
 * estimate them with `enrichTokens`, which needs tiktoken).
 */
const STREAMED: Record<(typeof LIBRARIES)[number], { model: string; usage: boolean }> = {
  official: { model: FAKE_MODEL, usage: true },
  openinference: { model: 'gpt-4o-mini', usage: false },
  traceloop: { model: FAKE_MODEL, usage: false },
};

describe.each(LIBRARIES)('%s instrumentation', (library) => {
  it('stores both calls as llm spans with model, tokens and cost, and the transcript shows question, tool call and answer', async () => {
    const question = `What is the weather in Paris? (${library})`;
    const { stdout } = await run(process.execPath, [CLIENT, library, openai.url, runtime.otlpHttp!.url], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, TD_QUESTION: question },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ answer: ANSWER });

    const service = `chat-${library}`;
    let spans: Record<string, unknown>[] = [];
    for (let i = 0; i < 50 && spans.length < 2; i++) {
      spans = rowsOf(
        await runtime.engine.query(
          `SELECT trace_id, span_id, name, span_type, llm_provider, llm_model, input_tokens, output_tokens, cost_usd
           FROM spans WHERE service_name = '${service}' ORDER BY start_time`,
        ),
      );
      if (spans.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    const [toolCall, streamed] = spans as [Record<string, unknown>, Record<string, unknown>];
    expect([toolCall.span_type, toolCall.llm_provider, toolCall.llm_model, Number(toolCall.input_tokens), Number(toolCall.output_tokens)]).toEqual([
      'llm',
      'openai',
      FAKE_MODEL,
      TOOL_CALL_USAGE.prompt_tokens,
      TOOL_CALL_USAGE.completion_tokens,
    ]);
    expect(Number(toolCall.cost_usd)).toBeCloseTo(costOf(TOOL_CALL_USAGE), 12);
    expect(streamed.span_type).toBe('llm');
    const stream = STREAMED[library];
    expect(streamed.llm_model).toBe(stream.model);
    if (stream.usage) {
      expect([Number(streamed.input_tokens), Number(streamed.output_tokens)]).toEqual([STREAM_USAGE.prompt_tokens, STREAM_USAGE.completion_tokens]);
      expect(Number(streamed.cost_usd)).toBeCloseTo(costOf(STREAM_USAGE), 12);
    } else {
      // no token counts: no cost either ("no price"), never 0
      expect([streamed.input_tokens, streamed.output_tokens, streamed.cost_usd]).toEqual([null, null, null]);
    }

    // The official instrumentation sends message content as log records, which may land a
    // moment after the spans.
    let first = await runtime.engine.getLlmView(String(spans[0]!.trace_id), String(spans[0]!.span_id));
    let second = await runtime.engine.getLlmView(String(spans[1]!.trace_id), String(spans[1]!.span_id));
    for (let i = 0; i < 50 && !(second?.output.length && first?.output.length); i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await runtime.engine.getLlmView(String(spans[0]!.trace_id), String(spans[0]!.span_id));
      second = await runtime.engine.getLlmView(String(spans[1]!.trace_id), String(spans[1]!.span_id));
    }
    const texts = (messages: { parts: { type: string; text?: string }[] }[]) =>
      messages.flatMap((m) => m.parts.filter((p) => p.type === 'text').map((p) => p.text));
    expect(texts(first!.input)).toContain(question);
    expect(first!.output.flatMap((m) => m.parts)).toContainEqual(expect.objectContaining({ type: 'tool_call', name: 'get_weather' }));
    expect(texts(second!.output).join('')).toContain(ANSWER);
  });
});

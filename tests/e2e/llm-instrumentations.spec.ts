// The window against `tracedeck serve`, fed by the REAL OpenAI instrumentations (each in its own
// process, tests/fixtures/openai-instrumented-client.cjs) tracing the real `openai` client against
// a stand-in OpenAI server: the streamed call's span shows the user's question and the answer.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { ANSWER, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { ROOT, ServeApp } from './serve-app';

const run = promisify(execFile);
let app: ServeApp;
let openai: FakeOpenAi;

test.beforeAll(async () => {
  app = await ServeApp.start();
  openai = await startFakeOpenAi();
});
test.afterAll(async () => {
  await openai.close();
  expect(await app.stop()).toBe(0);
  app.removeData();
});

async function lastLlmSpan(service: string): Promise<{ traceId: string; spanId: string } | null> {
  const response = await fetch(`${app.uiUrl.replace(/\/$/, '')}/api/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([
      `SELECT trace_id, span_id FROM spans WHERE service_name = '${service}' AND span_type = 'llm' ORDER BY start_time DESC LIMIT 1`,
    ]),
  });
  expect(response.status).toBe(200);
  const result = (await response.json()) as { rows: string[][] };
  const row = result.rows[0];
  return row ? { traceId: row[0]!, spanId: row[1]! } : null;
}

for (const library of ['official', 'openinference', 'traceloop'] as const) {
  test(`${library}: the streamed call shows the user's question and the assistant's answer`, async ({ page }) => {
    const question = `Will it rain in Lyon? (${library} e2e)`;
    await run(process.execPath, [join(ROOT, 'tests', 'fixtures', 'openai-instrumented-client.cjs'), library, openai.url, app.otlpHttpUrl], {
      cwd: ROOT,
      env: { ...process.env, TD_QUESTION: question },
      timeout: 60_000,
    });
    let span: Awaited<ReturnType<typeof lastLlmSpan>> = null;
    await expect.poll(async () => (span = await lastLlmSpan(`chat-${library}`)) !== null).toBe(true);
    await page.goto(`${app.uiUrl.replace(/\/$/, '')}/#/trace/${span!.traceId}/span/${span!.spanId}`);
    const conversation = page.getByRole('region', { name: 'Conversation' });
    await expect(conversation.getByRole('list', { name: 'Input' })).toContainText(question);
    await expect(conversation.getByRole('list', { name: 'Input' })).toContainText('get_weather');
    await expect(conversation.getByRole('list', { name: 'Output' })).toContainText(ANSWER);
  });
}

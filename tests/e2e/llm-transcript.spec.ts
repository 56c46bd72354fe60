// An LLM span's conversation in a real Chromium against `tracedeck serve`: roles, tool calls with
// pretty-printed arguments, tokens, cost, TTFT; long content folded; and hostile content in
// prompts and completions (<script>, <img onerror>, javascript: links) shown as text that never
// executes or loads anything.
import { expect, test } from '@playwright/test';
import { ServeApp } from './serve-app';

let app: ServeApp;

test.beforeAll(async () => {
  app = await ServeApp.start();
});
test.afterAll(async () => {
  expect(await app.stop()).toBe(0);
  app.removeData();
});

const TRACE_ID = '5a1e0000000000000000000000000001';
const SPAN_ID = '5a1e000000000001';
const START_NS = 1_763_000_000_000_000_000n;

const attr = (key: string, value: string | number): { key: string; value: Record<string, unknown> } =>
  typeof value === 'string' ? { key, value: { stringValue: value } } : { key, value: { intValue: String(value) } };

async function sendHostileLlmSpan(probeUrl: string): Promise<void> {
  const hostileUser =
    `Weather?<script>window.__xss = 'script'</script>` +
    `<img src="${probeUrl}" onerror="window.__xss = 'img'">` +
    `<a href="javascript:window.__xss='link'">click me</a> [md](javascript:window.__xss='md')`;
  const hostileAnswer = `Sunny. <iframe src="${probeUrl}"></iframe><svg onload="window.__xss='svg'"></svg>`;
  const longSystem = `You are terse.\n${'Rule: answer in one line.\n'.repeat(200)}THE-END-OF-THE-SYSTEM-PROMPT`;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'chat-app')] },
        scopeSpans: [
          {
            scope: { name: 'openinference' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                name: 'ChatCompletion',
                kind: 3,
                startTimeUnixNano: START_NS.toString(),
                endTimeUnixNano: (START_NS + 1_500_000_000n).toString(),
                attributes: [
                  attr('openinference.span.kind', 'LLM'),
                  attr('llm.model_name', 'gpt-4o-mini'),
                  attr('llm.invocation_parameters', '{"temperature":0.3}'),
                  attr('llm.input_messages.0.message.role', 'system'),
                  attr('llm.input_messages.0.message.content', longSystem),
                  attr('llm.input_messages.1.message.role', 'user'),
                  attr('llm.input_messages.1.message.content', hostileUser),
                  attr('llm.input_messages.2.message.role', 'assistant'),
                  attr('llm.input_messages.2.message.tool_calls.0.tool_call.id', 'call_7'),
                  attr('llm.input_messages.2.message.tool_calls.0.tool_call.function.name', 'get_weather'),
                  attr('llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments', '{"city":"Paris","days":3}'),
                  attr('llm.input_messages.3.message.role', 'tool'),
                  attr('llm.input_messages.3.message.tool_call_id', 'call_7'),
                  attr('llm.input_messages.3.message.content', '{"forecast":"sun"}'),
                  attr('llm.output_messages.0.message.role', 'assistant'),
                  attr('llm.output_messages.0.message.content', hostileAnswer),
                  attr('llm.token_count.prompt', 1200),
                  attr('llm.token_count.completion', 80),
                  attr('llm.token_count.prompt_details.cache_read', 1000),
                ],
                events: [{ timeUnixNano: (START_NS + 250_000_000n).toString(), name: 'First Token Stream Event' }],
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

test('an LLM span shows its conversation as text: tool calls, usage, folding; hostile content never runs or loads', async ({ page }) => {
  const probeUrl = `${app.uiUrl.replace(/\/$/, '')}/xss-probe.png`;
  const probes: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('xss-probe')) probes.push(request.url());
  });
  await sendHostileLlmSpan(probeUrl);
  await page.goto(`${app.uiUrl.replace(/\/$/, '')}/#/trace/${TRACE_ID}/span/${SPAN_ID}`);

  const conversation = page.getByRole('region', { name: 'Conversation' });
  await expect(conversation).toBeVisible();
  // the trace header totals the LLM calls
  const totals = page.getByLabel('LLM totals');
  await expect(totals).toContainText('1 LLM call');
  await expect(totals).toContainText('1,200 in · 80 out');
  await expect(totals).toContainText('$0.00');
  // the span tree badges the span's type and tokens
  const row = page.getByRole('treeitem').filter({ hasText: 'ChatCompletion' });
  await expect(row).toContainText('llm');
  await expect(row).toContainText('1.3k tok');
  const input = conversation.getByRole('list', { name: 'Input' });
  const output = conversation.getByRole('list', { name: 'Output' });

  // the hostile markup is there, character for character, as text
  await expect(input).toContainText(`<script>window.__xss = 'script'</script>`);
  await expect(input).toContainText(`onerror="window.__xss = 'img'"`);
  await expect(input).toContainText(`<a href="javascript:window.__xss='link'">click me</a>`);
  await expect(output).toContainText(`<iframe src="${probeUrl}"></iframe>`);

  // tool call with pretty-printed arguments, and its result
  await expect(input).toContainText('get_weather');
  await expect(input.locator('.llm-tool-call pre')).toHaveText('{\n  "city": "Paris",\n  "days": 3\n}');
  await expect(input.locator('.llm-tool-result pre')).toContainText('"forecast": "sun"');

  // usage: tokens in/out/cached, cost from the price table, latency and TTFT, parameters
  await expect(conversation).toContainText('1,200 in · 80 out · 1,000 cached');
  await expect(conversation).toContainText('$0.00');
  await expect(conversation).toContainText('Time to first token');
  await expect(conversation).toContainText('250');
  await expect(conversation.getByRole('definition').filter({ hasText: '0.3' })).toHaveCount(1);

  // the long system prompt is folded until expanded
  const system = input.locator('.llm-message.role-system');
  await expect(system).not.toContainText('THE-END-OF-THE-SYSTEM-PROMPT');
  await system.getByRole('button', { name: /Show all/ }).click();
  await expect(system).toContainText('THE-END-OF-THE-SYSTEM-PROMPT');

  // nothing ran, nothing loaded, nothing became a link or an element
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(probes).toEqual([]);
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
  expect(await page.locator('.span-detail img, .span-detail iframe, .span-detail svg[onload], .span-detail script').count()).toBe(0);
});

test('a span without LLM content shows no conversation section', async ({ page }) => {
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'plain')] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5a1e0000000000000000000000000002',
                  spanId: '5a1e000000000002',
                  name: 'GET /health',
                  kind: 2,
                  startTimeUnixNano: START_NS.toString(),
                  endTimeUnixNano: (START_NS + 1_000_000n).toString(),
                  attributes: [attr('http.request.method', 'GET')],
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
  await page.goto(`${app.uiUrl.replace(/\/$/, '')}/#/trace/5a1e0000000000000000000000000002/span/5a1e000000000002`);
  const detail = page.getByRole('region', { name: 'Span detail' });
  await expect(detail).toContainText('http.request.method');
  await expect(page.getByRole('region', { name: 'Conversation' })).toHaveCount(0);
});

test('messages sent as log records after the span (official instrumentation) appear in the open transcript', async ({ page }) => {
  const traceId = '5a1e0000000000000000000000000003';
  const spanId = '5a1e000000000003';
  const post = (path: string, body: unknown) =>
    fetch(`${app.otlpHttpUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const spans = await post('/v1/traces', {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'late-logs')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId,
                name: 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: START_NS.toString(),
                endTimeUnixNano: (START_NS + 1_000_000_000n).toString(),
                attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o-mini'), attr('gen_ai.usage.input_tokens', 12)],
              },
            ],
          },
        ],
      },
    ],
  });
  expect(spans.status).toBe(200);
  await page.goto(`${app.uiUrl.replace(/\/$/, '')}/#/trace/${traceId}/span/${spanId}`);
  const conversation = page.getByRole('region', { name: 'Conversation' });
  await expect(conversation).toContainText('12 in');
  await expect(conversation.getByRole('list', { name: 'Input' })).toHaveCount(0);

  const logs = await post('/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [attr('service.name', 'late-logs')] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: (START_NS + 1n).toString(),
                eventName: 'gen_ai.user.message',
                traceId,
                spanId,
                body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'A question that came late' } }] } },
              },
            ],
          },
        ],
      },
    ],
  });
  expect(logs.status).toBe(200);
  await expect(conversation.getByRole('list', { name: 'Input' })).toContainText('A question that came late', { timeout: 10_000 });
});

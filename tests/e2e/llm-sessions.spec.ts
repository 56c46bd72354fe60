// The Sessions view against `tracedeck serve`: traces grouped by session id, turns in time order
// with their input and output, totals per session, and a turn opens its trace.
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

const T0 = 1_763_000_000_000_000_000n;
const attr = (key: string, value: string | number): { key: string; value: Record<string, unknown> } =>
  typeof value === 'string' ? { key, value: { stringValue: value } } : { key, value: { intValue: String(value) } };

function llmSpan(trace: number, at: bigint, question: string, answer: string) {
  return {
    traceId: `5e55${String(trace).padStart(28, '0')}`,
    spanId: `5e55${String(trace).padStart(12, '0')}`,
    name: `turn ${trace}`,
    kind: 1,
    startTimeUnixNano: at.toString(),
    endTimeUnixNano: (at + 1_000_000_000n).toString(),
    attributes: [
      attr('openinference.span.kind', 'LLM'),
      attr('llm.model_name', 'gpt-4o-mini'),
      attr('session.id', 'support-chat-42'),
      attr('llm.input_messages.0.message.role', 'user'),
      attr('llm.input_messages.0.message.content', question),
      attr('llm.output_messages.0.message.role', 'assistant'),
      attr('llm.output_messages.0.message.content', answer),
      attr('llm.token_count.prompt', 1000),
      attr('llm.token_count.completion', 100),
    ],
  };
}

test('sessions list their turns in time order with input, output and totals; a turn opens its trace', async ({ page }) => {
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'support-bot')] },
          scopeSpans: [
            {
              spans: [
                llmSpan(2, T0 + 90_000_000_000n, 'Can I return it by mail?', 'Yes, within 30 days.'),
                llmSpan(1, T0, 'Where is my order <b>#7</b>?', 'It ships tomorrow.'),
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);

  await page.goto(`${app.uiUrl.replace(/\/$/, '')}/#/sessions`);
  const list = page.getByRole('list', { name: 'Session list' });
  const row = list.getByRole('button').filter({ hasText: 'support-chat-42' });
  await expect(row).toContainText('2 turns');
  await expect(row).toContainText('2,000 in · 200 out');
  await expect(row).toContainText('$0.0004'); // 2 × (1000 × 1.5e-7 + 100 × 6e-7) = $0.00042
  await row.click();

  const turns = page.getByRole('list', { name: 'Turns' }).locator('> li');
  await expect(turns).toHaveCount(2);
  await expect(turns.nth(0)).toContainText('Where is my order <b>#7</b>?');
  await expect(turns.nth(0)).toContainText('It ships tomorrow.');
  await expect(turns.nth(1)).toContainText('Can I return it by mail?');
  await expect(turns.nth(1)).toContainText('Yes, within 30 days.');

  await turns.nth(1).getByRole('button', { name: 'Open trace' }).click();
  await expect(page.getByRole('region', { name: 'Trace' })).toContainText('turn 2');
});

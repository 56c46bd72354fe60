// `npx tsx scripts/screenshot.ts [out.png]`: the README's screenshot. Starts `tracedeck serve`
// (build first), sends a support agent's trace over OTLP/JSON, opens it in Chromium, selects an
// LLM call and saves the window (default resources/screenshot.png).
import { chromium } from '@playwright/test';
import { ServeApp } from '../tests/e2e/serve-app';

const out = process.argv[2] ?? 'resources/screenshot.png';
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_795_392_000_000_000_000n;
const ms = (n: number): bigint => T0 + BigInt(Math.round(n * 1e6));

type Attr = [string, string | number];
// [id, parent, name, service, startMs, endMs, attributes, error?, events (ms)]
type Spec = [number, number | null, string, string, number, number, Attr[], boolean?, number[]?];
const llm = (model: string, input: number, output: number): Attr[] => [
  ['gen_ai.operation.name', 'chat'],
  ['gen_ai.system', 'openai'],
  ['gen_ai.request.model', model],
  ['gen_ai.usage.input_tokens', input],
  ['gen_ai.usage.output_tokens', output],
];
const tool = (name: string): Attr[] => [
  ['gen_ai.operation.name', 'execute_tool'],
  ['gen_ai.tool.name', name],
];
const specs: Spec[] = [
  [1, null, 'POST /v1/support/chat', 'support-api', 0, 4210, [['http.request.method', 'POST'], ['http.route', '/v1/support/chat']]],
  [2, 1, 'authenticate', 'support-api', 3, 21, []],
  [3, 1, 'invoke_agent support-agent', 'support-agent', 24, 4180, [['gen_ai.operation.name', 'invoke_agent'], ['gen_ai.agent.name', 'support-agent']]],
  [4, 3, 'retrieve kb-articles', 'support-agent', 30, 262, [['openinference.span.kind', 'RETRIEVER']]],
  [5, 4, 'embeddings text-embedding-3-small', 'support-agent', 33, 118, [['gen_ai.operation.name', 'embeddings'], ['gen_ai.request.model', 'text-embedding-3-small'], ['gen_ai.usage.input_tokens', 42]]],
  [6, 4, 'POST /collections/kb/query', 'vector-db', 122, 255, [['db.system', 'qdrant']]],
  [7, 3, 'chat gpt-4o', 'support-agent', 268, 1422, llm('gpt-4o', 1840, 96), false, [540]],
  [8, 3, 'execute_tool lookup_order', 'support-agent', 1430, 1712, tool('lookup_order')],
  [9, 8, 'GET /orders/8812', 'orders', 1436, 1702, [['http.request.method', 'GET']]],
  [10, 9, 'SELECT orders', 'orders', 1450, 1530, [['db.system', 'postgresql'], ['db.statement', 'SELECT * FROM orders WHERE id = $1']]],
  [11, 9, 'SELECT shipments', 'orders', 1534, 1690, [['db.system', 'postgresql']]],
  [12, 3, 'execute_tool refund_order', 'support-agent', 1716, 2150, tool('refund_order'), true],
  [13, 12, 'POST /payments/refunds', 'payments', 1722, 2140, [['http.request.method', 'POST']], true],
  [14, 3, 'chat gpt-4o', 'support-agent', 2158, 3312, llm('gpt-4o', 2304, 141)],
  [15, 3, 'execute_tool create_ticket', 'support-agent', 3318, 3590, tool('create_ticket')],
  [16, 15, 'POST /tickets', 'helpdesk', 3324, 3580, [['http.request.method', 'POST']]],
  [17, 3, 'chat gpt-4o-mini', 'support-agent', 3596, 4172, llm('gpt-4o-mini', 2610, 188), false, [3710, 3900]],
  [18, 1, 'write audit log', 'support-api', 4182, 4204, []],
];

const id = (n: number): string => n.toString(16).padStart(16, '0');
const byService = new Map<string, Spec[]>();
for (const s of specs) byService.set(s[3], [...(byService.get(s[3]) ?? []), s]);
const body = JSON.stringify({
  resourceSpans: [...byService].map(([service, list]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        scope: { name: 'screenshot', version: '1' },
        spans: list.map(([n, parent, name, , start, end, attrs, error, events]) => ({
          traceId,
          spanId: id(n),
          ...(parent ? { parentSpanId: id(parent) } : {}),
          name,
          kind: name.startsWith('POST') || name.startsWith('GET') ? 2 : 1,
          startTimeUnixNano: ms(start).toString(),
          endTimeUnixNano: ms(end).toString(),
          attributes: attrs.map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
          events: (events ?? []).map((t) => ({ timeUnixNano: ms(t).toString(), name: 'gen_ai.content.chunk', attributes: [] })),
          status: error ? { code: 2, message: 'refund declined: order already shipped' } : { code: 0 },
        })),
      },
    ],
  })),
});

const app = await ServeApp.start();
try {
  const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (!response.ok) throw new Error(`OTLP POST: ${response.status}`);
  const browser = await chromium.launch({ executablePath: process.env.TRACEDECK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: (process.env.SCHEME as 'light' | 'dark') ?? 'light' });
  await page.goto(`${app.uiUrl}#/trace/${traceId}/span/${id(7)}`);
  await page.getByRole('tree', { name: 'Span tree' }).getByRole('treeitem').first().waitFor();
  await page.getByRole('region', { name: 'Span detail' }).getByText('gpt-4o').first().waitFor();
  await page.mouse.move(10, 10);
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
  await browser.close();
} finally {
  await app.stop();
  app.removeData();
}

// Generated traces of any size and shape, sent as OTLP/JSON to a running Tracedeck: the e2e tests
// and bench/render.bench.ts open them. Deterministic (same shape and size, same spans), so a test
// can name spans it expects. 100,000 spans post in about a second, in chunks of 5,000 (~2 MB).
//
// Shapes:
//   agent  an LLM agent: runs → steps → LLM calls, tool calls, retrievals, HTTP calls; ~4 children
//          per span, so ~9 levels at 100,000 spans (the realistic case)
//   deep   chains of up to 10,000 levels (one chain per 10,000 spans) under one root
//   wide   one root with every other span as its direct child

export type TraceShape = 'agent' | 'deep' | 'wide';

export const DEEP_CHAIN_LEVELS = 10_000;
const BRANCHING = 4;
const T0 = 1_795_392_000_000_000_000n; // 2026-11-23T00:00:00Z

interface GeneratedSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  startNs: bigint;
  endNs: bigint;
  error: boolean;
  spanType: 'agent' | 'llm' | 'tool' | 'retriever' | 'http';
  eventAtNs: bigint | null;
}

export function spanIdFor(index: number): string {
  return (index + 1).toString(16).padStart(16, '0');
}

const KINDS: { type: GeneratedSpan['spanType']; name: (i: number) => string; service: string }[] = [
  { type: 'llm', name: (i) => `chat ${i % 3 === 0 ? 'gpt-4o' : 'claude-sonnet'}`, service: 'llm-gateway' },
  { type: 'tool', name: (i) => `tool ${['search_web', 'read_file', 'run_sql', 'send_email'][i % 4]}`, service: 'agent' },
  { type: 'retriever', name: () => 'retrieve documents', service: 'vector-db' },
  { type: 'http', name: (i) => `GET /api/${['orders', 'users', 'stock'][i % 3]}`, service: 'storefront' },
];

/** The spans of one trace, parents before children. */
export function generateSpans(shape: TraceShape, count: number): GeneratedSpan[] {
  const spans: GeneratedSpan[] = [];
  const add = (i: number, parent: number | null, startNs: bigint, endNs: bigint): void => {
    const kind = i === 0 ? null : KINDS[i % KINDS.length]!;
    spans.push({
      spanId: spanIdFor(i),
      parentSpanId: parent === null ? null : spanIdFor(parent),
      name: kind ? kind.name(i) : `agent run (${shape}, ${count} spans)`,
      service: kind ? kind.service : 'agent',
      startNs,
      endNs,
      error: i > 0 && i % 97 === 0,
      spanType: kind ? kind.type : 'agent',
      eventAtNs: i % 50 === 0 ? startNs + (endNs - startNs) / 2n : null,
    });
  };
  const rootDuration = 30_000_000_000n; // 30 s
  add(0, null, T0, T0 + rootDuration);
  if (shape === 'wide') {
    const step = rootDuration / BigInt(count);
    for (let i = 1; i < count; i++) {
      const start = T0 + BigInt(i - 1) * step;
      add(i, 0, start, start + step * 3n);
    }
  } else if (shape === 'deep') {
    // Each level starts 1 µs after its parent and ends 1 µs before it.
    const chains = Math.ceil((count - 1) / DEEP_CHAIN_LEVELS);
    let i = 1;
    for (let c = 0; c < chains && i < count; c++) {
      const chainStart = T0 + (rootDuration / BigInt(chains)) * BigInt(c);
      const chainEnd = chainStart + rootDuration / BigInt(chains);
      let parent = 0;
      for (let level = 0; level < DEEP_CHAIN_LEVELS && i < count; level++, i++) {
        const inset = BigInt(level + 1) * 1_000n;
        add(i, parent, chainStart + inset, chainEnd - inset);
        parent = i;
      }
    }
  } else {
    // Breadth-first: span i's parent is (i - 1) / BRANCHING; each child takes 90% of its slot.
    for (let i = 1; i < count; i++) {
      const parent = Math.floor((i - 1) / BRANCHING);
      const slotIndex = BigInt((i - 1) % BRANCHING);
      const p = spans[parent]!;
      const slot = (p.endNs - p.startNs) / BigInt(BRANCHING);
      const start = p.startNs + slot * slotIndex + slot / 20n;
      add(i, parent, start, start + (slot * 9n) / 10n);
    }
  }
  return spans;
}

function otlpJson(traceId: string, spans: GeneratedSpan[]): string {
  const byService = new Map<string, GeneratedSpan[]>();
  for (const s of spans) {
    const list = byService.get(s.service);
    if (list) list.push(s);
    else byService.set(s.service, [s]);
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: 'tracedeck-generator', version: '1.0.0' },
          spans: list.map((s) => ({
            traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.spanType === 'http' ? 3 : 1,
            startTimeUnixNano: s.startNs.toString(),
            endTimeUnixNano: s.endNs.toString(),
            attributes:
              s.spanType === 'llm'
                ? [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.request.model', value: { stringValue: s.name.slice(5) } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '812' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: '96' } },
                  ]
                : s.spanType === 'http'
                  ? [{ key: 'http.request.method', value: { stringValue: 'GET' } }]
                  : [],
            events: s.eventAtNs === null ? [] : [{ timeUnixNano: s.eventAtNs.toString(), name: 'checkpoint', attributes: [] }],
            status: s.error ? { code: 2, message: 'generated failure' } : { code: 0 },
          })),
        },
      ],
    })),
  });
}

/** Posts the trace to `otlpHttpUrl` (e.g. http://127.0.0.1:4318) in chunks; resolves when all are stored. */
export async function sendGeneratedTrace(otlpHttpUrl: string, traceId: string, shape: TraceShape, count: number, chunk = 5_000): Promise<GeneratedSpan[]> {
  const spans = generateSpans(shape, count);
  for (let from = 0; from < spans.length; from += chunk) {
    const body = otlpJson(traceId, spans.slice(from, from + chunk));
    const response = await fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (!response.ok) throw new Error(`OTLP POST failed: ${response.status} ${await response.text()}`);
  }
  return spans;
}

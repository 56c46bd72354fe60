// OTLP/HTTP error semantics: bad input gets the right status and a google.rpc.Status body,
// nothing bad is stored, and the receiver stays up.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/server/runtime';
import { tempDir } from '../helpers/rows';
import type { TraceColumns, TraceDetail } from '../../shared/model';
import { traceDetailFromColumns } from '../../shared/span-columns';

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;
let url: string;

beforeAll(async () => {
  dir = tempDir();
  runtime = await startRuntime({ dataDir: dir.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, log: () => undefined });
  url = `${runtime.otlpHttp!.url}/v1/traces`;
});
afterAll(async () => {
  await runtime.stop();
  dir.remove();
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const jsonSpan = (spanId: string, name: string) => ({
  traceId: TRACE,
  spanId,
  name,
  kind: 2,
  startTimeUnixNano: '1795392000000000000',
  endTimeUnixNano: '1795392000005000000',
  attributes: [{ key: 'big', value: { intValue: '9007199254740993' } }],
});
const jsonRequest = (spans: unknown[]) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'edge' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });

async function post(body: string | Buffer, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function spanCount(): Promise<number> {
  return (await runtime.engine.store.counts()).spanCount;
}

describe('OTLP/HTTP receiver', () => {
  it('accepts a JSON request and keeps int64 beyond 2^53 exact', async () => {
    const r = await post(jsonRequest([jsonSpan('eee19b7ec3c1b174', 'ok-span')]), { 'Content-Type': 'application/json' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({});
    const q = await runtime.engine.query(`SELECT attributes->>'$.big' FROM spans WHERE span_id = 'eee19b7ec3c1b174'`);
    expect(q.rows).toEqual([['9007199254740993']]);
  });

  it('rejects a span with a 3-byte id through partial_success and keeps the valid one', async () => {
    const before = await spanCount();
    const r = await post(jsonRequest([jsonSpan('abcdef', 'bad-id'), jsonSpan('1111111111111111', 'good')]), {
      'Content-Type': 'application/json',
    });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/span_id "abcdef"/);
    expect(await spanCount()).toBe(before + 1);
  });

  it.each([
    ['protobuf garbage', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'application/x-protobuf'],
    ['truncated protobuf', Buffer.from([0x0a, 0x10, 0x0a, 0x02]), 'application/x-protobuf'],
    ['invalid JSON', Buffer.from('{"resourceSpans": [ {'), 'application/json'],
    ['JSON of the wrong shape', Buffer.from('{"resourceSpans": 7}'), 'application/json'],
  ])('answers %s with 400 and a Status message, storing nothing', async (_what, body, type) => {
    const before = await spanCount();
    const r = await post(body, { 'Content-Type': type });
    expect(r.status).toBe(400);
    if (type === 'application/json') {
      const status = JSON.parse(r.text) as { code: number; message: string };
      expect(status.code).toBe(3);
      expect(status.message).toMatch(/Malformed OTLP json request/);
    } else {
      expect(r.headers.get('content-type')).toBe('application/x-protobuf');
      expect(Buffer.from(r.text).includes(Buffer.from('Malformed OTLP protobuf request'))).toBe(true);
    }
    expect(await spanCount()).toBe(before);
  });

  it('answers an unknown media type with 415', async () => {
    const r = await post('hello', { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.text).toMatch(/Unsupported Content-Type/);
  });

  it('answers bad gzip with 400 and an unknown path with 404', async () => {
    expect((await post(Buffer.from('not gzip'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })).status).toBe(400);
    const r = await fetch(`${runtime.otlpHttp!.url}/v1/nothing`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(404);
  });

  it('accepts gzip-compressed JSON', async () => {
    const r = await post(gzipSync(jsonRequest([jsonSpan('2222222222222222', 'zipped')])), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect(r.status).toBe(200);
    expect((await runtime.engine.query(`SELECT name FROM spans WHERE span_id = '2222222222222222'`)).rows).toEqual([['zipped']]);
  });

  it('is still up and storing after all of the above', async () => {
    const r = await post(jsonRequest([jsonSpan('3333333333333333', 'after')]), { 'Content-Type': 'application/json' });
    expect(r.status).toBe(200);
  });
});

describe('UI/API server', () => {
  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(new URL(`api/${method}`, runtime.ui.url), { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });

  it('answers TraceApi calls over HTTP', async () => {
    const r = await api('listTraces', [{ limit: 10 }]);
    expect(r.status).toBe(200);
    const page = (await r.json()) as { total: number; traces: { traceId: string; rootName: string }[] };
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(page.traces.some((t) => t.traceId === TRACE)).toBe(true);
  });

  it('carries the views across traces: the aggregated flame graph and a sandwich', async () => {
    const flame = (await (await api('getAggregateFlame', [{}, { traceId: TRACE }])).json()) as { traceCount: number; frames: { name: string; count: number; parent: number }[] };
    expect(flame.traceCount).toBe(1);
    expect(flame.frames.length).toBeGreaterThan(0);
    expect(flame.frames[0]!.parent).toBe(-1);
    const name = flame.frames[0]!.name;
    const sandwich = (await (await api('getSpanSandwich', [name, {}, { traceId: TRACE }])).json()) as { name: string; focusCount: number; callees: { name: string }[] };
    expect(sandwich).toMatchObject({ name, focusCount: flame.frames[0]!.count });
    expect(sandwich.callees[0]!.name).toBe(name);
  });

  it('sends a trace as columns, the same spans as getTrace', async () => {
    const detail = (await (await api('getTrace', [TRACE])).json()) as TraceDetail;
    const r = await api('getTraceColumns', [TRACE]);
    expect(r.status).toBe(200);
    const columns = (await r.json()) as TraceColumns;
    expect(columns.spans.spanId.length).toBeGreaterThan(0);
    expect(traceDetailFromColumns(columns)).toEqual(detail);
  });

  it.each([
    ['getAggregateFlame', [{}, { maxFrames: 0 }]],
    ['getAggregateFlame', ['everything']],
    ['getSpanSandwich', ['', {}]],
    ['listTraces', [{ limit: 'many' }]],
    ['listTraces', [{ sort: { by: 'name; DROP TABLE x', dir: 'asc' } }]],
    ['getTrace', [42]],
    ['getTraceColumns', [42]],
    ['getSpan', ['a']],
    ['query', ['']],
    ['query', ['DELETE FROM spans']],
  ])('refuses bad arguments to %s with 400', async (method, args) => {
    const r = await api(method, args);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error.length).toBeGreaterThan(0);
  });

  it('refuses other origins and other host names', async () => {
    expect((await api('getStats', [], { Origin: 'http://evil.example' })).status).toBe(403);
    const port = new URL(runtime.ui.url).port;
    // fetch will not let us set Host; use node:http directly.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/getStats', method: 'POST', headers: { Host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('[]');
    });
    expect(status).toBe(421);
  });

  it('streams live events over SSE when spans arrive', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('api/events', runtime.ui.url), { signal: controller.signal });
    const reader = response.body!.getReader();
    const received = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
        if (text.includes('spans-added')) return text;
      }
    })();
    await post(jsonRequest([jsonSpan('4444444444444444', 'live')]), { 'Content-Type': 'application/json' });
    const text = await received;
    controller.abort();
    expect(text).toMatch(/data: \{"type":"spans-added","count":1,"traceIds":\["5b8efff798038103d269b633813fc60c"\]\}/);
  });
});

// OTLP/gRPC and OTLP logs with the real OpenTelemetry JS exporters as clients: traces over gRPC
// (with and without gzip), logs over gRPC, HTTP/protobuf and HTTP/JSON, metrics answered and
// counted; malformed messages get INVALID_ARGUMENT; a port in use is named.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_EXPORT_PATH, startOtlpGrpcReceiver, TRACE_EXPORT_PATH } from '../../electron/engine/otlp/grpc-receiver';
import { startRuntime, type Runtime } from '../../electron/server/runtime';
import { sendSampleTrace } from '../helpers/otel';
import { tempDir } from '../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;

beforeAll(async () => {
  dir = tempDir();
  runtime = await startRuntime({
    dataDir: dir.path,
    host: '127.0.0.1',
    otlpHttpPort: 0,
    otlpGrpcPort: 0,
    uiPort: 0,
    staticDir: null,
    log: () => undefined,
  });
});
afterAll(async () => {
  await runtime.stop();
  dir.remove();
});

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  const r = await runtime.engine.query(sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

/** Calls one unary method with raw bytes, as any gRPC client would. */
function rawCall(path: string, body: Buffer, metadata = new Metadata()): Promise<{ error: ServiceError | null; response: Buffer | undefined }> {
  const client = new Client(`127.0.0.1:${runtime.otlpGrpc!.port}`, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      metadata,
      (error, response) => {
        client.close();
        resolve({ error, response });
      },
    );
  });
}

describe.each([false, true])('OTLP/gRPC traces with the real exporter (gzip: %s)', (gzip) => {
  it('stores the spans exactly, source otlp-grpc', async () => {
    const exporter = new GrpcTraceExporter({
      url: runtime.otlpGrpc!.url,
      compression: gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    });
    const sent = await sendSampleTrace(exporter, { serviceName: `grpc-${gzip}` });
    const rows = await rowsOf(
      `SELECT span_id, parent_span_id, name, epoch_ns(start_time)::VARCHAR AS start_ns, service_name, source,
              json_type(attributes->'$."http.response.status_code"') AS int_type
       FROM spans WHERE trace_id = '${sent[0]!.traceId}' ORDER BY start_time`,
    );
    expect(rows).toEqual([
      { span_id: sent[0]!.spanId, parent_span_id: null, name: 'GET /checkout', start_ns: sent[0]!.startNs.toString(), service_name: `grpc-${gzip}`, source: 'otlp-grpc', int_type: 'UBIGINT' },
      { span_id: sent[1]!.spanId, parent_span_id: sent[0]!.spanId, name: 'SELECT orders', start_ns: sent[1]!.startNs.toString(), service_name: `grpc-${gzip}`, source: 'otlp-grpc', int_type: null },
    ]);
  });
});

describe('OTLP/gRPC errors', () => {
  it('answers a malformed message with INVALID_ARGUMENT and stores nothing', async () => {
    const before = (await runtime.engine.getStats()).spanCount;
    const { error } = await rawCall(TRACE_EXPORT_PATH, Buffer.from([0x0a, 0x05, 0x01]));
    expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/Malformed OTLP protobuf request/);
    expect((await runtime.engine.getStats()).spanCount).toBe(before);
  });

  it('answers metrics with success and counts them, storing nothing', async () => {
    const before = (await runtime.engine.getStats()).metricsRequests ?? 0;
    const { error, response } = await rawCall(METRICS_EXPORT_PATH, Buffer.from([0x0a, 0x00]));
    expect(error).toBeNull();
    expect(response?.length).toBe(0);
    expect((await runtime.engine.getStats()).metricsRequests).toBe(before + 1);
  });

  it('names the port when it is already in use', async () => {
    await expect(startOtlpGrpcReceiver({ engine: runtime.engine, host: '127.0.0.1', port: runtime.otlpGrpc!.port })).rejects.toThrow(
      new RegExp(`OTLP gRPC: port ${runtime.otlpGrpc!.port} on 127.0.0.1 is already in use`),
    );
  });
});

type LogExporterKind = 'grpc' | 'proto' | 'http-json';

function makeLogExporter(kind: LogExporterKind, gzip: boolean): LogRecordExporter {
  const compression = gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  if (kind === 'grpc') return new GrpcLogExporter({ url: runtime.otlpGrpc!.url, compression });
  const url = `${runtime.otlpHttp!.url}/v1/logs`;
  return kind === 'proto' ? new ProtoLogExporter({ url, compression }) : new JsonLogExporter({ url, compression });
}

describe.each([
  ['grpc', false],
  ['grpc', true],
  ['proto', false],
  ['http-json', true],
] as [LogExporterKind, boolean][])('OTLP logs with the real %s exporter (gzip: %s)', (kind, gzip) => {
  it('stores each record linked to its span, every field kept, and getSpanLogs returns them', async () => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': `logs-${kind}` }),
      processors: [new SimpleLogRecordProcessor({ exporter: makeLogExporter(kind, gzip) })],
    });
    const traceId = `${kind === 'grpc' ? 'a' : kind === 'proto' ? 'b' : 'c'}${gzip ? '1' : '0'}`.padEnd(32, '7');
    const spanId = '00f067aa0ba902b7';
    const ctx = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    const logger = provider.getLogger('genai-test', '0.9.1');
    logger.emit({
      eventName: 'gen_ai.user.message',
      timestamp: [1_795_392_000, 123_456_789],
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: { content: 'What is the capital of France?', role: 'user' },
      attributes: { 'gen_ai.system': 'openai', 'app.count': 3 },
      context: ctx,
    });
    logger.emit({ eventName: 'gen_ai.choice', timestamp: [1_795_392_001, 0], body: 'Paris', context: ctx });
    await provider.forceFlush();
    await provider.shutdown();

    const rows = await rowsOf(
      `SELECT epoch_ns(time)::VARCHAR AS t, trace_id, span_id, severity_text, severity_number, event_name,
              body->>'$.content' AS content, json_type(attributes->'$."app.count"') AS count_type, service_name,
              scope_name, scope_version, flags, source
       FROM logs WHERE trace_id = '${traceId}' ORDER BY time`,
    );
    expect(rows).toEqual([
      {
        t: '1795392000123456789',
        trace_id: traceId,
        span_id: spanId,
        severity_text: 'INFO',
        severity_number: 9,
        event_name: 'gen_ai.user.message',
        content: 'What is the capital of France?',
        count_type: 'UBIGINT',
        service_name: `logs-${kind}`,
        scope_name: 'genai-test',
        scope_version: '0.9.1',
        flags: 1,
        source: kind === 'grpc' ? 'otlp-grpc' : 'otlp-http',
      },
      expect.objectContaining({ t: '1795392001000000000', event_name: 'gen_ai.choice', content: null }),
    ]);
    const logs = await runtime.engine.getSpanLogs(traceId, spanId);
    expect(logs.map((l) => [l.eventName, l.bodyJson && JSON.parse(l.bodyJson)])).toEqual([
      ['gen_ai.user.message', { content: 'What is the capital of France?', role: 'user' }],
      ['gen_ai.choice', 'Paris'],
    ]);
  });
});

describe('OTLP logs over HTTP', () => {
  it('stores the official GenAI instrumentation fixture and links it to spans', async () => {
    const body = readFileSync(join(__dirname, '../fixtures/otlp/genai-official-openai.logs.pb'));
    const before = (await rowsOf('SELECT count(*)::INTEGER AS n FROM logs'))[0]!.n as number;
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body,
    });
    expect(response.status).toBe(200);
    const rows = await rowsOf(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE span_id IS NOT NULL)::INTEGER AS linked,
              count(DISTINCT event_name)::INTEGER AS kinds FROM logs`,
    );
    expect(rows[0]!.n).toBeGreaterThan(before);
    expect(rows[0]!.linked).toBeGreaterThan(0);
  });

  it('does not duplicate log records when a request is re-sent (HTTP, then gRPC)', async () => {
    const body = readFileSync(join(__dirname, '../fixtures/otlp/genai-official-openai.logs.pb'));
    const count = async (): Promise<number> => (await rowsOf('SELECT count(*)::INTEGER AS n FROM logs'))[0]!.n as number;
    const send = () => fetch(`${runtime.otlpHttp!.url}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
    expect((await send()).status).toBe(200);
    const n = await count();
    expect((await send()).status).toBe(200);
    expect((await rawCall('/opentelemetry.proto.collector.logs.v1.LogsService/Export', body)).error).toBeNull();
    expect(await count()).toBe(n);
  });

  it('rejects records with malformed ids one by one through partial_success', async () => {
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { timeUnixNano: '1', traceId: 'abcd', spanId: '00f067aa0ba902b7', body: { stringValue: 'bad' } },
                  { timeUnixNano: '2', body: { stringValue: 'unlinked but fine' } },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } };
    expect(answer.partialSuccess?.rejectedLogRecords).toBe('1');
    expect(answer.partialSuccess?.errorMessage).toMatch(/invalid trace_id "abcd"/);
    const rows = await rowsOf(`SELECT body FROM logs WHERE body->>'$' IN ('bad', 'unlinked but fine')`);
    expect(rows).toEqual([{ body: '"unlinked but fine"' }]);
  });

  it('keeps a bytes body and bytes resource attribute lossless through value_types', async () => {
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'r.blob', value: { bytesValue: 'AQI=' } }] },
            scopeLogs: [{ logRecords: [{ timeUnixNano: '3', eventName: 'bytes-body', body: { bytesValue: '3q2+7w==' } }] }],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const rows = await rowsOf(`SELECT body, value_types::VARCHAR AS vt FROM logs WHERE event_name = 'bytes-body'`);
    expect(rows).toEqual([{ body: '"3q2+7w=="', vt: JSON.stringify({ body: { $: 'bytes' }, resource_attributes: { '$."r.blob"': 'bytes' } }) }]);
  });

  it('answers /v1/metrics with success and counts it', async () => {
    const before = (await runtime.engine.getStats()).metricsRequests ?? 0;
    const response = await fetch(`${runtime.otlpHttp!.url}/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect((await runtime.engine.getStats()).metricsRequests).toBe(before + 1);
  });
});

describe('CORS allow-list for browser exporters', () => {
  it('allows localhost by default and configured origins, refuses others', async () => {
    const dir2 = tempDir();
    const rt = await startRuntime({
      dataDir: dir2.path,
      host: '127.0.0.1',
      otlpHttpPort: 0,
      uiPort: 0,
      staticDir: null,
      corsOrigins: ['https://app.example'],
      log: () => undefined,
    });
    try {
      const preflight = (origin: string) =>
        fetch(`${rt.otlpHttp!.url}/v1/traces`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      const local = await preflight('http://localhost:5173');
      expect(local.status).toBe(204);
      expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const configured = await preflight('https://app.example');
      expect(configured.status).toBe(204);
      expect(configured.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect((await preflight('https://evil.example')).status).toBe(403);
      const post = await fetch(`${rt.otlpHttp!.url}/v1/traces`, {
        method: 'POST',
        headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(post.status).toBe(403);
    } finally {
      await rt.stop();
      dir2.remove();
    }
  });
});

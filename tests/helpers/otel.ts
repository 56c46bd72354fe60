// Real OpenTelemetry JS SDK + exporters as clients of Tracedeck's OTLP endpoint. Spans get
// explicit [seconds, nanoseconds] times so a test can compare stored times to the nanosecond.
import { context, SpanKind, SpanStatusCode, trace, type HrTime, type Link } from '@opentelemetry/api';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export type ExporterKind = 'proto' | 'http-json';

export function makeExporter(kind: ExporterKind, baseUrl: string, gzip = false): SpanExporter {
  const options = { url: `${baseUrl}/v1/traces`, compression: gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE };
  return kind === 'proto' ? new ProtoExporter(options) : new JsonExporter(options);
}

export interface SentSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startNs: bigint;
  endNs: bigint;
}

const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

/**
 * Sends one trace through `exporter`: a server root span with typed attributes, an event and
 * an error child with a link back to the root. Resolves once the exporter has delivered it.
 */
export async function sendSampleTrace(
  exporter: SpanExporter,
  options: { serviceName?: string; rootName?: string; startNs?: bigint } = {},
): Promise<SentSpan[]> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'checkout', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('tracedeck-tests', '1.2.3');
  const t0 = options.startNs ?? 1_795_392_000_123_456_789n;
  const root = tracer.startSpan(options.rootName ?? 'GET /checkout', {
    kind: SpanKind.SERVER,
    startTime: hr(t0),
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'app.ratio': 0.25,
      'app.whole_double': 2.5,
      'app.cached': true,
      'app.tags': ['a', 'b'],
      'app.counts': [1, 2, 3],
    },
  });
  root.addEvent('cache.miss', { 'cache.key': 'cart:42' }, hr(t0 + 1_500n));
  const rootCtx = root.spanContext();
  const link: Link = { context: rootCtx, attributes: { 'link.reason': 'retry-of' } };
  const child = tracer.startSpan(
    'SELECT orders',
    { kind: SpanKind.CLIENT, startTime: hr(t0 + 1_000_001n), attributes: { 'db.system': 'duckdb' }, links: [link] },
    trace.setSpan(context.active(), root),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  child.end(hr(t0 + 2_000_003n));
  root.end(hr(t0 + 3_000_007n));
  await provider.forceFlush();
  await provider.shutdown();
  const childCtx = child.spanContext();
  return [
    { traceId: rootCtx.traceId, spanId: rootCtx.spanId, parentSpanId: null, name: options.rootName ?? 'GET /checkout', startNs: t0, endNs: t0 + 3_000_007n },
    { traceId: childCtx.traceId, spanId: childCtx.spanId, parentSpanId: rootCtx.spanId, name: 'SELECT orders', startNs: t0 + 1_000_001n, endNs: t0 + 2_000_003n },
  ];
}

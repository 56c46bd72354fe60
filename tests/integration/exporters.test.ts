// The real OpenTelemetry JS exporters send spans to a running engine; the `spans` and
// `traces` views must give back exactly what was sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/server/runtime';
import { makeExporter, sendSampleTrace, type ExporterKind } from '../helpers/otel';
import { tempDir } from '../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;

beforeAll(async () => {
  dir = tempDir();
  runtime = await startRuntime({ dataDir: dir.path, host: '127.0.0.1', otlpHttpPort: 0, uiPort: 0, staticDir: null, log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
  dir.remove();
});

const cases: [ExporterKind, boolean][] = [
  ['proto', false],
  ['proto', true],
  ['http-json', false],
  ['http-json', true],
];

describe.each(cases)('exporter %s (gzip: %s)', (kind, gzip) => {
  it('stores ids, parentage, nanosecond times and attribute types exactly', async () => {
    const exporter = makeExporter(kind, runtime.otlpHttp!.url, gzip);
    const sent = await sendSampleTrace(exporter, { serviceName: `svc-${kind}-${gzip}` });
    const traceId = sent[0]!.traceId;
    const r = await runtime.engine.query(
      `SELECT span_id, parent_span_id, name, kind, epoch_ns(start_time)::VARCHAR AS start_ns,
              epoch_ns(end_time)::VARCHAR AS end_ns, duration_ns::VARCHAR AS dur, status_code, status_message,
              service_name, scope_name, scope_version, source,
              json_type(attributes->'$."http.response.status_code"') AS int_type,
              attributes->>'$."http.response.status_code"' AS status_value,
              json_type(attributes->'$."app.ratio"') AS double_type,
              json_type(attributes->'$."app.cached"') AS bool_type,
              attributes->'$."app.tags"' AS tags, attributes->'$."app.counts"' AS counts,
              resource_attributes->>'$."deployment.environment"' AS env,
              events, links
       FROM spans WHERE trace_id = '${traceId}' ORDER BY start_time`,
    );
    const rows = r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
    expect(rows).toHaveLength(2);
    const [root, child] = rows as Record<string, unknown>[];
    expect(root).toMatchObject({
      span_id: sent[0]!.spanId,
      parent_span_id: null,
      name: 'GET /checkout',
      kind: 'server',
      start_ns: sent[0]!.startNs.toString(),
      end_ns: sent[0]!.endNs.toString(),
      dur: (sent[0]!.endNs - sent[0]!.startNs).toString(),
      status_code: 'unset',
      service_name: `svc-${kind}-${gzip}`,
      scope_name: 'tracedeck-tests',
      scope_version: '1.2.3',
      source: 'otlp-http',
      int_type: 'UBIGINT',
      status_value: '200',
      double_type: 'DOUBLE',
      bool_type: 'BOOLEAN',
      env: 'test',
    });
    expect(JSON.parse(String(root!.tags))).toEqual(['a', 'b']);
    expect(JSON.parse(String(root!.counts))).toEqual([1, 2, 3]);
    const events = JSON.parse(String(root!.events)) as { name: string; time_unix_nano: number; attributes: Record<string, unknown> }[];
    expect(events).toHaveLength(1);
    expect(events[0]!.name).toBe('cache.miss');
    expect(events[0]!.attributes).toEqual({ 'cache.key': 'cart:42' });
    expect(child).toMatchObject({
      span_id: sent[1]!.spanId,
      parent_span_id: sent[0]!.spanId,
      kind: 'client',
      start_ns: sent[1]!.startNs.toString(),
      end_ns: sent[1]!.endNs.toString(),
      status_code: 'error',
      status_message: 'deadlock detected',
    });
    const links = JSON.parse(String(child!.links)) as { trace_id: string; span_id: string; attributes: Record<string, unknown> }[];
    expect(links).toEqual([expect.objectContaining({ trace_id: traceId, span_id: sent[0]!.spanId, attributes: { 'link.reason': 'retry-of' } })]);

    const t = await runtime.engine.query(
      `SELECT root_name, service_name, span_count, error_count, duration_ns::VARCHAR AS dur FROM traces WHERE trace_id = '${traceId}'`,
    );
    expect(t.rows).toEqual([['GET /checkout', `svc-${kind}-${gzip}`, 2, 1, (sent[0]!.endNs - sent[0]!.startNs).toString()]]);

    const detail = await runtime.engine.getTrace(traceId);
    expect(detail!.spans.map((s) => [s.spanId, s.parentSpanId, s.startOffsetNs])).toEqual([
      [sent[0]!.spanId, null, 0],
      [sent[1]!.spanId, sent[0]!.spanId, Number(sent[1]!.startNs - sent[0]!.startNs)],
    ]);
  });
});

// Durability: `tracedeck serve` is killed with SIGKILL while several exporters send spans; after
// a restart on the same data folder, every span whose request was acknowledged (HTTP 200) is
// there. A request is answered only after DuckDB's COMMIT, which writes and syncs its WAL.
// Needs `npm run build` first (npm test does it).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ServeApp } from '../e2e/serve-app';

function request(traceId: string, spanIds: string[], t0: bigint): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'kill-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'durability' },
            spans: spanIds.map((spanId, i) => ({
              traceId,
              spanId,
              name: `op-${i}`,
              kind: 2,
              startTimeUnixNano: String(t0 + BigInt(i)),
              endTimeUnixNano: String(t0 + BigInt(i) + 1000n),
              attributes: [{ key: 'i', value: { intValue: String(i) } }],
            })),
          },
        ],
      },
    ],
  });
}

async function queryAll(app: ServeApp, sql: string): Promise<unknown[][]> {
  const response = await fetch(new URL('api/query', app.uiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([sql, 100_000]),
  });
  const body = (await response.json()) as { rows: unknown[][] };
  return body.rows;
}

describe('SIGKILL during a sustained export', () => {
  it('keeps every acknowledged span', async () => {
    const app = await ServeApp.start();
    const acknowledged = new Set<string>();
    let stop = false;
    let sent = 0;
    const exporter = async (): Promise<void> => {
      while (!stop) {
        const traceId = randomBytes(16).toString('hex');
        const spanIds = Array.from({ length: 50 }, () => randomBytes(8).toString('hex'));
        try {
          sent++;
          const response = await fetch(`${app.otlpHttpUrl}/v1/traces`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: request(traceId, spanIds, 1_795_392_000_000_000_000n),
          });
          if (response.status === 200) for (const id of spanIds) acknowledged.add(`${traceId}/${id}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const exporters = Array.from({ length: 6 }, exporter);
    await new Promise((r) => setTimeout(r, 1500));
    app.process.kill('SIGKILL');
    stop = true;
    await Promise.all(exporters);
    await new Promise((r) => app.process.exitCode !== null || app.process.signalCode !== null ? r(null) : app.process.once('exit', r));
    expect(acknowledged.size).toBeGreaterThan(500);

    const again = await ServeApp.start([], app.dataDir);
    try {
      const rows = await queryAll(again, "SELECT trace_id || '/' || span_id FROM spans");
      const stored = new Set(rows.map((r) => String(r[0])));
      const missing = [...acknowledged].filter((key) => !stored.has(key));
      console.log(`SIGKILL test: ${sent} requests, ${acknowledged.size} spans acknowledged, ${stored.size} stored after restart, ${missing.length} missing`);
      expect(missing).toEqual([]);
    } finally {
      await again.stop();
      again.removeData();
    }
  }, 60_000);
});

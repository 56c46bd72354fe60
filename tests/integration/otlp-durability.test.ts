// Durability: `tracedeck serve` is killed with SIGKILL while several exporters send spans; after
// a restart on the same data folder, every span whose request was acknowledged (HTTP 200) is
// there. Small requests are answered after DuckDB's COMMIT, which writes and syncs its WAL;
// large ones under load once they are in the ingest journal (engine/journal.ts), which the
// restarted engine replays. Both are exercised. Needs `npm run build` first (npm test does it).
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

/** Every span key in the store, read in pages (a query returns at most 100,000 rows). */
async function storedKeys(app: ServeApp): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let offset = 0; ; offset += 100_000) {
    const rows = await queryAll(app, `SELECT trace_id || '/' || span_id FROM spans ORDER BY 1 LIMIT 100000 OFFSET ${offset}`);
    for (const r of rows) keys.add(String(r[0]));
    if (rows.length < 100_000) return keys;
  }
}

async function stats(app: ServeApp): Promise<{ journal?: { acknowledgedEarly: number; replayedAtStart: number } }> {
  const response = await fetch(new URL('api/getStats', app.uiUrl), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
  return (await response.json()) as { journal?: { acknowledgedEarly: number; replayedAtStart: number } };
}

describe('SIGKILL during a sustained export', () => {
  // 6 exporters x 50 spans keep every write small: each request waits for its COMMIT.
  // 6 exporters x 800 spans keep a large write running: requests are answered from the journal.
  it.each([
    { spansPerRequest: 50, path: 'after COMMIT' },
    { spansPerRequest: 800, path: 'from the journal' },
  ])('keeps every acknowledged span ($spansPerRequest spans a request, answered $path)', async ({ spansPerRequest, path }) => {
    const app = await ServeApp.start();
    const acknowledged = new Set<string>();
    let stop = false;
    let sent = 0;
    const exporter = async (): Promise<void> => {
      while (!stop) {
        const traceId = randomBytes(16).toString('hex');
        const spanIds = Array.from({ length: spansPerRequest }, () => randomBytes(8).toString('hex'));
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
    let early = (await stats(app)).journal?.acknowledgedEarly ?? 0;
    // On a loaded machine the first large writes take a while: kill only once the journal path
    // has been taken (and then 300 ms later, mid-flight).
    for (let waited = 0; path !== 'after COMMIT' && early === 0 && waited < 30_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      early = (await stats(app)).journal?.acknowledgedEarly ?? 0;
    }
    await new Promise((r) => setTimeout(r, 300));
    app.process.kill('SIGKILL');
    stop = true;
    await Promise.all(exporters);
    await new Promise((r) => app.process.exitCode !== null || app.process.signalCode !== null ? r(null) : app.process.once('exit', r));
    expect(acknowledged.size).toBeGreaterThan(500);
    // The case exercises the path it names.
    if (path === 'after COMMIT') expect(early).toBe(0);
    else expect(early).toBeGreaterThan(0);

    const again = await ServeApp.start([], app.dataDir);
    try {
      const stored = await storedKeys(again);
      const missing = [...acknowledged].filter((key) => !stored.has(key));
      const replayed = (await stats(again)).journal?.replayedAtStart ?? 0;
      console.log(
        `SIGKILL test (${path}): ${sent} requests, ${acknowledged.size} spans acknowledged (${early} requests from the journal ` +
          `before the kill), ${stored.size} stored after restart, ${replayed} requests replayed from the journal, ${missing.length} missing`,
      );
      expect(missing).toEqual([]);
      // Replaying never duplicates a span.
      const [[rowCount, keyCount]] = (await queryAll(again, 'SELECT count(*)::INTEGER, count(DISTINCT (trace_id, span_id))::INTEGER FROM spans')) as [[number, number]];
      expect(rowCount).toBe(keyCount);
    } finally {
      await again.stop();
      again.removeData();
    }
  }, 90_000);
});

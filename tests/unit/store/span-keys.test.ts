// Since schema version 7 span_data has no key index: the writer and the imports keep
// (trace_id, span_id) unique themselves, comparing a write's keys with the stored spans of its
// own traces (span-staging.ts insertStagedSpans). What must hold: a span already stored keeps its
// first row, wherever in its trace's time it lies; of a span staged twice the first is taken;
// trace ids the lookup cannot write as literals take the other path to the same result; and
// the migration keeps every row of an older store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/engine/store';
import { CURRENT_SCHEMA_VERSION } from '../../../electron/engine/store/schema';
import { stageRows } from '../../../electron/engine/store/staged-spans';
import { hexId, spanRow, tempStorePath } from '../../helpers/rows';

const storePath = tempStorePath();

const T0 = 1_795_392_000_000_000_000n;
const HOUR = 3_600_000_000_000n;

async function keyConstraints(store: Store): Promise<number> {
  const r = await store.exclusive((conn) =>
    conn.runAndReadAll("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'span_data' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"),
  );
  return Number(r.getRows()[0]![0]);
}

/** Every span's key and name, and every trace's span count, as the views give them. */
async function contents(store: Store): Promise<{ spans: unknown[][]; traces: unknown[][] }> {
  return {
    spans: (await store.query('SELECT trace_id, span_id, name FROM spans ORDER BY trace_id, span_id')).rows,
    traces: (await store.query('SELECT trace_id, span_count FROM traces ORDER BY trace_id')).rows,
  };
}

describe('span keys without an index (schema version 7)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open({ path: storePath() });
  });
  afterEach(async () => {
    await store.close();
  });

  it('has no key index on span_data', async () => {
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(7);
    expect(await keyConstraints(store)).toBe(0);
  });

  it('keeps the stored row of a re-sent span, whether it started early or late in its trace', async () => {
    const trace = hexId(1, 32);
    // A long trace: its root an hour before the span re-sent below.
    await store.appendSpans([
      spanRow({ traceId: trace, spanId: hexId(1, 16), name: 'root', startNs: T0 }),
      spanRow({ traceId: trace, spanId: hexId(2, 16), name: 'late', startNs: T0 + HOUR }),
    ]);
    await store.appendSpans([
      spanRow({ traceId: trace, spanId: hexId(2, 16), name: 'late again', startNs: T0 + HOUR }),
      spanRow({ traceId: trace, spanId: hexId(1, 16), name: 'root again', startNs: T0 }),
      spanRow({ traceId: trace, spanId: hexId(3, 16), name: 'new', startNs: T0 + 2n * HOUR }),
      spanRow({ traceId: hexId(2, 32), spanId: hexId(1, 16), name: 'other trace, same span id', startNs: T0 }),
    ]);
    expect(await contents(store)).toEqual({
      spans: [
        [trace, hexId(1, 16), 'root'],
        [trace, hexId(2, 16), 'late'],
        [trace, hexId(3, 16), 'new'],
        [hexId(2, 32), hexId(1, 16), 'other trace, same span id'],
      ],
      traces: [
        [trace, 3],
        [hexId(2, 32), 1],
      ],
    });
  });

  it('takes the first of a span staged twice in one write, beside a stored one', async () => {
    const trace = hexId(7, 32);
    await store.appendSpans([spanRow({ traceId: trace, spanId: hexId(1, 16), name: 'stored' })]);
    // Two requests in one write (appended together), repeating each other and the stored span.
    await Promise.all([
      store.appendStagedSpans(stageRows([spanRow({ traceId: trace, spanId: hexId(2, 16), name: 'first' }), spanRow({ traceId: trace, spanId: hexId(1, 16), name: 'x' })])),
      store.appendStagedSpans(stageRows([spanRow({ traceId: trace, spanId: hexId(2, 16), name: 'second' })])),
    ]);
    expect(await contents(store)).toEqual({
      spans: [
        [trace, hexId(1, 16), 'stored'],
        [trace, hexId(2, 16), 'first'],
      ],
      traces: [[trace, 2]],
    });
  });

  it('deduplicates trace ids that are not lowercase hex (no literal lookup) the same way', async () => {
    const rows = (name: string) => [
      spanRow({ traceId: 'Trace-A', spanId: 's-1', name }),
      spanRow({ traceId: "it's-b", spanId: 's-1', name }),
    ];
    await store.appendSpans(rows('first'));
    await store.appendSpans([...rows('again'), spanRow({ traceId: 'Trace-A', spanId: 's-2', name: 'new' })]);
    expect(await contents(store)).toEqual({
      spans: [
        ['Trace-A', 's-1', 'first'],
        ['Trace-A', 's-2', 'new'],
        ["it's-b", 's-1', 'first'],
      ],
      traces: [
        ['Trace-A', 2],
        ["it's-b", 1],
      ],
    });
  });

  it('deduplicates a write of more traces than are looked up one by one', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => spanRow({ traceId: hexId(i + 1, 32), spanId: hexId(1, 16), name: `n-${i}`, startNs: T0 + BigInt(i) }));
    await store.appendSpans(rows.slice(0, 3000));
    await store.appendSpans(rows.map((row) => ({ ...row, name: 'again' })));
    const r = await store.query("SELECT count(*), count(*) FILTER (WHERE name = 'again'), (SELECT sum(span_count) FROM traces) FROM spans");
    expect(r.rows).toEqual([[6000, 3000, 6000]]);
  });
});

describe('migration to version 7', () => {
  it('rebuilds span_data without its key and keeps every row and column', async () => {
    const old = await Store.open({ path: storePath(), targetVersion: 6 });
    await old.appendSpans(
      Array.from({ length: 50 }, (_, i) =>
        spanRow({ traceId: hexId(Math.floor(i / 5) + 1, 32), spanId: hexId(i + 1, 16), name: `op-${i}`, attributesJson: `{"i":${i}}`, startNs: T0 + BigInt(i) * 1000n }),
      ),
    );
    expect(await keyConstraints(old)).toBe(1);
    const every = 'SELECT * FROM spans ORDER BY trace_id, span_id';
    const before = (await old.query(every)).rows;
    await old.close();
    const upgraded = await Store.open({ path: storePath() });
    try {
      expect(await keyConstraints(upgraded)).toBe(0);
      expect((await upgraded.query(every)).rows).toEqual(before);
      // ...and a re-sent span is still stored once.
      await upgraded.appendSpans([spanRow({ traceId: hexId(1, 32), spanId: hexId(1, 16), name: 'retry', startNs: T0 })]);
      expect((await upgraded.query("SELECT count(*), count(*) FILTER (WHERE name = 'retry') FROM spans")).rows).toEqual([[50, 0]]);
    } finally {
      await upgraded.close();
    }
  });
});

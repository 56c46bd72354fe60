// The SQL console: read-only SQL through TraceApi.query (the same engine and checks as
// `tracedeck query`), results, the error inline, and a history of what ran (localStorage).
import { create } from 'zustand';
import type { QueryResult } from '../../../shared/model';
import { getApi } from '../api';
import { errorMessage } from '../format';

export const SQL_HISTORY_KEY = 'tracedeck.sqlHistory';
export const SQL_HISTORY_SIZE = 50;
export const DEFAULT_SQL = 'SELECT trace_id, root_name, service_name, duration_ns, span_count, error_count\nFROM traces\nORDER BY start_time DESC';
export const DEFAULT_ROW_LIMIT = 1000;

/** The newest first, without duplicates, at most SQL_HISTORY_SIZE. Pure. */
export function withHistoryEntry(history: readonly string[], sql: string): string[] {
  const text = sql.trim();
  if (text === '') return [...history];
  return [text, ...history.filter((h) => h !== text)].slice(0, SQL_HISTORY_SIZE);
}

export function parseHistory(json: string | null): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, SQL_HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

function readHistory(): string[] {
  try {
    return parseHistory(globalThis.localStorage?.getItem(SQL_HISTORY_KEY) ?? null);
  } catch {
    return [];
  }
}

export interface SqlConsoleState {
  sql: string;
  rowLimit: number;
  running: boolean;
  result: QueryResult | null;
  error: string | null;
  history: string[];
  setSql(sql: string): void;
  setRowLimit(limit: number): void;
  run(): Promise<void>;
  /** Interrupts the running query in the engine and drops its answer. */
  cancel(): void;
}

/** Each run gets a number; an answer for an older run than the newest is dropped. */
let runNumber = 0;
/** The query the engine may still be working on (settled = null). */
let inFlight: Promise<unknown> | null = null;

/**
 * Asks the engine to interrupt the query. A Cancel right after Run can reach the engine before
 * the query does (two requests over HTTP); the engine then has nothing to cancel, so ask again
 * until it had something or the query has settled, for at most a few seconds.
 */
async function cancelInEngine(query: Promise<unknown> | null): Promise<void> {
  let settled = query === null;
  const markSettled = (): void => {
    settled = true;
  };
  void query?.then(markSettled, markSettled);
  for (let attempt = 0; attempt < 100 && !settled; attempt++) {
    if (await getApi().cancelQuery()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const useSqlConsole = create<SqlConsoleState>((set, get) => ({
  sql: DEFAULT_SQL,
  rowLimit: DEFAULT_ROW_LIMIT,
  running: false,
  result: null,
  error: null,
  history: readHistory(),
  setSql: (sql) => set({ sql }),
  setRowLimit: (limit) => set({ rowLimit: Math.min(Math.max(Math.trunc(limit) || 1, 1), 100_000) }),
  run: async () => {
    const { sql, rowLimit } = get();
    if (sql.trim() === '') return;
    const mine = ++runNumber;
    const history = withHistoryEntry(get().history, sql);
    set({ running: true, error: null, history });
    try {
      globalThis.localStorage?.setItem(SQL_HISTORY_KEY, JSON.stringify(history));
    } catch {
      // Not remembered; the query still runs.
    }
    const query = getApi().query(sql, rowLimit);
    inFlight = query;
    void query.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      if (inFlight === query) inFlight = null;
    });
    try {
      const result = await query;
      if (mine === runNumber) set({ result, running: false });
    } catch (error) {
      if (mine === runNumber) set({ error: errorMessage(error), result: null, running: false });
    }
  },
  cancel: () => {
    runNumber++;
    set({ running: false, error: 'Cancelled.' });
    // Interrupt it in the engine too, so it stops using the CPU (its error is dropped above).
    cancelInEngine(inFlight).catch(() => undefined);
  },
}));

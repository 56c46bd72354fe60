// The TraceApi contract. The engine implements it once (electron/engine/api.ts); it travels
// over Electron IPC (electron/preload exposes `window.tracedeck`, one function per channel) and
// over HTTP + server-sent events in serve mode (electron/server). The renderer only sees this.

import type {
  LiveEvent,
  QueryResult,
  SpanDetail,
  SpanLog,
  StoreStats,
  TraceColumns,
  TraceDetail,
  TraceFilter,
  TracePage,
  TraceQuery,
} from './model';
import type { ExportResult, ExportSelection, ImportInspection, ImportOptions, ImportPreview, ImportPreviewOptions, ImportResult } from './import';
import type { LlmView, SessionDetail, SessionPage, SessionQuery } from './llm';
import type { AggregateFlame, AggregateOptions, SpanSandwich } from './aggregate';

export interface TraceApi {
  /** A page of trace summaries, filtered and sorted (default: newest first). */
  listTraces(query: TraceQuery): Promise<TracePage>;
  /** One trace's spans as flat rows; null when the trace is unknown. */
  getTrace(traceId: string): Promise<TraceDetail | null>;
  /**
   * The same spans as getTrace, one array per field with repeated strings coded (what the trace
   * views load: a fraction of the bytes and parse time at 100,000 spans); null when unknown.
   */
  getTraceColumns(traceId: string): Promise<TraceColumns | null>;
  /** One span's full detail; null when unknown. */
  getSpan(traceId: string, spanId: string): Promise<SpanDetail | null>;
  /** One span's normalised LLM view (messages, tools, tokens, cost, parameters); null when unknown. */
  getLlmView(traceId: string, spanId: string): Promise<LlmView | null>;
  /** One span's OTLP log records, oldest first ([] when none); prompts sent as logs live here. */
  getSpanLogs(traceId: string, spanId: string): Promise<SpanLog[]>;
  /**
   * The flame graph of every trace `filter` matches (the newest `maxTraces`), spans merged by
   * their name path from the root: count, total, self time per frame; bounded (shared/aggregate.ts).
   */
  getAggregateFlame(filter: TraceFilter, options?: AggregateOptions): Promise<AggregateFlame>;
  /** One span name's callers (merged upwards) and callees (merged downwards) across the traces `filter` matches. */
  getSpanSandwich(name: string, filter: TraceFilter, options?: AggregateOptions): Promise<SpanSandwich>;
  /** Sessions (traces grouped by session id), most recently active first, with totals. */
  listSessions(query: SessionQuery): Promise<SessionPage>;
  /** One session's turns in time order with each turn's input and output; null when unknown. */
  getSession(sessionId: string): Promise<SessionDetail | null>;
  /**
   * Imports Parquet span tables, OTLP JSON / JSON Lines files and folders of them (on the engine's
   * machine) in one transaction; per-file results; progress as `import-progress` live events.
   */
  importPaths(paths: string[], options?: ImportOptions): Promise<ImportResult>;
  /**
   * A page of the trace list of Parquet files read in place (newest first, with the total), as
   * listTraces will answer once `importPaths` of the same paths commits: shown while it runs.
   */
  previewImport(paths: string[], options?: ImportPreviewOptions): Promise<ImportPreview>;
  /** Columns, a preview and the detected format (or a suggested mapping) of one file: the mapping step. */
  inspectImportFile(path: string): Promise<ImportInspection>;
  /** Cancels running imports (they roll back); true when one was running. */
  cancelImport(): Promise<boolean>;
  /** Writes the `spans` view (all, a read-only condition, some traces) to an absolute .parquet path. */
  exportParquet(outPath: string, selection?: ExportSelection): Promise<ExportResult>;
  /** One trace as OTLP/JSON (ExportTraceServiceRequest text); null when unknown. */
  exportTraceOtlpJson(traceId: string): Promise<string | null>;
  /** One trace as a compact text outline for pasting into an LLM chat; null when unknown. */
  traceOutline(traceId: string): Promise<string | null>;
  getStats(): Promise<StoreStats>;
  /** Read-only SQL over the public views; anything that writes is refused. */
  query(sql: string, limit?: number): Promise<QueryResult>;
  /** Interrupts the running read-only query (it fails with an "interrupted" error); true when one was running. */
  cancelQuery(): Promise<boolean>;
  /** Deletes every span and log record (the UI asks for confirmation first); live event 'store-cleared'. */
  clearAll(): Promise<void>;
  /**
   * Retention: deletes whole traces, oldest first, that started before `olderThanNs` (ns since
   * the epoch, decimal string) or beyond the newest `maxSpans` spans; live event 'store-cleared'.
   */
  pruneTraces(policy: { olderThanNs?: string; maxSpans?: number }): Promise<{ traces: number; spans: number }>;
  /** Live updates; returns the function that unsubscribes. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

/** The request/response methods: every one is one IPC channel and one HTTP route. */
export type TraceApiMethod = Exclude<keyof TraceApi, 'subscribe'>;

export const TRACE_API_METHODS = [
  'listTraces',
  'getTrace',
  'getTraceColumns',
  'getSpan',
  'getLlmView',
  'getAggregateFlame',
  'getSpanSandwich',
  'listSessions',
  'getSession',
  'getSpanLogs',
  'importPaths',
  'previewImport',
  'inspectImportFile',
  'cancelImport',
  'exportParquet',
  'exportTraceOtlpJson',
  'traceOutline',
  'getStats',
  'query',
  'cancelQuery',
  'clearAll',
  'pruneTraces',
] as const satisfies readonly TraceApiMethod[];

/** IPC channel names; every channel carries the app's prefix. */
export const IPC_PREFIX = 'tracedeck:';
export const IPC_LIVE_CHANNEL = 'tracedeck:live';
export const ipcChannel = (method: TraceApiMethod): string => `${IPC_PREFIX}${method}`;

/** HTTP routes in serve mode: POST /api/<method> with a JSON array of arguments. */
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/api/events';

/** An error the API reports to its caller (bad argument, refused SQL, ...). */
export interface ApiErrorBody {
  error: string;
}

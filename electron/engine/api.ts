// The engine: implements the TraceApi contract once, over the store. Both transports (Electron
// IPC and HTTP + server-sent events) forward to an Engine; the OTLP receivers feed it.
import type { TraceApi } from '../../shared/api';
import type { ExportResult, ExportSelection, ImportInspection, ImportOptions, ImportResult } from '../../shared/import';
import { exportParquet, exportTraceOtlpJson, traceOutline } from './parquet/export';
import { importPaths, inspectImportFile } from './parquet/import';
import type { LlmView, SessionDetail, SessionPage, SessionQuery } from '../../shared/llm';
import type {
  LiveEvent,
  QueryResult,
  SpanDetail,
  SpanLog,
  StoreStats,
  TraceColumns,
  TraceDetail,
  TracePage,
  TraceQuery,
} from '../../shared/model';
import { requestToRows, type IngestResult } from './ingest';
import { logsRequestToRows, type LogIngestResult } from './ingest-logs';
import { buildLlmView } from './llm-view';
import { buildSessionDetail } from './sessions';
import type { DecodedLogsRequest, DecodedTraceRequest } from './otlp/types';
import type { PriceTable } from './semconv/prices';
import type { SpanRow } from './span-row';
import { Store, type StoreOptions } from './store';

export interface EngineOptions extends StoreOptions {
  dataDir: string;
  prices?: PriceTable;
}

export class Engine implements TraceApi {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private spansReceived = 0;
  private logsReceived = 0;
  private metricsRequests = 0;
  private requestsRefused = 0;
  /** Filled in by whoever starts the receivers and the UI server. */
  readonly endpoints: StoreStats['endpoints'] = {};

  private constructor(
    readonly store: Store,
    readonly dataDir: string,
    private readonly prices: PriceTable | undefined,
  ) {
    store.onCommit = ({ count, traceIds }) => this.emit({ type: 'spans-added', count, traceIds });
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const store = await Store.open(options);
    return new Engine(store, options.dataDir, options.prices);
  }

  /** Decodes nothing: takes a decoded OTLP request, stores its valid spans, resolves when durable. */
  async ingestTraceRequest(request: DecodedTraceRequest, source: string): Promise<IngestResult> {
    const result = requestToRows(request, source, this.prices);
    await this.ingestRows(result.rows);
    return result;
  }

  /** Stores the valid log records of a decoded OTLP logs request; resolves when durable. */
  async ingestLogsRequest(request: DecodedLogsRequest, source: string): Promise<LogIngestResult> {
    const result = logsRequestToRows(request, source);
    if (result.rows.length > 0) {
      await this.store.appendLogs(result.rows);
      this.logsReceived += result.rows.length;
    }
    return result;
  }

  /** OTLP metrics are answered with success and counted, not stored (README: "The OTLP endpoint"). */
  countMetricsRequest(): void {
    this.metricsRequests++;
  }

  /** A receiver refused a request because the write queue was full. */
  countRefusedRequest(): void {
    this.requestsRefused++;
  }

  async ingestRows(rows: SpanRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.appendSpans(rows);
    this.spansReceived += rows.length;
  }

  // ---- TraceApi ---------------------------------------------------------------------------------

  listTraces(query: TraceQuery): Promise<TracePage> {
    return this.store.listTraces(query);
  }

  getTrace(traceId: string): Promise<TraceDetail | null> {
    return this.store.getTrace(traceId);
  }

  getTraceColumns(traceId: string): Promise<TraceColumns | null> {
    return this.store.getTraceColumns(traceId);
  }

  getSpan(traceId: string, spanId: string): Promise<SpanDetail | null> {
    return this.store.getSpan(traceId, spanId);
  }

  /** One span's OTLP log records, oldest first (prompts sent as logs by GenAI instrumentations). */
  getSpanLogs(traceId: string, spanId: string): Promise<SpanLog[]> {
    return this.store.getSpanLogs(traceId, spanId);
  }

  /** The span's LLM view, from its stored attributes and events and its log records. */
  async getLlmView(traceId: string, spanId: string): Promise<LlmView | null> {
    const span = await this.store.getSpan(traceId, spanId);
    if (!span) return null;
    const logs = await this.store.getSpanLogs(traceId, spanId);
    return buildLlmView(span, logs, this.prices);
  }

  listSessions(query: SessionQuery): Promise<SessionPage> {
    return this.store.listSessions(query);
  }

  getSession(sessionId: string): Promise<SessionDetail | null> {
    return buildSessionDetail(this.store, sessionId, this.prices);
  }

  // ---- import / export (parquet/) ---------------------------------------------------------------

  private readonly imports = new Set<AbortController>();
  private importCount = 0;

  async importPaths(paths: string[], options?: ImportOptions): Promise<ImportResult> {
    const controller = new AbortController();
    this.imports.add(controller);
    const importId = `import-${++this.importCount}`;
    try {
      const result = await importPaths(
        { store: this.store, dataDir: this.dataDir, prices: this.prices, importId, signal: controller.signal, onProgress: (p) => this.emit({ type: 'import-progress', ...p }) },
        paths,
        options,
      );
      if (result.ok) this.spansReceived += result.imported;
      return result;
    } finally {
      this.imports.delete(controller);
    }
  }

  inspectImportFile(path: string): Promise<ImportInspection> {
    return inspectImportFile(this.store, this.dataDir, path);
  }

  async cancelImport(): Promise<boolean> {
    const running = this.imports.size > 0;
    for (const controller of this.imports) controller.abort();
    return running;
  }

  exportParquet(outPath: string, selection?: ExportSelection): Promise<ExportResult> {
    return exportParquet(this.store, outPath, selection);
  }

  exportTraceOtlpJson(traceId: string): Promise<string | null> {
    return exportTraceOtlpJson(this.store, traceId);
  }

  traceOutline(traceId: string): Promise<string | null> {
    return traceOutline(this.store, traceId);
  }

  async getStats(): Promise<StoreStats> {
    const { traceCount, spanCount } = await this.store.counts();
    return {
      traceCount,
      spanCount,
      diskBytes: this.store.diskBytes(),
      spansReceived: this.spansReceived,
      logsReceived: this.logsReceived,
      metricsRequests: this.metricsRequests,
      requestsRefused: this.requestsRefused,
      endpoints: { ...this.endpoints },
      dataDir: this.dataDir,
    };
  }

  query(sql: string, limit?: number): Promise<QueryResult> {
    return this.store.query(sql, limit);
  }

  async cancelQuery(): Promise<boolean> {
    return this.store.cancelQuery();
  }

  async clearAll(): Promise<void> {
    await this.store.clearAll();
    this.emit({ type: 'store-cleared' });
  }

  async pruneTraces(policy: { olderThanNs?: string; maxSpans?: number }): Promise<{ traces: number; spans: number }> {
    const deleted = await this.store.prune(policy);
    if (deleted.traces > 0) this.emit({ type: 'store-cleared' });
    return deleted;
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure must not stop the others or the writer.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.store.close();
  }
}

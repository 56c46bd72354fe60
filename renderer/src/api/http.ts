// TraceApi over HTTP + server-sent events, for the renderer in a browser (`tracedeck serve`).
// Routes and bodies are the contract in shared/api.ts: POST /api/<method> with a JSON array of
// the arguments; 200 carries the result, anything else `{ error }`. Live events arrive on
// GET /api/events, one LiveEvent JSON per message.
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, type ApiErrorBody, type TraceApi, type TraceApiMethod } from '../../../shared/api';
import type { LiveEvent } from '../../../shared/model';

/** After the server closed the stream for good (EventSource gives up on an HTTP error), retry this often. */
const EVENTS_RETRY_MS = 3_000;

async function call<T>(method: TraceApiMethod, args: unknown[]): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${HTTP_API_PREFIX}${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
  } catch (error) {
    throw new Error(`Tracedeck is not reachable (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const text = await response.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      if (response.ok) throw new Error(`${method}: the server answered with something that is not JSON`);
    }
  }
  if (!response.ok) {
    const message = (body as Partial<ApiErrorBody> | null)?.error;
    throw new Error(typeof message === 'string' && message !== '' ? message : `${method} failed: HTTP ${response.status}`);
  }
  return body as T;
}

function isLiveEvent(value: unknown): value is LiveEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Every (re)connection of the event stream is reported as `spans-added` with no trace ids
 * ("something may have changed, ids unknown"): spans that arrived while the stream was not yet
 * open, or was down, would otherwise never show until the next export.
 */
const RECONNECTED: LiveEvent = { type: 'spans-added', count: 0, traceIds: [] };

function subscribe(listener: (event: LiveEvent) => void): () => void {
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const connect = (): void => {
    source = new EventSource(HTTP_EVENTS_PATH);
    source.onopen = () => listener(RECONNECTED);
    source.onmessage = (message: { data: string }) => {
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // a malformed event is dropped; the next one triggers a refresh anyway
      }
      if (isLiveEvent(event)) listener(event);
    };
    source.onerror = () => {
      // EventSource reconnects by itself after a network error, but not after an HTTP error.
      if (closed || source?.readyState !== EventSource.CLOSED) return;
      source = null;
      retry = setTimeout(connect, EVENTS_RETRY_MS);
    };
  };
  connect();

  return () => {
    closed = true;
    if (retry) clearTimeout(retry);
    source?.close();
  };
}

export function createHttpApi(): TraceApi {
  return {
    listTraces: (query) => call('listTraces', [query]),
    getTrace: (traceId) => call('getTrace', [traceId]),
    getTraceColumns: (traceId) => call('getTraceColumns', [traceId]),
    getSpan: (traceId, spanId) => call('getSpan', [traceId, spanId]),
    getLlmView: (traceId, spanId) => call('getLlmView', [traceId, spanId]),
    getSpanLogs: (traceId, spanId) => call('getSpanLogs', [traceId, spanId]),
    getAggregateFlame: (filter, options) => call('getAggregateFlame', options === undefined ? [filter] : [filter, options]),
    getSpanSandwich: (name, filter, options) => call('getSpanSandwich', options === undefined ? [name, filter] : [name, filter, options]),
    listSessions: (query) => call('listSessions', [query]),
    getSession: (sessionId) => call('getSession', [sessionId]),
    importPaths: (paths, options) => call('importPaths', options === undefined ? [paths] : [paths, options]),
    previewImport: (paths, options) => call('previewImport', options === undefined ? [paths] : [paths, options]),
    inspectImportFile: (path) => call('inspectImportFile', [path]),
    cancelImport: () => call('cancelImport', []),
    exportParquet: (outPath, selection) => call('exportParquet', selection === undefined ? [outPath] : [outPath, selection]),
    exportTraceOtlpJson: (traceId) => call('exportTraceOtlpJson', [traceId]),
    traceOutline: (traceId) => call('traceOutline', [traceId]),
    getStats: () => call('getStats', []),
    cancelQuery: () => call('cancelQuery', []),
    clearAll: () => call('clearAll', []),
    pruneTraces: (policy) => call('pruneTraces', [policy]),
    // JSON has no `undefined`: leave the optional argument out rather than send null.
    query: (sql, limit) => call('query', limit === undefined ? [sql] : [sql, limit]),
    subscribe,
  };
}

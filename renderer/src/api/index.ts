// The renderer's one door to the engine. In the desktop app the preload exposes
// `window.tracedeck`; in a browser (tracedeck serve) the same TraceApi goes over HTTP + SSE.
// Nothing else in the renderer knows which.
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, type TraceApi } from '../../../shared/api';
import type { LiveEvent } from '../../../shared/model';

async function call<T>(method: string, args: unknown[]): Promise<T> {
  const response = await fetch(`${HTTP_API_PREFIX}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as T | { error: string };
  if (!response.ok) {
    throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
  }
  return body as T;
}

export function createHttpApi(): TraceApi {
  return {
    listTraces: (query) => call('listTraces', [query]),
    getTrace: (traceId) => call('getTrace', [traceId]),
    getSpan: (traceId, spanId) => call('getSpan', [traceId, spanId]),
    getStats: () => call('getStats', []),
    query: (sql, limit) => call('query', limit === undefined ? [sql] : [sql, limit]),
    subscribe: (listener) => {
      const source = new EventSource(HTTP_EVENTS_PATH);
      source.onmessage = (message: MessageEvent<string>) => {
        try {
          listener(JSON.parse(message.data) as LiveEvent);
        } catch {
          // a malformed event is dropped; the next refresh catches up
        }
      };
      return () => source.close();
    },
  };
}

let api: TraceApi | null = null;

export function getApi(): TraceApi {
  api ??= window.tracedeck ?? createHttpApi();
  return api;
}

// The trace-layout worker: messages in, tree/packed-trace.ts does the work, typed arrays out by
// transfer. In a browser (`tracedeck serve`) it fetches the trace itself over the same HTTP API
// (api/http.ts), so neither the download nor the JSON parse touches the page's main thread; in the
// desktop app the page fetches over IPC (a worker cannot reach the preload) and posts it here.
import { createHttpApi } from '../api/http';
import { answerLayoutRequest, type LayoutRequest } from '../tree/packed-trace';

/** The part of DedicatedWorkerGlobalScope used here (tsconfig.web.json has DOM types, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const api = createHttpApi();

scope.onmessage = (event) => {
  void answerLayoutRequest(event.data, (traceId) => api.getTraceColumns(traceId)).then(({ response, transfer }) =>
    scope.postMessage(response, transfer),
  );
};

// The desktop app's engine thread: a worker_threads Worker started by electron/main. It runs a
// full runtime (engine, OTLP receivers, local API server) so ingest and queries never run on
// the window's thread, and answers TraceApi calls that main forwards from the window's IPC.
import { parentPort, workerData } from 'node:worker_threads';
import { TRACE_API_METHODS } from '../../shared/api';
import { isApiMethod } from '../../shared/validate';
import { DataDirError, startRuntime, type RuntimeOptions } from './runtime';
import type { ReconfigureResult, WorkerReply, WorkerRequest } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const options = workerData as Omit<RuntimeOptions, 'log'>;

const post = (message: WorkerReply): void => port.postMessage(message);

try {
  const runtime = await startRuntime({ ...options, log: (line) => post({ type: 'log', line }) });
  runtime.engine.subscribe((event) => post({ type: 'live', event }));
  post({ type: 'ready', endpoints: { ...runtime.engine.endpoints }, dataDir: options.dataDir });

  port.on('message', (message: WorkerRequest) => {
    if (message.type === 'stop') {
      void runtime.stop().then(() => post({ type: 'stopped' }));
      return;
    }
    if (message.type === 'reconfigure') {
      void (async () => {
        const result: ReconfigureResult = { endpoints: {}, problems: [] };
        for (const receiver of ['otlpHttp', 'otlpGrpc'] as const) {
          const change = message[receiver];
          if (!change) continue;
          try {
            if (receiver === 'otlpHttp') await runtime.restartOtlpHttp(change.port, change.host);
            else await runtime.restartOtlpGrpc(change.port, change.host);
          } catch (error) {
            result.problems.push({ receiver, message: error instanceof Error ? error.message : String(error) });
          }
        }
        result.endpoints = { ...runtime.engine.endpoints };
        post({ type: 'result', id: message.id, ok: true, value: result });
      })();
      return;
    }
    const { id, method, args } = message;
    if (!isApiMethod(method, TRACE_API_METHODS)) {
      post({ type: 'result', id, ok: false, error: `unknown method ${method}` });
      return;
    }
    const fn = runtime.engine[method] as (...a: unknown[]) => Promise<unknown>;
    fn.apply(runtime.engine, args).then(
      (value) => post({ type: 'result', id, ok: true, value }),
      (error: unknown) => post({ type: 'result', id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
} catch (error) {
  post({ type: 'failed', error: error instanceof Error ? error.message : String(error), kind: error instanceof DataDirError ? 'data-dir' : 'other' });
}

// Loads one trace and builds what the views read (tree/packed-trace.ts TraceViewModel), off the
// main thread when the trace is large. Three paths, recorded in `builtBy`:
//   worker-fetch  the worker fetches (HTTP), parses and lays out; the page only builds the span
//                 objects from transferred typed arrays (a browser on `tracedeck serve`)
//   worker-build  the page fetches (the desktop app's IPC, which a worker cannot reach) and posts
//                 the columns, numbers packed into transferred typed arrays, to the worker
//   main          everything on the main thread: small traces (under LARGE_TRACE_SPANS a worker
//                 round trip costs more than it saves), or no worker (none in this environment,
//                 or its script failed to load: file:// rules, a CSP)
// No DOM beyond Worker and localStorage, both looked up when used, so the stores still load in
// Node tests (where the main path runs).
import type { TraceColumns } from '../../../shared/model';
import { apiReachableFromWorkers, getApi } from '../api';
import {
  buildTraceViewModel,
  packTraceColumns,
  transferablesOf,
  unpackLaidOutTrace,
  type LayoutRequest,
  type LayoutResponse,
  type TraceViewModel,
} from '../tree/packed-trace';

/** From this many spans a trace is laid out in the worker (~1 ms of main-thread work per 1,000 spans saved). */
export const LARGE_TRACE_SPANS = 5_000;

export type TraceBuildPath = 'worker-fetch' | 'worker-build' | 'main';

export interface LoadedTrace extends TraceViewModel {
  builtBy: TraceBuildPath;
}

/**
 * localStorage[TRACE_BUILD_SETTING], for tests and the benchmark only: 'main' forces the main
 * thread, 'worker' the worker at any size, 'worker-build' the desktop app's path (page fetches,
 * worker builds) in a browser. Anything else (normally absent): chosen by size as above.
 */
export const TRACE_BUILD_SETTING = 'tracedeck.traceBuild';
type BuildSetting = 'auto' | 'main' | 'worker' | 'worker-build';

function buildSetting(): BuildSetting {
  try {
    const value = globalThis.localStorage?.getItem(TRACE_BUILD_SETTING);
    return value === 'main' || value === 'worker' || value === 'worker-build' ? value : 'auto';
  } catch {
    return 'auto'; // storage disabled
  }
}

/** The worker could not be started or its script did not load: use the main thread from now on. */
class WorkerUnavailable extends Error {}
/** A newer load started (or the trace closed) while the worker was busy with this one. */
class Superseded extends Error {}

interface Pending {
  resolve(response: LayoutResponse): void;
  reject(error: Error): void;
}

/**
 * The part of the DOM Worker used here, declared so this file type-checks in the Node tests too
 * (tsconfig.node.json has no DOM types; the Worker global is looked up when first needed).
 */
interface LayoutWorker {
  onmessage: ((event: { data: LayoutResponse }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  postMessage(message: LayoutRequest, transfer: ArrayBuffer[]): void;
  terminate(): void;
}
type LayoutWorkerConstructor = new (url: URL, options: { type: 'module'; name: string }) => LayoutWorker;

let worker: LayoutWorker | null = null;
let workerBroken = false;
let nextRequestId = 0;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function startWorker(): LayoutWorker {
  if (worker) return worker;
  const Worker = (globalThis as { Worker?: LayoutWorkerConstructor }).Worker;
  if (workerBroken || !Worker) throw new WorkerUnavailable('no Worker here');
  let started: LayoutWorker;
  try {
    // Vite bundles the worker from this exact form (a separate file in out/renderer/assets).
    started = new Worker(new URL('../workers/trace-layout.worker.ts', import.meta.url), { type: 'module', name: 'trace-layout' });
  } catch (error) {
    workerBroken = true;
    throw new WorkerUnavailable(`new Worker failed: ${String(error)}`);
  }
  started.onmessage = (event) => {
    const p = pending.get(event.data.id);
    pending.delete(event.data.id);
    p?.resolve(event.data);
  };
  // 'error' on the Worker object: the script did not load or threw at top level.
  started.onerror = (event) => {
    event.preventDefault();
    workerBroken = true;
    started.terminate();
    if (worker === started) worker = null;
    failAll(new WorkerUnavailable(`the trace-layout worker failed: ${event.message || 'script not loaded'}`));
  };
  started.onmessageerror = () => failAll(new WorkerUnavailable('a worker message could not be read'));
  worker = started;
  return started;
}

/** A request before it is numbered (Omit over each member of the union). */
type UnnumberedRequest = LayoutRequest extends infer R ? (R extends LayoutRequest ? Omit<R, 'id'> : never) : never;

function askWorker(request: UnnumberedRequest, transfer: ArrayBuffer[] = []): Promise<LayoutResponse> {
  const target = startWorker();
  const id = ++nextRequestId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ ...request, id } as LayoutRequest, transfer);
  });
}

/**
 * Drops what the worker is doing: its answer would be stale. Terminating frees the CPU at once
 * (a 100,000-span layout keeps going otherwise); the next load starts a new worker (~10 ms).
 */
export function cancelTraceLoads(): void {
  if (pending.size === 0 || !worker) return;
  worker.terminate();
  worker = null;
  failAll(new Superseded('superseded by a newer trace load'));
}

/**
 * Lets other tasks (input, paint) run: a message to ourselves, which unlike setTimeout(0) is not
 * clamped to 4 ms after a few nested calls.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.addEventListener('message', () => {
      port1.close();
      resolve();
    });
    port1.start(); // (onmessage would start it; addEventListener does not)
    port2.postMessage(null);
  });
}

async function fromResponse(response: LayoutResponse, builtBy: TraceBuildPath): Promise<LoadedTrace | null> {
  if (response.kind === 'missing') return null;
  if (response.kind === 'error') throw new Error(response.message);
  const model = unpackLaidOutTrace(response.trace);
  // The views render in a task of their own, not in the one that received the message.
  await yieldToEventLoop();
  return { ...model, builtBy };
}

/**
 * Starts the worker before it is needed (the trace list calls this once it is shown), so the
 * first large trace does not wait for the worker's script (~20 ms, more on a busy machine).
 */
export function prewarmTraceLayoutWorker(): void {
  if (buildSetting() === 'main' || !(globalThis as { Worker?: unknown }).Worker) return;
  try {
    startWorker();
  } catch {
    // No worker here: loads use the main thread.
  }
}

function buildOnMainThread(columns: TraceColumns): LoadedTrace {
  return { ...buildTraceViewModel(columns), builtBy: 'main' };
}

/**
 * The trace `traceId` laid out for the views, or null when the engine does not know it.
 * `spanCountHint` (the trace list's count, or the trace being reloaded) picks the path before the
 * fetch; null means unknown, and an unknown trace is fetched by the worker in case it is large.
 */
export async function loadTraceViewModel(traceId: string, spanCountHint: number | null): Promise<LoadedTrace | null> {
  cancelTraceLoads();
  const setting = buildSetting();
  const large = (n: number): boolean => (setting === 'auto' ? n >= LARGE_TRACE_SPANS : setting !== 'main');
  if (setting !== 'worker-build' && large(spanCountHint ?? LARGE_TRACE_SPANS) && apiReachableFromWorkers()) {
    try {
      return await fromResponse(await askWorker({ kind: 'fetch', traceId }), 'worker-fetch');
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
    }
  }
  const columns = await getApi().getTraceColumns(traceId);
  if (!columns) return null;
  if (large(columns.spans.spanId.length)) {
    try {
      const packed = packTraceColumns(columns);
      return await fromResponse(await askWorker({ kind: 'build', trace: packed }, transferablesOf(packed.columns)), 'worker-build');
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
    }
  }
  return buildOnMainThread(columns);
}

// Runs the engine (electron/server/worker.ts, built as out/main/engine-worker.js) in a worker
// thread and forwards TraceApi calls to it, so ingest and queries never block the window.
//
// If the worker dies (an uncaught error, a terminate), the calls it was answering fail, the
// window is told ("restarting"), and a new worker opens the same store: every span that was
// acknowledged is committed, so nothing acknowledged is lost. Calls made meanwhile wait for
// the new worker. A worker that keeps dying (3 times without staying up 10 s) or that cannot
// open its data folder is not restarted again: the state is "failed" until `restart()`.
//
// Plain Node (no 'electron'), so tests run it against the built worker.
import { Worker } from 'node:worker_threads';
import type { EngineStatus, LiveEvent, StoreStats } from '../../shared/model';
import type { RuntimeOptions } from '../server/runtime';
import type { ReceiverChanges, ReconfigureResult, WorkerReply, WorkerRequest } from '../server/worker-protocol';

export type EngineOptions = Omit<RuntimeOptions, 'log'>;

/** Why the engine is in the "failed" state: the data folder is the one the user can fix. */
export type EngineFailure = 'data-dir' | 'crashed' | 'other';

export interface EngineHostEvents {
  onLive(event: LiveEvent): void;
  onStatus(status: EngineStatus, failure?: EngineFailure): void;
  onLog(line: string): void;
}

export interface EngineHostTiming {
  /** Wait this long times the number of crashes in a row before restarting. */
  restartDelayMs: number;
  /** A worker that stayed ready this long resets the crash count. */
  stableAfterMs: number;
  /** Give up after this many crashes in a row. */
  maxCrashes: number;
  /** How long a graceful stop (flush, close the store) may take before the worker is terminated. */
  stopTimeoutMs: number;
}

export const DEFAULT_TIMING: EngineHostTiming = { restartDelayMs: 500, stableAfterMs: 10_000, maxCrashes: 3, stopTimeoutMs: 10_000 };

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

function portOf(url: string | undefined): number | null {
  if (!url) return null;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : null;
}

export class EngineNotRunningError extends Error {
  override name = 'EngineNotRunningError';
}

export class EngineHost {
  private worker: Worker | null = null;
  /** Bumped per worker, so events of a worker we already replaced are ignored. */
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private waiters: Waiter[] = [];
  private status: EngineStatus = { state: 'starting' };
  private failure: EngineFailure | undefined;
  private crashes = 0;
  private stableTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private options: EngineOptions;
  private readonly timing: EngineHostTiming;

  constructor(
    private readonly workerPath: string,
    options: EngineOptions,
    private readonly events: EngineHostEvents,
    timing: Partial<EngineHostTiming> = {},
  ) {
    this.options = { ...options };
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  /** The options the next worker starts with (ports pinned once bound, see `onReady`). */
  get currentOptions(): Readonly<EngineOptions> {
    return this.options;
  }

  getStatus(): EngineStatus {
    return { ...this.status };
  }

  /** Starts a worker; resolves when it is ready, rejects when it could not start. */
  start(): Promise<void> {
    this.stopping = false;
    this.failure = undefined;
    const ready = this.waitUntilReady();
    this.spawn();
    return ready;
  }

  private setStatus(status: EngineStatus, failure?: EngineFailure): void {
    this.status = status;
    this.failure = failure;
    this.events.onStatus({ ...status }, failure);
  }

  private spawn(): void {
    const generation = ++this.generation;
    const notices: string[] = [];
    // After a crash the status already says "restarting" (with the reason); keep it until ready.
    if (this.crashes === 0) this.setStatus({ state: 'starting' });
    const worker = new Worker(this.workerPath, { workerData: this.options });
    this.worker = worker;
    worker.on('message', (message: WorkerReply) => {
      if (generation !== this.generation) return;
      switch (message.type) {
        case 'ready':
          this.onReady(message.endpoints, notices);
          break;
        case 'failed':
          this.setStatus({ state: 'failed', message: message.error }, message.kind === 'data-dir' ? 'data-dir' : 'other');
          this.releaseWaiters(new EngineNotRunningError(message.error));
          break;
        case 'log':
          if (this.status.state !== 'ready') notices.push(message.line);
          this.events.onLog(message.line);
          break;
        case 'live':
          this.events.onLive(message.event);
          break;
        case 'result': {
          const call = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (!call) break;
          if (message.ok) call.resolve(message.value);
          else call.reject(new Error(message.error));
          break;
        }
        case 'stopped':
          break;
      }
    });
    // An uncaught error in the worker: its 'exit' follows, which restarts it.
    worker.on('error', (error) => {
      if (generation === this.generation) this.events.onLog(`The engine failed: ${error.stack ?? error.message}`);
    });
    worker.on('exit', (code) => {
      if (generation === this.generation) this.onExit(code);
    });
  }

  private onReady(endpoints: StoreStats['endpoints'], notices: string[]): void {
    // Keep the ports the worker bound, so exporters pointed at them still reach a restarted
    // engine (settings may say 0 = "any free port").
    const httpPort = portOf(endpoints.otlpHttp);
    if (this.options.otlpHttpPort === 0 && httpPort) this.options.otlpHttpPort = httpPort;
    const grpcPort = portOf(endpoints.otlpGrpc);
    if (this.options.otlpGrpcPort === 0 && grpcPort) this.options.otlpGrpcPort = grpcPort;
    this.setStatus({ state: 'ready', endpoints: { ...endpoints }, ...(notices.length > 0 ? { notices: [...notices] } : {}) });
    this.releaseWaiters(null);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      this.crashes = 0;
    }, this.timing.stableAfterMs);
    this.stableTimer.unref();
  }

  private onExit(code: number): void {
    this.worker = null;
    if (this.stableTimer) clearTimeout(this.stableTimer);
    for (const call of this.pending.values()) call.reject(new EngineNotRunningError(`The engine stopped (exit code ${code}) before it answered; try again.`));
    this.pending.clear();
    if (this.stopping || this.status.state === 'failed') return;
    this.crashes++;
    if (this.crashes > this.timing.maxCrashes) {
      const message = `The engine stopped ${this.crashes} times in a row (last exit code ${code}) and was not restarted again. Use File › Restart Engine to try again.`;
      this.setStatus({ state: 'failed', message }, 'crashed');
      this.releaseWaiters(new EngineNotRunningError(message));
      return;
    }
    this.setStatus({ state: 'restarting', message: `The engine stopped unexpectedly (exit code ${code}); restarting it. Stored traces are kept.` });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.spawn();
    }, this.timing.restartDelayMs * this.crashes);
  }

  private waitUntilReady(): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    promise.catch(() => undefined); // callers that do not wait must not cause unhandled rejections
    return promise;
  }

  private releaseWaiters(error: Error | null): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  /** The running worker, waiting for one while the engine starts or restarts. */
  private async readyWorker(): Promise<Worker> {
    if (this.status.state === 'failed') throw new EngineNotRunningError(this.status.message ?? 'The engine is not running.');
    if (this.stopping) throw new EngineNotRunningError('The engine is stopping.');
    if (this.status.state !== 'ready' || !this.worker) await this.waitUntilReady();
    const worker = this.worker;
    if (!worker) throw new EngineNotRunningError('The engine is not running.');
    return worker;
  }

  private async request(make: (id: number) => WorkerRequest): Promise<unknown> {
    const worker = await this.readyWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(make(id));
    });
  }

  /** Calls a TraceApi method in the engine (arguments already validated by the caller). */
  call(method: string, args: unknown[]): Promise<unknown> {
    return this.request((id) => ({ type: 'call', id, method, args }));
  }

  /**
   * Moves OTLP receivers (the settings changed) without restarting the engine. A receiver that
   * cannot move (e.g. the port is taken) stays where it was; `problems` says which and why.
   */
  async reconfigure(changes: ReceiverChanges): Promise<ReconfigureResult> {
    const result = (await this.request((id) => ({ type: 'reconfigure', id, ...changes }))) as ReconfigureResult;
    const failed = new Set(result.problems.map((p) => p.receiver));
    // Later restarts use what is running now.
    if (changes.otlpHttp && !failed.has('otlpHttp')) {
      this.options.host = changes.otlpHttp.host;
      this.options.otlpHttpPort = portOf(result.endpoints.otlpHttp) ?? changes.otlpHttp.port;
    }
    if (changes.otlpGrpc && !failed.has('otlpGrpc')) {
      this.options.host = changes.otlpGrpc.host;
      this.options.otlpGrpcPort = portOf(result.endpoints.otlpGrpc) ?? changes.otlpGrpc.port;
    }
    if (this.status.state === 'ready') {
      const notices = result.problems.map((p) => p.message);
      this.setStatus({ state: 'ready', endpoints: { ...result.endpoints }, ...(notices.length > 0 ? { notices } : {}) });
    }
    return result;
  }

  /** Stops the engine gracefully and starts it again, with changed options if given (a new data folder). */
  async restart(options: Partial<EngineOptions> = {}): Promise<void> {
    await this.stop();
    this.options = { ...this.options, ...options };
    this.crashes = 0;
    return this.start();
  }

  /** Terminates the worker the way a crash would: no flush, and the host restarts it. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Flushes and closes the store; resolves when the worker has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.releaseWaiters(new EngineNotRunningError('The engine was stopped.'));
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), this.timing.stopTimeoutMs);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.on('message', (message: WorkerReply) => {
        if (message.type === 'stopped') void worker.terminate();
      });
      const stop: WorkerRequest = { type: 'stop' };
      worker.postMessage(stop);
    });
  }
}

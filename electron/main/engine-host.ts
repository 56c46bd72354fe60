// Runs the engine in a worker thread and forwards TraceApi calls to it. If the worker dies,
// pending calls fail, the window is told, and a new worker starts on the same store.
import { Worker } from 'node:worker_threads';
import type { LiveEvent, StoreStats } from '../../shared/model';
import type { RuntimeOptions } from '../server/runtime';
import type { WorkerReply, WorkerRequest } from '../server/worker-protocol';

export interface EngineHostEvents {
  onLive(event: LiveEvent): void;
  onStatus(status: { state: 'starting' | 'ready' | 'failed' | 'restarting'; message?: string; endpoints?: StoreStats['endpoints'] }): void;
  onLog(line: string): void;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class EngineHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private ready: Promise<void> = Promise.resolve();
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly workerPath: string,
    private readonly options: Omit<RuntimeOptions, 'log'>,
    private readonly events: EngineHostEvents,
  ) {}

  start(): Promise<void> {
    this.events.onStatus({ state: 'starting' });
    const worker = new Worker(this.workerPath, { workerData: this.options });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerReply) => {
        switch (message.type) {
          case 'ready':
            this.restarts = 0;
            this.events.onStatus({ state: 'ready', endpoints: message.endpoints });
            resolve();
            break;
          case 'failed':
            this.events.onStatus({ state: 'failed', message: message.error });
            reject(new Error(message.error));
            break;
          case 'log':
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
      worker.on('error', (error) => reject(error));
      worker.on('exit', (code) => this.onExit(code));
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private onExit(code: number): void {
    this.worker = null;
    for (const call of this.pending.values()) call.reject(new Error(`The engine stopped (exit code ${code}).`));
    this.pending.clear();
    if (this.stopping) return;
    // Restart with a back-off; a store that cannot open keeps failing, so give up after a few.
    this.restarts++;
    if (this.restarts > 3) {
      this.events.onStatus({ state: 'failed', message: `The engine stopped (exit code ${code}) and could not be restarted.` });
      return;
    }
    this.events.onStatus({ state: 'restarting', message: `The engine stopped (exit code ${code}); restarting it.` });
    setTimeout(() => void this.start().catch(() => undefined), 500 * this.restarts);
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    await this.ready;
    const worker = this.worker;
    if (!worker) throw new Error('The engine is not running.');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message: WorkerRequest = { type: 'call', id, method, args };
      worker.postMessage(message);
    });
  }

  /** Flushes and closes the store; resolves when the worker has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 10_000);
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

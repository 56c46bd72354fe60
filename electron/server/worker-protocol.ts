// Messages between electron/main and the engine worker (electron/server/worker.ts).
import type { LiveEvent, StoreStats } from '../../shared/model';

export type WorkerRequest =
  | { type: 'call'; id: number; method: string; args: unknown[] }
  /** Moves a receiver (settings changed); answered with a `result` whose value is the new endpoints. */
  | { type: 'reconfigure'; id: number; otlpHttp?: { port: number; host: string } }
  | { type: 'stop' };

export type WorkerReply =
  | { type: 'ready'; endpoints: StoreStats['endpoints']; dataDir: string }
  /** `data-dir`: the data folder cannot be created or written (restarting will not help). */
  | { type: 'failed'; error: string; kind?: 'data-dir' | 'other' }
  | { type: 'log'; line: string }
  | { type: 'live'; event: LiveEvent }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'stopped' };

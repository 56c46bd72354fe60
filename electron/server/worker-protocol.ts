// Messages between electron/main and the engine worker (electron/server/worker.ts).
import type { LiveEvent, StoreStats } from '../../shared/model';

export type WorkerRequest =
  | { type: 'call'; id: number; method: string; args: unknown[] }
  /** Moves receivers (settings changed); answered with a `result` whose value is a ReconfigureResult. */
  | ({ type: 'reconfigure'; id: number } & ReceiverChanges)
  | { type: 'stop' };

export type ReceiverName = 'otlpHttp' | 'otlpGrpc';
export type ReceiverChanges = { [R in ReceiverName]?: { port: number; host: string } };

export interface ReconfigureResult {
  endpoints: StoreStats['endpoints'];
  /** Receivers that could not move (and stay where they were), with the reason. */
  problems: { receiver: ReceiverName; message: string }[];
}

export type WorkerReply =
  | { type: 'ready'; endpoints: StoreStats['endpoints']; dataDir: string }
  /** `data-dir`: the data folder cannot be created or written (restarting will not help). */
  | { type: 'failed'; error: string; kind?: 'data-dir' | 'other' }
  | { type: 'log'; line: string }
  | { type: 'live'; event: LiveEvent }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'stopped' };

// Messages between electron/main and the engine worker (electron/server/worker.ts).
import type { LiveEvent, StoreStats } from '../../shared/model';

export type WorkerRequest =
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'stop' };

export type WorkerReply =
  | { type: 'ready'; endpoints: StoreStats['endpoints']; dataDir: string }
  | { type: 'failed'; error: string }
  | { type: 'log'; line: string }
  | { type: 'live'; event: LiveEvent }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'stopped' };

// Store statistics and the engine's state, for the status line and the empty state's
// "point your exporter here" endpoint.
import { create } from 'zustand';
import type { EngineStatus, StoreStats } from '../../../shared/model';
import { getApi } from '../api';
import { errorMessage } from '../format';

export interface StatsState {
  stats: StoreStats | null;
  /** Only the desktop app reports it (engine-status live events); null in serve mode. */
  engine: EngineStatus | null;
  error: string | null;
  /** Spans received per second between the last two refreshes, and when that was measured (ms). */
  ingest: { spansPerSecond: number; atMs: number } | null;
  refresh(): Promise<void>;
  setEngineStatus(status: EngineStatus): void;
}

/** The OTLP/HTTP endpoint to tell users about: what the engine reports, else the default. */
export const DEFAULT_OTLP_HTTP_ENDPOINT = 'http://localhost:4318';

/** Spans per second from two samples of spansReceived; null when not measurable (restart, same instant). */
export function ingestRate(previous: { spans: number; atMs: number } | null, spans: number, atMs: number): number | null {
  if (!previous || atMs <= previous.atMs || spans < previous.spans) return null;
  return ((spans - previous.spans) * 1000) / (atMs - previous.atMs);
}

let lastSample: { spans: number; atMs: number } | null = null;

export const useStats = create<StatsState>((set) => ({
  stats: null,
  engine: null,
  error: null,
  ingest: null,
  refresh: async () => {
    try {
      const stats = await getApi().getStats();
      const now = Date.now();
      const rate = ingestRate(lastSample, stats.spansReceived, now);
      lastSample = { spans: stats.spansReceived, atMs: now };
      set({ stats, error: null, ...(rate !== null ? { ingest: { spansPerSecond: rate, atMs: now } } : {}) });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  setEngineStatus: (engine) => set({ engine }),
}));

export function otlpHttpEndpoint(state: Pick<StatsState, 'stats' | 'engine'>): string | undefined {
  return state.stats?.endpoints.otlpHttp ?? state.engine?.endpoints?.otlpHttp;
}

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
  refresh(): Promise<void>;
  setEngineStatus(status: EngineStatus): void;
}

/** The OTLP/HTTP endpoint to tell users about: what the engine reports, else the default. */
export const DEFAULT_OTLP_HTTP_ENDPOINT = 'http://localhost:4318';

export const useStats = create<StatsState>((set) => ({
  stats: null,
  engine: null,
  error: null,
  refresh: async () => {
    try {
      const stats = await getApi().getStats();
      set({ stats, error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  setEngineStatus: (engine) => set({ engine }),
}));

export function otlpHttpEndpoint(state: Pick<StatsState, 'stats' | 'engine'>): string | undefined {
  return state.stats?.endpoints.otlpHttp ?? state.engine?.endpoints?.otlpHttp;
}

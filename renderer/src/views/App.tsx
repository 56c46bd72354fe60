import { useEffect, useState } from 'react';
import type { StoreStats } from '../../../shared/model';
import { getApi } from '../api';
import { parseHash, useSelection } from '../state/selection';
import { useTraceList } from '../state/traces';
import { StatusBar } from './StatusBar';
import { TraceList } from './TraceList';
import { TraceView } from './TraceView';

/** Live events can come hundreds a second; refresh at most this often. */
const REFRESH_MS = 250;

export function App() {
  const [stats, setStats] = useState<StoreStats | null>(null);
  const traceId = useSelection((s) => s.traceId);

  useEffect(() => {
    const api = getApi();
    const refreshAll = (): void => {
      void useTraceList.getState().refresh();
      api.getStats().then(setStats, () => undefined);
    };
    refreshAll();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const openTraceIds = new Set<string>();
    const unsubscribe = api.subscribe((event) => {
      if (event.type === 'spans-added') for (const id of event.traceIds) openTraceIds.add(id);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        refreshAll();
        const open = useSelection.getState().traceId;
        if (open && openTraceIds.has(open)) void useSelection.getState().reloadTrace();
        openTraceIds.clear();
      }, REFRESH_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    const fromUrl = (): void => {
      const { traceId: t, spanId } = parseHash(window.location.hash);
      const state = useSelection.getState();
      if (!t) {
        if (state.traceId) state.close();
      } else if (t !== state.traceId) {
        void state.openTrace(t, spanId);
      } else if (spanId && spanId !== state.spanId) {
        void state.selectSpan(spanId);
      }
    };
    fromUrl();
    window.addEventListener('popstate', fromUrl);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && useSelection.getState().traceId) useSelection.getState().close();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('popstate', fromUrl);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Tracedeck</h1>
      </header>
      <main className="app-main">{traceId ? <TraceView /> : <TraceList otlpEndpoint={stats?.endpoints.otlpHttp} />}</main>
      <StatusBar stats={stats} />
    </div>
  );
}

// The window: the trace list, or one open trace, or a view across traces; a status line underneath.
import { useEffect } from 'react';
import { startFilterUrlSync } from '../routing/filter-url';
import { startHashSync } from '../routing/hash';
import { useHash, viewForHash } from '../routing/view';
import { startLiveUpdates } from '../state/live';
import { useImportPreview } from '../state/import-preview';
import { useSelection } from '../state/selection';
import { SessionsView } from '../llm/SessionsView';
import { AggregateView } from './AggregateView';
import { CompareView } from './CompareView';
import { PreviewList } from './PreviewList';
import { SandwichView } from './SandwichView';
import { SqlConsole } from './SqlConsole';
import { StatusBar } from './StatusBar';
import { TraceList } from './TraceList';
import { TraceView } from './TraceView';
import { TransferBar } from './TransferBar';

function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function App() {
  const traceOpen = useSelection((s) => s.traceId !== null);
  const previewing = useImportPreview((s) => s.preview !== null);
  const route = viewForHash(useHash());
  const view = route.view;

  // The URL's filter first, so the first page asked for is already filtered.
  useEffect(() => startFilterUrlSync(), []);
  useEffect(() => startLiveUpdates(), []);
  useEffect(() => startHashSync(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTextEntry(event.target)) return;
      const selection = useSelection.getState();
      if (selection.traceId) {
        event.preventDefault();
        selection.closeTrace();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <nav className="view-tabs" aria-label="Views">
        <a href="#/" aria-current={!traceOpen && view === 'traces' ? 'page' : undefined}>
          Traces
        </a>
        <a href="#/sessions" aria-current={!traceOpen && view === 'sessions' ? 'page' : undefined}>
          Sessions
        </a>
        <a href="#/sql" aria-current={!traceOpen && view === 'sql' ? 'page' : undefined}>
          SQL
        </a>
        <TransferBar />
      </nav>
      <main className="app-main">{traceOpen ? (
          <TraceView />
        ) : route.view === 'sessions' ? (
          <SessionsView />
        ) : route.view === 'sql' ? (
          <SqlConsole />
        ) : route.view === 'compare' ? (
          <CompareView a={route.a} b={route.b} />
        ) : route.view === 'aggregate' ? (
          <AggregateView />
        ) : route.view === 'sandwich' ? (
          <SandwichView name={route.name} traceId={route.traceId} />
        ) : previewing ? (
          <PreviewList />
        ) : (
          <TraceList />
        )}</main>
      <StatusBar />
    </div>
  );
}

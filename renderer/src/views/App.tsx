// The window: the trace list, or one open trace; a status line underneath.
import { useEffect } from 'react';
import { startHashSync } from '../routing/hash';
import { startLiveUpdates } from '../state/live';
import { useSelection } from '../state/selection';
import { StatusBar } from './StatusBar';
import { TraceList } from './TraceList';
import { TraceView } from './TraceView';

function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function App() {
  const traceOpen = useSelection((s) => s.traceId !== null);

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
      <main className="app-main">{traceOpen ? <TraceView /> : <TraceList />}</main>
      <StatusBar />
    </div>
  );
}

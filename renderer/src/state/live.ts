// Live updates: subscribe to the engine's events and refresh what they touch. Exporters send
// batches every few hundred ms and a busy app emits hundreds of events a second, so events are
// gathered for LIVE_REFRESH_DELAY_MS and answered with one refresh: at most ~5 refreshes a
// second however fast spans arrive, and a new trace shows well within a second of its export.
import type { TraceApi } from '../../../shared/api';
import type { EngineStatus, LiveEvent } from '../../../shared/model';
import { getApi } from '../api';
import { useSelection } from './selection';
import { useStats } from './stats';
import { useTraceList } from './traces';

export const LIVE_REFRESH_DELAY_MS = 200;

/** Subscribes, loads the first page and the stats, and returns the function that stops. */
export function startLiveUpdates(api: TraceApi = getApi()): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const touchedTraces = new Set<string>();
  /** An event that did not say which traces changed (reconnect, store cleared, engine restarted). */
  let anyTrace = false;
  /**
   * What arrived while the list was paused, apart from the rest: an event received just before
   * Pause but flushed just after it is not an arrival "since" the pause.
   */
  const arrivedWhilePaused = new Set<string>();
  let anyWhilePaused = false;

  const flush = (): void => {
    timer = null;
    const list = useTraceList.getState();
    // Paused: the list holds still; what arrives is only counted (an unknown set counts as one).
    if (list.paused) {
      if (anyWhilePaused || arrivedWhilePaused.size > 0) {
        list.noteArrivals(anyWhilePaused && arrivedWhilePaused.size === 0 ? ['(unknown)'] : arrivedWhilePaused);
      }
    } else void list.refresh();
    void useStats.getState().refresh();
    const selection = useSelection.getState();
    if (selection.traceId && (anyTrace || touchedTraces.has(selection.traceId))) void selection.reloadTrace();
    touchedTraces.clear();
    anyTrace = false;
    arrivedWhilePaused.clear();
    anyWhilePaused = false;
  };
  const schedule = (): void => {
    timer ??= setTimeout(flush, LIVE_REFRESH_DELAY_MS);
  };

  const onEvent = (event: LiveEvent): void => {
    switch (event.type) {
      case 'spans-added': {
        const paused = useTraceList.getState().paused;
        if (event.traceIds.length === 0) {
          anyTrace = true;
          if (paused) anyWhilePaused = true;
        }
        for (const id of event.traceIds) {
          touchedTraces.add(id);
          if (paused) arrivedWhilePaused.add(id);
        }
        schedule();
        break;
      }
      case 'store-cleared':
        anyTrace = true;
        if (useTraceList.getState().paused) anyWhilePaused = true;
        schedule();
        break;
      case 'engine-status': {
        const { type: _type, ...status } = event;
        useStats.getState().setEngineStatus(status satisfies EngineStatus);
        if (status.state === 'ready') {
          anyTrace = true;
          if (useTraceList.getState().paused) anyWhilePaused = true;
          schedule();
        }
        break;
      }
    }
  };

  // Subscribe before the first load, so nothing that arrives in between is missed.
  const unsubscribe = api.subscribe(onEvent);
  void useTraceList.getState().refresh();
  void useStats.getState().refresh();

  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

// #/aggregate: the flame graph of every trace the trace list's filter matches (the newest
// 1,000 by default), merged by span-name path — where the time goes across many runs. The store
// merges in SQL (TraceApi.getAggregateFlame) and says when its bounds cut; this view says so too.
// Clicking a frame zooms to it and offers that name's callers and callees (#/sandwich/<name>).
import { useEffect, useMemo, useState } from 'react';
import { AGGREGATE_LIMITS, type AggregateFlame } from '../../../shared/aggregate';
import { getApi } from '../api';
import { errorMessage, formatCount, formatDuration } from '../format';
import { frameBoundNotes, layoutMerged, traceBoundNote, type PlacedFrame } from '../flamegraph/merged';
import { MergedFlameGraph } from '../flamegraph/MergedFlameGraph';
import { openSandwich } from '../routing/view';
import { traceFilterFor } from '../state/trace-filter';
import { useTraceList } from '../state/traces';
import { TraceFilterBar } from './TraceFilterBar';
import './trace-views.css';

const TRACE_BOUNDS = [100, 1000, 10_000] as const;

/** Says what the store's bounds left out (nothing when they cut nothing). */
export function BoundNotes({ notes }: { notes: (string | null)[] }) {
  const shown = notes.filter((n): n is string => n !== null);
  if (shown.length === 0) return null;
  return (
    <p className="bound-note" role="note">
      {shown.join(' ')}
    </p>
  );
}

export function AggregateView() {
  const filterState = useTraceList((s) => s.filterState);
  const [maxTraces, setMaxTraces] = useState<number>(AGGREGATE_LIMITS.maxTraces.default);
  const [reload, setReload] = useState(0);
  const [flame, setFlame] = useState<AggregateFlame | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [picked, setPicked] = useState<PlacedFrame | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const { filter } = traceFilterFor(filterState, Date.now());
    getApi()
      .getAggregateFlame(filter, { maxTraces })
      .then(
        (result) => live && (setFlame(result), setError(null)),
        (e: unknown) => live && setError(errorMessage(e)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filterState, maxTraces, reload]);

  const merged = useMemo(() => (flame ? layoutMerged(flame.frames) : null), [flame]);
  const notes = flame
    ? [traceBoundNote(flame.traceCount, flame.matchingTraces), ...frameBoundNotes(flame.frames.length, flame.totalFrames, flame.depthLimited, flame.maxDepth)]
    : [];

  return (
    <section className="aggregate-view" aria-label="Across traces">
      <header className="pane-header">
        <a href="#/" className="back">
          ← Traces
        </a>
        <h2>Aggregate flame graph</h2>
        <span className="muted" role="status" aria-label="Traces merged">
          {loading ? 'merging…' : flame ? `${formatCount(flame.traceCount)} traces · ${formatCount(flame.spanCount)} spans · ${formatCount(flame.totalFrames)} frames` : ''}
        </span>
        <label>
          Traces{' '}
          <select aria-label="Traces to merge" value={maxTraces} onChange={(e) => setMaxTraces(Number(e.target.value))}>
            {TRACE_BOUNDS.map((n) => (
              <option key={n} value={n}>
                newest {formatCount(n)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setReload((r) => r + 1)}>
          Refresh
        </button>
        {picked && (
          <span className="picked-frame">
            <span className="muted">
              {picked.name}: {formatDuration(picked.totalNs)} in {formatCount(picked.count)} spans
            </span>{' '}
            <button type="button" onClick={() => openSandwich(picked.name)}>
              Callers and callees
            </button>
          </span>
        )}
      </header>
      <TraceFilterBar />
      <BoundNotes notes={notes} />
      {error && (
        <p className="error-banner" role="alert">
          Could not merge the traces: {error}
        </p>
      )}
      {flame && flame.frames.length === 0 && !loading && <p className="empty muted">No spans in the traces this filter matches.</p>}
      {merged && merged.frames.length > 0 && (
        <MergedFlameGraph merged={merged} graphName="Aggregate flame graph" wholeLabel="All traces" onPick={setPicked} />
      )}
    </section>
  );
}

// #/sandwich/<name> (across the filtered traces) and #/sandwich/<name>/in/<trace> (one trace):
// one span name's callers above — merged by their chain of parents, inverted, the name in the
// bottom row, each caller as wide as the time of the name's spans that came through it — and
// its callees below, merged by name path under it. The store merges both (TraceApi.getSpanSandwich);
// layout is flamegraph/merged.ts's, on one x scale for both halves.
import { useEffect, useMemo, useState } from 'react';
import type { SpanSandwich } from '../../../shared/aggregate';
import { getApi } from '../api';
import { errorMessage, formatCount, formatDuration } from '../format';
import { frameBoundNotes, layoutSandwich, meanNs, traceBoundNote, type PlacedFrame } from '../flamegraph/merged';
import { MergedFlameGraph } from '../flamegraph/MergedFlameGraph';
import { openSandwich } from '../routing/view';
import { traceFilterFor } from '../state/trace-filter';
import { useTraceList } from '../state/traces';
import { BoundNotes } from './AggregateView';
import './trace-views.css';

/** Back where the sandwich was opened from; opened from a pasted link, to the trace list. */
function goBack(): void {
  if (window.history.length > 1) window.history.back();
  else window.location.hash = '#/';
}

const plural = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

export function SandwichView({ name, traceId }: { name: string; traceId: string | null }) {
  const filterState = useTraceList((s) => s.filterState);
  const [sandwich, setSandwich] = useState<SpanSandwich | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<PlacedFrame | null>(null);

  useEffect(() => {
    let live = true;
    setSandwich(null);
    setError(null);
    // Within one trace the list's filter does not apply: the trace was picked by hand.
    const filter = traceId === null ? traceFilterFor(filterState, Date.now()).filter : {};
    getApi()
      .getSpanSandwich(name, filter, traceId === null ? {} : { traceId })
      .then(
        (result) => live && setSandwich(result),
        (e: unknown) => live && setError(errorMessage(e)),
      );
    return () => {
      live = false;
    };
  }, [name, traceId, filterState]);

  const halves = useMemo(() => (sandwich ? layoutSandwich(sandwich) : null), [sandwich]);
  const focus = sandwich?.callees[0] ?? null;
  const notes = sandwich
    ? [
        traceBoundNote(sandwich.traceCount, sandwich.matchingTraces),
        ...frameBoundNotes(sandwich.callers.length, sandwich.totalCallerFrames, sandwich.callersDepthLimited, sandwich.maxDepth).map((n) => `Callers: ${n}`),
        ...frameBoundNotes(sandwich.callees.length, sandwich.totalCalleeFrames, sandwich.calleesDepthLimited, sandwich.maxDepth).map((n) => `Callees: ${n}`),
      ]
    : [];

  return (
    <section className="sandwich-view" aria-label="Sandwich">
      <header className="pane-header">
        <button type="button" className="back" onClick={goBack}>
          ← Back
        </button>
        <h2>
          Callers and callees of <span className="mono">{name}</span>
        </h2>
        <span className="muted">{traceId === null ? 'across the filtered traces' : `in trace ${traceId}`}</span>
        {traceId !== null && (
          <button type="button" className="link-button" onClick={() => openSandwich(name)}>
            across the filtered traces
          </button>
        )}
        {sandwich && focus && (
          <span className="muted" role="status" aria-label="Focus spans">
            {plural(sandwich.focusCount, 'span')}
            {sandwich.nameCount > sandwich.focusCount ? ` (and ${formatCount(sandwich.nameCount - sandwich.focusCount)} nested inside them)` : ''} in{' '}
            {plural(sandwich.traceCount, 'trace')} · total {formatDuration(focus.totalNs)} · mean {formatDuration(meanNs(focus))} · self{' '}
            {formatDuration(focus.selfNs)}
          </span>
        )}
        {picked && picked.name !== name && (
          <button type="button" onClick={() => openSandwich(picked.name, traceId)}>
            Callers and callees of {picked.name}
          </button>
        )}
      </header>
      <BoundNotes notes={notes} />
      {error && (
        <p className="error-banner" role="alert">
          Could not load the sandwich: {error}
        </p>
      )}
      {!sandwich && !error && <p className="pane-message muted">loading…</p>}
      {sandwich && sandwich.focusCount === 0 && <p className="empty muted">No span is named so in these traces.</p>}
      {halves && sandwich && sandwich.focusCount > 0 && (
        <div className="sandwich-halves">
          <MergedFlameGraph merged={halves.callers} graphName="Callers" wholeLabel="All callers" focusName={name} onPick={setPicked} />
          <MergedFlameGraph merged={halves.callees} graphName="Callees" wholeLabel="All callees" onPick={setPicked} />
        </div>
      )}
    </section>
  );
}

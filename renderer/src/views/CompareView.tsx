// Two traces side by side as one tree (compare/diff.ts): each span's duration in A and B and
// the difference; spans only in B marked added, only in A marked missing. Names are text.
import { useEffect, useMemo, useState } from 'react';
import type { TraceDetail } from '../../../shared/model';
import { getApi } from '../api';
import { compareTraces, type CompareRow } from '../compare/diff';
import { errorMessage, formatCount, formatDuration } from '../format';

function delta(row: CompareRow): string {
  if (row.deltaNs === null) return '';
  if (row.deltaNs === 0) return '±0';
  return `${row.deltaNs > 0 ? '+' : '−'}${formatDuration(Math.abs(row.deltaNs))}`;
}

const STATUS_LABEL = { both: '', added: 'added in B', missing: 'missing in B' } as const;

export function CompareView({ a, b }: { a: string; b: string }) {
  const [traces, setTraces] = useState<{ a: TraceDetail | null; b: TraceDetail | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setTraces(null);
    setError(null);
    Promise.all([getApi().getTrace(a), getApi().getTrace(b)])
      .then(([ta, tb]) => live && setTraces({ a: ta, b: tb }))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [a, b]);

  const result = useMemo(() => (traces?.a && traces.b ? compareTraces(traces.a.spans, traces.b.spans) : null), [traces]);

  return (
    <section className="compare-view" aria-label="Compare traces">
      <header className="pane-header">
        <h2>Compare traces</h2>
        <span className="mono muted">A {a}</span>
        <span className="mono muted">B {b}</span>
        <a href="#/">Back to the list</a>
      </header>
      {error && (
        <p className="error-banner" role="alert">
          Could not load the traces: {error}
        </p>
      )}
      {traces && (!traces.a || !traces.b) && (
        <p className="error-banner" role="alert">
          Unknown trace: {!traces.a ? a : b}
        </p>
      )}
      {!traces && !error && <p className="muted">loading…</p>}
      {result && (
        <>
          <p role="status" className="compare-summary">
            {formatCount(result.matched)} matched · {formatCount(result.added)} added · {formatCount(result.missing)} missing ·
            total {formatDuration(traces!.a!.durationNs)} → {formatDuration(traces!.b!.durationNs)}
          </p>
          <div className="table-scroll">
            <table aria-label="Comparison" className="grid compare-table">
              <thead>
                <tr>
                  <th scope="col">Span</th>
                  <th scope="col" className="fit num">
                    A
                  </th>
                  <th scope="col" className="fit num">
                    B
                  </th>
                  <th scope="col" className="fit num">
                    Δ
                  </th>
                  <th scope="col" className="fit">
                    Change
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((row, i) => (
                  <tr key={i} className={`compare-${row.status}`} aria-level={row.depth + 1}>
                    <td className="name" style={{ paddingLeft: `${0.5 + Math.min(row.depth, 40) * 1.1}em` }}>
                      {row.name}
                    </td>
                    <td className="num mono">{row.a ? formatDuration(row.a.durationNs) : ''}</td>
                    <td className="num mono">{row.b ? formatDuration(row.b.durationNs) : ''}</td>
                    <td className={`num mono ${row.deltaNs !== null && row.deltaNs > 0 ? 'slower' : row.deltaNs !== null && row.deltaNs < 0 ? 'faster' : ''}`}>
                      {delta(row)}
                    </td>
                    <td>{STATUS_LABEL[row.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

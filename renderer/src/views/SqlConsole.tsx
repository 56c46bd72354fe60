// The SQL console: read-only SQL over the spans, traces and logs views. Values are shown as
// text (a span can carry anything); refused and failing queries show their message inline.
import type { KeyboardEvent } from 'react';
import { formatCount } from '../format';
import { useSqlConsole } from '../state/sql-console';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function SqlConsole() {
  const { sql, rowLimit, running, result, error, history, setSql, setRowLimit, run, cancel } = useSqlConsole();

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  };

  return (
    <section className="sql-console" aria-label="SQL console">
      <header className="pane-header">
        <h2>SQL console</h2>
        <span className="muted">read-only: the spans, traces and logs views · Ctrl+Enter runs</span>
      </header>
      <div className="sql-editor">
        <textarea
          aria-label="SQL"
          className="mono"
          rows={6}
          spellCheck={false}
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="sql-controls">
          <button type="button" onClick={() => void run()} disabled={running}>
            Run
          </button>
          {running && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
          <label>
            Row limit{' '}
            <input
              type="number"
              min={1}
              max={100000}
              value={rowLimit}
              onChange={(e) => setRowLimit(Number(e.target.value))}
            />
          </label>
          {history.length > 0 && (
            <select aria-label="History" value="" onChange={(e) => e.target.value && setSql(e.target.value)}>
              <option value="">History…</option>
              {history.map((h) => (
                <option key={h} value={h}>
                  {h.length > 80 ? `${h.slice(0, 80)}…` : h}
                </option>
              ))}
            </select>
          )}
          {running && <span className="muted">running…</span>}
        </div>
      </div>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {result && !error && (
        <div className="table-scroll">
          <p className="muted" role="status">
            {formatCount(result.rows.length)} row{result.rows.length === 1 ? '' : 's'}
            {result.truncated ? ` (limit reached; more rows exist)` : ''} in {result.elapsedMs.toFixed(1)} ms
          </p>
          <table aria-label="Results" className="grid">
            <thead>
              <tr>
                {result.columns.map((c, i) => (
                  <th scope="col" key={i} title={c.type}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((v, i) => (
                    <td key={i} className={v === null ? 'mono muted' : 'mono'}>
                      {cellText(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// The filter bar above the trace list: the "Filter traces" search field (syntax in
// shared/filter-query.ts), a time range, and named saved filters (localStorage).
import { useState, type FormEvent } from 'react';
import {
  parseSavedFilters,
  SAVED_FILTERS_KEY,
  TIME_RANGES,
  isTimeRangeKey,
  withSavedFilter,
  type SavedFilter,
} from '../state/trace-filter';
import { useTraceList } from '../state/traces';

const SYNTAX_HELP =
  'service:checkout status:error duration>200ms http.status_code=500 key~text key>1 has:key type:llm model:gpt-4o name:"chat" resource.service.version=1 "free text"';

function loadSaved(): SavedFilter[] {
  try {
    return parseSavedFilters(window.localStorage.getItem(SAVED_FILTERS_KEY));
  } catch {
    return [];
  }
}

function storeSaved(list: SavedFilter[]): void {
  try {
    window.localStorage.setItem(SAVED_FILTERS_KEY, JSON.stringify(list));
  } catch {
    // Storage full or refused: the filter still applies, it is just not remembered.
  }
}

export function TraceFilterBar() {
  const applied = useTraceList((s) => s.filterState);
  const errors = useTraceList((s) => s.filterErrors);
  const setFilter = useTraceList((s) => s.setFilter);
  // The field keeps what is being typed; Enter applies it. Re-keyed on the applied text so
  // Back/Forward and saved filters show up in the field.
  const [draft, setDraft] = useState<{ base: string; text: string }>({ base: applied.text, text: applied.text });
  const text = draft.base === applied.text ? draft.text : applied.text;
  const [saved, setSaved] = useState<SavedFilter[]>(loadSaved);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

  const apply = (event: FormEvent): void => {
    event.preventDefault();
    void setFilter({ ...applied, text });
  };
  const save = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') return;
    const next = withSavedFilter(saved, { name: trimmed, text: applied.text, range: applied.range });
    setSaved(next);
    storeSaved(next);
    setNaming(false);
    setName('');
  };

  return (
    <div className="filter-bar">
      <form role="search" onSubmit={apply} className="filter-form">
        <input
          type="search"
          aria-label="Filter traces"
          placeholder="Filter traces — service:checkout status:error duration>200ms key=value &quot;text&quot;"
          title={SYNTAX_HELP}
          value={text}
          spellCheck={false}
          onChange={(e) => setDraft({ base: applied.text, text: e.target.value })}
        />
        <select
          aria-label="Time range"
          value={applied.range}
          onChange={(e) => {
            if (isTimeRangeKey(e.target.value)) void setFilter({ text, range: e.target.value });
          }}
        >
          {TIME_RANGES.filter((r) => r.key !== 'custom' || applied.range === 'custom').map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="submit">Apply</button>
        {(applied.text !== '' || applied.range !== 'all') && (
          <button type="button" onClick={() => void setFilter({ text: '', range: 'all' })}>
            Clear
          </button>
        )}
      </form>
      <div className="saved-filters">
        {saved.length > 0 && (
          <select
            aria-label="Saved filters"
            value=""
            onChange={(e) => {
              const chosen = saved.find((f) => f.name === e.target.value);
              if (chosen) void setFilter({ text: chosen.text, range: chosen.range });
            }}
          >
            <option value="">Saved filters…</option>
            {saved.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        )}
        {naming ? (
          <form onSubmit={save} className="filter-form">
            <input aria-label="Filter name" value={name} autoFocus onChange={(e) => setName(e.target.value)} />
            <button type="submit">Save</button>
            <button type="button" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          (applied.text !== '' || applied.range !== 'all') && (
            <button type="button" onClick={() => setNaming(true)}>
              Save filter…
            </button>
          )
        )}
      </div>
      {errors.length > 0 && (
        <p className="filter-errors" role="status">
          Not understood (ignored): {errors.join('; ')}
        </p>
      )}
    </div>
  );
}

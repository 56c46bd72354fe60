// A key/value table of attributes. Keys and values are rendered as React text nodes only:
// a span can carry anything, including markup, and it must stay text.
import type { JsonEntries } from './json-values';
import { jsonValueText, jsonValueType } from './json-values';

interface Props {
  entries: JsonEntries;
  /** The table's accessible name, e.g. "Attributes". */
  label: string;
  /** Shown instead of the table when there are no entries. */
  emptyText?: string;
}

export function KeyValueTable({ entries, label, emptyText }: Props) {
  if (entries.length === 0) return <p className="muted empty-note">{emptyText ?? `No ${label.toLowerCase()}.`}</p>;
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {entries.map(([key, value], i) => {
          const type = jsonValueType(value);
          return (
            <tr key={`${i}:${key}`}>
              <th scope="row" className="kv-key mono">
                {key}
              </th>
              <td className={`kv-value${type === 'string' ? '' : ' mono'}${value.kind === 'null' ? ' muted' : ''}`}>
                {jsonValueText(value)}
              </td>
              <td className="kv-type muted">{type}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

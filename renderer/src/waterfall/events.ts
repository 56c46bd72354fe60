// A span's events as offsets from the trace's start, for the waterfall's event markers. The
// events come with the selected span's detail (SpanSummary carries only their count).
import { nanosBetween } from '../format';
import { parseJsonSafe, stringField } from '../views/json-values';

export function eventOffsetsNs(eventsJson: string | undefined, traceStartNs: string): number[] {
  if (!eventsJson) return [];
  const node = parseJsonSafe(eventsJson);
  if (node?.kind !== 'array') return [];
  const out: number[] = [];
  for (const event of node.items) {
    const time = stringField(event, 'time_unix_nano');
    const offset = time === null ? null : nanosBetween(traceStartNs, time);
    if (offset !== null && Number.isFinite(offset)) out.push(offset);
  }
  return out;
}

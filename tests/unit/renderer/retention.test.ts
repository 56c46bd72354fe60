import { expect, it } from 'vitest';
import { DEFAULT_RETENTION, parseRetention, retentionPolicy } from '../../../renderer/src/state/retention';

it('reads settings defensively and turns them into a pruneTraces policy', () => {
  expect(parseRetention(null)).toEqual(DEFAULT_RETENTION);
  expect(parseRetention('{"maxAgeDays":-1,"maxSpans":"x","automatic":1}')).toEqual(DEFAULT_RETENTION);
  const settings = parseRetention('{"maxAgeDays":2,"maxSpans":1000.7,"automatic":true}');
  expect(settings).toEqual({ maxAgeDays: 2, maxSpans: 1000, automatic: true });
  const now = 1_795_392_000_000;
  expect(retentionPolicy(settings, now)).toEqual({ olderThanNs: ((now - 2 * 86_400_000) * 1e6).toFixed(0), maxSpans: 1000 });
  expect(retentionPolicy(DEFAULT_RETENTION, now)).toEqual({});
});

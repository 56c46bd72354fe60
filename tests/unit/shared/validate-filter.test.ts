import { describe, expect, it } from 'vitest';
import { ApiArgumentError, validateApiArgs } from '../../../shared/validate';

const list = (filter: unknown): unknown => validateApiArgs('listTraces', [{ filter }])[0];

describe('listTraces filter validation', () => {
  it('passes every valid field through', () => {
    const filter = {
      services: ['a'], name: 'n', text: 't', status: 'error', minDurationNs: 0, maxDurationNs: 5,
      spanTypes: ['llm'], models: ['m'],
      attributes: [{ key: 'k', op: '=', value: '' }, { key: 'k', op: 'exists', scope: 'resource' }, { key: 'n', op: '>', value: '1.5' }],
    };
    expect(list(filter)).toEqual({ filter });
  });

  it.each([
    [{ status: 'bad' }],
    [{ name: '' }],
    [{ text: 'x'.repeat(1001) }],
    [{ minDurationNs: -1 }],
    [{ maxDurationNs: 1.5 }],
    [{ spanTypes: ['nope'] }],
    [{ models: [1] }],
    [{ attributes: {} }],
    [{ attributes: [{ key: 'k', op: 'LIKE', value: 'x' }] }],
    [{ attributes: [{ key: '', op: '=', value: 'x' }] }],
    [{ attributes: [{ key: 'k', op: '=' }] }],
    [{ attributes: [{ key: 'k', op: '>', value: 'abc' }] }],
    [{ attributes: [{ key: 'k', op: 'exists', value: 'x' }] }],
    [{ attributes: [{ key: 'k', op: '=', value: 'x', scope: 'trace' }] }],
    [{ attributes: Array.from({ length: 21 }, () => ({ key: 'k', op: 'exists' })) }],
  ])('refuses %j', (filter) => {
    expect(() => list(filter)).toThrow(ApiArgumentError);
  });
});

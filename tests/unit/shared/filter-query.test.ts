import { describe, expect, it } from 'vitest';
import { isEmptyFilter, parseDurationNs, parseFilterQuery } from '../../../shared/filter-query';

describe('parseFilterQuery', () => {
  it('parses the example from the issue', () => {
    const { filter, errors } = parseFilterQuery('service:checkout status:error duration>200ms http.status_code=500 "free text"');
    expect(errors).toEqual([]);
    expect(filter).toEqual({
      services: ['checkout'],
      status: 'error',
      minDurationNs: 200_000_000,
      attributes: [{ key: 'http.status_code', op: '=', value: '500' }],
      text: 'free text',
    });
  });

  it('reads every attribute operator, quoted values and resource keys', () => {
    const { filter, errors } = parseFilterQuery('a!=1 b~"hello world" c>1.5 d<10 has:e resource.service.version=1.2 f=""');
    expect(errors).toEqual([]);
    expect(filter.attributes).toEqual([
      { key: 'a', op: '!=', value: '1' },
      { key: 'b', op: 'contains', value: 'hello world' },
      { key: 'c', op: '>', value: '1.5' },
      { key: 'd', op: '<', value: '10' },
      { key: 'e', op: 'exists' },
      { key: 'service.version', op: '=', value: '1.2', scope: 'resource' },
      { key: 'f', op: '=', value: '' },
    ]);
  });

  it('combines repeated and comma-separated lists, types, models, names and duration bounds', () => {
    const { filter, errors } = parseFilterQuery('service:a,b service:c type:llm,tool model:gpt-4o name:"chat completion" duration<2s duration>1.5ms');
    expect(errors).toEqual([]);
    expect(filter).toEqual({
      services: ['a', 'b', 'c'],
      spanTypes: ['llm', 'tool'],
      models: ['gpt-4o'],
      name: 'chat completion',
      maxDurationNs: 2_000_000_000,
      minDurationNs: 1_500_000,
    });
  });

  it('joins bare words and quoted strings as free text, quotes keep operators literal', () => {
    expect(parseFilterQuery('timeout  error "a=b" x').filter).toEqual({ text: 'timeout error a=b x' });
    expect(parseFilterQuery('"say \\"hi\\""').filter).toEqual({ text: 'say "hi"' });
    expect(parseFilterQuery('url:http://x').filter).toEqual({ text: 'url:http://x' });
  });

  it('reports what it did not understand and keeps the rest', () => {
    const { filter, errors } = parseFilterQuery('status:broken type:nope,llm duration>fast latency>slow service:');
    expect(filter).toEqual({ spanTypes: ['llm'] });
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toMatch(/status.*broken/);
    expect(errors.join('\n')).toMatch(/unknown span type nope/);
  });

  it('treats an empty query as no filter', () => {
    const { filter, errors } = parseFilterQuery('   ');
    expect(errors).toEqual([]);
    expect(isEmptyFilter(filter)).toBe(true);
    expect(isEmptyFilter(parseFilterQuery('x').filter)).toBe(false);
  });
});

describe('parseDurationNs', () => {
  it('knows the units and defaults to milliseconds', () => {
    expect(parseDurationNs('250')).toBe(250_000_000);
    expect(parseDurationNs('3ns')).toBe(3);
    expect(parseDurationNs('2us')).toBe(2_000);
    expect(parseDurationNs('1m')).toBe(60_000_000_000);
    expect(parseDurationNs('1h')).toBe(3_600_000_000_000);
    expect(parseDurationNs('ms')).toBeNull();
    expect(parseDurationNs('-1s')).toBeNull();
  });
});

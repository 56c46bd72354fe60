// An ingest worker's staged columns (ingest-staged.ts stageRequest, JSON written as bytes) against
// the reference path that builds row objects and stages them (ingest.ts requestToRows, then
// store/staged-spans.ts stageRows): every column of every span and group must be the same, for
// the captured requests, a request with every kind of value and text, and mutated requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestToRows, requestVerdict } from '../../../electron/engine/ingest';
import { stageRequest } from '../../../electron/engine/ingest-staged';
import { decodeTraceBody } from '../../../electron/engine/otlp/decode-body';
import { KeyValueList, OtlpDecodeError, type DecodedSpan, type DecodedTraceRequest, type KeyValue } from '../../../electron/engine/otlp/types';
import { stagedRows, stagedValue, stageRows, type StagedColumn, type StagedSpans } from '../../../electron/engine/store/staged-spans';
import { mutate, prng } from '../../helpers/mutate';
import { decodedSpan } from '../../helpers/rows';

const FIXTURES = join(import.meta.dirname, '../../fixtures/otlp');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

const columnValues = (column: StagedColumn): unknown[] => Array.from({ length: stagedRows(column) }, (_, i) => stagedValue(column, i));

/** A staged part as plain values, column by column. */
function plain(staged: StagedSpans): unknown {
  return {
    count: staged.count,
    groupCount: staged.groupCount,
    traceIds: staged.traceIds,
    repeatFree: staged.repeatFree,
    spans: staged.spans.map((c) => ({ kind: c.kind, values: columnValues(c) })),
    groups: staged.groups.map((c) => ({ kind: c.kind, values: columnValues(c) })),
  };
}

/** Both paths for one decoded request; returns the spans staged. */
function expectSameStaging(request: DecodedTraceRequest, source = 'otlp-http'): number {
  const verdict = requestVerdict(request);
  const direct = stageRequest(request, verdict, source);
  const reference = stageRows(requestToRows(request, source, undefined, verdict).rows, true);
  expect(plain(direct)).toEqual(plain(reference));
  return direct.count;
}

const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');

function span(overrides: Partial<DecodedSpan>): DecodedSpan {
  return decodedSpan({
    traceId: hex(1, 16),
    spanId: hex(1, 8),
    name: 'op',
    kind: 1,
    startTimeUnixNano: 1_795_392_000_000_000_000n,
    endTimeUnixNano: 1_795_392_000_500_000_000n,
    ...overrides,
  });
}

/** Every kind of AnyValue, and text that needs escaping, is long, or is not ASCII. */
const EVERY_VALUE: KeyValue[] = [
  ['s', 'plain'],
  ['quote', 'say "hi"\\ now\n\t\u0001\u001f'],
  ['backslash', 'C:\\dir\\file'],
  ['long', 'x'.repeat(200) + '"' + 'y'.repeat(100)],
  ['unicode', 'naïve 日本語 🎉'],
  ['lone', 'a\ud800b'],
  ['ключ', 'значение'],
  ['k"ey', 1n],
  ['int', -(2n ** 63n)],
  ['big', 2n ** 62n + 1n],
  ['int0', 0n],
  ['double', 0.7],
  ['whole', 3],
  ['negzero', -0],
  ['huge', 1e21],
  ['tiny', 5e-324],
  ['nan', NaN],
  ['inf', Infinity],
  ['ninf', -Infinity],
  ['t', true],
  ['f', false],
  ['empty', null],
  ['bytes', new Uint8Array([0, 1, 254, 255])],
  ['array', ['a', 1n, 2.5, null, [NaN, new Uint8Array([9])], new KeyValueList([['in', Infinity]])]],
  ['kv', new KeyValueList([['a', 'b'], ['nested', new KeyValueList([['deep', new Uint8Array([1])]])], ['a', 'again']])],
  ['emptykv', new KeyValueList([])],
  ['emptyarray', []],
  ['x'.repeat(80), 'a key longer than the kept ones'],
];

function everyShapeRequest(): DecodedTraceRequest {
  const resource = { attributes: [['service.name', 'svc'], ['r.bytes', new Uint8Array([7])]] as KeyValue[], droppedAttributesCount: 0 };
  const otherResource = { attributes: [['service.name', 'svc'], ['r.bytes', new Uint8Array([7])]] as KeyValue[], droppedAttributesCount: 1 };
  const scope = { name: 'lib', version: '1.0', attributes: [['s.nan', NaN]] as KeyValue[], droppedAttributesCount: 0 };
  const spans: DecodedSpan[] = [
    span({ attributes: EVERY_VALUE, statusCode: 2, statusMessage: 'failed: "x"', traceState: 'a=b', flags: 257, kind: 3 }),
    span({
      spanId: hex(2, 8),
      parentSpanId: hex(1, 8),
      name: 'chat gpt-4o-mini',
      kind: 9, // beyond the enum: staged as unspecified
      statusCode: 7,
      attributes: [
        ['gen_ai.operation.name', 'chat'],
        ['gen_ai.system', 'openai'],
        ['gen_ai.request.model', 'gpt-4o-mini'],
        ['gen_ai.usage.input_tokens', 120n],
        ['gen_ai.usage.output_tokens', 30n],
        ['gen_ai.conversation.id', 'sess-1'],
        ['gen_ai.system', 'repeated: the last counts'],
      ],
      events: [
        { timeUnixNano: 1_795_392_000_100_000_000n, name: 'gen_ai.content.prompt', attributes: [['i', 0n], ['d', Infinity]], droppedAttributesCount: 2 },
        { timeUnixNano: 0n, name: 'epoch', attributes: [], droppedAttributesCount: 0 },
        { timeUnixNano: 999_999_999n, name: 'under a second', attributes: [['b', new Uint8Array([1, 2])]], droppedAttributesCount: 0 },
        { timeUnixNano: (1n << 63n) - 1n, name: 'latest', attributes: [], droppedAttributesCount: 0 },
      ],
      links: [
        { traceId: hex(9, 16), spanId: hex(9, 8), traceState: 'k=v', attributes: [['l', -1.5]], droppedAttributesCount: 3, flags: 1 },
        { traceId: 'abc', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 },
      ],
      droppedAttributesCount: 4,
      droppedEventsCount: 5,
      droppedLinksCount: 6,
    }),
    span({ spanId: hex(3, 8), parentSpanId: '0'.repeat(16), name: '', kind: -1 }),
    span({ spanId: 'abc' }), // rejected: a 1.5-byte span id
    span({ traceId: '0'.repeat(32), spanId: hex(4, 8) }), // rejected: an all-zero trace id
    span({ spanId: hex(5, 8), startTimeUnixNano: 2n, endTimeUnixNano: 1n }), // rejected: ends before it starts
    span({ traceId: hex(2, 16), spanId: hex(1, 8), name: 'a span id another trace has' }),
  ];
  return {
    resourceSpans: [
      {
        resource,
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        scopeSpans: [
          { scope, schemaUrl: '', spans: spans.slice(0, 4) },
          { scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: 's', spans: spans.slice(4) },
          { scope, schemaUrl: '', spans: [] },
        ],
      },
      // The same group's content again (a second resource alike), and a group whose spans are all rejected.
      { resource: otherResource, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', scopeSpans: [{ scope, schemaUrl: '', spans: [span({ spanId: hex(6, 8) })] }] },
      { resource: { attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [span({ spanId: 'x' })] }] },
    ],
  };
}

describe('stageRequest (a worker part written directly)', () => {
  it('stages the captured requests as the row path does', () => {
    for (const [name, encoding] of [
      ['genai-official-openai.pb', 'protobuf'],
      ['openinference-openai.pb', 'protobuf'],
      ['openinference-openai.json', 'json'],
    ] as const) {
      const staged = expectSameStaging(decodeTraceBody(fixture(name), encoding));
      expect(staged, name).toBeGreaterThan(0);
    }
  });

  it('stages every kind of value, text, group and rejected span as the row path does', () => {
    const request = everyShapeRequest();
    expect(expectSameStaging(request, 'a file.json')).toBe(5);
    const direct = stageRequest(request, requestVerdict(request), 'otlp-grpc');
    // What the comparison covers: NULLs, groups shared across resources, a span id two traces share.
    expect(direct.groupCount).toBe(2);
    expect(direct.repeatFree).toBe(false);
    const attributes = stagedValue(direct.spans[10]!, 0) as string;
    expect(JSON.parse(attributes)).toMatchObject({ backslash: 'C:\\dir\\file', quote: 'say "hi"\\ now\n\t\u0001\u001f', unicode: 'naïve 日本語 🎉', int: -(2 ** 63), nan: 'NaN' });
    expect(attributes).toContain('"lone":"a\\ud800b"');
    expect(attributes).toContain('"big":4611686018427387905');
    expect(attributes).toContain('"whole":3.0,"negzero":0.0,"huge":1e+21');
    expect(stagedValue(direct.spans[11]!, 0)).toBeNull(); // no events
    expect(stagedValue(direct.spans[11]!, 1)).toContain('"time":"1970-01-01T00:00:00.999999999Z","time_unix_nano":999999999');
  });

  it('stages mutated requests as the row path does, or refuses them both', () => {
    const random = prng(20261203);
    const seeds = [
      { body: fixture('genai-official-openai.pb'), encoding: 'protobuf' as const },
      { body: fixture('openinference-openai.pb'), encoding: 'protobuf' as const },
      { body: fixture('openinference-openai.json'), encoding: 'json' as const },
    ];
    let staged = 0;
    let refused = 0;
    for (let n = 0; n < 1500; n++) {
      const seed = seeds[n % seeds.length]!;
      let request: DecodedTraceRequest;
      try {
        request = decodeTraceBody(mutate(seed.body, random, seed.encoding === 'json'), seed.encoding);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
        refused++;
        continue;
      }
      staged += expectSameStaging(request);
    }
    // Both kinds of outcome happen often enough to count.
    expect(refused).toBeGreaterThan(100);
    expect(staged).toBeGreaterThan(1000);
  });
});

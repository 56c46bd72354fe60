// The JSON text of attributes and event times, which the store keeps and users query: repeated
// keys keep their last value (as OTLP maps do) at the last key's place, keys with quotes and
// control characters stay valid JSON however often they are seen, and event times are exact ISO
// text to the nanosecond.
import { describe, expect, it } from 'vitest';
import { doubleToJson, eventsToJson, JsonBytes, keyValuesToJson, nanosToIso, ValueTypes } from '../../../electron/engine/otlp/attributes-json';
import { KeyValueList, type KeyValue } from '../../../electron/engine/otlp/types';

describe('keyValuesToJson', () => {
  it('renders distinct keys in order with their OTLP types', () => {
    const kv: KeyValue[] = [
      ['s', 'text "quoted"'],
      ['i', 9007199254740993n],
      ['d', 2],
      ['b', true],
      ['n', null],
      ['list', [1n, 'x', new KeyValueList([['k', 0.5]])]],
    ];
    expect(keyValuesToJson(kv)).toBe('{"s":"text \\"quoted\\"","i":9007199254740993,"d":2.0,"b":true,"n":null,"list":[1,"x",{"k":0.5}]}');
  });

  it('writes every string and key as JSON.stringify does, as text and as UTF-8 bytes', () => {
    const strings = [
      'plain', '', 'back\\slash', 'a "quote"', 'new\nline', 'tab\t', '\u0000\u001f\u007f', 'ünïcödé', '日本', '🎉 emoji', 'lone \ud800 high',
      'lone \udc00 low', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(63) + '\\', 'y'.repeat(300) + 'é', 'z'.repeat(70) + '"',
    ];
    const bytes = new JsonBytes(8);
    for (const s of strings) {
      const expected = `{${JSON.stringify(s)}:${JSON.stringify(s)}}`;
      expect(keyValuesToJson([[s, s]]), s).toBe(expected);
      bytes.reset();
      bytes.keyValues([[s, s]]);
      expect(new TextDecoder().decode(bytes.bytes.subarray(0, bytes.at)), s).toBe(new TextDecoder().decode(new TextEncoder().encode(expected)));
    }
  });

  it('encodes long and non-ASCII text whatever room the buffer has', () => {
    for (const text of ['a'.repeat(100) + '日本' + '🎉'.repeat(50), 'é'.repeat(70), 'x'.repeat(65) + '\ud800', '🎉'.repeat(40)]) {
      const bytes = new JsonBytes(1);
      bytes.text(text);
      expect([...bytes.bytes.subarray(0, bytes.at)]).toEqual([...new TextEncoder().encode(text)]);
    }
  });

  it('writes doubles and int64s as their JSON literals', () => {
    for (const d of [0, -0, 1, -1, 0.5, 3, 1e20, 1e21, -1e21, 123456789012345680000, 5e-324, 1.7976931348623157e308, 2 ** 53, 0.1 + 0.2]) {
      const text = doubleToJson(d);
      expect(Number(text), String(d)).toBe(d === 0 ? 0 : d);
      expect(text, String(d)).toMatch(/[.eE]/);
      expect(text.replace(/\.0$/, ''), String(d)).toBe(String(d));
    }
    const ints = [0n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    expect(keyValuesToJson(ints.map((v, i) => [`i${i}`, v]))).toBe(`{${ints.map((v, i) => `"i${i}":${v.toString()}`).join(',')}}`);
  });

  it('keeps the last value of a repeated key, where that key last appears (short and long lists)', () => {
    expect(keyValuesToJson([['a', 1n], ['b', 2n], ['a', 3n], ['c', 4n]])).toBe('{"b":2,"a":3,"c":4}');
    const long: KeyValue[] = Array.from({ length: 40 }, (_, i) => [`k${i % 30}`, BigInt(i)] as KeyValue);
    const parsed = JSON.parse(keyValuesToJson(long)) as Record<string, number>;
    expect(Object.keys(parsed)).toEqual([...Array.from({ length: 20 }, (_, i) => `k${i + 10}`), ...Array.from({ length: 10 }, (_, i) => `k${i}`)]);
    expect(parsed.k0).toBe(30);
    expect(parsed.k29).toBe(29);
  });

  it('quotes every key correctly, also past the remembered-key bound', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `key "${i}"\n\u0001/${i}`);
    for (let round = 0; round < 2; round++) {
      const json = keyValuesToJson(keys.map((k, i) => [k, BigInt(i)] as KeyValue));
      const parsed = JSON.parse(json) as Record<string, number>;
      expect(Object.keys(parsed)).toEqual(keys);
    }
  });

  it('records value types at paths built from the quoted key', () => {
    const types = new ValueTypes();
    keyValuesToJson([['a"b', new Uint8Array([1, 2])], ['x', NaN]], types);
    expect(types.found).toEqual({ attributes: { '$."a\\"b"': 'bytes', '$."x"': 'double' } });
  });
});

describe('nanosToIso', () => {
  /** The straightforward rendering, for comparison. */
  const reference = (ns: bigint): string => {
    const ms = ns / 1_000_000n;
    const iso = new Date(Number(ms)).toISOString();
    return `${iso.slice(0, -1)}${(ns % 1_000_000n).toString().padStart(6, '0')}Z`;
  };

  it('gives all nine fractional digits, across second boundaries and with a cached second', () => {
    const samples = [0n, 1n, 999_999_999n, 1_000_000_000n, 1_795_392_000_000_000_001n, 1_795_392_000_999_999_999n, 1_795_392_001_000_000_000n, 9_223_372_036_854_775_807n];
    for (const ns of [...samples, ...samples.reverse()]) expect(nanosToIso(ns)).toBe(reference(ns));
    expect(nanosToIso(1_795_392_000_000_000_001n)).toBe('2026-11-23T00:00:00.000000001Z');
  });

  it('is used for every event time', () => {
    const json = eventsToJson([
      { timeUnixNano: 1_795_392_000_123_456_789n, name: 'a', attributes: [], droppedAttributesCount: 0 },
      { timeUnixNano: 1_795_392_000_123_456_790n, name: 'b', attributes: [['k', 'v']], droppedAttributesCount: 2 },
    ]);
    // time_unix_nano stays an exact integer literal in the text (JSON.parse would round it).
    expect(json).toContain('"time_unix_nano":1795392000123456789,');
    expect(json).toContain('"time_unix_nano":1795392000123456790,');
    const parsed = JSON.parse(json) as Record<string, unknown>[];
    expect(parsed.map(({ time_unix_nano: _, ...rest }) => rest)).toEqual([
      { time: '2026-11-23T00:00:00.123456789Z', name: 'a', attributes: {} },
      { time: '2026-11-23T00:00:00.123456790Z', name: 'b', attributes: { k: 'v' }, dropped_attributes_count: 2 },
    ]);
  });
});

// A JSON reader that keeps numbers exactly as written. Attribute payloads carry OTLP int64
// values beyond 2^53 and doubles such as `1.0`; JSON.parse would round the first and erase the
// difference between `1` and `1.0`. Used by the renderer to display attributes as sent.

export type JsonNode =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string; isInteger: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'object'; entries: [string, JsonNode][] };

export class JsonSyntaxError extends Error {}

export function parseJsonLossless(text: string): JsonNode {
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };
  const readString = (): string => {
    // Find the closing quote, then let JSON.parse handle escapes of that one literal.
    const start = pos;
    pos++;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x5c) pos += 2;
      else if (c === 0x22) {
        pos++;
        return JSON.parse(text.slice(start, pos)) as string;
      } else pos++;
    }
    return fail('unterminated string');
  };
  const readValue = (): JsonNode => {
    skipSpace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: [string, JsonNode][] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail('expected a key');
        const key = readString();
        skipSpace();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        entries.push([key, readValue()]);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries };
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(readValue());
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items };
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'string', value: readString() };
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { kind: 'bool', value: true };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { kind: 'bool', value: false };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { kind: 'null' };
    }
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!match) return fail('unexpected character');
    pos += match[0].length;
    return { kind: 'number', text: match[0], isInteger: !match[1] && !match[2] };
  };

  const node = readValue();
  skipSpace();
  if (pos !== text.length) fail('trailing characters');
  return node;
}

/**
 * Renders a node back to JSON text, numbers exactly as they were written; `pretty` indents by
 * two spaces a level.
 */
export function stringifyJsonNode(node: JsonNode, pretty = false, depth = 0): string {
  const pad = (d: number): string => (pretty ? `\n${'  '.repeat(d)}` : '');
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return JSON.stringify(node.value);
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[${node.items.map((i) => pad(depth + 1) + stringifyJsonNode(i, pretty, depth + 1)).join(',')}${pad(depth)}]`;
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{${node.entries
        .map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)}:${pretty ? ' ' : ''}${stringifyJsonNode(v, pretty, depth + 1)}`)
        .join(',')}${pad(depth)}}`;
  }
}

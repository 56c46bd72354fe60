// Attribute payloads (attributes, resource, events, links) arrive as JSON text; they are read
// with parseJsonLossless so int64 values beyond 2^53 and doubles such as 1.0 show as sent.
import { parseJsonLossless, stringifyJsonNode, type JsonNode } from '../../../shared/json';

const COMPACT_LIMIT = 60;

export type JsonEntries = [string, JsonNode][];

export function parseJsonSafe(text: string): JsonNode | null {
  try {
    return parseJsonLossless(text);
  } catch {
    return null;
  }
}

/** The value as a reader wants it: strings unquoted, numbers as written, structures indented. */
export function jsonValueText(node: JsonNode): string {
  switch (node.kind) {
    case 'string':
      return node.value;
    case 'array':
    case 'object': {
      // Short structures read best on one line (["a", 2]); longer ones indented.
      const compact = stringifyJsonNode(node);
      return compact.length <= COMPACT_LIMIT ? compact : stringifyJsonNode(node, true);
    }
    default:
      return stringifyJsonNode(node);
  }
}

/** The OTLP value type the stored JSON encodes (see electron/engine/otlp/attributes-json.ts). */
export function jsonValueType(node: JsonNode): string {
  switch (node.kind) {
    case 'number':
      return node.isInteger ? 'int' : 'double';
    case 'object':
      return 'map';
    case 'bool':
      return 'bool';
    case 'array':
      return 'array';
    case 'null':
      return 'empty';
    case 'string':
      return 'string';
  }
}

export function field(node: JsonNode, key: string): JsonNode | undefined {
  if (node.kind !== 'object') return undefined;
  for (const [k, v] of node.entries) if (k === key) return v;
  return undefined;
}

export function stringField(node: JsonNode, key: string): string | null {
  const value = field(node, key);
  if (value === undefined) return null;
  return value.kind === 'string' ? value.value : value.kind === 'number' ? value.text : null;
}

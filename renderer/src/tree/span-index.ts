// Span id -> index, as an open-addressing hash table in one Int32Array. A Map would do, but a Map
// of 100,000 strings costs ~50–100 ms to build and cannot be transferred from a worker (cloning
// it costs as much again on the receiving side); this table is built once, where the tree is
// built, and travels zero-copy beside the span ids it points into.
//
// Linear probing over a power-of-two table at most half full: a lookup touches ~1.5 slots.

/** What the views need of an id index (a Map<string, number> has the same shape). */
export interface SpanIdLookup {
  get(spanId: string): number | undefined;
}

/** FNV-1a over the UTF-16 code units: cheap, and spreads hex ids well. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** Slots for `n` ids: a power of two, at least 2n, so the table is never more than half full. */
function tableSize(n: number): number {
  let size = 2;
  while (size < 2 * n) size *= 2;
  return size;
}

export class SpanIdIndex implements SpanIdLookup {
  /**
   * @param spanIds the ids, by span index
   * @param table slots holding a span index, or -1 when empty (from `SpanIdIndex.build`)
   */
  constructor(
    readonly spanIds: readonly string[],
    readonly table: Int32Array,
  ) {}

  /** Indexes every id; a repeated id keeps its first occurrence. */
  static build(spanIds: readonly string[]): SpanIdIndex {
    const table = new Int32Array(tableSize(spanIds.length)).fill(-1);
    const mask = table.length - 1;
    for (let i = 0; i < spanIds.length; i++) {
      const id = spanIds[i]!;
      let slot = hashId(id) & mask;
      while (table[slot]! >= 0 && spanIds[table[slot]!] !== id) slot = (slot + 1) & mask;
      if (table[slot]! < 0) table[slot] = i;
    }
    return new SpanIdIndex(spanIds, table);
  }

  get(spanId: string): number | undefined {
    const { table, spanIds } = this;
    const mask = table.length - 1;
    for (let slot = hashId(spanId) & mask; ; slot = (slot + 1) & mask) {
      const i = table[slot]!;
      if (i < 0) return undefined;
      if (spanIds[i] === spanId) return i;
    }
  }
}

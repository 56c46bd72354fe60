// Fills DuckDB data chunks from column arrays through @duckdb/node-bindings, for the staging
// tables (span-staging.ts). @duckdb/node-api's DuckDBDataChunk.setColumns does the same through
// its vector classes, which copy each vector's memory out to JavaScript and back, cache every
// value, and keep the NULL mask as BigInts touched per value: on the engine thread that was
// ~10-12 µs a span of the ingest path, more than decoding the request. Here a number column is
// one typed array copied into its vector, a string costs the one call that assigns it, and the
// NULL mask is a byte array written once.
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

/** A column's values, as the staging shapes them (staged-spans.ts StagedValue). */
export type ColumnValues = readonly (string | number | bigint | null | undefined)[];

type TypedArray = Uint8Array | Uint32Array | BigInt64Array | Float64Array;

/** Writes rows [from, from + n) of `values` into `vector`; returns the NULL rows' mask, or null when none is NULL. */
type ColumnWriter = (vector: duckdb.Vector, values: ColumnValues, from: number, n: number) => Uint8Array | null;

/** A validity mask of `n` rows (DuckDB's: 64-bit words, bit i set = row i valid), all valid. */
const allValid = (n: number): Uint8Array => new Uint8Array(Math.ceil(n / 64) * 8).fill(0xff);

/** `mask` (all valid when null) with row `i` cleared. */
function clearValid(mask: Uint8Array | null, n: number, i: number): Uint8Array {
  const m = mask ?? allValid(n);
  m[i >> 3]! &= ~(1 << (i & 7));
  return m;
}

const strings: ColumnWriter = (vector, values, from, n) => {
  let mask: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[from + i];
    if (v === null || v === undefined) mask = clearValid(mask, n, i);
    else duckdb.vector_assign_string_element(vector, i, v as string);
  }
  return mask;
};

function numbers(make: (n: number) => TypedArray, convert: (v: number | bigint | string) => number | bigint): ColumnWriter {
  return (vector, values, from, n) => {
    const items = make(n);
    let mask: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const v = values[from + i];
      if (v === null || v === undefined) mask = clearValid(mask, n, i);
      else items[i] = convert(v) as never;
    }
    duckdb.copy_data_to_vector(vector, 0, items.buffer as ArrayBuffer, items.byteOffset, items.byteLength);
    return mask;
  };
}

const toNumber = (v: number | bigint | string): number => Number(v);
const toBigInt = (v: number | bigint | string): bigint => (typeof v === 'bigint' ? v : BigInt(v));

const WRITERS: Partial<Record<DuckDBTypeId, ColumnWriter>> = {
  [DuckDBTypeId.VARCHAR]: strings,
  [DuckDBTypeId.UTINYINT]: numbers((n) => new Uint8Array(n), toNumber),
  [DuckDBTypeId.UINTEGER]: numbers((n) => new Uint32Array(n), toNumber),
  [DuckDBTypeId.BIGINT]: numbers((n) => new BigInt64Array(n), toBigInt),
  [DuckDBTypeId.DOUBLE]: numbers((n) => new Float64Array(n), toNumber),
};

/** Rows per data chunk: DuckDB's vector size. */
export const CHUNK_ROWS = duckdb.vector_size();

/**
 * Chunks kept for reuse per layout. A chunk's native memory (a 2,048-row vector per column, ~0.9
 * MB for the span staging layout, whatever its row count) is freed only when V8 collects the
 * chunk, and V8 does not know it is there: under sustained ingest thousands of spent chunks,
 * gigabytes, waited for a collection. Spent chunks are reset and reused instead.
 */
const POOLED_CHUNKS = 64;

/** Builds data chunks of one column layout. */
export class ChunkFiller {
  private readonly writers: ColumnWriter[];
  /** Kept so that the native logical types outlive every chunk created from them. */
  private readonly logicalTypes: ReturnType<DuckDBType['toLogicalType']>[];
  private readonly pool: DuckDBDataChunk[] = [];

  constructor(types: readonly DuckDBType[]) {
    this.writers = types.map((type) => {
      const writer = WRITERS[type.typeId];
      if (!writer) throw new Error(`ChunkFiller cannot write ${type.toString()} columns`);
      return writer;
    });
    this.logicalTypes = types.map((type) => type.toLogicalType());
  }

  /** The rows of `columns` (one array per column, `count` values each) as chunks of at most CHUNK_ROWS rows. */
  fill(columns: readonly ColumnValues[], count: number): DuckDBDataChunk[] {
    if (columns.length !== this.writers.length) throw new Error(`expected ${this.writers.length} columns, got ${columns.length}`);
    const chunks: DuckDBDataChunk[] = [];
    for (let from = 0; from < count; from += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, count - from);
      const reused = this.pool.pop();
      const chunk = reused ? reused.chunk : duckdb.create_data_chunk(this.logicalTypes.map((t) => t.logical_type));
      duckdb.data_chunk_set_size(chunk, n);
      for (let c = 0; c < columns.length; c++) {
        const vector = duckdb.data_chunk_get_vector(chunk, c);
        // A reused chunk's mask is written whole, NULLs or not.
        const mask = this.writers[c]!(vector, columns[c]!, from, n) ?? (reused ? allValid(n) : null);
        if (mask) {
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer as ArrayBuffer, mask.byteOffset, mask.byteLength);
        }
      }
      chunks.push(reused ?? new DuckDBDataChunk(chunk));
    }
    return chunks;
  }

  /** Takes back chunks `fill` made once they are appended for good (they must not be used after). */
  release(chunks: readonly DuckDBDataChunk[]): void {
    for (const chunk of chunks) {
      if (this.pool.length >= POOLED_CHUNKS) return;
      duckdb.data_chunk_reset(chunk.chunk);
      this.pool.push(chunk);
    }
  }
}

// Fills DuckDB data chunks from staged columns (staged-spans.ts) through @duckdb/node-bindings,
// for the staging tables (span-staging.ts). @duckdb/node-api's DuckDBDataChunk.setColumns goes
// through its vector classes, which copy each vector's memory out to JavaScript and back, cache
// every value, and keep the NULL mask as BigInts touched per value: on the engine thread that
// was ~10-12 µs a span of the ingest path, more than decoding the request. Here a number column
// is one copy of its typed array into the vector, a string one call with its UTF-8 bytes (or the
// string itself, when staged on this thread), and the NULL mask one copy of the staged mask's part.
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { allValid, stagedRows, type StagedColumn } from './staged-spans';

/** The typed array (its constructor's name) each number column type is staged in. */
const NUMBER_ARRAYS: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.UTINYINT]: 'Uint8Array',
  [DuckDBTypeId.UINTEGER]: 'Uint32Array',
  [DuckDBTypeId.BIGINT]: 'BigInt64Array',
  [DuckDBTypeId.DOUBLE]: 'Float64Array',
};

/** Writes rows [from, from + n) of a staged column into `vector`. */
function writeColumn(vector: duckdb.Vector, column: StagedColumn, from: number, n: number): void {
  if (column.kind === 'number') {
    const width = column.values.BYTES_PER_ELEMENT;
    duckdb.copy_data_to_vector(vector, 0, column.values.buffer as ArrayBuffer, column.values.byteOffset + from * width, n * width);
    return;
  }
  if (column.kind === 'strings') {
    for (let i = 0; i < n; i++) {
      const v = column.values[from + i];
      if (v !== null && v !== undefined) duckdb.vector_assign_string_element(vector, i, v);
    }
    return;
  }
  const { bytes, ends, valid } = column;
  let start = from === 0 ? 0 : ends[from - 1]!;
  for (let i = 0; i < n; i++) {
    const row = from + i;
    const end = ends[row]!;
    if (!valid || valid[row >> 3]! & (1 << (row & 7))) duckdb.vector_assign_string_element_len(vector, i, bytes.subarray(start, end));
    start = end;
  }
}

/** Rows per data chunk: DuckDB's vector size (a multiple of 64, so a chunk's mask is whole bytes of the column's). */
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
  /** Per column: null for VARCHAR, else the typed array its staged values must be in. */
  private readonly arrays: (string | null)[];
  /** Kept so that the native logical types outlive every chunk created from them. */
  private readonly logicalTypes: ReturnType<DuckDBType['toLogicalType']>[];
  private readonly pool: DuckDBDataChunk[] = [];

  constructor(types: readonly DuckDBType[]) {
    this.arrays = types.map((type) => {
      if (type.typeId === DuckDBTypeId.VARCHAR) return null;
      const array = NUMBER_ARRAYS[type.typeId];
      if (!array) throw new Error(`ChunkFiller cannot write ${type.toString()} columns`);
      return array;
    });
    this.logicalTypes = types.map((type) => type.toLogicalType());
  }

  /** The rows of `columns` (one per column, `count` rows each) as chunks of at most CHUNK_ROWS rows. */
  fill(columns: readonly StagedColumn[], count: number): DuckDBDataChunk[] {
    if (columns.length !== this.arrays.length) throw new Error(`expected ${this.arrays.length} columns, got ${columns.length}`);
    columns.forEach((column, c) => this.check(column, c, count));
    const chunks: DuckDBDataChunk[] = [];
    for (let from = 0; from < count; from += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, count - from);
      const reused = this.pool.pop();
      const chunk = reused ? reused.chunk : duckdb.create_data_chunk(this.logicalTypes.map((t) => t.logical_type));
      duckdb.data_chunk_set_size(chunk, n);
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c]!;
        const vector = duckdb.data_chunk_get_vector(chunk, c);
        writeColumn(vector, column, from, n);
        // A reused chunk's mask is written whole, NULLs or not.
        const mask = column.valid ? column.valid.subarray(from >> 3, (from >> 3) + Math.ceil(n / 64) * 8) : reused ? allValid(n) : null;
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

  /** A column staged in another shape than its table column's would write garbage: refuse it. */
  private check(column: StagedColumn, c: number, count: number): void {
    const array = this.arrays[c]!;
    const rows = stagedRows(column);
    const shape = column.kind === 'number' ? column.values.constructor.name : null;
    if (rows < count || shape !== array) {
      throw new Error(`staged column ${c} is ${shape ?? 'text'} of ${rows} rows, expected ${array ?? 'text'} of ${count}`);
    }
    if (column.valid && column.valid.length < Math.ceil(count / 64) * 8) throw new Error(`staged column ${c} has a short validity mask`);
  }
}

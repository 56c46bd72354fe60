// A minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/),
// written for the OTLP decoders: no schema objects, no intermediate objects, strict bounds.
//
// One ProtoReader walks one body. A length-delimited field is entered with `enter()`, which
// narrows `end` to the field's bytes and returns the outer end for `leave()`; every read checks
// against the current `end`, so a field can never read past its enclosing message. Anything
// malformed throws OtlpDecodeError: truncation, a varint longer than 10 bytes or overflowing
// 64 bits, a length beyond the enclosing message, field number 0, wire types 6 and 7, a stray
// end-group, invalid UTF-8 in a string, nesting deeper than MAX_DEPTH.
import { Buffer } from 'node:buffer';
import { OtlpDecodeError } from './types';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** Deepest nesting of messages and groups accepted (OTLP itself needs ~6 plus AnyValue nesting). */
export const MAX_DEPTH = 128;

const WIRE_NAMES = ['varint', 'i64', 'len', 'sgroup', 'egroup', 'i32', 'invalid(6)', 'invalid(7)'];

/**
 * Proto3 `string` fields must hold valid UTF-8 (the protobuf language guide; protobuf-go and the
 * C++ parser reject anything else). We do the same: invalid UTF-8 throws OtlpDecodeError, which
 * the receiver answers with 400. ASCII, by far the common case for keys and names, is checked
 * in JavaScript and sliced natively, short strings through a small intern cache.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** ASCII strings up to this many bytes are interned in `stringCache`. */
const CACHED_STRING_MAX = 40;
const CACHE_MASK = 4095;
/** Longer ASCII strings up to this many bytes are checked in JavaScript; beyond, TextDecoder. */
const LOOP_STRING_MAX = 128;
/** A direct-mapped cache of recently decoded short ASCII strings, shared by all readers. */
const stringCache: string[] = new Array<string>(CACHE_MASK + 1).fill('');

/**
 * Buffer's own slicing methods, behind `toString(encoding, start, end)`: present in every Node
 * version (Buffer.prototype), not in @types/node. Called directly they skip toString's argument
 * handling, measurably faster for the many short strings of a request; checked at load below.
 */
interface SlicingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}
const probe = Buffer.from([0x41, 0xff]) as SlicingBuffer;
if (typeof probe.latin1Slice !== 'function' || probe.latin1Slice(0, 1) !== 'A' || probe.hexSlice(0, 2) !== '41ff') {
  throw new Error('protobuf.ts: Buffer.prototype.latin1Slice/hexSlice are missing from this Node version');
}

export class ProtoReader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  /** The same bytes as a Buffer, for its native latin1 and hex slicing (no copy). */
  private readonly nodeBuf: SlicingBuffer;
  /** Offset of the next byte to read. */
  pos = 0;
  /** End (exclusive) of the message being read. */
  end: number;
  /** Message nesting depth, bounded by MAX_DEPTH. */
  private depth = 0;
  /** Low and high 32 bits (unsigned) of the last varint64() read. */
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) as SlicingBuffer;
    this.end = buf.length;
  }

  /** Throws OtlpDecodeError, with the byte offset. */
  fail(message: string, at: number = this.pos): never {
    throw new OtlpDecodeError(`${message} (at byte ${at})`);
  }

  private truncated(): never {
    this.fail('truncated message');
  }

  /** True while the current message has bytes left. */
  more(): boolean {
    return this.pos < this.end;
  }

  /**
   * Reads a field tag: `fieldNumber << 3 | wireType`, as an unsigned 32-bit number. Rejects
   * field number 0, wire types 6 and 7, and tags wider than 32 bits.
   */
  tag(): number {
    const buf = this.buf;
    const pos = this.pos;
    if (pos < this.end) {
      const b = buf[pos]!;
      // One-byte tags (fields 1–15) are the common case.
      if (b < 0x80) {
        if (b < 8 || (b & 7) > 5) this.badTag(b, pos);
        this.pos = pos + 1;
        return b;
      }
    }
    const start = pos;
    this.varint64();
    if (this.hi !== 0) this.fail('field tag wider than 32 bits', start);
    const tag = this.lo;
    if (tag < 8 || (tag & 7) > 5) this.badTag(tag, start);
    return tag;
  }

  private badTag(tag: number, at: number): never {
    if (tag >>> 3 === 0) this.fail('field number 0', at);
    this.fail(`invalid wire type ${tag & 7} for field ${tag >>> 3}`, at);
  }

  /**
   * Reads a varint of up to 10 bytes into `lo`/`hi` (its low and high 32 bits, unsigned).
   * Rejects varints longer than 10 bytes and 10-byte varints that overflow 64 bits.
   */
  varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let b: number;
    // Bytes 0–3: bits 0–27.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.truncated();
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    // Byte 4: bits 28–31 into lo, 32–34 into hi.
    if (pos >= end) this.truncated();
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >>> 4;
    if (b >= 0x80) {
      // Bytes 5–8: bits 35–62.
      let done = false;
      for (let shift = 3; shift < 31; shift += 7) {
        if (pos >= end) this.truncated();
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) {
          done = true;
          break;
        }
      }
      if (!done) {
        // Byte 9: bit 63 only.
        if (pos >= end) this.truncated();
        b = buf[pos++]!;
        if (b >= 0x80) this.fail('varint longer than 10 bytes', pos - 1);
        if (b > 1) this.fail('varint overflows 64 bits', pos - 1);
        hi |= b << 31;
      }
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A varint field of type uint32 (protobuf keeps the low 32 bits of a wider value). */
  uint32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    return this.lo;
  }

  /** A varint field of type int32 or an enum (negative values are sent as 10-byte varints). */
  int32(): number {
    return this.uint32() | 0;
  }

  bool(): boolean {
    this.varint64();
    return (this.lo | this.hi) !== 0;
  }

  /** A varint field of type int64, as a signed bigint (two's complement). */
  int64(): bigint {
    this.varint64();
    const hi = this.hi | 0;
    const lo = this.lo;
    // |value| < 2^53: exact as a double, and BigInt(number) is the cheap conversion.
    if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * 4294967296 + lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A varint field of type uint64, as a bigint. */
  uint64(): bigint {
    this.varint64();
    const hi = this.hi;
    const lo = this.lo;
    if (hi < 0x200000) return BigInt(hi * 4294967296 + lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  fixed32(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) this.truncated();
    this.pos = pos + 4;
    return this.view.getUint32(pos, true);
  }

  /** A fixed64 field (unsigned), as a bigint. */
  fixed64(): bigint {
    const pos = this.pos;
    if (pos + 8 > this.end) this.truncated();
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) this.truncated();
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix; returns the end offset of the field's bytes (checked). */
  private lengthEnd(): number {
    const pos = this.pos;
    let len: number;
    if (pos < this.end && this.buf[pos]! < 0x80) {
      len = this.buf[pos]!;
      this.pos = pos + 1;
    } else {
      this.varint64();
      if (this.hi !== 0) this.fail('length beyond the end of the message', pos);
      len = this.lo;
    }
    const fieldEnd = this.pos + len;
    if (fieldEnd > this.end) this.fail(`length ${len} beyond the end of the message`, pos);
    return fieldEnd;
  }

  /**
   * Enters a length-delimited embedded message: narrows `end` to it and returns the outer end,
   * to be passed to `leave()` once the message has been read.
   */
  enter(): number {
    const fieldEnd = this.lengthEnd();
    if (++this.depth > MAX_DEPTH) this.fail(`messages nested deeper than ${MAX_DEPTH}`);
    const outer = this.end;
    this.end = fieldEnd;
    return outer;
  }

  leave(outer: number): void {
    // The readers loop while more(), and every read is bounded by `end`: pos === end here.
    this.depth--;
    this.end = outer;
  }

  /** A `string` field (UTF-8, validated). */
  string(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    if (start === end) return '';
    const buf = this.buf;
    const len = end - start;
    if (len <= CACHED_STRING_MAX) {
      // Short ASCII strings (attribute keys, names, models) repeat: look them up by a hash
      // computed while checking for ASCII, so a repeat costs no allocation and no native call.
      let hash = len;
      let i = start;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c >= 0x80) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      if (i === end) {
        const slot = (hash ^ (hash >>> 15)) & CACHE_MASK;
        const cached = stringCache[slot]!;
        if (cached.length === len) {
          let k = 0;
          while (k < len && cached.charCodeAt(k) === buf[start + k]) k++;
          if (k === len) return cached;
        }
        const fresh = this.nodeBuf.latin1Slice(start, end);
        stringCache[slot] = fresh;
        return fresh;
      }
    } else if (len <= LOOP_STRING_MAX) {
      let i = start;
      while (i < end && buf[i]! < 0x80) i++;
      if (i === end) return this.nodeBuf.latin1Slice(start, end);
    }
    // Long strings (prompts, payloads) and non-ASCII ones: the native decoder validates faster.
    try {
      return utf8.decode(buf.subarray(start, end));
    } catch {
      this.fail('string field is not valid UTF-8', start);
    }
  }

  /** A `bytes` field, copied (the result does not keep the body alive). */
  bytes(): Uint8Array {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return this.buf.slice(start, end);
  }

  /** A `bytes` field, as lowercase hex. */
  hex(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return this.nodeBuf.hexSlice(start, end);
  }

  /**
   * Skips the value of a field whose tag was just read. `known` is a bit mask of the field
   * numbers (below 32) the current message defines: one of those arriving with a wire type
   * other than its own is an error rather than an unknown field to skip.
   */
  skip(tag: number, known: number, message: string): void {
    const field = tag >>> 3;
    if (field < 32 && (known & (1 << field)) !== 0) {
      this.fail(`${message} field ${field} has the wrong wire type (${WIRE_NAMES[tag & 7]})`);
    }
    this.skipValue(tag);
  }

  private skipValue(tag: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        if (this.pos + 8 > this.end) this.truncated();
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        if (this.pos + 4 > this.end) this.truncated();
        this.pos += 4;
        return;
      case WIRE_SGROUP: {
        // Proto2 groups: skip fields up to the matching end-group tag.
        if (++this.depth > MAX_DEPTH) this.fail(`groups nested deeper than ${MAX_DEPTH}`);
        const field = tag >>> 3;
        for (;;) {
          if (this.pos >= this.end) this.fail(`unterminated group (field ${field})`);
          const inner = this.tag();
          if ((inner & 7) === WIRE_EGROUP) {
            if (inner >>> 3 !== field) this.fail(`end-group for field ${inner >>> 3} inside group ${field}`);
            break;
          }
          this.skipValue(inner);
        }
        this.depth--;
        return;
      }
      default:
        if ((tag & 7) === WIRE_EGROUP) this.fail(`unexpected end-group tag (field ${tag >>> 3})`);
        this.fail(`invalid wire type ${tag & 7}`);
    }
  }
}

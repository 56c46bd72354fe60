// OTLP responses, in the encoding of the request: ExportTraceServiceResponse (with
// partial_success when some spans were rejected) and google.rpc.Status for errors.
// Field numbers: opentelemetry-proto collector/trace/v1/trace_service.proto and
// googleapis google/rpc/status.proto.

export type OtlpEncoding = 'protobuf' | 'json';

/** google.rpc.Code values used by OTLP. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

const textEncoder = new TextEncoder();

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // int64 two's complement
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array | number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}

function varintField(field: number, value: number | bigint): number[] {
  return [...varint(field << 3), ...varint(value)];
}

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

export function encodeExportResponse(encoding: OtlpEncoding, partial: PartialSuccess | null, rejectedField = 'rejectedSpans'): Uint8Array {
  if (encoding === 'json') {
    const body = partial
      ? { partialSuccess: { [rejectedField]: String(partial.rejected), errorMessage: partial.errorMessage } }
      : {};
    return textEncoder.encode(JSON.stringify(body));
  }
  if (!partial) return new Uint8Array(0);
  const inner = [...varintField(1, partial.rejected), ...lengthDelimited(2, textEncoder.encode(partial.errorMessage))];
  return Uint8Array.from(lengthDelimited(1, inner));
}

export function encodeStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return textEncoder.encode(JSON.stringify({ code, message }));
  return Uint8Array.from([...varintField(1, code), ...lengthDelimited(2, textEncoder.encode(message))]);
}

export function contentTypeFor(encoding: OtlpEncoding): string {
  return encoding === 'json' ? 'application/json' : 'application/x-protobuf';
}

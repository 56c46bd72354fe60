// One OTLP request body (decompressed) to a decoded request, by its encoding: what the receivers,
// the ingest workers and the journal's replay all do with the bytes they hold. Throws
// OtlpDecodeError for anything that is not a valid request; the receivers answer that with 400 /
// INVALID_ARGUMENT.
import { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json';
import { decodeLogsRequestProto, decodeTraceRequestProto } from './decode-proto';
import type { OtlpEncoding } from './responses';
import { OtlpDecodeError, type DecodedLogsRequest, type DecodedTraceRequest } from './types';

/** OTLP/JSON is UTF-8; invalid bytes are refused, not silently replaced by U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody<T>(body: Uint8Array, encoding: OtlpEncoding, proto: (b: Uint8Array) => T, json: (t: string) => T): T {
  try {
    if (encoding === 'protobuf') return proto(body);
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      throw new OtlpDecodeError('the body is not valid UTF-8');
    }
    return json(text);
  } catch (error) {
    // The decoders throw OtlpDecodeError for what they check; anything else they hit (a RangeError
    // reading past the end, say) is malformed input too.
    throw error instanceof OtlpDecodeError ? error : new OtlpDecodeError((error as Error).message);
  }
}

export function decodeTraceBody(body: Uint8Array, encoding: OtlpEncoding): DecodedTraceRequest {
  return decodeBody(body, encoding, decodeTraceRequestProto, decodeTraceRequestJson);
}

export function decodeLogsBody(body: Uint8Array, encoding: OtlpEncoding): DecodedLogsRequest {
  return decodeBody(body, encoding, decodeLogsRequestProto, decodeLogsRequestJson);
}

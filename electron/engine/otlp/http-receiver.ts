// OTLP/HTTP receiver (OTLP specification, "OTLP/HTTP"): POST /v1/traces and /v1/logs with a
// protobuf or JSON Export*ServiceRequest, optionally gzip- or deflate-compressed; POST
// /v1/metrics is answered with success and counted, not stored. Answers with the
// OTLP status codes: 200 (with partial_success when spans were rejected), 400 with a
// google.rpc.Status for malformed data, 404/405, 413 over the body limit, 415 for unknown
// media types or encodings, 503 with Retry-After when the store cannot take the write.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw } from 'node:zlib';
import type { Engine } from '../api';
import { closeServer, formatHost, listen } from '../http';
import { QueueFullError } from '../store';
import { contentTypeFor, encodeExportResponse, encodeStatus, RpcCode, type OtlpEncoding } from './responses';
import { OtlpDecodeError } from './types';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);

/** The default limit on a request body after decompression. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface OtlpHttpOptions {
  engine: Engine;
  host: string;
  port: number;
  maxBodyBytes?: number;
  /** Browser origins allowed to POST (CORS). Default: http(s)://localhost and 127.0.0.1 on any port. */
  isOriginAllowed?: (origin: string) => boolean;
}

export interface RunningReceiver {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly rpcCode: number = RpcCode.INVALID_ARGUMENT,
  ) {
    super(message);
  }
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function isLocalOrigin(origin: string): boolean {
  return LOCAL_ORIGIN.test(origin);
}

function mediaType(req: IncomingMessage): OtlpEncoding | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `Request body of ${declared} bytes exceeds the limit of ${limit} bytes.`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `Request body exceeds the limit of ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

async function decompress(body: Buffer, encoding: string, limit: number): Promise<Buffer> {
  const options = { maxOutputLength: limit };
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return body;
      case 'gzip':
      case 'x-gzip':
        return await gunzipAsync(body, options);
      case 'deflate':
        // RFC 9110's "deflate" is zlib-wrapped, but some clients send raw deflate.
        return await inflateAsync(body, options).catch(() => inflateRawAsync(body, options));
      default:
        throw new HttpError(415, `Unsupported Content-Encoding "${encoding}" (use gzip, deflate or none).`);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new HttpError(413, `Decompressed body exceeds the limit of ${limit} bytes.`);
    }
    throw new HttpError(400, `Body is not valid ${encoding} data: ${(error as Error).message}`);
  }
}

type Signal = 'traces' | 'logs' | 'metrics';

const SIGNAL_PATHS: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };

/** Seconds an exporter should wait when the write queue is full (Retry-After). */
export const RETRY_AFTER_SECONDS = 1;

/** The request's error as the exporter gets it: 400 for a malformed body, else the store's refusal. */
function ingestError(error: unknown, engine: Engine, encoding: OtlpEncoding): HttpError {
  if (error instanceof OtlpDecodeError) return new HttpError(400, `Malformed OTLP ${encoding} request: ${error.message}`);
  if (error instanceof QueueFullError) engine.countRefusedRequest();
  return new HttpError(503, `The store could not take the write: ${(error as Error).message}`, RpcCode.UNAVAILABLE);
}

export async function startOtlpHttpReceiver(options: OtlpHttpOptions): Promise<RunningReceiver> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const originAllowed = options.isOriginAllowed ?? isLocalOrigin;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (origin && originAllowed(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'OPTIONS') {
      if (origin && originAllowed(origin)) {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding');
        res.setHeader('Access-Control-Max-Age', '600');
        res.writeHead(204).end();
      } else {
        res.writeHead(403).end();
      }
      return;
    }
    let encoding: OtlpEncoding = 'protobuf';
    try {
      const signal = SIGNAL_PATHS[path ?? ''];
      if (!signal) {
        throw new HttpError(404, `Unknown path ${path}; OTLP goes to POST /v1/traces, /v1/logs or /v1/metrics.`, RpcCode.UNIMPLEMENTED);
      }
      if (req.method !== 'POST') throw new HttpError(405, 'Use POST.', RpcCode.UNIMPLEMENTED);
      if (origin && !originAllowed(origin)) throw new HttpError(403, `Origin ${origin} is not allowed.`);
      const type = mediaType(req);
      if (!type) {
        throw new HttpError(415, `Unsupported Content-Type "${req.headers['content-type'] ?? ''}"; use application/x-protobuf or application/json.`);
      }
      encoding = type;
      const raw = await readBody(req, limit);
      const body = await decompress(raw, String(req.headers['content-encoding'] ?? '').trim().toLowerCase(), limit);
      if (signal === 'metrics') {
        // Metrics are not stored: the body is read within the limit, not decoded.
        options.engine.countMetricsRequest();
        res.writeHead(200, { 'Content-Type': contentTypeFor(encoding) });
        res.end(encodeExportResponse(encoding, null));
        return;
      }
      let result;
      try {
        result =
          signal === 'traces'
            ? await options.engine.ingestTraceBody(body, encoding, 'otlp-http')
            : await options.engine.ingestLogsBody(body, encoding, 'otlp-http');
      } catch (error) {
        throw ingestError(error, options.engine, encoding);
      }
      const partial = result.rejected > 0 ? { rejected: result.rejected, errorMessage: result.errorMessage } : null;
      res.writeHead(200, { 'Content-Type': contentTypeFor(encoding) });
      res.end(encodeExportResponse(encoding, partial, signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords'));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const rpc = error instanceof HttpError ? error.rpcCode : RpcCode.INTERNAL;
      const message = error instanceof Error ? error.message : String(error);
      const headers: Record<string, string> = { 'Content-Type': contentTypeFor(encoding) };
      if (status === 503 || status === 429) headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
      if (status === 413) headers.Connection = 'close';
      if (!res.headersSent) res.writeHead(status, headers);
      res.end(encodeStatus(encoding, rpc, message));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await listen(server, options.host, options.port, 'OTLP HTTP');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${formatHost(options.host)}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

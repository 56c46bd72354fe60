// OTLP/gRPC receiver (OTLP specification, "OTLP/gRPC") on @grpc/grpc-js: TraceService/Export,
// LogsService/Export and MetricsService/Export, unary, with gzip (grpc-js inflates messages
// sent with `grpc-encoding: gzip` itself). The service definitions are written here by hand:
// the method paths are those of opentelemetry-proto's collector/*/v1/*_service.proto, and the
// messages go through Tracedeck's own decoders, so no .proto file is loaded.
//
// Status codes (OTLP/gRPC "Failures"): INVALID_ARGUMENT for malformed data (not retryable);
// UNAVAILABLE when the write queue is full or the store cannot take the write (retryable, with
// a RetryInfo-like delay in the message); partial_success for records rejected one by one.
// Metrics are answered with success and counted, not decoded or stored.
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Engine } from '../api';
import { formatHost, PortInUseError } from '../http';
import { QueueFullError } from '../store';
import { DEFAULT_MAX_BODY_BYTES, RETRY_AFTER_SECONDS, type RunningReceiver } from './http-receiver';
import { encodeExportResponse } from './responses';
import { OtlpDecodeError } from './types';

export interface OtlpGrpcOptions {
  engine: Engine;
  host: string;
  port: number;
  /** Largest message accepted, after decompression (default 64 MiB, as OTLP/HTTP). */
  maxMessageBytes?: number;
}

const toBuffer = (value: Uint8Array): Buffer => Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/**
 * A method whose messages reach the handler as their bytes: the handler decodes them (on an
 * ingest worker for traces), so a malformed message becomes INVALID_ARGUMENT there, and the
 * bytes are what the ingest journal keeps.
 */
function unaryMethod(path: string) {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer): Buffer => value,
    requestDeserialize: (value: Buffer): Buffer => value,
    responseSerialize: toBuffer,
    responseDeserialize: (value: Buffer): Buffer => value,
  };
}

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
export const METRICS_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

const traceService = { Export: unaryMethod(TRACE_EXPORT_PATH) } as unknown as ServiceDefinition;
const logsService = { Export: unaryMethod(LOGS_EXPORT_PATH) } as unknown as ServiceDefinition;
// Metrics are not stored, so their bytes are not decoded either.
const metricsService = { Export: unaryMethod(METRICS_EXPORT_PATH) } as unknown as ServiceDefinition;

function ingestFailure(engine: Engine, error: unknown): { code: GrpcStatus; details: string } {
  if (error instanceof OtlpDecodeError) return { code: GrpcStatus.INVALID_ARGUMENT, details: `Malformed OTLP protobuf request: ${error.message}` };
  if (error instanceof QueueFullError) {
    engine.countRefusedRequest();
    return { code: GrpcStatus.UNAVAILABLE, details: `${error.message} Retry after ${RETRY_AFTER_SECONDS}s.` };
  }
  return { code: GrpcStatus.UNAVAILABLE, details: `The store could not take the write: ${(error as Error).message}` };
}

export async function startOtlpGrpcReceiver(options: OtlpGrpcOptions): Promise<RunningReceiver> {
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { engine } = options;
  const server = new Server({
    'grpc.max_receive_message_length': limit,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });

  const exportHandler =
    (ingest: (body: Buffer) => Promise<{ rejected: number; errorMessage: string }>, rejectedField: string) =>
    (call: ServerUnaryCall<Buffer, Uint8Array>, callback: sendUnaryData<Uint8Array>): void => {
      ingest(call.request).then(
        (result) => {
          const partial = result.rejected > 0 ? { rejected: result.rejected, errorMessage: result.errorMessage } : null;
          callback(null, encodeExportResponse('protobuf', partial, rejectedField));
        },
        (error: unknown) => callback(ingestFailure(engine, error)),
      );
    };

  server.addService(traceService, {
    Export: exportHandler((body) => engine.ingestTraceBody(body, 'protobuf', 'otlp-grpc'), 'rejectedSpans'),
  } as UntypedServiceImplementation);
  server.addService(logsService, {
    Export: exportHandler((body) => engine.ingestLogsBody(body, 'protobuf', 'otlp-grpc'), 'rejectedLogRecords'),
  } as UntypedServiceImplementation);
  server.addService(metricsService, {
    Export: (_call: ServerUnaryCall<Buffer, Uint8Array>, callback: sendUnaryData<Uint8Array>) => {
      engine.countMetricsRequest();
      callback(null, new Uint8Array(0));
    },
  } as UntypedServiceImplementation);

  const address = `${formatHost(options.host)}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) => {
      if (!error) {
        resolve(bound);
        return;
      }
      if (/EADDRINUSE|address already in use/i.test(error.message)) {
        reject(
          new PortInUseError(
            `OTLP gRPC: port ${options.port} on ${options.host} is already in use (another Tracedeck, a collector or another viewer?). ` +
              'Stop it, or choose another port (0 picks any free port).',
          ),
        );
      } else reject(new Error(`OTLP gRPC: cannot listen on ${address}: ${error.message}`));
    });
  });
  return {
    url: `http://${formatHost(options.host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Finish calls in flight (their spans are being committed), then stop; force after 2 s.
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

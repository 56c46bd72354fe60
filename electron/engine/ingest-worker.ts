// An ingest worker thread (ingest-pool.ts starts them): decodes OTLP trace request bodies and
// builds their spans in staging form, so the engine thread only appends and writes them. Built as
// out/main/ingest-worker.js; run from source under tsx in tests and benchmarks.
import { parentPort, workerData } from 'node:worker_threads';
import { traceBodyToStaged } from './ingest';
import type { IngestJob, IngestReply, IngestWorkerData } from './ingest-pool';
import { OtlpDecodeError } from './otlp/types';
import { stagedBuffers } from './store/staged-spans';
import { loadPriceTable } from './semconv/prices';

const data = workerData as IngestWorkerData;
const prices = data.prices ? loadPriceTable(data.prices) : undefined;
const port = parentPort!;

port.on('message', (job: IngestJob) => {
  let reply: IngestReply;
  try {
    // The verdict first (what the request's answer needs), then the rows.
    const result = traceBodyToStaged(job.body, job.encoding, job.source, prices, true, (verdict) => port.postMessage({ id: job.id, verdict }));
    reply = { id: job.id, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = error instanceof OtlpDecodeError ? { id: job.id, malformed: message } : { id: job.id, failed: message };
  }
  // The staged columns' buffers are handed over, not copied (staged-spans.ts).
  port.postMessage(reply, 'result' in reply ? stagedBuffers(reply.result.staged) : []);
});

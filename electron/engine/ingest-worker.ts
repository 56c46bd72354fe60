// An ingest worker thread (ingest-pool.ts starts them): decodes OTLP trace request bodies and
// builds their spans in staging form, so the engine thread only appends and writes them. Built as
// out/main/ingest-worker.js; run from source under tsx in tests and benchmarks.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { traceBodyToStaged } from './ingest';
import type { IngestJob, IngestReply, IngestWorkerData } from './ingest-pool';
import { OtlpDecodeError } from './otlp/types';
import { stagedBuffers } from './store/staged-spans';
import { loadPriceTable } from './semconv/prices';

const data = workerData as IngestWorkerData;
const prices = data.prices ? loadPriceTable(data.prices) : undefined;
const port = parentPort!;

/**
 * Lowers this thread's priority alone (ingest-pool.ts ingestWorkerNice says why). Linux only:
 * there a thread has its own id in the process's namespace, which /proc/thread-self names
 * ("<pid>/task/<tid>"), and setpriority of that id changes that thread only. Elsewhere (and if
 * /proc is not mounted) the worker keeps the engine's priority.
 */
function lowerPriority(nice: number): void {
  if (process.platform !== 'linux' || nice <= 0) return;
  try {
    const [pid, task, tid] = readlinkSync('/proc/thread-self').split('/');
    if (Number(pid) !== process.pid || task !== 'task' || !tid) return;
    // getPriority() is this thread's own (inherited from the engine thread that started it).
    setPriority(Number(tid), Math.min(19, getPriority() + nice));
  } catch {
    // left at the engine's priority
  }
}
lowerPriority(data.nice);

port.on('message', (job: IngestJob) => {
  let reply: IngestReply;
  try {
    reply = { id: job.id, result: traceBodyToStaged(job.body, job.encoding, job.source, prices, true) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = error instanceof OtlpDecodeError ? { id: job.id, malformed: message } : { id: job.id, failed: message };
  }
  // The staged columns' buffers are handed over, not copied (staged-spans.ts).
  port.postMessage(reply, 'result' in reply ? stagedBuffers(reply.result.staged) : []);
});

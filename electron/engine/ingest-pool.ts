// Worker threads that decode OTLP trace requests and build their store rows (ingest-worker.ts).
//
// Decoding and row building are most of the JavaScript an ingested span costs (~15 µs of the
// ~25 µs the engine thread spent on each), and the engine thread also stages the rows and runs
// every query: with them on a worker, the engine thread takes a request's spans as staging
// columns (store/staged-spans.ts; binary buffers, transferred rather than copied) and writes them
// while the next requests decode in parallel.
//
// A worker that dies (an uncaught error, out of memory) fails only the requests it held: the
// engine decodes those on its own thread, and the pool starts a new worker for the next request,
// giving up (everything on the engine thread) after a few deaths.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IngestVerdict, StagedIngestResult } from './ingest';
import type { OtlpEncoding } from './otlp/responses';
import { OtlpDecodeError } from './otlp/types';
import type { PriceTable } from './semconv/prices';

export interface IngestJob {
  id: number;
  encoding: OtlpEncoding;
  body: Uint8Array;
  source: string;
}

export type IngestReply =
  | { id: number; verdict: IngestVerdict }
  | { id: number; result: StagedIngestResult }
  | { id: number; malformed: string }
  | { id: number; failed: string };

/** A request handed to a worker: its verdict comes first, its staged rows after. */
export interface StagingTrace {
  /** Resolves once the request is decoded and its spans checked; rejects as `staged` does when it fails before. */
  verdict: Promise<IngestVerdict>;
  staged: Promise<StagedIngestResult>;
}

export interface IngestWorkerData {
  /** The engine's price table as loadPriceTable reads it (its matchers are rebuilt there). */
  prices: Pick<PriceTable, 'taken' | 'source' | 'models'> | null;
}

/** A request a worker held when it died: the caller decodes it itself. */
export class IngestWorkerLost extends Error {
  override name = 'IngestWorkerLost';
}

/** Workers to start by default: the cores besides the engine thread's, at least 1, at most 4. */
export function defaultIngestWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Worker deaths after which the pool stops starting workers. */
const MAX_DEATHS = 3;

interface Pending {
  resolve: (result: StagedIngestResult) => void;
  reject: (error: Error) => void;
  verdict: (verdict: IngestVerdict) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Where the worker's code is: the built ingest-worker.js beside this module's bundle (an entry
 * of electron.config.ts; this module may be in out/main or out/main/chunks), or, running from
 * source (tests, benchmarks, under tsx or vitest), the TypeScript file loaded through tsx.
 */
function workerScript(): { script: string; eval: boolean } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const source = new URL('./ingest-worker.ts', here).href;
    return { script: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, eval: true };
  }
  for (const candidate of ['./ingest-worker.js', '../ingest-worker.js']) {
    const path = fileURLToPath(new URL(candidate, here));
    if (existsSync(path)) return { script: path, eval: false };
  }
  return null;
}

export class IngestPool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private deaths = 0;
  private closed = false;

  private constructor(
    size: number,
    private readonly script: { script: string; eval: boolean },
    private readonly data: IngestWorkerData,
  ) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** A pool of `size` workers (started on first use), or null when there are none to start. */
  static create(size: number, prices: PriceTable | undefined): IngestPool | null {
    if (size <= 0) return null;
    const script = workerScript();
    if (!script) return null;
    return new IngestPool(size, script, { prices: prices ? { taken: prices.taken, source: prices.source, models: prices.models } : null });
  }

  /** Workers running now. */
  get workers(): number {
    return this.slots.filter((slot) => slot !== null).length;
  }

  /** Whether requests go to workers now (false once they kept dying, or after close). */
  get running(): boolean {
    return !this.closed && this.deaths < MAX_DEATHS;
  }

  /**
   * One trace request's spans in staging form. Rejects with OtlpDecodeError when the body is not a valid
   * request, with IngestWorkerLost when its worker died (or none could start) before answering.
   */
  stageTrace(body: Uint8Array, encoding: OtlpEncoding, source: string): Promise<StagedIngestResult> {
    return this.stageTraceInTwo(body, encoding, source).staged;
  }

  /**
   * The same, with the request's verdict (rejected spans, how many are kept) as soon as it is
   * decoded: the answer needs only that, and the rows take the worker longer than the decode.
   */
  stageTraceInTwo(body: Uint8Array, encoding: OtlpEncoding, source: string): StagingTrace {
    const slot = this.slotForNextJob();
    if (!slot) {
      const lost = Promise.reject(new IngestWorkerLost('No ingest worker is running.'));
      return { verdict: lost, staged: lost };
    }
    const id = this.nextId++;
    let verdict!: (verdict: IngestVerdict) => void;
    let refuse!: (error: Error) => void;
    const verdictPromise = new Promise<IngestVerdict>((resolve, reject) => {
      verdict = resolve;
      refuse = reject;
    });
    const staged = new Promise<StagedIngestResult>((resolve, reject) => {
      // Referenced only while it holds a request: an idle pool must not keep a process alive
      // that is otherwise done (a CLI command, a test).
      if (slot.pending.size === 0) slot.worker.ref();
      // A failure before the verdict fails both (a verdict given first stays given).
      const fail = (error: Error): void => {
        refuse(error);
        reject(error);
      };
      slot.pending.set(id, { resolve, reject: fail, verdict });
      // The worker gets a copy it owns, handed over rather than cloned (one copy instead of the
      // structured clone's two; ~0.3 ms less of the engine thread's time for a 280 KB body): the
      // caller's body is still the journal's to write.
      const own = new Uint8Array(body);
      const job: IngestJob = { id, encoding, body: own, source };
      slot.worker.postMessage(job, [own.buffer]);
    });
    // Either may go unwatched (stageTrace ignores the verdict; a caller stops at a malformed
    // verdict): a rejection still reaches whoever awaits it.
    verdictPromise.catch(() => undefined);
    staged.catch(() => undefined);
    return { verdict: verdictPromise, staged };
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (slot) => {
        if (!slot) return;
        this.fail(slot, new IngestWorkerLost('The engine is closing.'));
        await slot.worker.terminate();
      }),
    );
  }

  /** The slot with the fewest requests in flight, starting its worker if it has none. */
  private slotForNextJob(): Slot | null {
    if (!this.running) return null;
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) {
        best = i;
        break;
      }
      if (best < 0 || slot.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best] ?? this.start(best);
  }

  private start(index: number): Slot | null {
    let worker: Worker;
    try {
      worker = new Worker(this.script.script, { eval: this.script.eval, workerData: this.data });
    } catch {
      this.deaths++;
      return null;
    }
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    this.slots[index] = slot;
    worker.on('message', (reply: IngestReply) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      if ('verdict' in reply) {
        pending.verdict(reply.verdict);
        return;
      }
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if ('result' in reply) pending.resolve(reply.result);
      else if ('malformed' in reply) pending.reject(new OtlpDecodeError(reply.malformed));
      else pending.reject(new Error(reply.failed));
    });
    const died = (reason: string): void => {
      if (this.slots[index] !== slot) return;
      this.slots[index] = null;
      if (!this.closed) this.deaths++;
      this.fail(slot, new IngestWorkerLost(`The ingest worker stopped: ${reason}`));
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return slot;
  }

  private fail(slot: Slot, error: Error): void {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }
}

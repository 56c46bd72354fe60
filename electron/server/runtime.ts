// A running Tracedeck without a window: the engine, the OTLP receivers and the UI/API server,
// plus the instance file that lets `tracedeck query` find it. `tracedeck serve` runs one in
// the main thread; the desktop app runs one in a worker thread.
import { accessSync, constants, existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine/api';
import { INSTANCE_FILE_NAME, storePath } from '../engine/config';
import { PortInUseError } from '../engine/http';
import { startOtlpGrpcReceiver } from '../engine/otlp/grpc-receiver';
import { isLocalOrigin, startOtlpHttpReceiver, type RunningReceiver } from '../engine/otlp/http-receiver';
import { DEFAULT_PRICE_TABLE, loadPriceTable, mergePriceTables, type PriceTable } from '../engine/semconv/prices';
import { startUiServer, type RunningUiServer } from './http';

export interface RuntimeOptions {
  dataDir: string;
  host: string;
  otlpHttpPort: number;
  /** OTLP/gRPC port; null or absent: no gRPC receiver. */
  otlpGrpcPort?: number | null;
  /** Browser origins allowed to POST to OTLP/HTTP besides localhost ones ('*' allows any). */
  corsOrigins?: readonly string[];
  /** Largest OTLP request accepted, after decompression (HTTP body and gRPC message). */
  maxBodyBytes?: number;
  /** Rows that may wait for the store before requests are refused with 503/UNAVAILABLE. */
  maxQueuedRows?: number;
  uiPort: number;
  staticDir: string | null;
  /** Bind address of the UI/API server when it differs from the receivers' (the desktop app keeps it on loopback). */
  uiHost?: string;
  /**
   * A JSON price table whose rows win over the bundled ones; a bad file is reported and ignored.
   * Absent (undefined): the data folder's `prices.json` when there is one. null: none.
   */
  pricesPath?: string | null;
  /** Where user-facing lines go (serve prints them; the app shows them in its status bar). */
  log: (line: string) => void;
}

export interface Runtime {
  engine: Engine;
  otlpHttp: RunningReceiver | null;
  otlpGrpc: RunningReceiver | null;
  ui: RunningUiServer;
  /**
   * Moves the OTLP/HTTP receiver to another port or address without touching the store; on
   * failure (e.g. the port is taken) the receiver is back where it was, or off if that fails too.
   */
  restartOtlpHttp(port: number, host: string): Promise<RunningReceiver>;
  /** The same for the OTLP/gRPC receiver (started if it was off). */
  restartOtlpGrpc(port: number, host: string): Promise<RunningReceiver>;
  stop(): Promise<void>;
}

export interface InstanceInfo {
  pid: number;
  ui: string;
  otlpHttp: string | null;
  otlpGrpc?: string | null;
}

export class DataDirError extends Error {
  override name = 'DataDirError';
}

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DataDirError(`The data folder ${dataDir} cannot be created or written: ${(error as Error).message}`);
  }
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  prepareDataDir(options.dataDir);
  const prices = loadPriceOverrides(options.pricesPath === undefined ? dataDirPrices(options.dataDir) : options.pricesPath, options.log);
  const engine = await Engine.open({
    path: storePath(options.dataDir),
    dataDir: options.dataDir,
    ...(prices ? { prices } : {}),
    ...(options.maxQueuedRows ? { maxQueuedRows: options.maxQueuedRows } : {}),
  });
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const httpReceiverOptions = {
    engine,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    isOriginAllowed: (origin: string) => isLocalOrigin(origin) || corsOrigins.has('*') || corsOrigins.has(origin),
  };
  let otlpHttp: RunningReceiver | null = null;
  let otlpGrpc: RunningReceiver | null = null;
  let ui: RunningUiServer;
  try {
    try {
      otlpHttp = await startOtlpHttpReceiver({ ...httpReceiverOptions, host: options.host, port: options.otlpHttpPort });
      engine.endpoints.otlpHttp = otlpHttp.url;
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      options.log(`${error.message} The OTLP/HTTP receiver is not running; the rest of Tracedeck is.`);
    }
    if (options.otlpGrpcPort !== undefined && options.otlpGrpcPort !== null) {
      try {
        otlpGrpc = await startOtlpGrpcReceiver({
          engine,
          host: options.host,
          port: options.otlpGrpcPort,
          ...(options.maxBodyBytes ? { maxMessageBytes: options.maxBodyBytes } : {}),
        });
        engine.endpoints.otlpGrpc = otlpGrpc.url;
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error;
        options.log(`${error.message} The OTLP/gRPC receiver is not running; the rest of Tracedeck is.`);
      }
    }
    try {
      ui = await startUiServer({ api: engine, host: options.uiHost ?? options.host, port: options.uiPort, staticDir: options.staticDir });
    } catch (error) {
      if (!(error instanceof PortInUseError) || options.uiPort === 0) throw error;
      ui = await startUiServer({ api: engine, host: options.uiHost ?? options.host, port: 0, staticDir: options.staticDir });
      options.log(`${error.message} The UI took port ${ui.port} instead.`);
    }
    engine.endpoints.ui = ui.url;
  } catch (error) {
    await otlpHttp?.close();
    await otlpGrpc?.close();
    await engine.close();
    throw error;
  }
  const instanceFile = join(options.dataDir, INSTANCE_FILE_NAME);
  const writeInstanceFile = (): void => {
    const info: InstanceInfo = { pid: process.pid, ui: ui.url, otlpHttp: runtime.otlpHttp?.url ?? null, otlpGrpc: runtime.otlpGrpc?.url ?? null };
    writeFileSync(instanceFile, JSON.stringify(info, null, 2));
  };

  const running: RunningUiServer = ui;
  let stopping: Promise<void> | null = null;
  const otlpHosts = { otlpHttp: options.host, otlpGrpc: options.host };
  const starters = {
    otlpHttp: (port: number, host: string) => startOtlpHttpReceiver({ ...httpReceiverOptions, host, port }),
    otlpGrpc: (port: number, host: string) =>
      startOtlpGrpcReceiver({ engine, host, port, ...(options.maxBodyBytes ? { maxMessageBytes: options.maxBodyBytes } : {}) }),
  };
  const restartReceiver = async (which: 'otlpHttp' | 'otlpGrpc', port: number, host: string): Promise<RunningReceiver> => {
    const old = runtime[which];
    const start = starters[which];
    let next: RunningReceiver;
    if (old && old.port === port && port !== 0) {
      // Same port on another address: the old listener must let go of it first.
      await old.close();
      try {
        next = await start(port, host);
      } catch (error) {
        runtime[which] = await start(old.port, otlpHosts[which]).catch(() => null);
        engine.endpoints[which] = runtime[which]?.url;
        writeInstanceFile();
        throw error;
      }
    } else {
      next = await start(port, host); // throws with the old receiver still running
      await old?.close();
    }
    otlpHosts[which] = host;
    runtime[which] = next;
    engine.endpoints[which] = next.url;
    writeInstanceFile();
    return next;
  };
  const runtime: Runtime = {
    engine,
    otlpHttp,
    otlpGrpc,
    ui: running,
    restartOtlpHttp: (port, host) => restartReceiver('otlpHttp', port, host),
    restartOtlpGrpc: (port, host) => restartReceiver('otlpGrpc', port, host),
    stop: () => {
      stopping ??= (async () => {
        // Stop taking spans first, then write everything taken, then let go of the file.
        await Promise.all([runtime.otlpHttp?.close(), runtime.otlpGrpc?.close()]);
        await running.close();
        await engine.close();
        removeInstanceFile(instanceFile);
      })();
      return stopping;
    },
  };
  writeInstanceFile();
  return runtime;
}

/** The user's price file in the data folder (same layout as resources/prices.json). */
export const DATA_DIR_PRICES_FILE = 'prices.json';

function dataDirPrices(dataDir: string): string | null {
  const path = join(dataDir, DATA_DIR_PRICES_FILE);
  return existsSync(path) ? path : null;
}

function loadPriceOverrides(path: string | null | undefined, log: (line: string) => void): PriceTable | undefined {
  if (!path) return undefined;
  try {
    return mergePriceTables(DEFAULT_PRICE_TABLE, loadPriceTable(readFileSync(path, 'utf8')));
  } catch (error) {
    log(`The price overrides ${path} were not used: ${(error as Error).message}. Costs use the bundled price table.`);
    return undefined;
  }
}

function removeInstanceFile(file: string): void {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as InstanceInfo;
    if (info.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/** The running instance that holds `dataDir`, if any (its process still alive). */
export function findRunningInstance(dataDir: string): InstanceInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, INSTANCE_FILE_NAME), 'utf8')) as InstanceInfo;
    if (typeof info.pid !== 'number' || typeof info.ui !== 'string') return null;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}

// The one place that knows Tracedeck's default ports, bind address and data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** OTLP's standard ports (OpenTelemetry specification, OTLP exporter defaults). */
export const DEFAULT_OTLP_GRPC_PORT = 4317;
export const DEFAULT_OTLP_HTTP_PORT = 4318;
/** The browser UI in serve mode. */
export const DEFAULT_UI_PORT = 4319;
/** Loopback only unless the user asks otherwise: a trace can carry prompts and secrets. */
export const DEFAULT_HOST = '127.0.0.1';

export const STORE_FILE_NAME = 'tracedeck.duckdb';
/** Written by a running instance so `tracedeck query` can ask it instead of the locked file. */
export const INSTANCE_FILE_NAME = 'instance.json';

/**
 * The data folder: an explicit choice, else TRACEDECK_DATA, else the platform's app-data folder.
 * The default matches Electron's `app.getPath('userData')` for the product name "Tracedeck",
 * so the desktop app and the CLI share one store.
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.TRACEDECK_DATA) return env.TRACEDECK_DATA;
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Tracedeck');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Tracedeck');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Tracedeck');
  }
}

export function storePath(dataDir: string): string {
  return join(dataDir, STORE_FILE_NAME);
}

// The desktop app's settings: a JSON file in Electron's userData folder. Loading never fails:
// a missing file gives the defaults, a damaged one is set aside (settings.json.bad) and every
// field that does not validate falls back to its default with a message saying so. Saving
// writes a temporary file and renames it over the old one, so a crash leaves one or the other.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { DEFAULT_HOST, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT, resolveDataDir } from '../engine/config';
import { THEMES, type DesktopSettings, type DesktopSettingsPatch, type Theme } from '../../shared/desktop';
import { ApiArgumentError } from '../../shared/validate';
import type { ReceiverChanges } from '../server/worker-protocol';

export const SETTINGS_FILE_NAME = 'settings.json';
/** Open Recent keeps this many entries (what OS menus show comfortably). */
export const MAX_RECENT_PATHS = 10;
/** Longer than any path an OS accepts (Linux PATH_MAX is 4,096 bytes). */
export const MAX_PATH_LENGTH = 4096;
/** Ten years: retention beyond that is "forever" in practice, and catches typos like 36500. */
export const MAX_RETENTION_DAYS = 3650;

export const DEFAULT_SETTINGS: Readonly<DesktopSettings> = Object.freeze({
  otlpHost: DEFAULT_HOST,
  otlpHttpPort: DEFAULT_OTLP_HTTP_PORT,
  otlpGrpcPort: DEFAULT_OTLP_GRPC_PORT,
  dataDir: null,
  retentionDays: null,
  priceOverridesPath: null,
  theme: 'system',
  recentPaths: [],
});

export interface LoadedSettings {
  settings: DesktopSettings;
  /** One line per thing that was wrong with the file; empty when it was fine or absent. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Each check returns the valid value or a reason; the callers decide what a bad value means
// (a default when loading the file, a refusal when the window sends it).
type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };

const port: Check<number> = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? { ok: true, value: v } : { ok: false, reason: 'must be a port number from 0 to 65535 (0 = any free port)' };

const host: Check<string> = (v) =>
  typeof v === 'string' && (isIP(v) !== 0 || v === 'localhost')
    ? { ok: true, value: v }
    : { ok: false, reason: 'must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1, or "localhost"' };

const retention: Check<number | null> = (v) =>
  v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_RETENTION_DAYS)
    ? { ok: true, value: v }
    : { ok: false, reason: `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep everything` };

const theme: Check<Theme> = (v) => (THEMES.includes(v as Theme) ? { ok: true, value: v as Theme } : { ok: false, reason: `must be one of ${THEMES.join(', ')}` });

const absolutePath = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_PATH_LENGTH && !v.includes('\0') && isAbsolute(v);

const optionalPath: Check<string | null> = (v) =>
  v === null || absolutePath(v) ? { ok: true, value: v } : { ok: false, reason: 'must be an absolute path, or null for the default' };

const recent: Check<string[]> = (v) =>
  Array.isArray(v) && v.every(absolutePath)
    ? { ok: true, value: [...new Set(v)].slice(0, MAX_RECENT_PATHS) }
    : { ok: false, reason: 'must be a list of absolute paths' };

const FIELDS: { [K in keyof DesktopSettings]: Check<DesktopSettings[K]> } = {
  otlpHost: host,
  otlpHttpPort: port,
  otlpGrpcPort: port,
  dataDir: optionalPath,
  retentionDays: retention,
  priceOverridesPath: optionalPath,
  theme,
  recentPaths: recent,
};

/** Validates parsed settings field by field; bad or missing fields get their defaults. */
export function validateSettings(raw: unknown): LoadedSettings {
  const settings: DesktopSettings = { ...DEFAULT_SETTINGS, recentPaths: [] };
  if (!isRecord(raw)) return { settings, problems: ['The settings file does not hold a JSON object; using the defaults.'] };
  const problems: string[] = [];
  for (const key of Object.keys(FIELDS) as (keyof DesktopSettings)[]) {
    if (!(key in raw)) continue;
    const result = FIELDS[key](raw[key]);
    if (result.ok) (settings as unknown as Record<string, unknown>)[key] = result.value;
    else problems.push(`"${key}" ${result.reason}; using ${JSON.stringify(DEFAULT_SETTINGS[key])}.`);
  }
  return { settings, problems };
}

export interface SettingsFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  renameSync(from: string, to: string): void;
}

/** Reads the settings file; never throws. A file that is not JSON is renamed to `<file>.bad`. */
export function loadSettings(file: string, fs: SettingsFs = { readFileSync, renameSync }): LoadedSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS, recentPaths: [] }, problems: [] };
    return { settings: { ...DEFAULT_SETTINGS, recentPaths: [] }, problems: [`The settings file ${file} cannot be read (${(error as Error).message}); using the defaults.`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    let kept = '';
    try {
      fs.renameSync(file, `${file}.bad`);
      kept = ` It was kept as ${file}.bad.`;
    } catch {
      // leave it where it is; the next save replaces it
    }
    return {
      settings: { ...DEFAULT_SETTINGS, recentPaths: [] },
      problems: [`The settings file ${file} is not valid JSON (${(error as Error).message}); using the defaults.${kept}`],
    };
  }
  const result = validateSettings(raw);
  return { settings: result.settings, problems: result.problems.map((p) => `Settings: ${p}`) };
}

/** Writes the whole file atomically: a temporary file in the same folder, flushed, then renamed. */
export function saveSettings(file: string, settings: DesktopSettings): void {
  writeFileAtomically(file, `${JSON.stringify(settings, null, 2)}\n`);
}

export function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

const PATCHABLE: readonly (keyof DesktopSettingsPatch)[] = ['otlpHost', 'otlpHttpPort', 'otlpGrpcPort', 'retentionDays', 'theme'];

/**
 * Checks a settings change the window sent. Unlike loading, anything wrong is refused as a
 * whole: the window shows the message and nothing changes. Paths are not patchable here;
 * main changes them only from a native folder or file picker.
 */
export function validateSettingsPatch(patch: unknown): DesktopSettingsPatch {
  if (!isRecord(patch)) throw new ApiArgumentError('the settings change must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!(PATCHABLE as readonly string[]).includes(key)) {
      throw new ApiArgumentError(`"${key}" cannot be changed from the window (allowed: ${PATCHABLE.join(', ')})`);
    }
    const result = FIELDS[key as keyof DesktopSettingsPatch](value);
    if (!result.ok) throw new ApiArgumentError(`"${key}" ${result.reason}`);
    out[key] = result.value;
  }
  return out as DesktopSettingsPatch;
}

/** Puts a just-opened path first in Open Recent. */
export function addRecentPath(settings: DesktopSettings, path: string): DesktopSettings {
  return { ...settings, recentPaths: [path, ...settings.recentPaths.filter((p) => p !== path)].slice(0, MAX_RECENT_PATHS) };
}

/** What the engine needs from the settings, with the environment's overrides (tests, a second install). */
export interface EngineConfig {
  dataDir: string;
  host: string;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  pricesPath: string | null;
}

function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** TRACEDECK_DATA and TRACEDECK_OTLP_HTTP_PORT / _GRPC_PORT win over the settings file. */
export function engineConfig(settings: DesktopSettings, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    dataDir: env.TRACEDECK_DATA || settings.dataDir || resolveDataDir(undefined, env),
    host: settings.otlpHost,
    otlpHttpPort: envPort(env, 'TRACEDECK_OTLP_HTTP_PORT') ?? settings.otlpHttpPort,
    otlpGrpcPort: envPort(env, 'TRACEDECK_OTLP_GRPC_PORT') ?? settings.otlpGrpcPort,
    pricesPath: settings.priceOverridesPath,
  };
}

/** Which parts of the running engine a settings change touches. */
export function engineChanges(before: EngineConfig, after: EngineConfig): { otlpHttp: boolean; otlpGrpc: boolean; restart: boolean } {
  const hostChanged = before.host !== after.host;
  return {
    otlpHttp: hostChanged || before.otlpHttpPort !== after.otlpHttpPort,
    otlpGrpc: hostChanged || before.otlpGrpcPort !== after.otlpGrpcPort,
    // The store and the price table are opened once per engine: those need a new engine.
    restart: before.dataDir !== after.dataDir || before.pricesPath !== after.pricesPath,
  };
}

export interface SettingsChangePlan {
  /** The settings to keep and save (with the change applied). */
  next: DesktopSettings;
  /** Receivers that must move (EngineHost.reconfigure); no engine restart needed. Empty: none. */
  receivers: ReceiverChanges;
  /** The engine must restart (a new data folder or price table). */
  restartEngine: boolean;
  /** Things to tell the user that are not failures (an environment variable wins, a feature not here yet). */
  notes: string[];
}

/** Works out what a settings change means for the running app; index.ts carries it out. */
export function planSettingsChange(settings: DesktopSettings, patch: Partial<DesktopSettings>, env: NodeJS.ProcessEnv = process.env): SettingsChangePlan {
  const next: DesktopSettings = { ...settings, ...patch };
  const before = engineConfig(settings, env);
  const after = engineConfig(next, env);
  const changes = engineChanges(before, after);
  const notes: string[] = [];
  const changed = (key: keyof DesktopSettings): boolean => key in patch && patch[key] !== settings[key];
  if (changed('otlpHttpPort') && env.TRACEDECK_OTLP_HTTP_PORT) notes.push(`TRACEDECK_OTLP_HTTP_PORT=${env.TRACEDECK_OTLP_HTTP_PORT} is set and wins over the OTLP/HTTP port setting until it is unset.`);
  if (changed('dataDir') && env.TRACEDECK_DATA) notes.push(`TRACEDECK_DATA=${env.TRACEDECK_DATA} is set and wins over the data folder setting until it is unset.`);
  if (changed('otlpGrpcPort') && env.TRACEDECK_OTLP_GRPC_PORT) notes.push(`TRACEDECK_OTLP_GRPC_PORT=${env.TRACEDECK_OTLP_GRPC_PORT} is set and wins over the OTLP/gRPC port setting until it is unset.`);
  if (changed('retentionDays')) notes.push('The retention period is saved; this version keeps every trace until you delete the data folder.');
  return {
    next,
    // A restart starts every receiver from the new settings anyway.
    receivers: changes.restart
      ? {}
      : {
          ...(changes.otlpHttp ? { otlpHttp: { port: after.otlpHttpPort, host: after.host } } : {}),
          ...(changes.otlpGrpc ? { otlpGrpc: { port: after.otlpGrpcPort, host: after.host } } : {}),
        },
    restartEngine: changes.restart,
    notes,
  };
}

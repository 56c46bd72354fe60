// Which files and folders a launch asks Tracedeck to open: `tracedeck FILE…`, a double-clicked
// .parquet file (the OS passes its path, or on Linux desktops a file:// URI), or a second launch
// while the app runs (forwarded by Electron's single-instance lock).
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LaunchRequest {
  /** Absolute paths, in the order given, without duplicates. */
  paths: string[];
  /** Arguments that are neither flags nor paths (e.g. an http:// URL). */
  problems: { arg: string; reason: string }[];
}

export interface LaunchArgsContext {
  /**
   * True when running as `electron <app path> …` (process.defaultApp): the first positional
   * argument is then the app itself, not a file to open.
   */
  defaultApp: boolean;
  /** The launching process's working directory: relative paths are relative to it. */
  cwd: string;
}

/** At most this many paths per launch: enough for any shell glob someone means. */
export const MAX_LAUNCH_PATHS = 1000;

/**
 * Reads argv (argv[0] is the executable). Flags are skipped: Electron, Chromium, Node and the
 * OS add their own (`--no-sandbox`, `--inspect=0`, `--original-process-start-time=…`, macOS's
 * `-psn_0_123`), always as one `--name=value` word. After a bare `--` everything is a path.
 */
export function parseLaunchArgs(argv: readonly string[], context: LaunchArgsContext): LaunchRequest {
  const paths: string[] = [];
  const problems: LaunchRequest['problems'] = [];
  let skipAppPath = context.defaultApp;
  let flagsDone = false;
  for (const arg of argv.slice(1)) {
    if (!flagsDone && arg === '--') {
      flagsDone = true;
      continue;
    }
    if (!flagsDone && arg.startsWith('-')) continue;
    if (skipAppPath) {
      skipAppPath = false;
      continue;
    }
    if (arg === '') continue;
    const path = argToPath(arg, context.cwd);
    if (typeof path !== 'string') {
      problems.push({ arg, reason: path.reason });
      continue;
    }
    if (!paths.includes(path)) paths.push(path);
  }
  if (paths.length > MAX_LAUNCH_PATHS) {
    problems.push({ arg: `${paths.length - MAX_LAUNCH_PATHS} more`, reason: `only the first ${MAX_LAUNCH_PATHS} paths are opened` });
    paths.length = MAX_LAUNCH_PATHS;
  }
  return { paths, problems };
}

function argToPath(arg: string, cwd: string): string | { reason: string } {
  if (arg.includes('\0')) return { reason: 'is not a valid path' };
  if (/^file:/i.test(arg)) {
    try {
      return fileURLToPath(arg);
    } catch {
      return { reason: 'is a file:// URL that does not name a local file' };
    }
  }
  // A URL scheme is two or more letters (a Windows drive letter, C:\, is one).
  if (/^[a-z][a-z0-9+.-]+:/i.test(arg)) return { reason: 'is a URL, not a file or folder; Tracedeck opens local .parquet files and folders' };
  return isAbsolute(arg) ? resolve(arg) : resolve(cwd, arg);
}

/** What a second instance sends the running one (requestSingleInstanceLock's additionalData). */
export interface SecondInstanceData {
  argv: string[];
  cwd: string;
  defaultApp: boolean;
}

export function makeSecondInstanceData(argv: readonly string[], cwd: string, defaultApp: boolean): SecondInstanceData {
  return { argv: [...argv], cwd, defaultApp };
}

/**
 * The request of a second launch. Electron's own `argv` may have Chromium's flags added and is
 * empty when another user launched it, so the copy the second instance sent along is preferred;
 * it comes from another process, so it is checked like any other input.
 */
export function parseSecondInstance(argv: readonly string[], workingDirectory: string, additionalData: unknown, defaultApp: boolean): LaunchRequest {
  const data = additionalData as Partial<SecondInstanceData> | null;
  const valid =
    typeof data === 'object' &&
    data !== null &&
    Array.isArray(data.argv) &&
    data.argv.length <= MAX_LAUNCH_PATHS + 100 &&
    data.argv.every((a) => typeof a === 'string' && a.length <= 32_768) &&
    typeof data.cwd === 'string' &&
    isAbsolute(data.cwd) &&
    typeof data.defaultApp === 'boolean';
  if (valid) return parseLaunchArgs(data.argv as string[], { defaultApp: data.defaultApp as boolean, cwd: data.cwd as string });
  return parseLaunchArgs(argv, { defaultApp, cwd: workingDirectory });
}

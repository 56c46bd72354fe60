// "Open these files and folders" — from the command line, a second launch, File › Open, a drop
// on the window, or the OS file association. Checks each path first so every problem gets one
// clear message (missing, unreadable, not Parquet, a folder with nothing to import) while the
// good paths still open; the import itself is the engine's (`importPaths`, with Parquet support).
import { accessSync, constants, readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import type { LaunchRequest } from './launch-args';

export interface PathProblem {
  path: string;
  reason: string;
}

export interface CheckedPaths {
  /** Paths worth handing to the importer: .parquet files, and folders that contain some. */
  importable: string[];
  problems: PathProblem[];
}

/** The file system calls the check needs; tests pass a fake to cover EACCES and friends. */
export interface PathFs {
  statSync(path: string): { isFile(): boolean; isDirectory(): boolean };
  accessSync(path: string, mode: number): void;
  readdirSync(path: string, options: { withFileTypes: true }): Pick<Dirent, 'name' | 'isFile' | 'isDirectory'>[];
}

const nodeFs: PathFs = { statSync, accessSync, readdirSync };

export const IMPORTABLE_EXTENSION = '.parquet';
/**
 * How deep to look into a folder: the LLMOps-monitoring layout keeps files one level down
 * (`YYYY-MM-DD/events_*.parquet`), ClickHouse exports two; deeper folders are not trace dumps.
 */
const MAX_FOLDER_DEPTH = 3;
/** Stop looking after this many entries: a home folder dropped by mistake must not hang the app. */
const MAX_FOLDER_ENTRIES = 20_000;

export function isImportableFileName(name: string): boolean {
  return name.toLowerCase().endsWith(IMPORTABLE_EXTENSION);
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'ELOOP':
      return 'is a symbolic link that leads nowhere (a loop)';
    default:
      return `cannot be read (${code ?? (error as Error).message})`;
  }
}

/** Whether `dir` holds an importable file, looking no deeper and no longer than the limits above. */
function findImportable(dir: string, fs: PathFs): { found: boolean; unreadable: boolean } {
  let seen = 0;
  let unreadable = false;
  const walk = (folder: string, depth: number): boolean => {
    let entries: Pick<Dirent, 'name' | 'isFile' | 'isDirectory'>[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      if (depth === 0) unreadable = true;
      return false;
    }
    const folders: string[] = [];
    for (const entry of entries) {
      if (++seen > MAX_FOLDER_ENTRIES) return false;
      if (entry.isFile() && isImportableFileName(entry.name)) return true;
      if (entry.isDirectory() && !entry.name.startsWith('.')) folders.push(entry.name);
    }
    if (depth + 1 >= MAX_FOLDER_DEPTH) return false;
    return folders.some((name) => walk(join(folder, name), depth + 1));
  };
  const found = walk(dir, 0);
  return { found, unreadable };
}

/** Sorts paths into importable ones and problems, each with a reason a person understands. */
export function checkPaths(paths: readonly string[], fs: PathFs = nodeFs): CheckedPaths {
  const importable: string[] = [];
  const problems: PathProblem[] = [];
  for (const path of paths) {
    let stat: { isFile(): boolean; isDirectory(): boolean };
    try {
      stat = fs.statSync(path);
      fs.accessSync(path, constants.R_OK);
    } catch (error) {
      problems.push({ path, reason: errorReason(error) });
      continue;
    }
    if (stat.isFile()) {
      if (isImportableFileName(path)) importable.push(path);
      else problems.push({ path, reason: `is not a Parquet file (Tracedeck opens ${IMPORTABLE_EXTENSION} files and folders of them)` });
    } else if (stat.isDirectory()) {
      const { found, unreadable } = findImportable(path, fs);
      if (found) importable.push(path);
      else if (unreadable) problems.push({ path, reason: 'cannot be read (permission denied)' });
      else problems.push({ path, reason: `is a folder with nothing to import (no ${IMPORTABLE_EXTENSION} files in it or ${MAX_FOLDER_DEPTH - 1} levels below)` });
    } else {
      problems.push({ path, reason: 'is neither a file nor a folder' });
    }
  }
  return { importable, problems };
}

/** A native message box's content; main shows it with `dialog.showMessageBox`. */
export interface DialogMessage {
  type: 'info' | 'warning' | 'error';
  title: string;
  message: string;
  detail: string;
}

/** At most this many lines in a dialog; the rest are counted. */
const MAX_DIALOG_LINES = 12;

function listLines(lines: string[]): string {
  const shown = lines.slice(0, MAX_DIALOG_LINES);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more.`);
  return shown.join('\n');
}

/** The dialog for paths that cannot be opened; null when there is nothing to say. */
export function problemsDialog(problems: readonly PathProblem[], launchProblems: LaunchRequest['problems'] = []): DialogMessage | null {
  const lines = [...launchProblems.map((p) => `${p.arg} ${p.reason}.`), ...problems.map((p) => `${p.path} ${p.reason}.`)];
  if (lines.length === 0) return null;
  const one = lines.length === 1;
  return {
    type: 'warning',
    title: 'Tracedeck',
    message: one ? `Tracedeck cannot open ${problems[0] ? basename(problems[0].path) : launchProblems[0]!.arg}.` : `Tracedeck cannot open ${lines.length} of the items it was given.`,
    detail: listLines(lines),
  };
}

/** Shown while the engine cannot import yet (Parquet import arrives with its own issue). */
export function importUnavailableDialog(paths: readonly string[]): DialogMessage {
  return {
    type: 'info',
    title: 'Tracedeck',
    message: paths.length === 1 ? `Opening ${basename(paths[0]!)} needs Parquet import.` : `Opening these ${paths.length} items needs Parquet import.`,
    detail: `This version of Tracedeck receives traces over OTLP but cannot import files yet; Parquet import arrives with Parquet support.\n\n${listLines([...paths])}`,
  };
}

export function importFailedDialog(paths: readonly string[], error: unknown): DialogMessage {
  return {
    type: 'error',
    title: 'Tracedeck',
    message: paths.length === 1 ? `Importing ${basename(paths[0]!)} failed.` : `Importing ${paths.length} items failed.`,
    detail: `${error instanceof Error ? error.message : String(error)}\n\n${listLines([...paths])}`,
  };
}

export interface OpenPathsDeps {
  /**
   * The engine's import; null while the engine has none. The window learns of it from the
   * engine's `import-started` / `import-finished` events and shows its preview, progress and
   * result, as for an import it starts itself.
   */
  importPaths: ((paths: string[]) => Promise<unknown>) | null;
  showDialog(message: DialogMessage): void;
  /** Called once per path that was imported (Open Recent). */
  onOpened(path: string): void;
  fs?: PathFs;
}

export interface OpenPathsResult {
  imported: string[];
  problems: PathProblem[];
}

/**
 * Opens what can be opened and tells the user about the rest. Never throws: a bad path or a
 * failed import is a dialog, and the app keeps running.
 */
export async function openPaths(request: LaunchRequest, deps: OpenPathsDeps): Promise<OpenPathsResult> {
  const { importable, problems } = checkPaths(request.paths, deps.fs);
  const problemMessage = problemsDialog(problems, request.problems);
  if (problemMessage) deps.showDialog(problemMessage);
  if (importable.length === 0) return { imported: [], problems };
  if (!deps.importPaths) {
    deps.showDialog(importUnavailableDialog(importable));
    return { imported: [], problems };
  }
  try {
    const result = await deps.importPaths(importable);
    // An import that ran and failed or was cancelled (an ImportResult with ok false): the window
    // says why; the paths are not remembered as opened.
    if (isUnsuccessfulImport(result)) return { imported: [], problems };
  } catch (error) {
    deps.showDialog(importFailedDialog(importable, error));
    return { imported: [], problems };
  }
  for (const path of importable) deps.onOpened(path);
  return { imported: importable, problems };
}

function isUnsuccessfulImport(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false;
}

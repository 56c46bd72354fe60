// Which files an import reads: explicit files are sniffed whatever their name; folders are read
// recursively (date-partitioned layouts such as 2026-11-18/events_0001.parquet) for .parquet and
// OTLP JSON / JSON Lines files; simple globs (*, ?, **) are expanded for the command line.
import { closeSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

export type FileKind = 'parquet' | 'otlp-json';

export interface FoundFile {
  path: string;
  kind: FileKind;
}

export class ImportInputError extends Error {
  override name = 'ImportInputError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const IMPORTABLE = /\.(parquet|pq|json|jsonl|ndjson)$/i;
const MAGIC = 'PAR1';

/** Reads the first and last bytes: Parquet files begin and end with "PAR1". */
export function sniffFile(path: string, stats: Stats): FileKind {
  if (stats.size === 0) throw new ImportInputError(path, 'the file is empty');
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(64, stats.size));
    readSync(fd, head, 0, head.length, 0);
    if (head.subarray(0, 4).toString('latin1') === MAGIC) {
      const tail = Buffer.alloc(4);
      if (stats.size < 12) throw new ImportInputError(path, 'truncated or corrupt Parquet file (too short)');
      readSync(fd, tail, 0, 4, stats.size - 4);
      if (tail.toString('latin1') !== MAGIC) {
        throw new ImportInputError(path, 'truncated or corrupt Parquet file (no footer: it ends before the "PAR1" trailer)');
      }
      return 'parquet';
    }
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('{')) return 'otlp-json';
    throw new ImportInputError(path, 'not a Parquet file (it does not start with "PAR1") nor OTLP JSON');
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && IMPORTABLE.test(entry.name)) out.push(full);
  }
}

/** Expands files and folders (recursively); throws ImportInputError naming the path. */
export function expandImportPaths(paths: readonly string[]): FoundFile[] {
  const found: FoundFile[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const path = resolve(raw);
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      throw new ImportInputError(path, 'no such file or folder');
    }
    const candidates: string[] = [];
    if (stats.isDirectory()) {
      walk(path, candidates);
      if (candidates.length === 0) {
        throw new ImportInputError(path, 'nothing importable in this folder (no .parquet, .json or .jsonl files)');
      }
    } else {
      candidates.push(path);
    }
    for (const file of candidates) {
      if (seen.has(file)) continue;
      seen.add(file);
      found.push({ path: file, kind: sniffFile(file, file === path ? stats : statSync(file)) });
    }
  }
  if (found.length === 0) throw new ImportInputError(paths.join(', ') || '(none)', 'nothing to import');
  return found;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/' || pattern[i + 1] === sep) i++;
    } else if (ch === '*') re += '[^/\\\\]*';
    else if (ch === '?') re += '[^/\\\\]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expands a command-line glob (for shells that pass it through, e.g. Windows); plain paths pass as is. */
export function expandGlob(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const absolute = resolve(pattern);
  // The folder before the first wildcard is where the walk starts.
  const firstWild = absolute.search(/[*?]/);
  const root = dirname(absolute.slice(0, firstWild) + 'x');
  const re = globToRegExp(absolute.split(sep).join('/'));
  const out: string[] = [];
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (re.test(full.split(sep).join('/'))) out.push(full);
    }
  };
  visit(root);
  return out.sort((x, y) => (basename(x) === basename(y) ? x.localeCompare(y) : x.localeCompare(y)));
}

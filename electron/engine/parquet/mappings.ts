// Remembers the mapping step's answers per column set in the data folder
// (import-mappings.json), so a second file with the same columns imports without asking.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnMapping } from '../../../shared/import';

const FILE_NAME = 'import-mappings.json';
/** Enough for every layout a person meets; the oldest answers go first beyond it. */
const MAX_REMEMBERED = 200;

type Remembered = Record<string, ColumnMapping>;

function load(dataDir: string): Remembered {
  const path = join(dataDir, FILE_NAME);
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Remembered) : {};
  } catch {
    return {};
  }
}

export function recallMapping(dataDir: string, key: string): ColumnMapping | null {
  return load(dataDir)[key] ?? null;
}

export function rememberMapping(dataDir: string, key: string, mapping: ColumnMapping): void {
  const all = load(dataDir);
  delete all[key];
  all[key] = mapping;
  const keys = Object.keys(all);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED))) delete all[old];
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, FILE_NAME);
  writeFileSync(`${path}.tmp`, JSON.stringify(all, null, 1));
  renameSync(`${path}.tmp`, path);
}

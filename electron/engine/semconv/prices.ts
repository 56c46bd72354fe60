// The model price table: which model costs what per token, matched by a pattern on the model
// name. The bundled table is resources/prices.json (imported here, so bundlers inline it); a user
// file in the same layout overrides it pattern by pattern (mergePriceTables).
//
// Layout of a price file (see README.md in this folder):
//   { "taken": "YYYY-MM-DD", "source": "...", "models": [
//       { "pattern": "gpt-4o-mini*", "input": 1.5e-7, "output": 6e-7, "cacheRead": 7.5e-8 }, ... ] }
// Prices are USD per token. A pattern is a glob (`*` any run of characters, `?` one character)
// matched against the whole model name, or a regular expression written as /source/. Matching
// ignores case. The first matching row wins, so more specific patterns come first.
import bundledPrices from '../../../resources/prices.json';
import type { TokenUsage } from './types';

export interface ModelPrice {
  pattern: string;
  /** USD per input token that was not read from or written to a prompt cache. */
  input: number;
  /** USD per output token (reasoning tokens included). */
  output: number;
  /** USD per input token read from a prompt cache; when absent, the input price. */
  cacheRead?: number;
  /** USD per input token written to a prompt cache; when absent, the input price. */
  cacheWrite?: number;
  provider?: string;
  /** Which entry of the file's `sources` the row comes from, or a free note. */
  source?: string;
  note?: string;
}

export interface PriceTable {
  /** When the prices were taken from their sources (YYYY-MM-DD); '' when unknown. */
  taken: string;
  source: string;
  models: ModelPrice[];
  /** One compiled matcher per row of `models`, same order. */
  readonly matchers: readonly RegExp[];
}

/** Thrown by loadPriceTable for a file that is not a price table. */
export class PriceTableError extends Error {
  override name = 'PriceTableError';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** A glob or /regex/ pattern as a case-insensitive RegExp. */
export function compilePattern(pattern: string): RegExp {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    const flags = regex[2]!.includes('i') ? regex[2]! : `${regex[2]!}i`;
    return new RegExp(regex[1]!, flags);
  }
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)))
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkRow(row: unknown, where: string): ModelPrice {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new PriceTableError(`${where}: not an object`);
  const r = row as Record<string, unknown>;
  if (typeof r.pattern !== 'string' || r.pattern === '') throw new PriceTableError(`${where}: "pattern" must be a non-empty string`);
  if (!isPrice(r.input)) throw new PriceTableError(`${where} (${r.pattern}): "input" must be a number >= 0 (USD per token)`);
  if (!isPrice(r.output)) throw new PriceTableError(`${where} (${r.pattern}): "output" must be a number >= 0 (USD per token)`);
  for (const key of ['cacheRead', 'cacheWrite'] as const) {
    if (r[key] !== undefined && r[key] !== null && !isPrice(r[key])) {
      throw new PriceTableError(`${where} (${r.pattern}): "${key}" must be a number >= 0 (USD per token)`);
    }
  }
  try {
    compilePattern(r.pattern);
  } catch (error) {
    throw new PriceTableError(`${where}: bad pattern ${r.pattern}: ${(error as Error).message}`);
  }
  const price: ModelPrice = { pattern: r.pattern, input: r.input, output: r.output };
  if (isPrice(r.cacheRead)) price.cacheRead = r.cacheRead;
  if (isPrice(r.cacheWrite)) price.cacheWrite = r.cacheWrite;
  if (typeof r.provider === 'string') price.provider = r.provider;
  if (typeof r.source === 'string') price.source = r.source;
  if (typeof r.note === 'string') price.note = r.note;
  return price;
}

function makeTable(taken: string, source: string, models: ModelPrice[]): PriceTable {
  return { taken, source, models, matchers: models.map((m) => compilePattern(m.pattern)) };
}

/**
 * A price table from parsed JSON (or JSON text). Checks every row and throws PriceTableError,
 * naming the row, for anything that is not a price.
 */
export function loadPriceTable(json: unknown): PriceTable {
  let data = json;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch (error) {
      throw new PriceTableError(`not JSON: ${(error as Error).message}`);
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new PriceTableError('a price table is a JSON object');
  const d = data as Record<string, unknown>;
  if (!Array.isArray(d.models)) throw new PriceTableError('"models" must be an array');
  const models = d.models.map((row, i) => checkRow(row, `models[${i}]`));
  return makeTable(typeof d.taken === 'string' ? d.taken : '', typeof d.source === 'string' ? d.source : '', models);
}

/**
 * The base table with the user's rows applied: a user row whose pattern equals a base row's
 * replaces it in place; the other user rows come first, so they win over the base table.
 */
export function mergePriceTables(base: PriceTable, userOverride: PriceTable | null | undefined): PriceTable {
  if (!userOverride || userOverride.models.length === 0) return base;
  const byPattern = new Map(userOverride.models.map((m) => [m.pattern, m]));
  const replaced = new Set<string>();
  const merged = base.models.map((m) => {
    const user = byPattern.get(m.pattern);
    if (!user) return m;
    replaced.add(m.pattern);
    return user;
  });
  const added = userOverride.models.filter((m) => !replaced.has(m.pattern));
  const taken = userOverride.taken || base.taken;
  const source = userOverride.source ? `${userOverride.source}; base: ${base.source}` : base.source;
  return makeTable(taken, source, [...added, ...merged]);
}

/** The table shipped in resources/prices.json. */
export const DEFAULT_PRICE_TABLE: PriceTable = loadPriceTable(bundledPrices);

// Names to try for one model: as given, without a provider path ("openai/gpt-4o",
// "models/gemini-2.5-pro", "publishers/google/models/…"), and without an Amazon Bedrock
// vendor prefix ("us.anthropic.claude-…", "meta.llama3-…").
const BEDROCK_PREFIX = /^(?:[a-z]{2,4}\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai|qwen)\./i;

function candidateNames(model: string): string[] {
  const names = [model.trim()];
  const slash = names[0]!.lastIndexOf('/');
  if (slash >= 0) names.push(names[0]!.slice(slash + 1));
  for (const name of [...names]) {
    const stripped = name.replace(BEDROCK_PREFIX, '');
    if (stripped !== name) names.push(stripped);
  }
  return names.filter((n) => n !== '');
}

/**
 * Answers already given per table (a table is never changed once built): ingest asks for the
 * same few model names on every LLM span, and matching every pattern of the table against each
 * candidate name was ~5% of building a span's row. Bounded: a flood of distinct names (model
 * names are free text) empties it rather than growing it without limit.
 */
const priceLookups = new WeakMap<PriceTable, Map<string, ModelPrice | null>>();
const MAX_REMEMBERED_MODELS = 4096;

/** The table's row for a model name, or null when no pattern matches. */
export function findPrice(model: string | null | undefined, table: PriceTable = DEFAULT_PRICE_TABLE): ModelPrice | null {
  if (!model) return null;
  let remembered = priceLookups.get(table);
  if (!remembered) priceLookups.set(table, (remembered = new Map()));
  const known = remembered.get(model);
  if (known !== undefined) return known;
  const price = matchPrice(model, table);
  if (remembered.size >= MAX_REMEMBERED_MODELS) remembered.clear();
  remembered.set(model, price);
  return price;
}

function matchPrice(model: string, table: PriceTable): ModelPrice | null {
  const names = candidateNames(model);
  for (let i = 0; i < table.models.length; i++) {
    const matcher = table.matchers[i]!;
    if (names.some((n) => matcher.test(n))) return table.models[i]!;
  }
  return null;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * USD for one model call, or null when the model has no price in the table (never 0 for an
 * unknown model) or the usage has no token counts at all. Cache reads and writes are priced at
 * their own rates (the input rate when the table has none); the rest of the input at the input
 * rate.
 */
export function costFor(model: string | null | undefined, usage: TokenUsage, table: PriceTable = DEFAULT_PRICE_TABLE): number | null {
  if (usage.inputTokens == null && usage.outputTokens == null) return null;
  const price = findPrice(model, table);
  if (!price) return null;
  const input = count(usage.inputTokens);
  const cacheRead = Math.min(count(usage.cacheReadTokens), input);
  const cacheWrite = Math.min(count(usage.cacheWriteTokens), input - cacheRead);
  const fresh = input - cacheRead - cacheWrite;
  return (
    fresh * price.input +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    count(usage.outputTokens) * price.output
  );
}

// Retention settings (kept in localStorage) and the policy they mean at a given moment. While
// "automatic" is on, the window applies the policy once a minute (the engine has no settings
// of its own for it yet). Pure helpers are unit-tested.
export interface RetentionSettings {
  /** Keep traces that started within this many days; null = no age limit. */
  maxAgeDays: number | null;
  /** Keep at most this many spans (newest traces first); null = no size limit. */
  maxSpans: number | null;
  automatic: boolean;
}

export const RETENTION_KEY = 'tracedeck.retention';
export const DEFAULT_RETENTION: RetentionSettings = { maxAgeDays: null, maxSpans: null, automatic: false };

export function parseRetention(json: string | null): RetentionSettings {
  try {
    const v = JSON.parse(json ?? 'null') as Partial<RetentionSettings> | null;
    if (!v || typeof v !== 'object') return DEFAULT_RETENTION;
    const positive = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null);
    return { maxAgeDays: positive(v.maxAgeDays), maxSpans: positive(v.maxSpans) === null ? null : Math.floor(v.maxSpans!), automatic: v.automatic === true };
  } catch {
    return DEFAULT_RETENTION;
  }
}

/** The TraceApi.pruneTraces policy for these settings at `nowMs`. */
export function retentionPolicy(settings: RetentionSettings, nowMs: number): { olderThanNs?: string; maxSpans?: number } {
  const policy: { olderThanNs?: string; maxSpans?: number } = {};
  if (settings.maxAgeDays !== null) policy.olderThanNs = (BigInt(Math.floor(nowMs - settings.maxAgeDays * 86_400_000)) * 1_000_000n).toString();
  if (settings.maxSpans !== null) policy.maxSpans = settings.maxSpans;
  return policy;
}

// Wall time of an import's phases, printed to stderr when TRACEDECK_IMPORT_PHASES=1 (the
// Parquet bench sets it): where a 1M-span import's seconds go, without a profiler. Off, a mark
// is one property read.

export class PhaseTimes {
  private last = performance.now();
  private readonly phases: [string, number][] = [];

  constructor(readonly enabled = process.env.TRACEDECK_IMPORT_PHASES === '1') {}

  /** Ends the phase running since the previous mark (or since construction) under `name`. */
  mark(name: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  /** "keys 0.41 s, insert 6.02 s, …"; phases marked more than once are added up. */
  summary(): string {
    const totals = new Map<string, number>();
    for (const [name, ms] of this.phases) totals.set(name, (totals.get(name) ?? 0) + ms);
    return [...totals].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`).join(', ');
  }

  /** Prints the summary to stderr (when enabled). */
  report(label: string): void {
    if (this.enabled && this.phases.length > 0) process.stderr.write(`${label}: ${this.summary()}\n`);
  }
}

import type { DecodeStats } from '../types.ts';

/**
 * The words a Prophesee kernel reads past without events (IMU, continued, others…), counted by word type and
 * reported in `stats.skipped` under each type's name. The JS hot loops increment `byType` directly (no call per
 * word); the WebAssembly path adds its own counts after each run.
 */
export class SkippedWordCounts {
  /** Words read past so far, indexed by word type (4 bits). */
  readonly byType = new Float64Array(16);
  private readonly types: number[];

  /** `names`: the reported word types and their names in `stats.skipped`. */
  constructor(private readonly names: Readonly<Record<number, string>>) {
    this.types = Object.keys(names).map(Number);
  }

  /** Adds the counts the WebAssembly loop kept (indexed by word type). */
  add(counts: ArrayLike<number>): void {
    for (const type of this.types) this.byType[type] += counts[type]!;
  }

  /** Writes the totals so far into `stats.skipped` (types never seen stay absent). */
  report(stats: DecodeStats): void {
    for (const type of this.types) {
      if (this.byType[type]! > 0) stats.skipped[this.names[type]!] = this.byType[type]!;
    }
  }
}

/** Counts the words dropped before the first TIME_HIGH (they have no time base: OpenEB drops them too). */
export function addSkippedBeforeTimeHigh(stats: DecodeStats, words: number): void {
  if (words > 0) stats.skipped.beforeTimeHigh = (stats.skipped.beforeTimeHigh ?? 0) + words;
}

/** Figures shared by `npm run bench` and `npm run soak`. */

/** The p-th percentile (0–100) of ascending `sorted` samples; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

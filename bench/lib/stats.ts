// Small statistics for bench figures: medians of rounds, ratios, formatting.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const fixed = (value: number, digits = 0) => value.toFixed(digits);

/** "1,234,567" for big counts. */
export const grouped = (value: number) => Math.round(value).toLocaleString('en-US');

/** The value below which `p` (0-1) of the samples fall. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

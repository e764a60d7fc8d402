/**
 * Small, pure statistics for the benchmark: percentiles by linear interpolation between
 * closest ranks (as numpy's default), so the median of [1, 2, 3, 4] is 2.5.
 */

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/**
 * The `p`-th percentile (0..100) of `values`; NaN for no values.
 * @example percentile([1, 2, 3, 4, 5], 50) // 3
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError('p must be within 0..100');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** @example median([3, 1, 2]) // 2 */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** @example summarize([1, 2, 3]).p95 // 2.9 */
export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: median(values),
    p95: percentile(values, 95),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

import { median, percentile, summarize } from '../../bench/stats';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates percentiles between closest ranks', () => {
    expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8);
    expect(percentile([10], 95)).toBe(10);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('is NaN for no values and refuses percentiles outside 0..100', () => {
    expect(median([])).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarizes', () => {
    const summary = summarize([1, 2, 3]);
    expect(summary).toMatchObject({ n: 3, median: 2, min: 1, max: 3 });
    expect(summary.p95).toBeCloseTo(2.9);
  });
});

import { describe, expect, it } from 'vitest';
import { RateEstimator, median } from '../../../../runner/engine/estimator.js';

describe('RateEstimator', () => {
  it('keeps the last samples when they are all stale', () => {
    const est = new RateEstimator();
    for (const start of [0, 1, 2]) est.add({ start, duration: 2, numReturns: 1 });
    expect(est.speed(1000)).toBe(0.5);
    expect(est.count).toBe(3);
  });

  it('evicts stale samples once more than minEvents recent ones exist', () => {
    const est = new RateEstimator(180, 5);
    for (const start of [0, 1, 2]) est.add({ start, duration: 10, numReturns: 1 });
    for (let start = 995; start <= 1000; start += 1) est.add({ start, duration: 1, numReturns: 1 });
    expect(est.count).toBe(6);
    expect(est.speed(1000)).toBe(1);
  });

  it('keeps a stale sample while it is needed to reach minEvents', () => {
    const est = new RateEstimator(180, 5);
    for (const start of [0, 1, 2]) est.add({ start, duration: 10, numReturns: 1 });
    for (const start of [995, 996, 997, 998]) est.add({ start, duration: 1, numReturns: 1 });
    // The sample started at 2 stays: (10 + 4 x 1) / 5 = 2.8 s per batch.
    expect(est.count).toBe(5);
    expect(est.speed(1000)).toBeCloseTo(1 / 2.8, 12);
  });

  it('evicts on add, using the sample start as now', () => {
    const est = new RateEstimator(180, 5);
    for (let start = 0; start < 6; start += 1) est.add({ start, duration: 1, numReturns: 1 });
    est.add({ start: 1000, duration: 1, numReturns: 1 });
    expect(est.count).toBe(5);
  });

  it('is undefined before any sample and keeps the last valid estimate afterwards', () => {
    const est = new RateEstimator(10, 0);
    expect(est.speed(0)).toBeUndefined();
    expect(est.returnsPerBatch(0)).toBeUndefined();
    est.add({ start: 0, duration: 4, numReturns: 3 });
    expect(est.speed(1)).toBe(0.25);
    expect(est.returnsPerBatch(1)).toBe(3);
    expect(est.speed(100)).toBe(0.25);
    expect(est.count).toBe(0);
    expect(est.returnsPerBatch(100)).toBe(3);
  });

  it('has no speed while every duration is zero', () => {
    const est = new RateEstimator();
    est.add({ start: 0, duration: 0, numReturns: 2 });
    expect(est.speed(0)).toBeUndefined();
    expect(est.returnsPerBatch(0)).toBe(2);
  });

  it('averages the number of returns per batch', () => {
    const est = new RateEstimator();
    for (const [i, numReturns] of [1, 2, 6].entries()) est.add({ start: i, duration: 1, numReturns });
    expect(est.returnsPerBatch(3)).toBe(3);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

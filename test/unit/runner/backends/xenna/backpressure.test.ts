import { describe, it, expect } from 'vitest';
import { maxQueued, canAdmit } from '../../../../../runner/backends/xenna/backpressure.js';

describe('Xenna back-pressure bound', () => {
  it('is max(ready × slots × multiplier, lower bound, next batch size)', () => {
    expect(maxQueued({ readyWorkers: 2, slotsPerWorker: 2, nextBatchSize: 1 })).toBe(8);
    expect(maxQueued({ readyWorkers: 10, slotsPerWorker: 2, nextBatchSize: 1 })).toBe(20);
    expect(maxQueued({ readyWorkers: 2, slotsPerWorker: 2, nextBatchSize: 32 })).toBe(32);
    expect(maxQueued({ readyWorkers: 3, slotsPerWorker: 2, multiplier: 1.5, lowerBound: 1, nextBatchSize: 1 })).toBe(9);
  });
  it('a blocked consumer throttles its producer through the un-consumed output term', () => {
    const bound = maxQueued({ readyWorkers: 2, slotsPerWorker: 2, nextBatchSize: 1 });
    // 4 running + 0 queued + 3 tasks' worth of output (6 samples at 2 per task) = 7 < 8: one more.
    expect(canAdmit({ usedSlots: 4, poolQueue: 0, outputSamples: 6, avgSamplesPerTask: 2, isLast: false, bound })).toBe(true);
    expect(canAdmit({ usedSlots: 4, poolQueue: 1, outputSamples: 6, avgSamplesPerTask: 2, isLast: false, bound })).toBe(false);
    // The last stage's output does not count.
    expect(canAdmit({ usedSlots: 4, poolQueue: 1, outputSamples: 600, avgSamplesPerTask: 2, isLast: true, bound })).toBe(true);
  });
  it('stops a stage whose queued output holds too many bytes, whatever the task count', () => {
    const bound = maxQueued({ readyWorkers: 2, slotsPerWorker: 2, nextBatchSize: 1 });
    const base = { usedSlots: 0, poolQueue: 0, outputSamples: 2, avgSamplesPerTask: 1, isLast: false, bound, maxOutputBytes: 100 };
    expect(canAdmit({ ...base, outputBytes: 99 })).toBe(true);
    expect(canAdmit({ ...base, outputBytes: 100 })).toBe(false);
    // Without a byte bound (in front of a whole-input stage) only the count bound applies.
    expect(canAdmit({ ...base, outputBytes: 10_000, maxOutputBytes: undefined })).toBe(true);
    expect(canAdmit({ ...base, outputBytes: 10_000, isLast: true })).toBe(true);
  });
});

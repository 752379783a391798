/**
 * Xenna's streaming back-pressure bound (schedulers.md §1.4): a stage stops pulling input once
 * its queued + running + un-consumed output tasks reach
 * `max(floor(ready_workers × slots × multiplier), lower_bound, next_stage_batch_size)`.
 */
export function maxQueued(p: { readyWorkers: number; slotsPerWorker: number; multiplier?: number; lowerBound?: number; nextBatchSize: number }): number {
  return Math.max(Math.floor(p.readyWorkers * p.slotsPerWorker * (p.multiplier ?? 1)), p.lowerBound ?? 8, p.nextBatchSize);
}

/**
 * Whether a stage may take one more batch: in-progress (running + queued in the pool) plus its
 * un-consumed output (samples waiting in its output queue divided by average samples per task;
 * 0 for the last stage) must stay below the bound.
 */
export function canAdmit(p: { usedSlots: number; poolQueue: number; outputSamples: number; avgSamplesPerTask: number; isLast: boolean; bound: number }): boolean {
  const inProgress = p.usedSlots + p.poolQueue;
  const completed = p.isLast ? 0 : p.outputSamples / (p.avgSamplesPerTask > 0 ? p.avgSamplesPerTask : 1);
  return inProgress + completed < p.bound;
}

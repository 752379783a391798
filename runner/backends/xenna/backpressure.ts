/**
 * Xenna's streaming back-pressure bound (schedulers.md §1.4): a stage stops pulling input once
 * its queued + running + un-consumed output tasks reach
 * `max(floor(ready_workers × slots × multiplier), lower_bound, next_stage_batch_size)`.
 */
export function maxQueued(p: { readyWorkers: number; slotsPerWorker: number; multiplier?: number; lowerBound?: number; nextBatchSize: number }): number {
  return Math.max(Math.floor(p.readyWorkers * p.slotsPerWorker * (p.multiplier ?? 1)), p.lowerBound ?? 8, p.nextBatchSize);
}

/**
 * Bytes of data (string lengths, as `estimateBytes` counts them) a stage's output queue, and its own
 * queue of waiting batches, may each hold before the stage stops taking input (streaming mode).
 */
export const MAX_QUEUED_OUTPUT_BYTES = 32 * 2 ** 20;

/**
 * Whether a stage may take one more batch: in-progress (running + queued in the pool) plus its
 * un-consumed output (samples waiting in its output queue divided by average samples per task;
 * 0 for the last stage) must stay below the bound.
 */
export function canAdmit(p: { usedSlots: number; poolQueue: number; outputSamples: number; avgSamplesPerTask: number; isLast: boolean; bound: number; outputBytes?: number; maxOutputBytes?: number }): boolean {
  const inProgress = p.usedSlots + p.poolQueue;
  const completed = p.isLast ? 0 : p.outputSamples / (p.avgSamplesPerTask > 0 ? p.avgSamplesPerTask : 1);
  // A memory bound on top of Xenna's count bound: large tasks (a 32 MiB byte range of a file) must
  // not pile up in the engine while a slower stage downstream catches up. One task always may run.
  // (Output bytes at the bound means tasks are queued, which the next stage will take.)
  if (!p.isLast && p.maxOutputBytes !== undefined && (p.outputBytes ?? 0) >= p.maxOutputBytes) return false;
  return inProgress + completed < p.bound;
}

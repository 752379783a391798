import { z } from 'zod';

/**
 * The Xenna executor's configuration: NeMo Curator's five keys with the seed's defaults, plus
 * three of cosmos-xenna's own knobs that a single machine makes worth exposing.
 */
export const XennaConfigSchema = z
  .object({
    execution_mode: z.enum(['streaming', 'batch']).default('streaming').describe('streaming: all stages at once with back-pressure and autoscaling; batch: one stage after another, each with the whole machine'),
    logging_interval: z.number().positive().default(60).describe('Seconds between status-log tables (also printed at the end)'),
    ignore_failures: z.boolean().default(false).describe('Drop a batch whose stage throws (counted) instead of failing the run'),
    cpu_allocation_percentage: z.number().gt(0).lte(1).default(0.95).describe('Fraction of the CPUs the scheduler may allocate: floor(cpus × this)'),
    autoscale_interval_s: z.number().positive().default(180).describe('Seconds between autoscaler solves (streaming only; the first solve is at start)'),
    slots_per_actor: z.number().int().min(1).default(2).describe('Task slots per worker: one runs, the others pre-queue work'),
    scale_down_grace_after_ready_s: z.number().min(0).default(60).describe('A worker ready for less than this is never removed by the autoscaler'),
    max_queued_lower_bound: z.number().int().min(1).default(8).describe('Lower bound of the per-stage back-pressure limit'),
  })
  .strict();

/** Validated Xenna configuration. */
export type XennaConfig = z.output<typeof XennaConfigSchema>;

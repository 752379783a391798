import { z } from 'zod';

/**
 * RayDataExecutor's configuration. NeMo Curator reads no keys for it; these are Ray Data's own
 * knobs, with Ray's defaults, that matter on one machine.
 */
export const RayDataConfigSchema = z
  .object({
    logging_interval: z.number().positive().default(60).describe('Seconds between status-log tables (also printed at the end)'),
    op_resource_reservation_ratio: z.number().gt(0).lte(1).default(0.5).describe('Share of the resources reserved per operator by the reservation allocator'),
    object_store_memory_bytes: z.number().int().positive().optional().describe('Budget for buffered batches across operators (default: half of 30% of RAM, as Ray Data)'),
    max_tasks_in_flight_per_actor: z.number().int().min(1).default(2).describe('Batches an actor holds at once (one runs, the others wait)'),
  })
  .strict();

/** Validated Ray Data configuration. */
export type RayDataConfig = z.output<typeof RayDataConfigSchema>;

import { z } from 'zod';

/** RayActorPoolExecutor's configuration: NeMo Curator's keys and defaults. */
export const RayActorPoolConfigSchema = z
  .object({
    reserved_cpus: z.number().min(0).default(0).describe('CPUs kept free: subtracted before the actor count of each stage is computed'),
    reserved_gpus: z.number().min(0).default(0).describe('GPUs kept free: subtracted before the actor count of each stage is computed'),
    logging_interval: z.number().positive().default(60).describe('Seconds between status-log tables (also printed at the end)'),
  })
  .strict();

/** Validated RayActorPool configuration. */
export type RayActorPoolConfig = z.output<typeof RayActorPoolConfigSchema>;

import { type z } from 'zod';
import type { BackendName } from '../engine/events.js';
import type { Executor } from '../engine/executor.js';
import { ValidationError } from '../pipeline/errors.js';
import { XennaConfigSchema } from './xenna/config.js';
import { XennaExecutor } from './xenna/executor.js';
import { RayDataConfigSchema } from './ray-data/config.js';
import { RayDataExecutor } from './ray-data/executor.js';
import { RayActorPoolConfigSchema } from './ray-actor-pool/config.js';
import { RayActorPoolExecutor } from './ray-actor-pool/executor.js';

/** One selectable backend: its config schema (seed names and defaults) and how to make it. */
export interface BackendDefinition {
  name: BackendName;
  title: string;
  description: string;
  experimental: boolean;
  /** Null while the backend is not available in this build. */
  config: z.ZodObject | null;
  create: ((config: Record<string, unknown>) => Executor) | null;
}

/** Every backend name a pipeline file or `--backend` may use. */
export const BACKEND_NAMES = ['xenna', 'ray_data', 'ray_actor_pool'] as const satisfies readonly BackendName[];

/** The backend catalog. */
export const BACKENDS: Record<BackendName, BackendDefinition> = {
  xenna: {
    name: 'xenna',
    title: 'Xenna',
    description: 'Streaming (all stages at once, back-pressure, max-min autoscaler) or batch (stage after stage). The default.',
    experimental: false,
    config: XennaConfigSchema,
    create: (c) => new XennaExecutor(c),
  },
  ray_data: {
    name: 'ray_data',
    title: 'Ray Data',
    description: "Ray Data's streaming executor: task and actor pools, resource-budget back-pressure, actor-pool autoscaling, operator fusion.",
    experimental: true,
    config: RayDataConfigSchema,
    create: (c) => new RayDataExecutor(c),
  },
  ray_actor_pool: {
    name: 'ray_actor_pool',
    title: 'Ray Actor Pool',
    description: 'Stage after stage with a barrier; actor count per stage by NeMo Curator\u2019s formula; ActorPool load balancing; gang (RAFT actor) stages.',
    experimental: true,
    config: RayActorPoolConfigSchema,
    create: (c) => new RayActorPoolExecutor(c),
  },
};

/** Validates a backend's config; returns the parsed config or the problems, each naming the key. */
export function parseBackendConfig(backend: string, config: unknown, where = 'executor.config'): { ok: true; config: Record<string, unknown> } | { ok: false; problems: string[] } {
  const def = (BACKENDS as Record<string, BackendDefinition>)[backend];
  if (!def) return { ok: false, problems: [`unknown backend "${backend}" (choose one of ${BACKEND_NAMES.join(', ')})`] };
  if (!def.config || !def.create) return { ok: false, problems: [`backend "${backend}" is not available in this version of Curator Desktop; use "xenna"`] };
  const r = def.config.safeParse(config ?? {});
  if (r.success) return { ok: true, config: r.data as Record<string, unknown> };
  return { ok: false, problems: r.error.issues.map((i) => `${where}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}${i.code === 'unrecognized_keys' ? ` (known keys: ${Object.keys(def.config?.shape ?? {}).join(', ')})` : ''}`) };
}

/** Makes an executor for a backend and config; a ValidationError names what is wrong. */
export function createExecutor(backend: string, config: unknown = {}): Executor {
  const r = parseBackendConfig(backend, config);
  if (!r.ok) throw new ValidationError(r.problems);
  const def = BACKENDS[backend as BackendName];
  return (def.create as NonNullable<BackendDefinition['create']>)(r.config);
}

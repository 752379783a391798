import type { ProcessingStage, StageSpec } from '../pipeline/stage.js';
import { CompositeStage } from '../pipeline/stage.js';
import { findStage, getStage } from '../stages/registry.js';
import { builtinStageModule } from '../stages/modules.js';

/**
 * Re-creates a processing stage from its spec inside a worker process: imports the module that
 * registers its type (only that one), builds the stage from its (already resolved)
 * parameters, and applies the overrides it was planned with.
 */
export async function createStageFromSpec(spec: StageSpec): Promise<ProcessingStage> {
  if (!findStage(spec.type)) {
    const module = spec.module ?? builtinStageModule(spec.type);
    if (module) await import(module);
  }
  const def = getStage(spec.type);
  const identity = { resolvePath: (p: string) => p };
  const built = def.create(def.params.parse(spec.params), identity);
  if (built instanceof CompositeStage) throw new Error(`stage type "${spec.type}" is a composite; workers run its sub-stages`);
  const o = spec.overrides;
  const stage = built.with_({
    name: o.name,
    resources: o.resources,
    batch_size: o.batch_size,
    num_workers: o.num_workers,
    ray_stage_spec: o.ray_stage_spec,
    xenna_stage_spec: o.xenna_stage_spec,
  });
  stage.is_source_stage = o.is_source_stage;
  stage.is_sink_stage = o.is_sink_stage;
  if (spec.module) stage.module = spec.module;
  return stage;
}

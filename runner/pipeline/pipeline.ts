import { CompositeStage, ProcessingStage, type AnyStage } from './stage.js';
import { EmptyTask, type Task } from './tasks.js';
import { rootTaskIds } from './task-ids.js';
import { ValidationError } from './errors.js';
import type { Executor, RunOptions } from '../engine/executor.js';

/**
 * A named list of stages, NeMo Curator's `Pipeline`: `add_stage`, `build` (decompose composites,
 * assign source and sink roles), `describe`, and `run(executor)` which returns the output tasks of
 * the last stage.
 */
export class Pipeline {
  name: string;
  description: string | null;
  stages: AnyStage[];
  /** Composite name → the names of the sub-stages it became. */
  decomposition_info: Record<string, string[]> = {};
  private built = false;

  constructor(name: string, description: string | null = null, stages: AnyStage[] = []) {
    this.name = name;
    this.description = description;
    this.stages = [...stages];
  }

  /** Appends a stage; chainable. */
  add_stage(stage: AnyStage): this {
    if (!(stage instanceof ProcessingStage) && !(stage instanceof CompositeStage)) {
      throw new TypeError(`add_stage expects a ProcessingStage or CompositeStage, got ${typeof stage}`);
    }
    this.stages.push(stage);
    this.built = false;
    return this;
  }

  /** Decomposes composites in place and assigns the source and sink roles. Idempotent. */
  build(): ProcessingStage[] {
    if (this.built) return this.stages as ProcessingStage[];
    if (this.stages.length === 0) throw new ValidationError([`pipeline "${this.name}" has no stages`]);
    const flat: ProcessingStage[] = [];
    for (const s of this.stages) {
      if (s instanceof CompositeStage) {
        const subs = s.decompose_and_apply_with();
        for (const sub of subs) {
          if (sub instanceof CompositeStage) throw new TypeError(`composite stage "${s.name}" contains another composite ("${(sub as CompositeStage).name}"); nesting is not supported`);
        }
        this.decomposition_info[s.name] = subs.map((x) => x.name);
        flat.push(...subs);
      } else flat.push(s);
    }
    const sources = flat.filter((s) => s.is_source_stage);
    const sinks = flat.filter((s) => s.is_sink_stage);
    if (sources.length > 1) throw new ValidationError([`pipeline "${this.name}": more than one stage is marked as the source (${sources.map((s) => s.name).join(', ')})`]);
    if (sinks.length > 1) throw new ValidationError([`pipeline "${this.name}": more than one stage is marked as the sink (${sinks.map((s) => s.name).join(', ')})`]);
    if (sources.length === 0) (flat[0] as ProcessingStage).is_source_stage = true;
    if (sinks.length === 0) (flat[flat.length - 1] as ProcessingStage).is_sink_stage = true;
    this.stages = flat;
    this.built = true;
    return flat;
  }

  /** A text description in NeMo Curator's shape. */
  describe(): string {
    const lines = [`Pipeline: ${this.name}`, `Description: ${this.description ?? 'No description provided'}`, `Stages: ${this.stages.length}`];
    this.stages.forEach((s, i) => {
      lines.push('', `Stage ${i}: ${s.name}`);
      if (s instanceof CompositeStage) {
        lines.push(`  Composite of: ${s.decompose().map((x) => x.name).join(', ')}`);
        return;
      }
      try {
        lines.push(`  Resources: ${s.resources.cpus} CPUs`);
        if (s.resources.requiresGpu) lines.push(`    GPU Memory: ${s.resources.gpu_memory_gb} GB (${s.resources.gpus} GPUs)`);
        lines.push(`  Batch size: ${s.batch_size}`);
        const [ia, ic] = s.inputs();
        const [oa, oc] = s.outputs();
        lines.push('  Inputs:', `    Required attributes: ${ia.join(', ') || '-'}`, `    Required columns: ${ic.join(', ') || '-'}`);
        lines.push('  Outputs:', `    Output attributes: ${oa.join(', ') || '-'}`, `    Output columns: ${oc.join(', ') || '-'}`);
      } catch (e: unknown) {
        lines.push(`  Error getting stage info: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    return lines.join('\n');
  }

  /** Builds, then runs on the executor; returns the last stage's output tasks. */
  async run(executor: Executor, initialTasks: Task[] | null = null, options: RunOptions = {}): Promise<Task[]> {
    const stages = this.build();
    let initial: Task[];
    if (initialTasks && initialTasks.length) {
      const ids = rootTaskIds(initialTasks.length);
      initialTasks.forEach((t, i) => (t.task_id = ids[i] as string));
      initial = initialTasks;
    } else initial = [new EmptyTask()];
    const result = await executor.execute(stages, initial, { pipelineName: this.name, ...options });
    return result.tasks;
  }
}

import type { ProcessingStage } from '../pipeline/stage.js';
import type { WireTask } from '../pipeline/tasks.js';
import type { ProcessReply, StepResult } from './protocol.js';
import { StageAdapter } from './stage-adapter.js';
import { addCounters, emptyReport, mergeReports } from './removals.js';

/**
 * The stages one worker process runs, in order: usually one; several when a backend fuses cheap
 * stages into the following one (Ray Data's operator fusion), so that they do not pay a process
 * hop each. Each stage sees batches of its own batch_size; each reports its own step, so the
 * funnel stays per stage. An error is tagged with the stage that threw.
 */
export class StageChain {
  readonly adapters: StageAdapter[];

  constructor(readonly stages: ProcessingStage[]) {
    this.adapters = stages.map((s) => new StageAdapter(s));
  }

  async processBatch(wire: WireTask[]): Promise<ProcessReply> {
    let current = wire;
    const steps: StepResult[] = [];
    for (const adapter of this.adapters) {
      const stage = adapter.stage;
      // A gang stage processes its whole share in one call (its collectives must pair up across ranks).
      const size = stage.ray_stage_spec.is_raft_actor === true ? Math.max(1, current.length) : Math.max(1, stage.batch_size);
      const out: WireTask[] = [];
      let step: StepResult | null = null;
      for (let i = 0; i < current.length || (i === 0 && this.adapters.length === 1); i += size) {
        let r: Awaited<ReturnType<StageAdapter['processBatch']>>;
        try {
          r = await adapter.processBatch(current.slice(i, i + size));
        } catch (err: unknown) {
          if (err instanceof Error && this.adapters.length > 1) {
            // Name the stage that threw and the first task it was given, not the chain's input.
            Object.assign(err, { stage: stage.name, task_id: current[i]?.task_id ?? null });
          }
          throw err;
        }
        out.push(...r.tasks);
        step = step ? merge(step, r.step) : r.step;
      }
      steps.push(step ?? empty(stage.name));
      current = out;
    }
    return { tasks: current, steps };
  }
}

function merge(a: StepResult, b: StepResult): StepResult {
  const out: StepResult = {
    stage: a.stage,
    tasks_in: a.tasks_in + b.tasks_in,
    items_in: a.items_in + b.items_in,
    tasks_out: a.tasks_out + b.tasks_out,
    items_out: a.items_out + b.items_out,
    returned_none: a.returned_none + b.returned_none,
    started_at: a.started_at,
    duration_s: a.duration_s + b.duration_s,
  };
  if (a.removed || b.removed) {
    out.removed = emptyReport();
    if (a.removed) mergeReports(out.removed, a.removed);
    if (b.removed) mergeReports(out.removed, b.removed);
  }
  if (a.counters || b.counters) {
    out.counters = {};
    addCounters(out.counters, a.counters);
    addCounters(out.counters, b.counters);
  }
  return out;
}

function empty(stage: string): StepResult {
  return { stage, tasks_in: 0, items_in: 0, tasks_out: 0, items_out: 0, returned_none: 0, started_at: Date.now() / 1000, duration_s: 0 };
}

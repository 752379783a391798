import { performance } from 'node:perf_hooks';
import type { ProcessingStage } from '../pipeline/stage.js';
import { fromWire, estimateBytes, type Task, type WireTask } from '../pipeline/tasks.js';
import { assignTaskIds } from '../pipeline/task-ids.js';
import type { StagePerfStats } from '../pipeline/perf.js';
import type { StepResult } from './protocol.js';

/**
 * Runs one batch through a stage the way NeMo Curator's `BaseStageAdapter.process_batch` does:
 * times it, turns dropped outputs into gaps, assigns task ids by the path rule, and attaches one
 * perf record to every output task. Runs inside the worker process.
 */
export class StageAdapter {
  private lastFinished: number | null = null;
  private metrics: Record<string, number> = {};

  constructor(readonly stage: ProcessingStage) {}

  /** Called by the stage's runtime for `logMetric`. */
  recordMetric(name: string, value: number): void {
    this.metrics[name] = (this.metrics[name] ?? 0) + value;
  }

  async processBatch(wire: WireTask[]): Promise<{ tasks: WireTask[]; step: StepResult }> {
    const startedAt = Date.now() / 1000;
    const t0 = performance.now();
    const idle = this.lastFinished === null ? 0 : (t0 - this.lastFinished) / 1000;
    this.metrics = {};
    const inputs = wire.map(fromWire);
    const items = inputs.reduce((n, t) => n + t.num_items, 0);
    const bytes = wire.reduce((n, t) => n + estimateBytes(t.data), 0);
    const isSource = this.stage.is_source_stage;

    const outIds: Array<string | null> = [];
    const outTasks: Array<Task | null> = [];
    if (this.stage.supportsBatchProcessing()) {
      const outs = await this.stage.process_batch(inputs);
      outTasks.push(...outs);
      outIds.push(...assignTaskIds(inputs.map((t) => t.task_id), outs.map(contentOf), isSource));
    } else {
      // Parent by parent, so that ids stay deterministic whatever the batch holds.
      for (const t of inputs) {
        this.stage.validate_input(t);
        const r = await this.stage.process(t);
        const outs = Array.isArray(r) ? r : [r];
        outTasks.push(...outs);
        outIds.push(...assignTaskIds([t.task_id], outs.map(contentOf), isSource));
      }
    }
    const perf: StagePerfStats = {
      stage_name: this.stage.name,
      process_time: 0,
      actor_idle_time: idle,
      input_data_size_mb: bytes / 2 ** 20,
      num_items_processed: items,
      custom_metrics: this.metrics,
    };
    const tasks: WireTask[] = [];
    let none = 0;
    outTasks.forEach((t, i) => {
      if (!t) {
        none++;
        return;
      }
      t.task_id = outIds[i] as string;
      t.addStagePerf(perf);
      tasks.push(t.toWire());
    });
    const end = performance.now();
    perf.process_time = (end - t0) / 1000;
    this.lastFinished = end;
    const step: StepResult = {
      stage: this.stage.name,
      tasks_in: wire.length,
      items_in: items,
      tasks_out: tasks.length,
      items_out: tasks.reduce((n, t) => n + (Array.isArray(t.data) ? t.data.length : 0), 0),
      returned_none: none,
      started_at: startedAt,
      duration_s: perf.process_time,
    };
    return { tasks, step };
  }
}

function contentOf(t: Task | null): { contentId: string | null } | null {
  return t ? { contentId: t.getDeterministicId() } : null;
}

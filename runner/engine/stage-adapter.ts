import { performance } from 'node:perf_hooks';
import type { LogLevel, ProcessingStage, RemovedDocument, StageRuntime } from '../pipeline/stage.js';
import { fromWire, estimateBytes, type Task, type WireTask } from '../pipeline/tasks.js';
import { assignTaskIds } from '../pipeline/task-ids.js';
import type { StagePerfStats } from '../pipeline/perf.js';
import type { StepResult } from './protocol.js';
import { addRemoval, emptyReport, SAMPLES_PER_REASON, writeRemovedFile } from './removals.js';

/**
 * Runs one batch through a stage the way NeMo Curator's `BaseStageAdapter.process_batch` does:
 * times it, turns dropped outputs into gaps, assigns task ids by the path rule, and attaches one
 * perf record to every output task. Runs inside the worker process.
 */
export class StageAdapter {
  private lastFinished: number | null = null;
  private metrics: Record<string, number> = {};
  private counters: Record<string, number> = {};
  private removed: RemovedDocument[] = [];
  /** Sample documents sent so far per reason, over the life of this worker. */
  private readonly samplesSent: Record<string, number> = {};

  constructor(readonly stage: ProcessingStage) {}

  /** Called by the stage's runtime for `logMetric`. */
  recordMetric(name: string, value: number): void {
    this.metrics[name] = (this.metrics[name] ?? 0) + value;
  }

  /** The runtime a worker gives this adapter's stage: metrics, removals and counters land in the current batch's step. */
  runtimeFor(log: (level: LogLevel, message: string) => void): StageRuntime {
    return {
      log,
      metric: (name, value) => this.recordMetric(name, value),
      removed: (doc, reason, detail) => void this.removed.push(detail ? { doc, reason, detail } : { doc, reason }),
      count: (name, n) => void (this.counters[name] = (this.counters[name] ?? 0) + n),
    };
  }

  /** Moves the removals recorded since the last call into the report, writing them to removed_path if set. */
  private async takeRemoved(report: ReturnType<typeof emptyReport>, taskId: string): Promise<void> {
    if (!this.removed.length) return;
    const removed = this.removed;
    this.removed = [];
    for (const r of removed) {
      // Every removal is counted; samples are sent only until the stage has sent its share of each
      // reason (the engine keeps no more), so later batches do not carry documents to be dropped.
      const sent = this.samplesSent[r.reason] ?? 0;
      if (sent < SAMPLES_PER_REASON) this.samplesSent[r.reason] = sent + 1;
      addRemoval(report, r, sent < SAMPLES_PER_REASON ? SAMPLES_PER_REASON : 0);
    }
    if (this.stage.removed_path) await writeRemovedFile(this.stage.removed_path, this.stage.name, taskId, removed);
  }

  async processBatch(wire: WireTask[]): Promise<{ tasks: WireTask[]; step: StepResult }> {
    const startedAt = Date.now() / 1000;
    const t0 = performance.now();
    const idle = this.lastFinished === null ? 0 : (t0 - this.lastFinished) / 1000;
    this.metrics = {};
    this.counters = {};
    this.removed = [];
    const report = emptyReport();
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
      await this.takeRemoved(report, inputs[0]?.task_id ?? 'batch');
    } else {
      // Parent by parent, so that ids stay deterministic whatever the batch holds.
      for (const t of inputs) {
        this.stage.validate_input(t);
        const r = await this.stage.process(t);
        const outs = Array.isArray(r) ? r : [r];
        outTasks.push(...outs);
        outIds.push(...assignTaskIds([t.task_id], outs.map(contentOf), isSource));
        await this.takeRemoved(report, t.task_id);
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
    if (Object.keys(report.reasons).length) step.removed = report;
    if (Object.keys(this.counters).length) step.counters = this.counters;
    return { tasks, step };
  }
}

function contentOf(t: Task | null): { contentId: string | null } | null {
  return t ? { contentId: t.getDeterministicId() } : null;
}

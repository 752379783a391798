import { pipelineOf, timedRun, type BenchRow, type BenchStage } from './harness.js';

/**
 * (b) Autoscaler efficiency: an unbalanced sleep-based pipeline (5 ms and 50 ms per task) on 12
 * schedulable CPUs. The streaming autoscaler (short interval) against the best static split,
 * measured side by side; the best static split is the one that balances the two stages
 * (1 : 10 workers for 200 tasks/s each, with one CPU's worth kept for the source).
 */
export async function autoscalerEfficiency(tasks = 3000, cpus = 12): Promise<BenchRow> {
  const stages = (fast?: number, slow?: number): BenchStage[] => [
    { type: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 1, chars_per_doc: 10 }, resources: { cpus: 0.5 }, num_workers: 1 },
    { type: 'BusyStage', name: 'fast', params: { sleep_ms_per_task: 5 }, ...(fast ? { num_workers: fast } : {}) },
    { type: 'BusyStage', name: 'slow', params: { sleep_ms_per_task: 50 }, ...(slow ? { num_workers: slow } : {}) },
  ];
  const config = { cpu_allocation_percentage: 1, autoscale_interval_s: 1, scale_down_grace_after_ready_s: 1 };
  const staticRun = await timedRun(pipelineOf('bench-static', stages(1, 10)), config, { cpus });
  const autoRun = await timedRun(pipelineOf('bench-auto', stages()), config, { cpus });
  const workers = autoRun.result.summary.stages.map((s) => `${s.name}:${s.workers_max}`).join(',');
  return {
    name: 'autoscaler vs best static split',
    ratio: staticRun.wall / autoRun.wall,
    target: '>= 0.90',
    details: { tasks, cpus, static_tasks_per_s: tasks / staticRun.wall, auto_tasks_per_s: tasks / autoRun.wall, auto_workers_max: workers },
  };
}

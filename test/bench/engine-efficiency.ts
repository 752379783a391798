import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { burnCpuMs } from '../../runner/index.js';
import { pipelineOf, timedRun, type BenchRow } from './harness.js';

/**
 * (a) Engine efficiency: a CPU-bound pass-through stage (BusyStage burning `spinMs` of CPU per
 * task) through the engine on all cores, against the same function in a tight single-thread loop
 * times the number of cores. Start-up of the worker processes is included.
 */
export async function engineEfficiency(spinMs = 20, secondsOfWork = 12): Promise<BenchRow> {
  const cores = availableParallelism();
  const loopTasks = Math.max(20, Math.round(1000 / spinMs));
  const t0 = performance.now();
  for (let i = 0; i < loopTasks; i++) burnCpuMs(spinMs);
  const loopRate = loopTasks / ((performance.now() - t0) / 1000);
  const tasks = Math.round(secondsOfWork * cores * loopRate);
  const p = pipelineOf('bench-engine', [
    { type: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 1, chars_per_doc: 20 }, resources: { cpus: 0.25 }, num_workers: 1 },
    { type: 'BusyStage', name: 'spin', params: { spin_ms_per_task: spinMs }, num_workers: cores },
  ]);
  const { wall } = await timedRun(p, { cpu_allocation_percentage: 1 }, { cpus: cores });
  const rate = tasks / wall;
  return { name: 'engine efficiency (CPU-bound)', ratio: rate / (cores * loopRate), target: '>= 0.85', details: { cores, tasks, spin_ms: spinMs, engine_tasks_per_s: rate, loop_tasks_per_s: loopRate, wall_s: wall } };
}

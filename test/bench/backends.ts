import { performance } from 'node:perf_hooks';
import { createExecutor, EmptyTask, type RunEvent } from '../../runner/index.js';
import { pipelineOf, type BenchRow, type BenchStage } from './harness.js';

const STAGES: BenchStage[] = [
  { type: 'SyntheticDocuments', params: { num_tasks: 300, docs_per_task: 4, chars_per_doc: 200 }, resources: { cpus: 0.25 } },
  { type: 'BusyStage', name: 'cpu', params: { spin_ms_per_task: 6 } },
  { type: 'BusyStage', name: 'io', params: { sleep_ms_per_task: 12 } },
];

async function wallOf(backend: string, config: Record<string, unknown>): Promise<number> {
  const stages = pipelineOf(`bench-${backend}`, STAGES).build();
  const t0 = performance.now();
  await createExecutor(backend, { logging_interval: 3600, ...config }).execute(stages, [new EmptyTask()], { cpus: 4 });
  return (performance.now() - t0) / 1000;
}

/** One row per backend: throughput on the same pipeline relative to Xenna streaming, measured side by side. */
export async function backendRows(): Promise<BenchRow[]> {
  const runs: Array<[string, string, Record<string, unknown>]> = [
    ['xenna streaming', 'xenna', { execution_mode: 'streaming', autoscale_interval_s: 1, scale_down_grace_after_ready_s: 1, cpu_allocation_percentage: 1 }],
    ['xenna batch', 'xenna', { execution_mode: 'batch', cpu_allocation_percentage: 1 }],
    ['ray_data', 'ray_data', {}],
    ['ray_actor_pool', 'ray_actor_pool', {}],
  ];
  const walls: number[] = [];
  for (const [, backend, config] of runs) walls.push(await wallOf(backend, config));
  const base = walls[0] as number;
  return runs.map(([label], i) => ({
    name: `backend ${label} vs xenna streaming`,
    ratio: base / (walls[i] as number),
    target: 'report',
    details: { tasks: 300, wall_s: walls[i] as number, cpus: 4 },
  }));
}

/**
 * Ray Data actor-pool autoscaling: an actor stage (50 ms per task) starting from one actor grows
 * one actor at a time while utilisation is at least 1.75; the row is the time until the pool
 * reaches the size the CPU budget allows.
 */
export async function rayDataAutoscaling(): Promise<BenchRow> {
  const cpus = 6;
  const stages = pipelineOf('bench-ray-autoscale', [
    { type: 'SyntheticDocuments', params: { num_tasks: 600, docs_per_task: 1, chars_per_doc: 10 }, resources: { cpus: 0.5 } },
    { type: 'BusyStage', name: 'model', params: { sleep_ms_per_task: 50, setup_ms: 1 } },
  ]).build();
  const useful = cpus - 1; // one CPU's worth is held by the source operator while it runs
  let reachedAt: number | null = null;
  let maxSeen = 0;
  const t0 = performance.now();
  const onEvent = (e: RunEvent) => {
    if (e.type !== 'stage_status') return;
    const ready = e.stages.find((s) => s.name === 'model')?.workers.ready ?? 0;
    maxSeen = Math.max(maxSeen, ready);
    if (reachedAt === null && ready >= useful) reachedAt = (performance.now() - t0) / 1000;
  };
  await createExecutor('ray_data', { logging_interval: 3600 }).execute(stages, [new EmptyTask()], { cpus, onEvent });
  const wall = (performance.now() - t0) / 1000;
  return { name: 'ray_data pool growth to useful size (s)', ratio: reachedAt ?? Number.NaN, target: 'report', details: { useful_actors: useful, max_ready_actors: maxSeen, run_wall_s: wall } };
}

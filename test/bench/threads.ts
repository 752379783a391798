import { pipelineOf, timedRun, type BenchRow } from './harness.js';

/**
 * piscina inside a worker: one worker process given 2 CPUs burns a batch's tasks on 2 threads,
 * against the same worker given 1 CPU (no threads). Same stage, same data, one model load each.
 */
export async function threadsSpeedup(tasks = 160, iterations = 20_000_000): Promise<BenchRow> {
  const run = (cpus: number) =>
    timedRun(
      pipelineOf(`bench-threads-${cpus}`, [
        { type: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 1, chars_per_doc: 10 }, resources: { cpus: 0.25 }, num_workers: 1 },
        { type: 'BusyStage', name: 'spin', params: { spin_iterations_per_task: iterations }, resources: { cpus }, batch_size: 8, num_workers: 1 },
      ]),
      { cpu_allocation_percentage: 1 },
      { cpus: 2.25 },
    );
  const one = await run(1);
  const two = await run(2);
  return { name: 'piscina threads in one worker', ratio: one.wall / two.wall, target: '> 1.5', details: { tasks, iterations_per_task: iterations, one_thread_s: one.wall, two_threads_s: two.wall } };
}

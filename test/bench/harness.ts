import { performance } from 'node:perf_hooks';
import { Pipeline, XennaExecutor, getStage, type ExecutionResult, type RunOptions } from '../../runner/index.js';
import type { XennaConfig } from '../../runner/backends/xenna/config.js';

/** A stage entry for `pipelineOf`: registered type, params, and optional overrides. */
export interface BenchStage {
  type: string;
  name?: string;
  params?: Record<string, unknown>;
  resources?: { cpus?: number; gpus?: number; gpu_memory_gb?: number };
  batch_size?: number;
  num_workers?: number;
}

/** Builds a pipeline from stage entries, as a pipeline file would. */
export function pipelineOf(name: string, stages: BenchStage[]): Pipeline {
  const ctx = { resolvePath: (p: string) => p };
  const p = new Pipeline(name);
  for (const s of stages) {
    const def = getStage(s.type);
    const built = def.create(def.params.parse(s.params ?? {}), ctx);
    if ('with_' in built && 'toSpec' in built) {
      p.add_stage(built.with_({ ...(s.name ? { name: s.name } : {}), ...(s.resources ? { resources: s.resources } : {}), ...(s.batch_size ? { batch_size: s.batch_size } : {}), ...(s.num_workers ? { num_workers: s.num_workers } : {}) }));
    } else p.add_stage(built);
  }
  return p;
}

/** Runs a pipeline on Xenna and returns the result with its wall time in seconds. */
export async function timedRun(p: Pipeline, config: Partial<XennaConfig>, options: RunOptions = {}): Promise<{ wall: number; result: ExecutionResult }> {
  const stages = p.build();
  const { EmptyTask } = await import('../../runner/index.js');
  const t0 = performance.now();
  const result = await new XennaExecutor({ logging_interval: 3600, ...config }).execute(stages, [new EmptyTask()], options);
  return { wall: (performance.now() - t0) / 1000, result };
}

/** The median of a list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** One printed and recorded benchmark row. */
export interface BenchRow {
  name: string;
  ratio: number;
  target: string;
  details: Record<string, number | string>;
}

/** Formats a row for the console. */
export function printRow(r: BenchRow): void {
  const details = Object.entries(r.details).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toFixed(3)) : v}`).join(' ');
  console.log(`${r.name.padEnd(44)} ${r.ratio.toFixed(3).padStart(8)}   target ${r.target.padEnd(8)} ${details}`);
}

import type { ProcessingStage } from '../pipeline/stage.js';
import { PlanError } from '../pipeline/errors.js';
import type { GpuDevice, HardwareInventory } from '../hardware/types.js';
import os from 'node:os';
import { detectGpus } from '../hardware/detect.js';
import { checkGpuRequests } from '../hardware/allocator.js';

/** The machine a run may use after its caps, and what planning had to say about it. */
export interface MachinePlan {
  inventory: HardwareInventory;
  /** CPUs the run may schedule (after --cpus and the backend's allocation percentage, before oversubscription). */
  cpus: number;
  /** CPUs the scheduler works with: `cpus`, or the minimum the pipeline needs when that is more. */
  schedulableCpus: number;
  gpus: GpuDevice[];
  warnings: string[];
}

/** Filters devices by an allow-list of indices or UUIDs; unknown entries are plan errors. */
export function applyGpuAllowList(gpus: GpuDevice[], allow: string[] | undefined): GpuDevice[] {
  if (!allow) return gpus;
  const picked: GpuDevice[] = [];
  const unknown: string[] = [];
  for (const entry of allow.map((s) => s.trim()).filter(Boolean)) {
    const d = gpus.find((g) => String(g.index) === entry || g.uuid === entry || (entry.startsWith('GPU-') && g.uuid.startsWith(entry)));
    if (d) {
      if (!picked.includes(d)) picked.push(d);
    } else unknown.push(entry);
  }
  if (unknown.length) {
    const have = gpus.length ? gpus.map((g) => `${g.index} (${g.uuid})`).join(', ') : 'none';
    throw new PlanError([`--gpus names device(s) ${unknown.join(', ')} that this machine does not have (devices: ${have})`]);
  }
  return picked;
}

/**
 * Plans the machine for a run: detects hardware (unless given), applies the CPU cap and GPU
 * allow-list, refuses GPU requests the machine can never meet (naming stage, request and devices),
 * and lets CPU be oversubscribed with a warning (a local machine never refuses a pipeline for
 * having too few cores).
 */
export async function planMachine(
  stages: ProcessingStage[],
  opts: { hardware?: HardwareInventory; cpus?: number; gpus?: string[]; cpuFraction: number; minimumCpus: number },
): Promise<MachinePlan> {
  const inventory = opts.hardware ?? (await quickInventory());
  const warnings: string[] = [];
  if (opts.cpus !== undefined && !(opts.cpus > 0)) throw new PlanError([`--cpus must be a positive number, got ${opts.cpus}`]);
  const totalCpus = opts.cpus ?? inventory.cpus;
  const gpus = applyGpuAllowList(inventory.gpus, opts.gpus);
  const problems = checkGpuRequests(
    stages.map((s) => ({ name: s.name, resources: s.resources.toJSON(), workers: s.num_workers() ?? undefined })),
    gpus,
  );
  if (problems.length) {
    const why = gpus.length === 0 && inventory.gpu_probe.reason ? ` (${inventory.gpu_probe.reason})` : '';
    throw new PlanError(problems.map((p) => p + why));
  }
  const cpus = Math.max(0, Math.floor(totalCpus * opts.cpuFraction + 1e-9));
  let schedulableCpus = cpus;
  if (opts.minimumCpus > cpus + 1e-9) {
    warnings.push(`the pipeline needs at least ${round(opts.minimumCpus)} CPUs for one worker per stage, but only ${cpus} can be scheduled (floor of ${totalCpus} × ${opts.cpuFraction}); CPUs are oversubscribed and stages share cores`);
    schedulableCpus = opts.minimumCpus;
  }
  return { inventory, cpus, schedulableCpus, gpus, warnings };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The inventory planning needs, fast: GPUs from nvidia-smi (or the test seam) and CPUs and memory
 * from `os`. The full snapshot (`detectHardware`, with systeminformation) is for history and the
 * UI; a run does not wait for it before its first task.
 */
export async function quickInventory(env: NodeJS.ProcessEnv = process.env): Promise<HardwareInventory> {
  const g = await detectGpus(env);
  return {
    cpus: os.availableParallelism(),
    cpu_model: os.cpus()[0]?.model.trim() || 'unknown CPU',
    memory_total_bytes: os.totalmem(),
    gpus: g.gpus,
    gpu_probe: g.probe,
    hostname: os.hostname(),
    platform: `${process.platform}-${process.arch}`,
  };
}

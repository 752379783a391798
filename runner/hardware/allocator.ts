/**
 * Where each worker runs: the pure single-machine allocator, in Xenna's shapes (CPU-only,
 * fractional GPU, whole GPUs). No I/O; the engine asks it before spawning a worker and tells it
 * when a worker exits. CPU is counted but never refused (DESIGN §4: CPU is oversubscribed with a
 * warning on a local machine); only GPUs can make a placement fail.
 */
import type { GpuDevice } from './types.js';

export { workerEnv } from './worker-env.js';

/** What one worker of a stage asks for: NeMo Curator's `Resources`. At most one GPU field is > 0. */
export interface WorkerShape {
  cpus: number;
  gpus: number;
  gpu_memory_gb: number;
}

/** Where one worker was placed. Hand the same object back to `release` when the worker exits. */
export interface Placement {
  /** The devices the worker may see (its CUDA_VISIBLE_DEVICES); empty for a CPU-only worker. */
  devices: GpuDevice[];
  /** The share of each of `devices` the worker holds: 1 for whole-GPU workers, 0 for CPU-only ones. */
  gpu_fraction: number;
  /** The CPUs counted for the worker. */
  cpus: number;
}

/** How much of the machine is held by live placements. */
export interface AllocatorUsage {
  cpus_used: number;
  cpus_total: number;
  /** One entry per device, in the allocator's device order; `used_fraction` is 0–1. */
  devices: Array<{ index: number; uuid: string; used_fraction: number }>;
}

/** Tolerance for summed fractions, so that ten workers of 0.1 GPU fill one device exactly. */
export const GPU_FRACTION_EPSILON = 1e-6;

/**
 * The fraction of `device` a `gpu_memory_gb` request takes: `gpu_memory_gb × 1024 / memory_total_mb`,
 * rounded to the nearest hundredth. The rounding absorbs the memory a driver reserves, so a
 * request made from the advertised size packs as the user expects (an "80 GB" H100 reports
 * 81559 MiB; two workers of 40 GB still share it) and oversubscribes by at most half a percent.
 * A request never rounds down to zero. Infinity when the device does not report its memory.
 */
export function memoryFraction(gpuMemoryGb: number, device: Pick<GpuDevice, 'memory_total_mb'>): number {
  if (!(device.memory_total_mb > 0)) return Number.POSITIVE_INFINITY;
  const exact = (gpuMemoryGb * 1024) / device.memory_total_mb;
  return Math.max(Math.round(exact * 100) / 100, 0.01);
}

/** The GPU part of a shape: none, a share of one device, or whole devices. */
export type GpuDemand = { kind: 'none' } | { kind: 'fraction'; of: (device: GpuDevice) => number } | { kind: 'whole'; count: number };

/**
 * Classifies a shape as Xenna does (`Resources.to_shape`): `gpus` in (0, 1) or `gpu_memory_gb` > 0
 * is a fractional shape; an integer `gpus` >= 1 is a whole-GPU shape. Throws a RangeError for a
 * shape the pipeline validation should already have refused.
 */
export function gpuDemand(shape: WorkerShape): GpuDemand {
  const { gpus, gpu_memory_gb: memory } = shape;
  if (!(gpus >= 0) || !(memory >= 0) || !(shape.cpus >= 0)) throw new RangeError(`invalid worker shape ${JSON.stringify(shape)}`);
  if (gpus > 0 && memory > 0) throw new RangeError('a worker shape sets either gpus or gpu_memory_gb, not both');
  if (memory > 0) return { kind: 'fraction', of: (d) => memoryFraction(memory, d) };
  if (gpus === 0) return { kind: 'none' };
  if (gpus < 1) return { kind: 'fraction', of: () => gpus };
  if (!Number.isInteger(gpus)) throw new RangeError(`gpus above 1 must be a whole number, got ${gpus}`);
  return { kind: 'whole', count: gpus };
}

/**
 * Places workers on one machine's CPUs and GPUs.
 * - Whole-GPU workers take completely free devices, first in device order.
 * - Fractional workers pack: the most-used device they still fit on wins (ties go to device
 *   order), a free device only when no partly used one fits — this keeps whole devices free for
 *   whole-GPU stages, the single-node case of Xenna's fragmentation rule. A `gpu_memory_gb`
 *   request is converted against the device it would land on, so on mixed machines it takes a
 *   bigger share of a smaller card, and cannot land on a card smaller than the request.
 * - CPUs are counted, never refused; `cpuOversubscribed()` tells the engine to warn.
 */
export class MachineAllocator {
  private readonly devices: GpuDevice[];
  private readonly used: number[];
  private readonly cpusTotal: number;
  private cpusUsed = 0;
  /** Live placements and the device positions each one holds. */
  private readonly live = new Map<Placement, number[]>();

  constructor(machine: { cpus: number; gpus: readonly GpuDevice[] }) {
    this.devices = [...machine.gpus];
    this.used = this.devices.map(() => 0);
    this.cpusTotal = machine.cpus;
  }

  /** Places one worker, or returns null when its GPU request cannot be met right now. */
  tryAllocate(shape: WorkerShape): Placement | null {
    const demand = gpuDemand(shape);
    let held: { positions: number[]; fraction: number } | null;
    switch (demand.kind) {
      case 'none':
        held = { positions: [], fraction: 0 };
        break;
      case 'whole':
        held = this.findWhole(demand.count);
        break;
      case 'fraction':
        held = this.findFraction(demand.of);
        break;
    }
    if (!held) return null;
    for (const i of held.positions) this.used[i] = (this.used[i] ?? 0) + held.fraction;
    const placement: Placement = {
      devices: held.positions.map((i) => this.devices[i] as GpuDevice),
      gpu_fraction: held.fraction,
      cpus: shape.cpus,
    };
    this.cpusUsed += placement.cpus;
    this.live.set(placement, held.positions);
    return placement;
  }

  /** Gives a placement's share back. Returns false, changing nothing, for one already released or not from here. */
  release(placement: Placement): boolean {
    const positions = this.live.get(placement);
    if (!positions) return false;
    this.live.delete(placement);
    this.cpusUsed -= placement.cpus;
    for (const i of positions) {
      const left = (this.used[i] ?? 0) - placement.gpu_fraction;
      this.used[i] = left > GPU_FRACTION_EPSILON ? left : 0;
    }
    return true;
  }

  /** What live placements hold. */
  usage(): AllocatorUsage {
    return {
      cpus_used: this.cpusUsed,
      cpus_total: this.cpusTotal,
      devices: this.devices.map((d, i) => ({ index: d.index, uuid: d.uuid, used_fraction: Math.min(1, this.used[i] ?? 0) })),
    };
  }

  /** True when live placements count more CPUs than the machine has (allowed, worth a warning). */
  cpuOversubscribed(): boolean {
    return this.cpusUsed > this.cpusTotal + GPU_FRACTION_EPSILON;
  }

  /** The first `count` completely free devices, in device order. */
  private findWhole(count: number): { positions: number[]; fraction: number } | null {
    const free = this.devices.map((_, i) => i).filter((i) => (this.used[i] ?? 0) <= GPU_FRACTION_EPSILON);
    return free.length < count ? null : { positions: free.slice(0, count), fraction: 1 };
  }

  /** The most-used device the share still fits on; a free one only when no partly used one fits. */
  private findFraction(fractionOf: (device: GpuDevice) => number): { positions: number[]; fraction: number } | null {
    let best: { positions: number[]; fraction: number } | null = null;
    let bestUsed = -1;
    for (const [i, device] of this.devices.entries()) {
      const used = this.used[i] ?? 0;
      const fraction = fractionOf(device);
      if (used + fraction > 1 + GPU_FRACTION_EPSILON || used <= bestUsed + GPU_FRACTION_EPSILON) continue;
      best = { positions: [i], fraction };
      bestUsed = used;
    }
    return best;
  }
}

/** A stage as the plan-time check sees it: its name, one worker's shape, and its pinned worker count if any. */
export interface StageGpuRequest {
  name: string;
  resources: WorkerShape;
  workers?: number;
}

/**
 * The plan-time GPU check (DESIGN §4: GPU requests that cannot be met are refused before the run
 * starts). Returns one sentence per stage that can never run on `gpus`, naming the stage, its
 * request and the machine's devices; empty when every stage can run. With no GPU at all the
 * sentence ends at "no usable GPU" so the caller can append the probe's reason.
 *
 * With `allAtOnce` (streaming execution, where every stage holds at least one worker at a time)
 * it also checks, as Xenna's `_verify_enough_resources` does, that one worker of each GPU stage
 * (its pinned count where set) fits on the machine together.
 */
export function checkGpuRequests(stages: readonly StageGpuRequest[], gpus: readonly GpuDevice[], opts: { allAtOnce?: boolean } = {}): string[] {
  const problems: string[] = [];
  const together: Array<{ stage: StageGpuRequest; count: number }> = [];
  for (const stage of stages) {
    const { gpus: whole, gpu_memory_gb: memory } = stage.resources;
    if (!(whole > 0) && !(memory > 0)) continue;
    const problem = stageProblem(stage, gpus);
    if (problem) problems.push(problem);
    else together.push({ stage, count: Math.max(1, stage.workers ?? 1) });
  }
  if (opts.allAtOnce && problems.length === 0 && together.length > 1 && placedOf(together, gpus) < totalOf(together)) {
    const list = together.map(({ stage, count }) => `"${stage.name}" (${count} × ${describeRequest(stage.resources)})`).join(', ');
    problems.push(`stages ${list} run at the same time but do not fit on this machine together: ${describeMachine(gpus)}`);
  }
  return problems;
}

/** Why one stage can never run here, or null. */
function stageProblem(stage: StageGpuRequest, gpus: readonly GpuDevice[]): string | null {
  const asks = `stage "${stage.name}" asks for ${describeRequest(stage.resources)}`;
  let demand: GpuDemand;
  try {
    demand = gpuDemand(stage.resources);
  } catch (err: unknown) {
    return `${asks}, which is not a valid request: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (gpus.length === 0) return `${asks}, but this machine has no usable GPU`;
  if (demand.kind === 'whole' && demand.count > gpus.length) return `${asks}, but this machine has ${describeMachine(gpus)}`;
  if (demand.kind === 'fraction' && gpus.every((d) => demand.of(d) > 1 + GPU_FRACTION_EPSILON)) {
    const largest = Math.max(...gpus.map((d) => d.memory_total_mb));
    return `${asks}, but the largest GPU has ${formatGb(largest)} (${describeMachine(gpus)})`;
  }
  const workers = stage.workers ?? 1;
  if (workers > 1) {
    const placed = placedOf([{ stage, count: workers }], gpus);
    if (placed < workers) {
      return `${asks} and pins ${workers} workers, but only ${placed} fit on this machine's ${describeMachine(gpus)}`;
    }
  }
  return null;
}

/** How many of the listed workers an empty machine can hold at once; whole-GPU and larger shares go first. */
function placedOf(items: ReadonlyArray<{ stage: StageGpuRequest; count: number }>, gpus: readonly GpuDevice[]): number {
  const allocator = new MachineAllocator({ cpus: 0, gpus });
  const size = (shape: WorkerShape): number => {
    const demand = gpuDemand(shape);
    if (demand.kind === 'whole') return 1 + demand.count;
    if (demand.kind === 'fraction') return Math.min(...gpus.map((d) => demand.of(d)));
    return 0;
  };
  const ordered = [...items].sort((a, b) => size(b.stage.resources) - size(a.stage.resources));
  let placed = 0;
  for (const { stage, count } of ordered) {
    for (let k = 0; k < count; k++) if (allocator.tryAllocate(stage.resources)) placed++;
  }
  return placed;
}

function totalOf(items: ReadonlyArray<{ count: number }>): number {
  return items.reduce((sum, item) => sum + item.count, 0);
}

/** A request in the pipeline file's words: "2 GPUs per worker", "gpus 0.5 per worker", "gpu_memory_gb 40 per worker". */
function describeRequest(shape: WorkerShape): string {
  if (shape.gpus > 0 && shape.gpu_memory_gb > 0) return `gpus ${shape.gpus} and gpu_memory_gb ${shape.gpu_memory_gb} per worker`;
  if (shape.gpu_memory_gb > 0) return `gpu_memory_gb ${shape.gpu_memory_gb} per worker`;
  if (shape.gpus < 1) return `gpus ${shape.gpus} per worker`;
  return `${shape.gpus} GPU${shape.gpus === 1 ? '' : 's'} per worker`;
}

/** "2 usable GPUs (0: NVIDIA H100 80GB HBM3, 81559 MiB; 1: NVIDIA A10, 23028 MiB)". */
function describeMachine(gpus: readonly GpuDevice[]): string {
  if (gpus.length === 0) return 'no usable GPU';
  const list = gpus.map((d) => `${d.index}: ${d.name}, ${d.memory_total_mb} MiB`).join('; ');
  return `${gpus.length} usable GPU${gpus.length === 1 ? '' : 's'} (${list})`;
}

/** MiB as gigabytes with at most one decimal: 81920 → "80 GB", 81559 → "79.6 GB". */
function formatGb(mb: number): string {
  return `${Math.round((mb / 1024) * 10) / 10} GB`;
}

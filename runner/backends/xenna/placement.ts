/**
 * The single-machine fit model behind the Xenna autoscaler: a CPU pool plus `gpus` devices of
 * capacity 1.0 each. It answers "does one more worker of this shape fit, and where?" and
 * "which worker goes when one is removed?". Pure bookkeeping, no I/O.
 *
 * On one node Xenna's fragmentation gradient descent reduces to these rules: a fractional-GPU
 * worker packs onto the fullest device it still fits on (packing costs no fragmentation, opening a
 * fresh device blocks whole-GPU shapes), a whole-GPU worker takes the first n completely free
 * devices, and removing a fractional worker empties the least-used device first.
 */

/** One unit in Xenna's fixed point (`FixedU32<U16>`): 16 fractional bits. */
export const FIXED_ONE = 65536;

/**
 * Converts a resource amount to fixed point, rounding down as Xenna's `to_fixed_floor` does, so
 * that ten workers of 0.1 GPU fit on one device. The tiny bias absorbs binary artefacts such as
 * 0.29 * 65536 = 19005.439999... without ever rounding a real fraction up.
 */
export function toFixed(amount: number): number {
  return Math.floor(amount * FIXED_ONE + 1e-6);
}

/**
 * What one worker needs, in fixed-point units (Xenna's `Resources.to_shape`). A whole-GPU worker's
 * `cpus` is already the total, `cpus per GPU x gpus`, as in Xenna's `cpus_needed_for_shape`.
 */
export type WorkerShape =
  | { kind: 'cpu'; cpus: number }
  | { kind: 'fractional_gpu'; cpus: number; gpuFraction: number }
  | { kind: 'whole_gpu'; cpus: number; gpus: number };

/**
 * Xenna's `Resources.to_shape` for one machine: `gpus == 0` is CPU-only, `0 < gpus < 1` is a
 * fractional GPU, a whole number `gpus >= 1` needs that many completely free devices and
 * `cpus` per device. Throws a RangeError naming what is wrong (negative, nothing at all, or a
 * GPU count above 1 that is not a whole number).
 */
export function workerShape(cpus: number, gpus: number): WorkerShape {
  if (!Number.isFinite(cpus) || !Number.isFinite(gpus) || cpus < 0 || gpus < 0) {
    throw new RangeError(`cpus and gpus must be finite numbers >= 0, got cpus=${cpus} gpus=${gpus}`);
  }
  if (gpus === 0) {
    const fixedCpus = toFixed(cpus);
    if (fixedCpus === 0) throw new RangeError(`a worker must ask for some CPU or GPU, got cpus=${cpus} gpus=0`);
    return { kind: 'cpu', cpus: fixedCpus };
  }
  if (gpus >= 1 - 1e-6) {
    const whole = Math.round(gpus);
    if (Math.abs(gpus - whole) > 1e-6) throw new RangeError(`gpus of 1 or more must be a whole number, got ${gpus}`);
    return { kind: 'whole_gpu', cpus: toFixed(cpus) * whole, gpus: whole };
  }
  const fraction = toFixed(gpus);
  if (fraction === 0) throw new RangeError(`gpus is too small to place, got ${gpus}`);
  return { kind: 'fractional_gpu', cpus: toFixed(cpus), gpuFraction: fraction };
}

/** A worker's request in words for error messages, e.g. "2 CPUs and 0.5 of a GPU". */
export function describeRequest(cpus: number, gpus: number): string {
  const cpu = `${cpus} CPU${cpus === 1 ? '' : 's'}`;
  if (gpus === 0) return cpu;
  if (gpus >= 1) return `${gpus} whole GPU${gpus === 1 ? '' : 's'} and ${cpu} per GPU`;
  return `${cpu} and ${gpus} of a GPU`;
}

/**
 * Sort key for re-placing the workers a machine already runs (smaller first): whole-GPU workers,
 * then fractions from the largest down, then CPU-only, so a layout that fits is found again.
 */
export function seedRank(shape: WorkerShape): number {
  switch (shape.kind) {
    case 'whole_gpu':
      return -2;
    case 'fractional_gpu':
      return -1 - shape.gpuFraction / FIXED_ONE;
    case 'cpu':
      return 0;
  }
}

interface PlacedWorker {
  shape: WorkerShape;
  /** Device indices this worker occupies (none for CPU-only). */
  devices: number[];
}

/**
 * The workers placed on one machine, per stage index. `tryAdd` is the fit check Xenna runs before
 * every add; `removeOne` is its "remove best worker" on one node.
 */
export class MachinePlacement {
  private readonly cpuTotal: number;
  private cpuUsed = 0;
  private readonly gpuUsed: number[];
  private readonly byStage = new Map<number, PlacedWorker[]>();

  /** A machine with `cpus` CPUs (may be fractional) and `gpus` whole devices. */
  constructor(cpus: number, gpus: number) {
    this.cpuTotal = toFixed(Math.max(0, cpus));
    this.gpuUsed = new Array<number>(Math.max(0, Math.floor(gpus))).fill(0);
  }

  /** Workers of a stage placed so far. */
  count(stage: number): number {
    return this.byStage.get(stage)?.length ?? 0;
  }

  /** Adds one worker if it fits; returns false (and changes nothing) when it does not. */
  tryAdd(stage: number, shape: WorkerShape): boolean {
    if (this.cpuUsed + shape.cpus > this.cpuTotal) return false;
    const devices = this.pickDevices(shape);
    if (devices === undefined) return false;
    this.cpuUsed += shape.cpus;
    for (const d of devices) this.gpuUsed[d] = (this.gpuUsed[d] ?? 0) + this.gpuShare(shape);
    const list = this.byStage.get(stage) ?? [];
    list.push({ shape, devices });
    this.byStage.set(stage, list);
    return true;
  }

  /**
   * Removes one worker of the stage. A fractional-GPU worker goes from the least-used device (ties:
   * lowest device index), which frees whole devices soonest; otherwise the most recently added
   * worker goes. Throws when the stage has no worker.
   */
  removeOne(stage: number): void {
    const list = this.byStage.get(stage);
    if (list === undefined || list.length === 0) throw new RangeError(`stage ${stage} has no worker to remove`);
    let victim = list.length - 1;
    let victimUse = Infinity;
    let victimDevice = Infinity;
    list.forEach((w, i) => {
      if (w.shape.kind !== 'fractional_gpu') return;
      const d = w.devices[0] ?? 0;
      const use = this.gpuUsed[d] ?? 0;
      if (use < victimUse || (use === victimUse && d < victimDevice)) {
        victim = i;
        victimUse = use;
        victimDevice = d;
      }
    });
    const [worker] = list.splice(victim, 1);
    if (worker === undefined) return;
    this.cpuUsed -= worker.shape.cpus;
    for (const d of worker.devices) this.gpuUsed[d] = (this.gpuUsed[d] ?? 0) - this.gpuShare(worker.shape);
  }

  /** Used fraction of each device, in device order (for diagnostics and tests). */
  deviceUse(): number[] {
    return this.gpuUsed.map((used) => used / FIXED_ONE);
  }

  /** A one-line picture of the machine for error messages, e.g. "cpu 6/8, gpu 1.5/2". */
  describe(): string {
    const round = (fixed: number): number => Number((fixed / FIXED_ONE).toFixed(3));
    const gpuUsed = this.gpuUsed.reduce((a, b) => a + b, 0);
    return `cpu ${round(this.cpuUsed)}/${round(this.cpuTotal)}, gpu ${round(gpuUsed)}/${this.gpuUsed.length}`;
  }

  private gpuShare(shape: WorkerShape): number {
    switch (shape.kind) {
      case 'cpu':
        return 0;
      case 'fractional_gpu':
        return shape.gpuFraction;
      case 'whole_gpu':
        return FIXED_ONE;
    }
  }

  private pickDevices(shape: WorkerShape): number[] | undefined {
    switch (shape.kind) {
      case 'cpu':
        return [];
      case 'fractional_gpu': {
        // The fullest device that still has room; ties go to the lowest index.
        let best = -1;
        this.gpuUsed.forEach((used, d) => {
          if (used + shape.gpuFraction > FIXED_ONE) return;
          if (best < 0 || used > (this.gpuUsed[best] ?? 0)) best = d;
        });
        return best < 0 ? undefined : [best];
      }
      case 'whole_gpu': {
        const free: number[] = [];
        this.gpuUsed.forEach((used, d) => {
          if (used === 0 && free.length < shape.gpus) free.push(d);
        });
        return free.length === shape.gpus ? free : undefined;
      }
    }
  }
}

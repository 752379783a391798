import { ValidationError } from './errors.js';

/** The fields of a stage's resource request, as in a pipeline file. */
export interface ResourcesInit {
  cpus?: number;
  gpus?: number;
  gpu_memory_gb?: number;
}

/**
 * What one worker of a stage needs: NeMo Curator's `Resources(cpus=1, gpu_memory_gb=0, gpus=0)`.
 * `gpu_memory_gb` is turned into a fraction of the device the worker lands on by the allocator
 * (not of GPU 0, a NeMo Curator bug we do not copy). Setting both GPU fields is an error.
 */
export class Resources {
  readonly cpus: number;
  readonly gpus: number;
  readonly gpu_memory_gb: number;

  constructor(init: ResourcesInit = {}) {
    const cpus = init.cpus ?? 1;
    const gpus = init.gpus ?? 0;
    const mem = init.gpu_memory_gb ?? 0;
    const problems: string[] = [];
    if (!Number.isFinite(cpus) || cpus < 0) problems.push(`resources.cpus must be a number >= 0, got ${cpus}`);
    if (!Number.isFinite(gpus) || gpus < 0) problems.push(`resources.gpus must be a number >= 0, got ${gpus}`);
    if (!Number.isFinite(mem) || mem < 0) problems.push(`resources.gpu_memory_gb must be a number >= 0, got ${mem}`);
    if (gpus > 0 && mem > 0) problems.push('resources: set either gpus or gpu_memory_gb, not both');
    if (cpus === 0 && gpus === 0 && mem === 0) problems.push('resources: a worker must ask for some CPU or GPU (cpus is 0 and no GPU is requested)');
    if (gpus > 1 && !Number.isInteger(gpus)) problems.push(`resources.gpus above 1 must be a whole number, got ${gpus}`);
    if (problems.length) throw new ValidationError(problems);
    this.cpus = cpus;
    this.gpus = gpus;
    this.gpu_memory_gb = mem;
  }

  /** True when the worker needs a GPU (whole, fractional or by memory). */
  get requiresGpu(): boolean {
    return this.gpus > 0 || this.gpu_memory_gb > 0;
  }

  /** A plain object for wire transfer, JSON and history. */
  toJSON(): Required<ResourcesInit> {
    return { cpus: this.cpus, gpus: this.gpus, gpu_memory_gb: this.gpu_memory_gb };
  }

  /** A short human description, e.g. "1 CPU, 0.5 GPU" or "2 CPUs, 20 GB GPU memory". */
  describe(): string {
    const parts = [`${this.cpus} CPU${this.cpus === 1 ? '' : 's'}`];
    if (this.gpus > 0) parts.push(`${this.gpus} GPU${this.gpus > 1 ? 's' : ''}`);
    if (this.gpu_memory_gb > 0) parts.push(`${this.gpu_memory_gb} GB GPU memory`);
    return parts.join(', ');
  }
}

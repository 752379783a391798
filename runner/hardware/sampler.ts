/**
 * The live sampler behind a run's metrics time series: machine CPU and memory from `os`,
 * per-GPU utilisation and memory from nvidia-smi. Cheap enough to call every second.
 */
import os from 'node:os';
import { parseSample, runNvidiaSmi, SAMPLE_QUERY } from './nvidia-smi.js';
import type { HardwareInventory } from './types.js';

/** One GPU's live numbers, identified by the inventory's index. */
export interface GpuSample {
  index: number;
  /** Utilisation in percent; null when the driver does not report it or nvidia-smi failed this time. */
  utilization_pct: number | null;
  /** Memory in use in MiB; the last known value when nvidia-smi failed this time. */
  memory_used_mb: number;
}

/** One point of the machine's time series. */
export interface HardwareSample {
  /** When the sample was taken, in milliseconds since the epoch. */
  t: number;
  /** Busy CPU time across all cores since the previous sample (or since construction), 0–100. */
  cpu_pct: number;
  memory_used_bytes: number;
  memory_total_bytes: number;
  /** One entry per inventory GPU, in inventory order. */
  gpus: GpuSample[];
}

/** Where the sampler finds nvidia-smi; the environment's PATH is used when only a name is given. */
export interface HardwareSamplerOptions {
  nvidiaSmi?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Summed CPU times over all cores, in milliseconds. */
interface CpuTimes {
  busy: number;
  total: number;
}

/** Sums `os.cpus()` times; idle time is the only non-busy time (iowait is not reported by Node). */
function readCpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/**
 * Samples the machine described by an inventory. CPU percent comes from the difference in
 * `os.cpus()` times between two calls, so the first sample covers the time since construction.
 * GPUs are read from nvidia-smi only when the inventory came from it; fake GPUs (the test
 * seam) read as idle and empty, since nothing real runs on them.
 */
export class HardwareSampler {
  private readonly gpus: HardwareInventory['gpus'];
  private readonly fromNvidiaSmi: boolean;
  private readonly opts: HardwareSamplerOptions;
  private lastCpu: CpuTimes;
  private readonly lastMemoryMb = new Map<string, number>();
  private lastGpuError: string | null = null;

  constructor(inventory: Pick<HardwareInventory, 'gpus' | 'gpu_probe'>, opts: HardwareSamplerOptions = {}) {
    this.gpus = [...inventory.gpus];
    this.fromNvidiaSmi = inventory.gpu_probe.source === 'nvidia-smi';
    this.opts = opts;
    this.lastCpu = readCpuTimes();
    for (const gpu of this.gpus) this.lastMemoryMb.set(gpu.uuid, this.fromNvidiaSmi ? gpu.memory_used_mb : 0);
  }

  /** Why the last GPU reading failed (nvidia-smi's reason), or null when it succeeded. */
  get gpuError(): string | null {
    return this.lastGpuError;
  }

  /** Takes one sample. Never throws: a failed GPU reading gives null utilisation and the last known memory. */
  async sample(): Promise<HardwareSample> {
    const gpus = await this.sampleGpus();
    const now = readCpuTimes();
    const busy = now.busy - this.lastCpu.busy;
    const total = now.total - this.lastCpu.total;
    this.lastCpu = now;
    const cpuPct = total > 0 ? Math.min(100, Math.max(0, (busy / total) * 100)) : 0;
    const memoryTotal = os.totalmem();
    return {
      t: Date.now(),
      cpu_pct: Math.round(cpuPct * 10) / 10,
      memory_used_bytes: Math.max(0, memoryTotal - os.freemem()),
      memory_total_bytes: memoryTotal,
      gpus,
    };
  }

  /** Reads every inventory GPU; one nvidia-smi call for all of them. */
  private async sampleGpus(): Promise<GpuSample[]> {
    if (this.gpus.length === 0) return [];
    if (!this.fromNvidiaSmi) return this.gpus.map((g) => ({ index: g.index, utilization_pct: 0, memory_used_mb: 0 }));
    const result = await runNvidiaSmi(SAMPLE_QUERY, this.opts);
    const rows = result.ok ? parseSample(result.stdout) : new Map();
    this.lastGpuError = result.ok ? null : result.reason;
    return this.gpus.map((g) => {
      const row = rows.get(g.uuid);
      const memory = row?.memory_used_mb ?? this.lastMemoryMb.get(g.uuid) ?? 0;
      this.lastMemoryMb.set(g.uuid, memory);
      return { index: g.index, utilization_pct: row?.utilization_pct ?? null, memory_used_mb: memory };
    });
  }
}

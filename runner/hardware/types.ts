/**
 * What the runner knows about the machine it runs on: CPUs, memory and NVIDIA GPUs.
 * These shapes go into the run's hardware snapshot (history), the allocator and the UI,
 * so their keys are snake_case like the rest of the stored run data.
 */

/** One NVIDIA GPU as nvidia-smi (or the test seam) reports it. */
export interface GpuDevice {
  /** nvidia-smi's index (PCI bus order); informational, workers are pinned by `uuid`. */
  index: number;
  /** The device UUID, e.g. `GPU-5a1c…`; what `CUDA_VISIBLE_DEVICES` of a worker names. */
  uuid: string;
  /** The product name, e.g. `NVIDIA H100 80GB HBM3`. */
  name: string;
  /** Total device memory in MiB; 0 when the driver does not report it (unified-memory parts). */
  memory_total_mb: number;
  /** Memory in use at probe time, in MiB. */
  memory_used_mb: number;
  /** GPU utilisation at probe time in percent, or null when the driver does not report it. */
  utilization_pct: number | null;
}

/** How the GPU list was obtained and, when it is empty, exactly why. */
export interface GpuProbe {
  /** True when at least one usable GPU was found. */
  available: boolean;
  /** Why no GPU is usable (driver missing, nvidia-smi failed, hidden by CUDA_VISIBLE_DEVICES); null when `available`. */
  reason: string | null;
  /** The NVIDIA driver version nvidia-smi reported, when it ran. */
  driver_version: string | null;
  /** Where the devices came from: nvidia-smi, the `CURATOR_FAKE_GPUS` test seam, or nowhere (the probe failed). */
  source: 'nvidia-smi' | 'fake' | 'none';
}

/** A snapshot of the machine, taken before a run and stored with it. */
export interface HardwareInventory {
  /** Logical CPUs this process may use (`os.availableParallelism()`). */
  cpus: number;
  /** The CPU's marketing name, e.g. `AMD EPYC 9654`. */
  cpu_model: string;
  /** Physical memory in bytes. */
  memory_total_bytes: number;
  /** Usable GPUs, in the order CUDA_VISIBLE_DEVICES names them (nvidia-smi order when it is unset). */
  gpus: GpuDevice[];
  /** How `gpus` was obtained. */
  gpu_probe: GpuProbe;
  /** The machine's host name. */
  hostname?: string;
  /** Operating system and architecture, e.g. `linux-x64`. */
  platform: string;
}

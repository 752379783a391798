/**
 * Hardware detection for the run path: the GPU probe (nvidia-smi or the `CURATOR_FAKE_GPUS`
 * seam, then `CUDA_VISIBLE_DEVICES`), CPU and memory. Kept fast: the slow graphics scan of
 * systeminformation is a separate call that only `curator gpus` makes.
 */
import os from 'node:os';
import { FAKE_GPUS_ENV, parseFakeGpus } from './fake-gpus.js';
import { INVENTORY_QUERY, parseInventory, runNvidiaSmi } from './nvidia-smi.js';
import type { GpuDevice, GpuProbe, HardwareInventory } from './types.js';
import { applyCudaVisibleDevices, CUDA_VISIBLE_DEVICES } from './visible-devices.js';

export { FAKE_GPUS_ENV, FAKE_GPUS_HELP, FakeGpusError } from './fake-gpus.js';
export { HardwareSampler } from './sampler.js';
export type { GpuSample, HardwareSample, HardwareSamplerOptions } from './sampler.js';

/** How to run nvidia-smi: a path to use instead of `nvidia-smi` on PATH, and how long to wait for it. */
export interface DetectGpusOptions {
  nvidiaSmi?: string;
  timeoutMs?: number;
}

/** The usable GPUs and how they were found. */
export interface DetectedGpus {
  gpus: GpuDevice[];
  probe: GpuProbe;
}

/** How long systeminformation may take for CPU and memory before `os` answers instead. */
const SYSTEMINFORMATION_TIMEOUT_MS = 2000;

/**
 * Finds the GPUs this process may use. `CURATOR_FAKE_GPUS`, when set, replaces nvidia-smi;
 * either way the parent's `CUDA_VISIBLE_DEVICES` is applied on top. Never reports "no GPU"
 * without saying why in `probe.reason`. Throws `FakeGpusError` only when `CURATOR_FAKE_GPUS`
 * is malformed, since that is a mistake in the caller's setup, not a property of the machine.
 */
export async function detectGpus(env: NodeJS.ProcessEnv = process.env, opts: DetectGpusOptions = {}): Promise<DetectedGpus> {
  const fake = parseFakeGpus(env[FAKE_GPUS_ENV]);
  if (fake) {
    return select(fake, env, { source: 'fake', driver_version: null, emptyReason: `${FAKE_GPUS_ENV} lists no GPUs` });
  }
  const result = await runNvidiaSmi(INVENTORY_QUERY, { ...opts, env });
  if (!result.ok) {
    return { gpus: [], probe: { available: false, reason: result.reason, driver_version: null, source: 'none' } };
  }
  const parsed = parseInventory(result.stdout);
  const first = parsed.unparsed[0];
  const emptyReason = first === undefined ? 'nvidia-smi ran but listed no GPUs' : `nvidia-smi listed no GPUs it could read; it printed "${first}"`;
  return select(parsed.gpus, env, { source: 'nvidia-smi', driver_version: parsed.driver_version, emptyReason });
}

/** Applies CUDA_VISIBLE_DEVICES to the probed devices and builds the probe record. */
function select(
  all: GpuDevice[],
  env: NodeJS.ProcessEnv,
  how: { source: GpuProbe['source']; driver_version: string | null; emptyReason: string },
): DetectedGpus {
  const visible = applyCudaVisibleDevices(all, env[CUDA_VISIBLE_DEVICES]);
  const available = visible.gpus.length > 0;
  const reason = available ? null : all.length === 0 ? how.emptyReason : visible.hidden_reason;
  return {
    gpus: visible.gpus,
    probe: { available, reason, driver_version: how.driver_version, source: how.source },
  };
}

/**
 * Takes the machine snapshot stored with every run: GPUs as `detectGpus`, the CPUs this process
 * may use (`os.availableParallelism()`), and the CPU model and memory from systeminformation,
 * falling back to `os` when it fails or is slow. The GPU probe and systeminformation run at once.
 * Throws `FakeGpusError`, as `detectGpus` does, only for a malformed `CURATOR_FAKE_GPUS`.
 */
export async function detectHardware(env: NodeJS.ProcessEnv = process.env, opts: DetectGpusOptions = {}): Promise<HardwareInventory> {
  const [gpus, host] = await Promise.all([detectGpus(env, opts), cpuAndMemory()]);
  return {
    cpus: os.availableParallelism(),
    cpu_model: host.cpu_model,
    memory_total_bytes: host.memory_total_bytes,
    gpus: gpus.gpus,
    gpu_probe: gpus.probe,
    hostname: os.hostname(),
    platform: `${process.platform}-${process.arch}`,
  };
}

/** CPU model and total memory: systeminformation first (loaded lazily, it is large), `os` as the fallback. */
async function cpuAndMemory(): Promise<{ cpu_model: string; memory_total_bytes: number }> {
  const fallback = { cpu_model: os.cpus()[0]?.model.trim() || 'unknown CPU', memory_total_bytes: os.totalmem() };
  try {
    const si = (await import('systeminformation')).default;
    const [cpu, mem] = await withTimeout(Promise.all([si.cpu(), si.mem()]), SYSTEMINFORMATION_TIMEOUT_MS);
    const model = `${cpu.manufacturer} ${cpu.brand}`.trim();
    return {
      cpu_model: model || fallback.cpu_model,
      memory_total_bytes: mem.total > 0 ? mem.total : fallback.memory_total_bytes,
    };
  } catch {
    return fallback;
  }
}

/** Rejects when `promise` has not settled within `ms`; the timer never keeps the process alive. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** One display controller as the operating system sees it, whatever its vendor. */
export interface GraphicsController {
  vendor: string;
  model: string;
  /** Dedicated video memory in MiB; null when unknown or shared with the system. */
  vram_mb: number | null;
}

/**
 * Every graphics controller systeminformation finds (slow: it scans PCI and may run vendor
 * tools), for `curator gpus` to explain an empty GPU list. Not used on the run path.
 */
export async function describeGraphicsControllers(): Promise<GraphicsController[]> {
  const si = (await import('systeminformation')).default;
  const data = await si.graphics();
  return data.controllers.map((c) => ({
    vendor: c.vendor || 'unknown vendor',
    model: c.model || c.name || 'unknown model',
    vram_mb: c.vramDynamic || c.vram === null || !(c.vram > 0) ? null : c.vram,
  }));
}

/**
 * A sentence for `curator gpus` to add when the probe found no usable GPU but the system has
 * other graphics controllers, e.g. "an AMD controller was found (AMD Radeon Pro W7900), but only
 * NVIDIA GPUs are supported"; null when there is nothing to explain (none, or only NVIDIA ones).
 */
export function unsupportedControllersNote(controllers: readonly GraphicsController[]): string | null {
  const others = controllers.filter((c) => !/nvidia/i.test(`${c.vendor} ${c.model}`));
  const list = others.map((c) => (c.model.startsWith(c.vendor) ? c.model : `${c.vendor} ${c.model}`)).join('; ');
  const only = others[0];
  if (!only) return null;
  const what =
    others.length === 1
      ? `${/^[aeiou]/i.test(only.vendor) ? 'an' : 'a'} ${only.vendor} controller was found`
      : `${others.length} non-NVIDIA graphics controllers were found`;
  return `${what} (${list}), but only NVIDIA GPUs are supported`;
}

import { afterEach, describe, expect, it } from 'vitest';
import { HardwareSampler } from '../../../../runner/hardware/detect.js';
import type { GpuDevice, GpuProbe } from '../../../../runner/hardware/types.js';
import { writeFakeNvidiaSmi, type FakeNvidiaSmi } from './fake-nvidia-smi.js';

const made: FakeNvidiaSmi[] = [];
afterEach(() => {
  for (const smi of made.splice(0)) smi.remove();
});

function device(index: number, uuid: string, memoryUsed = 0): GpuDevice {
  return { index, uuid, name: 'H100', memory_total_mb: 81559, memory_used_mb: memoryUsed, utilization_pct: 0 };
}
const probe = (source: GpuProbe['source']): GpuProbe => ({ available: true, reason: null, driver_version: null, source });

describe('HardwareSampler', () => {
  it('reports machine CPU and memory in sane ranges', async () => {
    const sampler = new HardwareSampler({ gpus: [], gpu_probe: probe('none') });
    const before = Date.now();
    const s = await sampler.sample();
    expect(s.t).toBeGreaterThanOrEqual(before);
    expect(s.cpu_pct).toBeGreaterThanOrEqual(0);
    expect(s.cpu_pct).toBeLessThanOrEqual(100);
    expect(s.memory_total_bytes).toBeGreaterThan(0);
    expect(s.memory_used_bytes).toBeGreaterThan(0);
    expect(s.memory_used_bytes).toBeLessThanOrEqual(s.memory_total_bytes);
    expect(s.gpus).toEqual([]);
  });

  it('sees CPU work done between two samples', async () => {
    const sampler = new HardwareSampler({ gpus: [], gpu_probe: probe('none') });
    await sampler.sample();
    const until = Date.now() + 400;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const s = await sampler.sample();
    expect(x).toBeGreaterThan(0);
    expect(s.cpu_pct).toBeGreaterThan(0);
  });

  it('reads fake GPUs as idle and empty without running nvidia-smi', async () => {
    const sampler = new HardwareSampler({ gpus: [device(0, 'GPU-fake-0000-0', 500), device(1, 'GPU-fake-0000-1')], gpu_probe: probe('fake') }, { nvidiaSmi: '/nonexistent/nvidia-smi' });
    const s = await sampler.sample();
    expect(s.gpus).toEqual([
      { index: 0, utilization_pct: 0, memory_used_mb: 0 },
      { index: 1, utilization_pct: 0, memory_used_mb: 0 },
    ]);
    expect(sampler.gpuError).toBeNull();
  });

  it('reads nvidia-smi GPUs by uuid, in inventory order', async () => {
    const smi = writeFakeNvidiaSmi({ sample: 'GPU-a, 100, 10\nGPU-c, 999, 99\nGPU-b, 2048, [N/A]\n' });
    made.push(smi);
    const sampler = new HardwareSampler({ gpus: [device(3, 'GPU-b'), device(1, 'GPU-a')], gpu_probe: probe('nvidia-smi') }, { nvidiaSmi: smi.path });
    const s = await sampler.sample();
    expect(s.gpus).toEqual([
      { index: 3, utilization_pct: null, memory_used_mb: 2048 },
      { index: 1, utilization_pct: 10, memory_used_mb: 100 },
    ]);
    expect(smi.calls()).toEqual(['--query-gpu=uuid,memory.used,utilization.gpu --format=csv,noheader,nounits']);
  });

  it('keeps the last known memory and says why when nvidia-smi fails', async () => {
    const smi = writeFakeNvidiaSmi({ sample: 'Unable to determine the device handle\n', exitCode: 15 });
    made.push(smi);
    const sampler = new HardwareSampler({ gpus: [device(0, 'GPU-a', 1234)], gpu_probe: probe('nvidia-smi') }, { nvidiaSmi: smi.path });
    const s = await sampler.sample();
    expect(s.gpus).toEqual([{ index: 0, utilization_pct: null, memory_used_mb: 1234 }]);
    expect(sampler.gpuError).toBe('nvidia-smi failed (exit code 15): Unable to determine the device handle');
  });
});

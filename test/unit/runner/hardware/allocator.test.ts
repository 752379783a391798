import { describe, expect, it } from 'vitest';
import { MachineAllocator, memoryFraction, type WorkerShape } from '../../../../runner/hardware/allocator.js';
import type { GpuDevice } from '../../../../runner/hardware/types.js';

function gpu(index: number, memoryGb: number, name = `GPU ${index}`): GpuDevice {
  return { index, uuid: `GPU-test-${index}`, name, memory_total_mb: memoryGb * 1024, memory_used_mb: 0, utilization_pct: 0 };
}
const shape = (s: Partial<WorkerShape>): WorkerShape => ({ cpus: 1, gpus: 0, gpu_memory_gb: 0, ...s });
const usedFractions = (a: MachineAllocator): number[] => a.usage().devices.map((d) => Math.round(d.used_fraction * 1000) / 1000);

describe('MachineAllocator', () => {
  it('lets two gpu_memory_gb 40 workers share one 80 GB device and sends a third to the next', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 80), gpu(1, 80)] });
    const first = a.tryAllocate(shape({ gpu_memory_gb: 40 }));
    const second = a.tryAllocate(shape({ gpu_memory_gb: 40 }));
    const third = a.tryAllocate(shape({ gpu_memory_gb: 40 }));
    expect([first, second, third].map((p) => p?.devices.map((d) => d.index))).toEqual([[0], [0], [1]]);
    expect(first?.gpu_fraction).toBe(0.5);
    expect(usedFractions(a)).toEqual([1, 0.5]);
    expect(a.tryAllocate(shape({ gpu_memory_gb: 40 }))?.devices[0]?.index).toBe(1);
    expect(a.tryAllocate(shape({ gpu_memory_gb: 40 }))).toBeNull();
  });

  it('packs two 40 GB workers on a real "80 GB" H100, which reports 81559 MiB', () => {
    const h100: GpuDevice = { ...gpu(0, 80), memory_total_mb: 81559 };
    const a = new MachineAllocator({ cpus: 8, gpus: [h100] });
    expect(a.tryAllocate(shape({ gpu_memory_gb: 40 }))).not.toBeNull();
    expect(a.tryAllocate(shape({ gpu_memory_gb: 40 }))).not.toBeNull();
    expect(a.tryAllocate(shape({ gpu_memory_gb: 1 }))).toBeNull();
  });

  it('gives whole-GPU workers only completely free devices, lowest first', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 80), gpu(1, 80), gpu(2, 80)] });
    expect(a.tryAllocate(shape({ gpus: 0.25 }))?.devices.map((d) => d.index)).toEqual([0]);
    expect(a.tryAllocate(shape({ gpus: 1 }))?.devices.map((d) => d.index)).toEqual([1]);
    expect(a.tryAllocate(shape({ gpus: 1 }))?.devices.map((d) => d.index)).toEqual([2]);
    expect(a.tryAllocate(shape({ gpus: 1 }))).toBeNull();
    expect(usedFractions(a)).toEqual([0.25, 1, 1]);
  });

  it('takes several free devices at once for a multi-GPU worker', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 80), gpu(1, 80), gpu(2, 80)] });
    a.tryAllocate(shape({ gpus: 0.5 }));
    const p = a.tryAllocate(shape({ gpus: 2 }));
    expect(p?.devices.map((d) => d.index)).toEqual([1, 2]);
    expect(p?.gpu_fraction).toBe(1);
    expect(a.tryAllocate(shape({ gpus: 2 }))).toBeNull();
  });

  it('converts gpu_memory_gb against the device the worker lands on', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 24, 'A10'), gpu(1, 80, 'H100')] });
    const onA10 = a.tryAllocate(shape({ gpu_memory_gb: 20 }));
    expect(onA10?.devices[0]?.name).toBe('A10');
    expect(onA10?.gpu_fraction).toBe(0.83);
    const onH100 = a.tryAllocate(shape({ gpu_memory_gb: 20 }));
    expect(onH100?.devices[0]?.name).toBe('H100');
    expect(onH100?.gpu_fraction).toBe(0.25);
    const big = a.tryAllocate(shape({ gpu_memory_gb: 30 }));
    expect(big?.devices[0]?.name).toBe('H100');
    expect(usedFractions(a)).toEqual([0.83, 0.63]);
  });

  it('never lands a request on a device smaller than it', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 24)] });
    expect(a.tryAllocate(shape({ gpu_memory_gb: 25 }))).toBeNull();
    expect(usedFractions(a)).toEqual([0]);
  });

  it('packs fractional workers onto the most-used device they still fit on', () => {
    const a = new MachineAllocator({ cpus: 8, gpus: [gpu(0, 80), gpu(1, 80), gpu(2, 80)] });
    a.tryAllocate(shape({ gpus: 0.5 }));
    a.tryAllocate(shape({ gpus: 0.6 }));
    expect(usedFractions(a)).toEqual([0.5, 0.6, 0]);
    expect(a.tryAllocate(shape({ gpus: 0.3 }))?.devices[0]?.index).toBe(1);
    expect(a.tryAllocate(shape({ gpus: 0.1 }))?.devices[0]?.index).toBe(1);
    expect(a.tryAllocate(shape({ gpus: 0.4 }))?.devices[0]?.index).toBe(0);
    expect(usedFractions(a)).toEqual([0.9, 1, 0]);
    expect(a.tryAllocate(shape({ gpus: 0.2 }))?.devices[0]?.index).toBe(2);
  });

  it('fits ten workers of 0.1 GPU on one device despite rounding, but not eleven', () => {
    const a = new MachineAllocator({ cpus: 32, gpus: [gpu(0, 80)] });
    for (let i = 0; i < 10; i++) expect(a.tryAllocate(shape({ gpus: 0.1 })), `worker ${i}`).not.toBeNull();
    expect(a.tryAllocate(shape({ gpus: 0.1 }))).toBeNull();
  });

  it('frees what a placement held on release, once', () => {
    const a = new MachineAllocator({ cpus: 2, gpus: [gpu(0, 80)] });
    const whole = a.tryAllocate(shape({ gpus: 1, cpus: 2 }));
    expect(whole).not.toBeNull();
    expect(a.tryAllocate(shape({ gpus: 0.5 }))).toBeNull();
    expect(a.release(whole as NonNullable<typeof whole>)).toBe(true);
    expect(a.release(whole as NonNullable<typeof whole>)).toBe(false);
    expect(a.usage()).toEqual({ cpus_used: 0, cpus_total: 2, devices: [{ index: 0, uuid: 'GPU-test-0', used_fraction: 0 }] });
    expect(a.tryAllocate(shape({ gpus: 1 }))).not.toBeNull();
  });

  it('counts CPUs but never refuses for them, and reports oversubscription', () => {
    const a = new MachineAllocator({ cpus: 2, gpus: [] });
    const p1 = a.tryAllocate(shape({ cpus: 2 }));
    expect(p1).toEqual({ devices: [], gpu_fraction: 0, cpus: 2 });
    expect(a.cpuOversubscribed()).toBe(false);
    const p2 = a.tryAllocate(shape({ cpus: 1.5 }));
    expect(p2).not.toBeNull();
    expect(a.usage().cpus_used).toBe(3.5);
    expect(a.cpuOversubscribed()).toBe(true);
    a.release(p2 as NonNullable<typeof p2>);
    expect(a.cpuOversubscribed()).toBe(false);
  });

  it('refuses GPU work on a machine without GPUs', () => {
    const a = new MachineAllocator({ cpus: 2, gpus: [] });
    expect(a.tryAllocate(shape({ gpus: 0.5 }))).toBeNull();
    expect(a.tryAllocate(shape({ gpu_memory_gb: 1 }))).toBeNull();
    expect(a.tryAllocate(shape({ gpus: 1 }))).toBeNull();
  });

  it('throws on shapes the pipeline validation should have refused', () => {
    const a = new MachineAllocator({ cpus: 2, gpus: [gpu(0, 80)] });
    expect(() => a.tryAllocate(shape({ gpus: 0.5, gpu_memory_gb: 10 }))).toThrow(RangeError);
    expect(() => a.tryAllocate(shape({ gpus: 1.5 }))).toThrow('gpus above 1 must be a whole number, got 1.5');
    expect(() => a.tryAllocate(shape({ cpus: -1 }))).toThrow(RangeError);
  });
});

describe('memoryFraction', () => {
  it('rounds to hundredths, never to zero, and is infinite on a device that does not report memory', () => {
    expect(memoryFraction(40, { memory_total_mb: 81559 })).toBe(0.5);
    expect(memoryFraction(43, { memory_total_mb: 81559 })).toBe(0.54);
    expect(memoryFraction(0.001, { memory_total_mb: 200 * 1024 })).toBe(0.01);
    expect(memoryFraction(1, { memory_total_mb: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});

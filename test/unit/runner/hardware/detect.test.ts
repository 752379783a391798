import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeGraphicsControllers, detectHardware, unsupportedControllersNote } from '../../../../runner/hardware/detect.js';

describe('detectHardware', () => {
  it('takes CPUs, memory, platform and the GPUs of the fake seam', async () => {
    const inventory = await detectHardware({ PATH: process.env['PATH'], CURATOR_FAKE_GPUS: '[{"name":"H100","memory_gb":80}]' });
    expect(inventory.cpus).toBe(os.availableParallelism());
    expect(inventory.cpu_model.trim()).not.toBe('');
    expect(inventory.memory_total_bytes).toBeGreaterThan(0);
    expect(inventory.memory_total_bytes).toBeLessThanOrEqual(os.totalmem() * 1.01);
    expect(inventory.platform).toBe(`${process.platform}-${process.arch}`);
    expect(inventory.hostname).toBe(os.hostname());
    expect(inventory.gpus.map((g) => g.name)).toEqual(['H100']);
    expect(inventory.gpu_probe.source).toBe('fake');
  });

  it('carries the probe reason when there is no GPU', async () => {
    const inventory = await detectHardware({ PATH: process.env['PATH'] }, { nvidiaSmi: '/nonexistent/curator-test/nvidia-smi' });
    expect(inventory.gpus).toEqual([]);
    expect(inventory.gpu_probe).toEqual({
      available: false,
      reason: 'no NVIDIA driver / nvidia-smi not found at "/nonexistent/curator-test/nvidia-smi"',
      driver_version: null,
      source: 'none',
    });
  });
});

describe('graphics controllers', () => {
  it('lists controllers with vendor, model and dedicated memory', async () => {
    const controllers = await describeGraphicsControllers();
    expect(Array.isArray(controllers)).toBe(true);
    for (const c of controllers) {
      expect(typeof c.vendor).toBe('string');
      expect(typeof c.model).toBe('string');
      expect(c.vram_mb === null || c.vram_mb > 0).toBe(true);
    }
  });

  it('explains a machine whose only controller is not NVIDIA', () => {
    expect(unsupportedControllersNote([{ vendor: 'AMD', model: 'Radeon Pro W7900', vram_mb: 49152 }])).toBe(
      'an AMD controller was found (AMD Radeon Pro W7900), but only NVIDIA GPUs are supported',
    );
    expect(unsupportedControllersNote([{ vendor: 'Intel Corporation', model: 'Intel Corporation UHD Graphics 770', vram_mb: null }])).toBe(
      'an Intel Corporation controller was found (Intel Corporation UHD Graphics 770), but only NVIDIA GPUs are supported',
    );
  });

  it('counts several non-NVIDIA controllers and ignores NVIDIA ones', () => {
    expect(
      unsupportedControllersNote([
        { vendor: 'NVIDIA', model: 'H100', vram_mb: 81559 },
        { vendor: 'Matrox', model: 'G200eR2', vram_mb: 16 },
        { vendor: 'ASPEED Technology, Inc.', model: 'ASPEED Graphics Family', vram_mb: null },
      ]),
    ).toBe('2 non-NVIDIA graphics controllers were found (Matrox G200eR2; ASPEED Technology, Inc. ASPEED Graphics Family), but only NVIDIA GPUs are supported');
  });

  it('has nothing to say about no controllers or NVIDIA-only ones', () => {
    expect(unsupportedControllersNote([])).toBeNull();
    expect(unsupportedControllersNote([{ vendor: 'NVIDIA Corporation', model: 'GA102 [GeForce RTX 3090]', vram_mb: 24576 }])).toBeNull();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectGpus } from '../../../../runner/hardware/detect.js';
import { parseInventory, parseSample, parseSmiNumber } from '../../../../runner/hardware/nvidia-smi.js';
import { TWO_H100, writeFakeNvidiaSmi, type FakeNvidiaSmi, type FakeNvidiaSmiScript } from './fake-nvidia-smi.js';

const made: FakeNvidiaSmi[] = [];
function fakeSmi(spec: FakeNvidiaSmiScript): FakeNvidiaSmi {
  const smi = writeFakeNvidiaSmi(spec);
  made.push(smi);
  return smi;
}
afterEach(() => {
  for (const smi of made.splice(0)) smi.remove();
});

/** An environment with neither the fake seam nor CUDA_VISIBLE_DEVICES, whatever the test runner's own is. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('CUDA_VISIBLE_DEVICES' in extra)) delete env['CUDA_VISIBLE_DEVICES'];
  delete env['CURATOR_FAKE_GPUS'];
  return env;
}

describe('detectGpus through nvidia-smi', () => {
  it('reads every device, the driver version, and asks for the fields of DESIGN §5', async () => {
    const smi = fakeSmi({ inventory: TWO_H100 });
    const { gpus, probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(probe).toEqual({ available: true, reason: null, driver_version: '550.54.15', source: 'nvidia-smi' });
    expect(gpus).toEqual([
      { index: 0, uuid: 'GPU-aaaaaaaa-1111-2222-3333-444444444444', name: 'NVIDIA H100 80GB HBM3', memory_total_mb: 81559, memory_used_mb: 1024, utilization_pct: 37 },
      { index: 1, uuid: 'GPU-bbbbbbbb-1111-2222-3333-444444444444', name: 'NVIDIA H100 80GB HBM3', memory_total_mb: 81559, memory_used_mb: 3, utilization_pct: 0 },
    ]);
    const [call] = smi.calls();
    expect(call).toContain('--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu');
    expect(call).toContain('--format=csv,noheader,nounits');
  });

  it('turns [N/A] fields into null utilisation and unknown memory into 0', async () => {
    const smi = fakeSmi({ inventory: '0, GPU-cafe, NVIDIA GB10, [N/A], [N/A], [N/A], 580.95.05\r\n' });
    const { gpus, probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(probe.available).toBe(true);
    expect(gpus).toEqual([{ index: 0, uuid: 'GPU-cafe', name: 'NVIDIA GB10', memory_total_mb: 0, memory_used_mb: 0, utilization_pct: null }]);
  });

  it('reports a failing nvidia-smi with its exit code and the driver message', async () => {
    const message = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
    const smi = fakeSmi({ inventory: `${message}\n\n`, exitCode: 9 });
    const { gpus, probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(gpus).toEqual([]);
    expect(probe).toEqual({ available: false, reason: `nvidia-smi failed (exit code 9): ${message}`, driver_version: null, source: 'none' });
  });

  it('prefers the first line of stderr over stdout when nvidia-smi fails', async () => {
    const smi = fakeSmi({ inventory: 'partial output\n', stderr: '\nFailed to initialize NVML: Driver/library version mismatch\nmore\n', exitCode: 18 });
    const { probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(probe.reason).toBe('nvidia-smi failed (exit code 18): Failed to initialize NVML: Driver/library version mismatch');
  });

  it('says the driver is missing when nvidia-smi is not on PATH', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'curator-empty-path-'));
    try {
      const { gpus, probe } = await detectGpus(cleanEnv({ PATH: empty }));
      expect(gpus).toEqual([]);
      expect(probe).toEqual({ available: false, reason: 'no NVIDIA driver / nvidia-smi not found on PATH', driver_version: null, source: 'none' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the path it tried when an explicit nvidia-smi does not exist', async () => {
    const missing = path.join(tmpdir(), 'curator-no-such-dir', 'nvidia-smi');
    const { probe } = await detectGpus(cleanEnv(), { nvidiaSmi: missing });
    expect(probe.reason).toBe(`no NVIDIA driver / nvidia-smi not found at "${missing}"`);
  });

  it('says when nvidia-smi runs but lists no device', async () => {
    const smi = fakeSmi({ inventory: '' });
    const { probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(probe).toEqual({ available: false, reason: 'nvidia-smi ran but listed no GPUs', driver_version: null, source: 'nvidia-smi' });
  });

  it('quotes output it cannot read instead of reporting an empty machine', async () => {
    const smi = fakeSmi({ inventory: 'No devices were found\n' });
    const { probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path });
    expect(probe.available).toBe(false);
    expect(probe.reason).toBe('nvidia-smi listed no GPUs it could read; it printed "No devices were found"');
  });

  it('gives up on a hung nvidia-smi after the timeout', async () => {
    const smi = fakeSmi({ inventory: TWO_H100, sleepS: 10 });
    const started = Date.now();
    const { probe } = await detectGpus(cleanEnv(), { nvidiaSmi: smi.path, timeoutMs: 200 });
    expect(probe.reason).toBe('nvidia-smi did not answer within 200 ms (the NVIDIA driver may be hung)');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('applies the parent CUDA_VISIBLE_DEVICES to what nvidia-smi lists', async () => {
    const smi = fakeSmi({ inventory: TWO_H100 });
    const { gpus, probe } = await detectGpus(cleanEnv({ CUDA_VISIBLE_DEVICES: 'GPU-bbbb' }), { nvidiaSmi: smi.path });
    expect(gpus.map((g) => g.index)).toEqual([1]);
    expect(probe.available).toBe(true);
  });

  it('explains when CUDA_VISIBLE_DEVICES hides every device nvidia-smi lists', async () => {
    const smi = fakeSmi({ inventory: TWO_H100 });
    const { gpus, probe } = await detectGpus(cleanEnv({ CUDA_VISIBLE_DEVICES: '' }), { nvidiaSmi: smi.path });
    expect(gpus).toEqual([]);
    expect(probe).toEqual({
      available: false,
      reason: 'CUDA_VISIBLE_DEVICES is set but empty, which hides all 2 GPUs',
      driver_version: '550.54.15',
      source: 'nvidia-smi',
    });
  });
});

describe('nvidia-smi output parsing', () => {
  it('reads numbers and treats every bracketed placeholder as missing', () => {
    expect(parseSmiNumber(' 81559 ')).toBe(81559);
    expect(parseSmiNumber('12.5')).toBe(12.5);
    for (const missing of ['[N/A]', 'N/A', '[Not Supported]', '[Unknown Error]', '', undefined]) {
      expect(parseSmiNumber(missing), String(missing)).toBeNull();
    }
  });

  it('keeps a name that contains a comma whole', () => {
    const { gpus } = parseInventory('3, GPU-x, Tesla V100-SXM2-16GB, rev 2, 16160, 0, 5, 535.1\n');
    expect(gpus[0]).toMatchObject({ index: 3, uuid: 'GPU-x', name: 'Tesla V100-SXM2-16GB, rev 2', memory_total_mb: 16160 });
  });

  it('skips rows without an integer index or a uuid and keeps them for the report', () => {
    const parsed = parseInventory('x, GPU-a, A, 1, 1, 1, 1.0\n0, , B, 1, 1, 1, 1.0\n1, GPU-c, C, 10, 2, 3, 1.0\n');
    expect(parsed.gpus.map((g) => g.uuid)).toEqual(['GPU-c']);
    expect(parsed.unparsed).toHaveLength(2);
    expect(parsed.driver_version).toBe('1.0');
  });

  it('reads the sampler query by uuid', () => {
    const rows = parseSample('GPU-a, 100, 50\nGPU-b, [N/A], [N/A]\nbroken\n');
    expect([...rows.keys()]).toEqual(['GPU-a', 'GPU-b']);
    expect(rows.get('GPU-a')).toEqual({ uuid: 'GPU-a', memory_used_mb: 100, utilization_pct: 50 });
    expect(rows.get('GPU-b')).toEqual({ uuid: 'GPU-b', memory_used_mb: null, utilization_pct: null });
  });
});

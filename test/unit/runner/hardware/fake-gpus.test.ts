import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { detectGpus, FAKE_GPUS_ENV, FAKE_GPUS_HELP, FakeGpusError } from '../../../../runner/hardware/detect.js';
import { parseFakeGpus } from '../../../../runner/hardware/fake-gpus.js';

/** A path where no nvidia-smi exists, so a test can tell whether the seam or the real probe answered. */
const NO_SMI = { nvidiaSmi: path.join(tmpdir(), 'curator-no-such-dir', 'nvidia-smi') };

function env(fake: string | undefined, visible?: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
  if (fake !== undefined) e[FAKE_GPUS_ENV] = fake;
  if (visible !== undefined) e['CUDA_VISIBLE_DEVICES'] = visible;
  return e;
}

describe('the CURATOR_FAKE_GPUS seam', () => {
  it('replaces nvidia-smi with the declared devices and generates stable uuids', async () => {
    const { gpus, probe } = await detectGpus(env('[{"name":"H100","memory_gb":80}, {"name":"A10","memory_gb":24,"uuid":"GPU-a10"}]'), NO_SMI);
    expect(probe).toEqual({ available: true, reason: null, driver_version: null, source: 'fake' });
    expect(gpus).toEqual([
      { index: 0, uuid: 'GPU-fake-0000-0', name: 'H100', memory_total_mb: 81920, memory_used_mb: 0, utilization_pct: 0 },
      { index: 1, uuid: 'GPU-a10', name: 'A10', memory_total_mb: 24576, memory_used_mb: 0, utilization_pct: 0 },
    ]);
  });

  it('still applies CUDA_VISIBLE_DEVICES on top', async () => {
    const declared = '[{"memory_gb":80},{"memory_gb":80},{"memory_gb":24}]';
    expect((await detectGpus(env(declared, '2,GPU-fake-0000-0'), NO_SMI)).gpus.map((g) => g.index)).toEqual([2, 0]);
    const hidden = await detectGpus(env(declared, '-1'), NO_SMI);
    expect(hidden.gpus).toEqual([]);
    expect(hidden.probe.source).toBe('fake');
    expect(hidden.probe.reason).toContain('CUDA_VISIBLE_DEVICES="-1" hides all 3 GPUs');
  });

  it('pretends there is no GPU with an empty list, and says it was the seam', async () => {
    const { gpus, probe } = await detectGpus(env('[]'), NO_SMI);
    expect(gpus).toEqual([]);
    expect(probe).toEqual({ available: false, reason: 'CURATOR_FAKE_GPUS lists no GPUs', driver_version: null, source: 'fake' });
  });

  it('leaves the real probe in charge when unset or blank', async () => {
    for (const value of [undefined, '  ']) {
      const { probe } = await detectGpus(env(value), NO_SMI);
      expect(probe.source, JSON.stringify(value)).toBe('none');
    }
  });

  it('rejects malformed JSON with an error naming the variable and what it expects', async () => {
    const failure = detectGpus(env('[{"name":"H100",'), NO_SMI);
    await expect(failure).rejects.toBeInstanceOf(FakeGpusError);
    await expect(failure).rejects.toThrow(/^CURATOR_FAKE_GPUS is not valid JSON \(.+\); expected an array such as \[\{"name":"H100","memory_gb":80\}\]$/);
  });

  it.each([
    ['{"name":"H100","memory_gb":80}', 'CURATOR_FAKE_GPUS must be a JSON array of GPUs such as [{"name":"H100","memory_gb":80}], got {"name":"H100","memory_gb":80}'],
    ['[80]', 'CURATOR_FAKE_GPUS[0] must be an object such as {"name":"H100","memory_gb":80}, got 80'],
    ['[{"name":"H100"}]', 'CURATOR_FAKE_GPUS[0].memory_gb must be a number of gigabytes > 0, got nothing'],
    ['[{"memory_gb":80},{"memory_gb":"24"}]', 'CURATOR_FAKE_GPUS[1].memory_gb must be a number of gigabytes > 0, got "24"'],
    ['[{"memory_gb":0}]', 'CURATOR_FAKE_GPUS[0].memory_gb must be a number of gigabytes > 0, got 0'],
    ['[{"memory_gb":80,"memory":80}]', 'CURATOR_FAKE_GPUS[0] has unknown key "memory"; expected "name", "memory_gb" and optionally "uuid"'],
    ['[{"memory_gb":80,"name":""}]', 'CURATOR_FAKE_GPUS[0].name must be a non-empty string, got ""'],
    ['[{"memory_gb":80,"uuid":"GPU-a,GPU-b"}]', 'CURATOR_FAKE_GPUS[0].uuid must be a non-empty string without commas or spaces, got "GPU-a,GPU-b"'],
    ['[{"memory_gb":80,"uuid":"GPU-x"},{"memory_gb":80,"uuid":"gpu-X"}]', 'CURATOR_FAKE_GPUS[1]: uuid "gpu-X" is used twice; each GPU needs its own'],
  ])('rejects %s', (value, message) => {
    expect(() => parseFakeGpus(value)).toThrow(new FakeGpusError(message));
  });

  it('documents itself as a testing aid, with an example and the variable name', () => {
    expect(FAKE_GPUS_ENV).toBe('CURATOR_FAKE_GPUS');
    expect(FAKE_GPUS_HELP).toMatch(/^Testing aid: set CURATOR_FAKE_GPUS to a JSON array/);
    const example = /CURATOR_FAKE_GPUS='([^']+)'/.exec(FAKE_GPUS_HELP)?.[1];
    expect(parseFakeGpus(example)).toHaveLength(2);
  });
});

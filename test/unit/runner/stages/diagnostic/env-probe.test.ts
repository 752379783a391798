import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerMetadata } from '../../../../../runner/pipeline/stage.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import { type EnvProbe, runProbeCommand } from '../../../../../runner/stages/diagnostic/env-probe.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { buildProcessing } from '../helpers.js';

function probe(raw: Record<string, unknown> = {}): EnvProbe {
  return buildProcessing<EnvProbe>('EnvProbe', raw, '/').stage;
}

const gpuWorker: WorkerMetadata = {
  worker_id: 'env_probe#3',
  stage_name: 'env_probe',
  allocation: { cpus: 1, gpu_devices: ['GPU-aaaa-1111'], gpu_fraction: 0.4 },
};

const cpuWorker: WorkerMetadata = { worker_id: 'cpu_probe#0', stage_name: 'cpu_probe', allocation: { cpus: 2, gpu_devices: [], gpu_fraction: 0 } };

const PRINT_CVD = ['node', '-e', 'console.log(process.env.CUDA_VISIBLE_DEVICES ?? "unset")'];

function batch(): DocumentBatch {
  return new DocumentBatch({ dataset_name: 'd', data: [{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }], task_id: 't0' });
}

const saved = process.env['CUDA_VISIBLE_DEVICES'];
function setCvd(value: string | undefined): void {
  if (value === undefined) delete process.env['CUDA_VISIBLE_DEVICES'];
  else process.env['CUDA_VISIBLE_DEVICES'] = value;
}
afterEach(() => setCvd(saved));

describe('EnvProbe', () => {
  it('is a registered diagnostic stage with documented defaults', () => {
    const def = getStage('EnvProbe');
    expect(def.category).toBe('diagnostic');
    expect(def.params.parse({})).toEqual({ command_timeout_s: 60, field_prefix: 'probe_', sleep_ms_per_task: 0 });
    expect(def.params.safeParse({ command: [] }).success).toBe(false);
    expect(def.params.safeParse({ command: 'nvidia-smi' }).success).toBe(false);
    expect(def.params.safeParse({ field_prefix: 'bad prefix' }).success).toBe(false);
    expect(def.params.safeParse({ not_a_param: 1 }).success).toBe(false);
    expect(probe().name).toBe('env_probe');
  });

  it('adds the worker id, pid, CUDA_VISIBLE_DEVICES and allocation to every record', async () => {
    setCvd('GPU-aaaa-1111');
    const s = probe();
    await s.setup(gpuWorker);
    const input = batch();
    const [out] = await s.process_batch([input]);
    expect(out).toBe(input);
    expect(out?.data).toEqual(
      ['a', 'b'].map((id) => ({
        id,
        text: id === 'a' ? 'x' : 'y',
        probe_worker_id: 'env_probe#3',
        probe_pid: process.pid,
        probe_cuda_visible_devices: 'GPU-aaaa-1111',
        probe_allocation: { gpu_devices: ['GPU-aaaa-1111'], gpu_fraction: 0.4 },
      })),
    );
    expect(out?.data[0]).not.toHaveProperty('probe_command_output');
  });

  it('reports an unset CUDA_VISIBLE_DEVICES as null and an empty one as ""', async () => {
    setCvd(undefined);
    const unset = probe();
    await unset.setup(cpuWorker);
    expect((await unset.process(batch())).data[0]).toMatchObject({ probe_cuda_visible_devices: null, probe_allocation: { gpu_devices: [], gpu_fraction: 0 } });
    setCvd('');
    const empty = probe();
    await empty.setup(cpuWorker);
    expect((await empty.process(batch())).data[0]).toMatchObject({ probe_cuda_visible_devices: '' });
  });

  it('runs the command once in setup, in the worker\u2019s environment, and adds its trimmed output', async () => {
    setCvd('GPU-bbbb-2222');
    const s = probe({ command: PRINT_CVD });
    await s.setup(gpuWorker);
    setCvd('changed-after-setup');
    const first = await s.process(batch());
    const second = await s.process(batch());
    for (const out of [first, second]) for (const record of out.data) expect(record['probe_command_output']).toBe('GPU-bbbb-2222');
    expect(s.observation()).toMatchObject({ worker_id: 'env_probe#3', cuda_visible_devices: 'GPU-bbbb-2222', command_output: 'GPU-bbbb-2222' });

    setCvd(undefined);
    const unset = probe({ command: PRINT_CVD });
    await unset.setup(cpuWorker);
    expect((await unset.process(batch())).data[1]).toMatchObject({ probe_command_output: 'unset', probe_cuda_visible_devices: null });
  });

  it('keeps the fields of two probes apart with field_prefix', async () => {
    setCvd('GPU-aaaa-1111');
    const gpu = probe();
    await gpu.setup(gpuWorker);
    setCvd('');
    const cpu = probe({ field_prefix: 'cpu_probe_' });
    await cpu.setup(cpuWorker);
    const out = await cpu.process(await gpu.process(batch()));
    expect(out.data[0]).toMatchObject({
      probe_cuda_visible_devices: 'GPU-aaaa-1111',
      probe_worker_id: 'env_probe#3',
      cpu_probe_cuda_visible_devices: '',
      cpu_probe_worker_id: 'cpu_probe#0',
      cpu_probe_allocation: { gpu_devices: [], gpu_fraction: 0 },
    });
  });

  it('fails setup with an error naming the command and its stderr', async () => {
    const failing = probe({ command: ['node', '-e', 'console.error("no CUDA here"); process.exit(3)'] });
    const err = await failing.setup(gpuWorker).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toContain('node -e');
    expect(err?.message).toContain('exited with code 3');
    expect(err?.message).toContain('no CUDA here');

    await expect(probe({ command: ['curator-no-such-program-xyz'] }).setup(gpuWorker)).rejects.toThrow(/curator-no-such-program-xyz.*not found/);
    await expect(probe({ command: ['node', '-e', 'setTimeout(() => {}, 5000)'], command_timeout_s: 0.2 }).setup(gpuWorker)).rejects.toThrow(
      /did not finish within 0\.2 s/,
    );
  });

  it('refuses to process before setup', async () => {
    await expect(probe().process(batch())).rejects.toThrow('before setup');
  });

  it('waits sleep_ms_per_task for each task', async () => {
    const s = probe({ sleep_ms_per_task: 40 });
    await s.setup(cpuWorker);
    const t = performance.now();
    await s.process_batch([batch(), batch()]);
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
  });

  it('runProbeCommand passes arguments without a shell', async () => {
    expect(await runProbeCommand(['node', '-e', 'console.log(process.argv.slice(1).join("|"))', 'a b', '$HOME'], 10)).toBe('a b|$HOME');
  });
});

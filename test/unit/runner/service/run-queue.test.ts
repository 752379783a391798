import { describe, expect, it } from 'vitest';
import { mayStart, type QueueMachine, type RunClaim } from '../../../../runner/service/run-queue.js';

const machine: QueueMachine = {
  cpus: 8,
  gpus: [
    { index: 0, uuid: 'GPU-aaaa' },
    { index: 1, uuid: 'GPU-bbbb' },
  ],
};
const cpuRun = (cpus: number | null): RunClaim => ({ cpus, gpus: null, needsGpu: false });
const gpuRun = (gpus: string[] | null): RunClaim => ({ cpus: 2, gpus, needsGpu: true });

describe('mayStart: the run queue policy', () => {
  it('always starts a run on an idle machine, whatever it asks for', () => {
    expect(mayStart(cpuRun(null), [], 1, machine)).toBe(true);
    expect(mayStart(gpuRun(null), [], 1, machine)).toBe(true);
  });

  it('runs one at a time by default', () => {
    expect(mayStart(cpuRun(1), [cpuRun(1)], 1, machine)).toBe(false);
  });

  it('with a higher limit, starts a run only when the CPU caps add up to the machine', () => {
    expect(mayStart(cpuRun(4), [cpuRun(4)], 3, machine)).toBe(true);
    expect(mayStart(cpuRun(1), [cpuRun(4), cpuRun(4)], 3, machine)).toBe(false);
    expect(mayStart(cpuRun(null), [cpuRun(1)], 3, machine)).toBe(false);
    expect(mayStart(cpuRun(2), [cpuRun(2)], 1, machine)).toBe(false);
  });

  it('never lets two GPU runs share a device, naming devices by index or UUID', () => {
    expect(mayStart(gpuRun(['1']), [gpuRun(['0'])], 2, machine)).toBe(true);
    expect(mayStart(gpuRun(['GPU-aaaa']), [gpuRun(['0'])], 2, machine)).toBe(false);
    expect(mayStart(gpuRun(null), [gpuRun(['1'])], 2, machine)).toBe(false);
    expect(mayStart(cpuRun(2), [gpuRun(null)], 2, machine)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkGpuRequests, type WorkerShape } from '../../../../runner/hardware/allocator.js';
import type { GpuDevice } from '../../../../runner/hardware/types.js';

const H100: GpuDevice = { index: 0, uuid: 'GPU-h100', name: 'NVIDIA H100 80GB', memory_total_mb: 81559, memory_used_mb: 0, utilization_pct: 0 };
const A10: GpuDevice = { index: 1, uuid: 'GPU-a10', name: 'NVIDIA A10', memory_total_mb: 23028, memory_used_mb: 0, utilization_pct: 0 };
const FAKE_80: GpuDevice = { ...H100, name: 'H100', memory_total_mb: 81920 };
const res = (s: Partial<WorkerShape>): WorkerShape => ({ cpus: 1, gpus: 0, gpu_memory_gb: 0, ...s });

describe('checkGpuRequests', () => {
  it('accepts CPU stages and GPU requests the machine can meet', () => {
    const stages = [
      { name: 'read', resources: res({}) },
      { name: 'embed', resources: res({ gpus: 1 }) },
      { name: 'classify', resources: res({ gpu_memory_gb: 20 }), workers: 4 },
      { name: 'score', resources: res({ gpus: 0.25 }), workers: 8 },
    ];
    expect(checkGpuRequests(stages, [H100, A10])).toEqual([]);
  });

  it('names the stage, the request and the devices when a worker wants more GPUs than exist', () => {
    expect(checkGpuRequests([{ name: 'embed', resources: res({ gpus: 2 }) }], [H100])).toEqual([
      'stage "embed" asks for 2 GPUs per worker, but this machine has 1 usable GPU (0: NVIDIA H100 80GB, 81559 MiB)',
    ]);
  });

  it('names the largest GPU when gpu_memory_gb fits on none', () => {
    expect(checkGpuRequests([{ name: 'llm', resources: res({ gpu_memory_gb: 100 }) }], [FAKE_80])).toEqual([
      'stage "llm" asks for gpu_memory_gb 100 per worker, but the largest GPU has 80 GB (1 usable GPU (0: H100, 81920 MiB))',
    ]);
    expect(checkGpuRequests([{ name: 'llm', resources: res({ gpu_memory_gb: 30 }) }], [A10, H100])).toEqual([]);
  });

  it('stops at "no usable GPU" so the caller can append the probe reason', () => {
    const problems = checkGpuRequests(
      [
        { name: 'embed', resources: res({ gpus: 1 }) },
        { name: 'tokenize', resources: res({}) },
        { name: 'score', resources: res({ gpus: 0.5 }) },
      ],
      [],
    );
    expect(problems).toEqual([
      'stage "embed" asks for 1 GPU per worker, but this machine has no usable GPU',
      'stage "score" asks for gpus 0.5 per worker, but this machine has no usable GPU',
    ]);
  });

  it('refuses pinned worker counts that never fit together', () => {
    expect(checkGpuRequests([{ name: 'embed', resources: res({ gpus: 1 }), workers: 3 }], [H100, A10])).toEqual([
      'stage "embed" asks for 1 GPU per worker and pins 3 workers, but only 2 fit on this machine\'s 2 usable GPUs (0: NVIDIA H100 80GB, 81559 MiB; 1: NVIDIA A10, 23028 MiB)',
    ]);
    expect(checkGpuRequests([{ name: 'classify', resources: res({ gpu_memory_gb: 40 }), workers: 3 }], [FAKE_80])).toEqual([
      'stage "classify" asks for gpu_memory_gb 40 per worker and pins 3 workers, but only 2 fit on this machine\'s 1 usable GPU (0: H100, 81920 MiB)',
    ]);
    expect(checkGpuRequests([{ name: 'classify', resources: res({ gpu_memory_gb: 40 }), workers: 2 }], [FAKE_80])).toEqual([]);
  });

  it('reports a request that sets both GPU fields', () => {
    expect(checkGpuRequests([{ name: 'x', resources: res({ gpus: 1, gpu_memory_gb: 8 }) }], [H100])).toEqual([
      'stage "x" asks for gpus 1 and gpu_memory_gb 8 per worker, which is not a valid request: a worker shape sets either gpus or gpu_memory_gb, not both',
    ]);
  });

  it('with allAtOnce, refuses GPU stages that each fit alone but not together', () => {
    const stages = [
      { name: 'embed', resources: res({ gpus: 1 }) },
      { name: 'classify', resources: res({ gpu_memory_gb: 40 }), workers: 2 },
    ];
    expect(checkGpuRequests(stages, [FAKE_80])).toEqual([]);
    expect(checkGpuRequests(stages, [FAKE_80], { allAtOnce: true })).toEqual([
      'stages "embed" (1 × 1 GPU per worker), "classify" (2 × gpu_memory_gb 40 per worker) run at the same time but do not fit on this machine together: 1 usable GPU (0: H100, 81920 MiB)',
    ]);
    expect(checkGpuRequests(stages, [FAKE_80, { ...FAKE_80, index: 1, uuid: 'GPU-2' }], { allAtOnce: true })).toEqual([]);
  });

  it('with allAtOnce, places larger shares first so a fitting mix is not refused', () => {
    const stages = [
      { name: 'small', resources: res({ gpus: 0.3 }), workers: 2 },
      { name: 'large', resources: res({ gpus: 0.7 }), workers: 2 },
    ];
    expect(checkGpuRequests(stages, [FAKE_80, { ...FAKE_80, index: 1, uuid: 'GPU-2' }], { allAtOnce: true })).toEqual([]);
  });
});

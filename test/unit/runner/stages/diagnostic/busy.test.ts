import { describe, expect, it } from 'vitest';
import { DocumentBatch, type Task } from '../../../../../runner/pipeline/tasks.js';
import { type BusyStage, burnCpuMs } from '../../../../../runner/stages/diagnostic/busy.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { buildProcessing, worker } from '../helpers.js';

function busy(raw: Record<string, unknown>): BusyStage {
  return buildProcessing<BusyStage>('BusyStage', raw, '/').stage;
}

function tasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => new DocumentBatch({ data: [{ i }] }));
}

describe('BusyStage', () => {
  it('has the documented defaults and counts as a batch-processing stage', () => {
    expect(getStage('BusyStage').params.parse({})).toEqual({ sleep_ms_per_task: 0, spin_ms_per_task: 0, spin_iterations_per_task: 0, setup_ms: 0, fail_every: 0 });
    expect(getStage('BusyStage').category).toBe('diagnostic');
    const s = busy({});
    expect(s.name).toBe('busy');
    expect(s.supportsBatchProcessing()).toBe(true);
  });

  it('passes the same task objects through, in order', async () => {
    const input = tasks(3);
    const out = await busy({}).process_batch(input);
    expect(out).toHaveLength(3);
    out.forEach((t, i) => expect(t).toBe(input[i]));
    expect(await busy({}).process(input[0] as Task)).toBe(input[0]);
  });

  it('fail_every fails every n-th batch of this worker, counting batches not tasks', async () => {
    const s = busy({ fail_every: 3 });
    const results: string[] = [];
    for (let k = 1; k <= 7; k++) {
      try {
        await s.process_batch(tasks(k % 2 === 0 ? 2 : 5));
        results.push('ok');
      } catch (err: unknown) {
        results.push((err as Error).message);
      }
    }
    expect(results).toEqual([
      'ok',
      'ok',
      'BusyStage: planned failure on batch 3 of this worker',
      'ok',
      'ok',
      'BusyStage: planned failure on batch 6 of this worker',
      'ok',
    ]);
    // A fresh worker counts from 1 again.
    await expect(busy({ fail_every: 1 }).process_batch(tasks(1))).rejects.toThrow('planned failure on batch 1 of this worker');
  });

  it('never fails with fail_every 0', async () => {
    const s = busy({});
    for (let k = 0; k < 20; k++) await s.process_batch(tasks(1));
  });

  it('sleeps per task and in setup', async () => {
    const s = busy({ sleep_ms_per_task: 30, setup_ms: 40 });
    let t = performance.now();
    await s.setup(worker);
    expect(performance.now() - t).toBeGreaterThanOrEqual(35);
    t = performance.now();
    await s.process_batch(tasks(2));
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
  });

  it('spins for CPU time per task', async () => {
    const s = busy({ spin_ms_per_task: 20 });
    const before = process.cpuUsage();
    await s.process_batch(tasks(3));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeGreaterThanOrEqual(60);
  });
});

describe('burnCpuMs', () => {
  it('consumes at least the requested CPU time', () => {
    for (const ms of [1, 25, 80]) {
      const before = process.cpuUsage();
      burnCpuMs(ms);
      const used = process.cpuUsage(before);
      expect(used.user + used.system).toBeGreaterThanOrEqual(ms * 1000);
    }
  });

  it('does not run far past the request', () => {
    const before = process.cpuUsage();
    burnCpuMs(50);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(50 + 40);
  });

  it('returns at once for zero or negative requests', () => {
    const t = performance.now();
    burnCpuMs(0);
    burnCpuMs(-5);
    expect(performance.now() - t).toBeLessThan(5);
  });
});

describe('BusyStage fixed-size work', () => {
  it('runs spin_iterations_per_task inline when the worker has one thread', async () => {
    const def = getStage('BusyStage');
    const stage = def.create(def.params.parse({ spin_iterations_per_task: 2_000_000 }), { resolvePath: (p: string) => p }) as BusyStage;
    const { DocumentBatch } = await import('../../../../../runner/pipeline/tasks.js');
    const tasks = [new DocumentBatch({ data: [{ a: 1 }] }), new DocumentBatch({ data: [{ a: 2 }] })];
    const before = process.cpuUsage();
    const out = await stage.process_batch(tasks);
    const used = process.cpuUsage(before);
    expect(out).toEqual(tasks);
    expect(used.user + used.system).toBeGreaterThan(1000);
  });
});

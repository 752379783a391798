import { afterEach, describe, expect, it } from 'vitest';
import type { CuratorEvent } from '../../../../runner/service/contract.js';
import { createCuratorService, type CuratorService } from '../../../../runner/service/service.js';
import { MemoryHistory } from './memory-history.js';
import { apiError, builtWorkers, finished, started, synthetic, tempDir } from './helpers.js';

// Real runs through worker processes: a few seconds each on a 2-core machine.
describe('CuratorService: the run queue', () => {
  let service: CuratorService | null = null;
  afterEach(async () => {
    await service?.close();
    service = null;
  });

  function make(history: MemoryHistory, maxConcurrentRuns?: number): CuratorService {
    service = createCuratorService({ history, launcher: builtWorkers(), log: () => undefined, ...(maxConcurrentRuns ? { maxConcurrentRuns } : {}) });
    return service;
  }

  it('runs queued runs one at a time, first in first out, and records each with source "serve"', async () => {
    const history = new MemoryHistory();
    const svc = make(history);
    const events: CuratorEvent[] = [];
    svc.subscribe(null, (e) => events.push(e));
    const a = await svc.startRun({ pipeline: synthetic('first', { sleepMs: 150 }) });
    const b = await svc.startRun({ pipeline: synthetic('second'), name: 'second run' });
    const c = await svc.startRun({ pipeline: synthetic('third') });
    expect([a.status, b.status, c.status]).toEqual(['running', 'queued', 'queued']);
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);

    const summaries = await Promise.all([a, b, c].map((r) => finished(svc, r.run_id)));
    expect(summaries.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const names = new Map([[a.run_id, 'a'], [b.run_id, 'b'], [c.run_id, 'c']]);
    const lifecycle = events.filter((e) => e.type === 'run_started' || e.type === 'run_finished').map((e) => `${e.type === 'run_started' ? 'start' : 'end'} ${names.get(e.run_id)}`);
    expect(lifecycle).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(events.filter((e) => e.type === 'run_queued').map((e) => names.get(e.run_id))).toEqual(['a', 'b', 'c']);

    const rb = history.runs.get(b.run_id);
    expect(rb?.start).toMatchObject({ name: 'second run', source: 'serve', backend: 'xenna', status: 'queued' });
    expect(rb?.status).toBe('succeeded');
    expect(rb?.closed).toBe(true);
    expect(rb?.events.at(-1)?.type).toBe('run_finished');
    expect(rb?.events.some((e) => e.type === 'stage_status')).toBe(true);
    expect((await svc.listRuns()).total).toBe(3);
    expect((await svc.getRun({ run_id: c.run_id })).status).toBe('succeeded');
  });

  it('cancels a queued run at once (it never starts) and a running one within seconds', async () => {
    const history = new MemoryHistory();
    const svc = make(history);
    const slow = await svc.startRun({ pipeline: synthetic('slow', { tasks: 60, docs: 1, sleepMs: 250 }) });
    const waiting = await svc.startRun({ pipeline: synthetic('waiting') });
    expect(waiting.status).toBe('queued');

    expect(await svc.cancelRun({ run_id: waiting.run_id })).toEqual({ run_id: waiting.run_id, status: 'cancelled' });
    const ws = await finished(svc, waiting.run_id);
    expect(ws).toMatchObject({ status: 'cancelled', stages: [], error: null });
    const rw = history.runs.get(waiting.run_id);
    expect(rw?.status).toBe('cancelled');
    expect(rw?.startedAt).toBeNull();
    expect(rw?.events.map((e) => e.type)).toEqual(['run_finished']);
    expect((await apiError(svc.cancelRun({ run_id: waiting.run_id }))).code).toBe('conflict');

    await started(svc, slow.run_id);
    expect((await apiError(svc.deleteRun({ run_id: slow.run_id }))).code).toBe('conflict');
    const t0 = Date.now();
    expect(await svc.cancelRun({ run_id: slow.run_id })).toEqual({ run_id: slow.run_id, status: 'cancelling' });
    const ss = await finished(svc, slow.run_id);
    expect(ss.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(history.runs.get(slow.run_id)?.status).toBe('cancelled');
    expect(await svc.deleteRun({ run_id: slow.run_id })).toEqual({ deleted: true });
    expect((await apiError(svc.getRun({ run_id: slow.run_id }))).code).toBe('not_found');
  });

  it('cancels a run that is still being planned (before the engine reports it started)', async () => {
    const svc = make(new MemoryHistory());
    const r = await svc.startRun({ pipeline: synthetic('cancel-early', { tasks: 60, docs: 1, sleepMs: 250 }) });
    const t0 = Date.now();
    await svc.cancelRun({ run_id: r.run_id });
    expect((await finished(svc, r.run_id)).status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('runs two small runs side by side when the limit allows and they fit the machine', async () => {
    const svc = make(new MemoryHistory(), 2);
    const a = await svc.startRun({ pipeline: synthetic('left', { sleepMs: 100 }), cpus: 1 });
    const b = await svc.startRun({ pipeline: synthetic('right', { sleepMs: 100 }), cpus: 1 });
    expect([a.status, b.status]).toEqual(['running', 'running']);
    await Promise.all([finished(svc, a.run_id), finished(svc, b.run_id)]);
  });

  it('close() cancels queued and running runs', async () => {
    const history = new MemoryHistory();
    const svc = make(history);
    const a = await svc.startRun({ pipeline: synthetic('a', { tasks: 60, docs: 1, sleepMs: 250 }) });
    const b = await svc.startRun({ pipeline: synthetic('b') });
    await started(svc, a.run_id);
    await svc.close();
    expect(history.runs.get(a.run_id)?.status).toBe('cancelled');
    expect(history.runs.get(b.run_id)?.status).toBe('cancelled');
    expect((await apiError(svc.startRun({ pipeline: synthetic('c') }))).code).toBe('conflict');
  });

  it('records what a run wrote, and pages through it once the run has finished', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const history = new MemoryHistory();
      const svc = make(history);
      const r = await svc.startRun({ pipeline: synthetic('writes', { tasks: 3, docs: 5, out: `${dir}/out` }) });
      expect((await apiError(svc.previewOutput({ run_id: r.run_id }))).code).toBe('conflict');
      await finished(svc, r.run_id);

      const rec = history.runs.get(r.run_id);
      expect(rec?.outputs).toHaveLength(3);
      expect(rec?.outputs.map((o) => o.documents)).toEqual([5, 5, 5]);
      expect(rec?.docIds).toHaveLength(15);
      expect((rec?.start.pipeline as { stages: Array<{ params: { path?: string } }> }).stages[2]?.params.path).toBe(`${dir}/out`);

      const page = await svc.previewOutput({ run_id: r.run_id, offset: 12, limit: 10, max_value_chars: 10 });
      expect(page.source).toBe('recorded_outputs');
      expect(page.total).toBe(15);
      expect(page.documents).toHaveLength(3);
      expect(page.fields.map((f) => f.name)).toEqual(['id', 'text']);
      expect(page.clipped).toBe(true);
      expect(String(page.documents[0]?.text)).toHaveLength(11);
      const e = await apiError(svc.previewOutput({ run_id: r.run_id, stage: 'nope' }));
      expect(e.message).toContain('writers: jsonl_writer');
      expect((await svc.previewOutput({ run_id: r.run_id, stage: 'jsonl_writer', limit: 1 })).total).toBe(15);
    } finally {
      await cleanup();
    }
  });
});

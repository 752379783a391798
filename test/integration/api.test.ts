import { describe, it, expect } from 'vitest';
// The programmatic API as a user imports it: the built package entry, with stages that run in
// real worker processes (built files, since workers are plain Node processes).
import { Pipeline, XennaExecutor, DocumentBatch, getStage, type RunEvent, type Task } from '../../dist/runner/index.js';
import '../../dist/test/fixtures/stages.js';

function build(name: string): Pipeline {
  const synth = getStage('SyntheticDocuments');
  const split = getStage('SplitDocuments');
  const tag = getStage('TagWithSetup');
  const ctx = { resolvePath: (p: string) => p };
  return new Pipeline(name, 'api test')
    .add_stage(synth.create(synth.params.parse({ num_tasks: 3, docs_per_task: 4, chars_per_doc: 40 }), ctx))
    .add_stage(split.create(split.params.parse({}), ctx))
    .add_stage(tag.create(tag.params.parse({ tag: 'abc' }), ctx));
}

describe('Pipeline.run(executor) through worker processes', () => {
  for (const mode of ['streaming', 'batch'] as const) {
    it(`returns the last stage's tasks with NeMo Curator's id paths and perf stats (${mode})`, async () => {
      const events: RunEvent[] = [];
      const out: Task[] = await build(`api-${mode}`).run(new XennaExecutor({ execution_mode: mode, logging_interval: 1 }), null, { onEvent: (e) => events.push(e), cpus: 3 });
      expect(out).toHaveLength(12);
      const ids = out.map((t) => t.task_id).sort();
      // Source fed EmptyTask "0" → "0_<i>"; fan-out of one parent → "<parent>_<j>"; 1→1 → "_0".
      const expected = [0, 1, 2].flatMap((i) => [0, 1, 2, 3].map((j) => `0_${i}_${j}_0`)).sort();
      expect(ids).toEqual(expected);
      for (const t of out) {
        expect(t).toBeInstanceOf(DocumentBatch);
        const rows = (t as DocumentBatch).data;
        expect(rows).toHaveLength(1);
        expect(rows[0]?.tag).toBe('ready:abc');
        expect(String(rows[0]?.worker)).toMatch(/^tag#\d+$/);
        expect(t._stage_perf.map((p) => p.stage_name)).toEqual(['synthetic_documents', 'split', 'tag']);
        for (const p of t._stage_perf) expect(p.process_time).toBeGreaterThanOrEqual(0);
      }
      const kinds = new Set(events.map((e) => e.type));
      expect(kinds.has('run_started')).toBe(true);
      expect(kinds.has('run_finished')).toBe(true);
      expect(kinds.has('task_processed')).toBe(true);
      const finished = events.find((e) => e.type === 'run_finished');
      expect(finished && finished.type === 'run_finished' && finished.summary.stages.map((s) => [s.name, s.items_in, s.items_out])).toEqual([
        ['synthetic_documents', 0, 12],
        ['split', 12, 12],
        ['tag', 12, 12],
      ]);
    });
  }

  it('fails the run with a clear message when a stage setup throws', async () => {
    const synth = getStage('SyntheticDocuments');
    const failing = getStage('FailingSetup');
    const ctx = { resolvePath: (p: string) => p };
    const p = new Pipeline('setup-fails')
      .add_stage(synth.create(synth.params.parse({ num_tasks: 1 }), ctx))
      .add_stage(failing.create(failing.params.parse({}), ctx));
    const err = await p.run(new XennaExecutor({ logging_interval: 5 })).then(() => null, (e: unknown) => e as Error & { summary?: { status: string } });
    expect(err?.name).toBe('StageSetupError');
    expect(err?.message).toBe('stage "loader" failed in setup: model file weights.bin is missing');
    expect(err?.summary?.status).toBe('failed');
  });
});

describe('startRun(): a handle with cancel()', () => {
  it('cancel() stops the run and every worker process, and the result rejects as cancelled', async () => {
    const { startRun, NodeWorkerLauncher } = await import('../../dist/runner/index.js');
    const pids: number[] = [];
    const inner = new NodeWorkerLauncher();
    const launcher = { kind: 'recording', launch: (o: Parameters<typeof inner.launch>[0]) => { const p = inner.launch(o); if (p.pid) pids.push(p.pid); return p; } };
    const synth = getStage('SyntheticDocuments');
    const busy = getStage('BusyStage');
    const ctx = { resolvePath: (p: string) => p };
    const p = new Pipeline('cancel-me')
      .add_stage(synth.create(synth.params.parse({ num_tasks: 200, docs_per_task: 1 }), ctx))
      .add_stage(busy.create(busy.params.parse({ sleep_ms_per_task: 200 }), ctx));
    let processed = 0;
    const h = startRun(p, new XennaExecutor({ logging_interval: 5 }), { launcher, cpus: 3, onEvent: (e) => void (e.type === 'task_processed' && processed++) });
    while (processed < 3) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    h.cancel();
    const err = await h.result.then(() => null, (e: unknown) => e as Error & { summary?: { status: string; run_id: string } });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err?.name).toBe('RunCancelledError');
    expect(err?.summary?.status).toBe('cancelled');
    expect(err?.summary?.run_id).toBe(h.runId);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    expect(pids.filter(alive)).toEqual([]);
  });
});

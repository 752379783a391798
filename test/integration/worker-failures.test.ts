import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { startCli, tempDir, readOutput, writePipeline, childPids, alive, waitFor, cmdline } from './helpers.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());

/** Synthetic source → slow pass-through → writer: long enough to act on mid-run. */
function slowPipeline(name: string, tasks: number, sleepMs: number) {
  return writePipeline(path.join(tmp.dir, `${name}.yaml`), {
    name,
    stages: [
      { stage: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 3, chars_per_doc: 50 } },
      { stage: 'BusyStage', name: 'slow', params: { sleep_ms_per_task: sleepMs } },
      { stage: 'JsonlWriter', params: { path: `./out-${name}` } },
    ],
    executor: { backend: 'xenna', config: { logging_interval: 1 } },
  });
}

describe('worker processes that die or are stopped', () => {
  it('re-runs the batches of a worker killed with SIGKILL; every document arrives exactly once', async () => {
    const file = slowPipeline('kill', 40, 60);
    const run = startCli(['run', file, '--json', '--cpus', '3']);
    const pid = run.child.pid as number;
    let victim = 0;
    const found = await waitFor(() => {
      victim = childPids(pid).find((c) => cmdline(c).includes('slow#')) ?? 0;
      return victim > 0;
    }, 15_000);
    expect(found).toBe(true);
    await new Promise((r) => setTimeout(r, 700)); // let it take batches
    process.kill(victim, 'SIGKILL');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/slow#\d+.*exited unexpectedly \(signal SIGKILL\)/);
    const ids = readOutput(path.join(tmp.dir, 'out-kill')).records.map((x) => x.id as string);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
    const s = r.json as { stages: Array<{ name: string; items_in: number; workers_max: number }> };
    expect(s.stages.find((x) => x.name === 'slow')?.items_in).toBe(120);
  });

  it('cancels on SIGINT within a few seconds, exit 130, leaving no worker process behind', async () => {
    const file = slowPipeline('cancel', 200, 100);
    const run = startCli(['run', file, '--json', '--cpus', '3']);
    const pid = run.child.pid as number;
    let workers: number[] = [];
    await waitFor(() => (workers = childPids(pid).filter((c) => cmdline(c).includes('curator-worker'))).length >= 2, 15_000);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const t0 = Date.now();
    process.kill(pid, 'SIGINT');
    const r = await run.done;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(130);
    expect((r.json as { status: string }).status).toBe('cancelled');
    expect(await waitFor(() => workers.every((w) => !alive(w)), 3000)).toBe(true);
  });

  it('workers exit by themselves when the engine is killed with SIGKILL', async () => {
    const file = slowPipeline('orphan', 200, 100);
    const run = startCli(['run', file, '--cpus', '3']);
    const pid = run.child.pid as number;
    let workers: number[] = [];
    await waitFor(() => (workers = childPids(pid).filter((c) => cmdline(c).includes('curator-worker'))).length >= 2, 15_000);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    process.kill(pid, 'SIGKILL');
    await run.done;
    expect(await waitFor(() => workers.every((w) => !alive(w)), 5000)).toBe(true);
  });
});

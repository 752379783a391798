import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { runCli, startCli, tempDir, makeCorpus, readOutput, writePipeline, childPids, alive, waitFor, cmdline } from './helpers.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('curator-ray-');
  makeCorpus(path.join(tmp.dir, 'in'), 6, 20);
});
afterAll(() => tmp.cleanup());

describe('gang (RAFT actor) stages on ray_actor_pool', () => {
  const outputs: Record<number, string[]> = {};
  for (const n of [1, 2, 3]) {
    it(`runs KMeansStage with ${n} worker(s) started together`, async () => {
      const file = writePipeline(path.join(tmp.dir, `kmeans-${n}.yaml`), {
        name: `kmeans-${n}`,
        stages: [
          { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 1 } },
          { stage: 'KMeansStage', params: { n_clusters: 4 }, num_workers: n },
          { stage: 'JsonlWriter', params: { path: `./kmeans-out-${n}` } },
        ],
        executor: { backend: 'ray_actor_pool', config: { logging_interval: 5 } },
      });
      const r = await runCli(['run', file, '--json', '--cpus', '4']);
      expect(r.code, r.stderr).toBe(0);
      const s = r.json as { stages: Array<{ name: string; workers_max: number; items_in: number; items_out: number }> };
      const km = s.stages.find((x) => x.name === 'kmeans');
      expect(km?.workers_max).toBe(n);
      expect([km?.items_in, km?.items_out]).toEqual([120, 120]);
      const recs = readOutput(path.join(tmp.dir, `kmeans-out-${n}`)).records;
      expect(recs).toHaveLength(120);
      for (const rec of recs) expect(Number.isInteger(rec.cluster)).toBe(true);
      expect(new Set(recs.map((x) => x.cluster)).size).toBeGreaterThan(1);
      outputs[n] = recs.map((x) => `${String(x.id)}:${String(x.cluster)}:${String(x.cluster_distance)}`).sort();
    });
  }
  it('gives the same clusters whatever the number of workers', () => {
    expect(outputs[1]).toBeDefined();
    expect(outputs[2]).toEqual(outputs[1]);
    expect(outputs[3]).toEqual(outputs[1]);
  });
  it('is refused on backends that cannot start a gang', async () => {
    const file = writePipeline(path.join(tmp.dir, 'kmeans-xenna.yaml'), {
      name: 'kmeans-xenna',
      stages: [{ stage: 'JsonlReader', params: { file_paths: './in' } }, { stage: 'KMeansStage', params: {} }],
    });
    const r = await runCli(['run', file, '--backend', 'xenna']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('runs only on the ray_actor_pool backend');
  });
});

describe('ray_actor_pool actor counts', () => {
  it('follows calculate_optimal_actors_for_stage, after reserved_cpus', async () => {
    const file = writePipeline(path.join(tmp.dir, 'count.yaml'), {
      name: 'count',
      stages: [
        { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 1 } },
        { stage: 'BusyStage', name: 'busy', params: {} },
      ],
      executor: { backend: 'ray_actor_pool' },
    });
    // 6 tasks, batch_size 1, 4 CPUs: min(6 batches, floor(4 / 1)) = 4 actors; reserving 1.5 CPUs leaves floor(2.5) = 2.
    const a = await runCli(['run', file, '--json', '--cpus', '4']);
    const b = await runCli(['run', file, '--json', '--cpus', '4', '--config', '{"reserved_cpus": 1.5}']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const busy = (r: typeof a) => (r.json as { stages: Array<{ name: string; workers_max: number }> }).stages.find((x) => x.name === 'busy')?.workers_max;
    expect(busy(a)).toBe(4);
    expect(busy(b)).toBe(2);
    const c = await runCli(['run', file, '--json', '--cpus', '4', '--config', '{"reserved_cpus": 4}']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('No resources available');
  });
});

describe('failure semantics of the Ray backends', () => {
  for (const backend of ['ray_data', 'ray_actor_pool']) {
    it(`${backend}: a worker killed with SIGKILL has its batches re-run; nothing lost or doubled`, async () => {
      const file = writePipeline(path.join(tmp.dir, `kill-${backend}.yaml`), {
        name: `kill-${backend}`,
        stages: [
          { stage: 'SyntheticDocuments', params: { num_tasks: 40, docs_per_task: 2, chars_per_doc: 30 } },
          { stage: 'BusyStage', name: 'slow', params: { sleep_ms_per_task: 60, setup_ms: 1 } },
          { stage: 'JsonlWriter', params: { path: `./kill-out-${backend}` } },
        ],
        executor: { backend },
      });
      const run = startCli(['run', file, '--json', '--cpus', '3']);
      let victim = 0;
      await waitFor(() => (victim = childPids(run.child.pid as number).find((c) => cmdline(c).includes('slow')) ?? 0) > 0, 15_000);
      expect(victim).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 600));
      process.kill(victim, 'SIGKILL');
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('exited unexpectedly');
      const ids = readOutput(path.join(tmp.dir, `kill-out-${backend}`)).records.map((x) => x.id);
      expect(ids).toHaveLength(80);
      expect(new Set(ids).size).toBe(80);
    });

    it(`${backend}: a stage that throws fails the run (no ignore_failures), naming stage and task`, async () => {
      const file = writePipeline(path.join(tmp.dir, `fail-${backend}.yaml`), {
        name: `fail-${backend}`,
        stages: [
          { stage: 'SyntheticDocuments', params: { num_tasks: 6, docs_per_task: 2 } },
          { stage: 'BusyStage', name: 'flaky', params: { fail_every: 2 } },
        ],
        executor: { backend },
      });
      const r = await runCli(['run', file, '--json', '--cpus', '2']);
      expect(r.code).toBe(1);
      const s = r.json as { error: { stage: string; task_id: string; message: string } };
      expect(s.error.stage).toBe('flaky');
      expect(s.error.task_id).toMatch(/^0_\d+$/);
      expect(s.error.message).toContain('planned failure');
      const cfg = await runCli(['run', file, '--config', '{"ignore_failures": true}']);
      expect(cfg.code).toBe(2);
      expect(cfg.stderr).toContain('ignore_failures');
    });

    it(`${backend}: SIGINT cancels within a few seconds and leaves no worker behind`, async () => {
      const file = writePipeline(path.join(tmp.dir, `cancel-${backend}.yaml`), {
        name: `cancel-${backend}`,
        stages: [
          { stage: 'SyntheticDocuments', params: { num_tasks: 100, docs_per_task: 1 } },
          { stage: 'BusyStage', name: 'slow', params: { sleep_ms_per_task: 200 } },
        ],
        executor: { backend },
      });
      const run = startCli(['run', file, '--json', '--cpus', '3']);
      let workers: number[] = [];
      await waitFor(() => (workers = childPids(run.child.pid as number).filter((c) => cmdline(c).includes('slow'))).length >= 1, 15_000);
      expect(workers.length).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 300));
      const all = childPids(run.child.pid as number);
      const t0 = Date.now();
      process.kill(run.child.pid as number, 'SIGINT');
      const r = await run.done;
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.code).toBe(130);
      expect(await waitFor(() => all.every((p) => !alive(p)), 3000)).toBe(true);
    });
  }
});

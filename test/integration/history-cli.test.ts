import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, startCli, tempDir, makeCorpus, writePipeline, childPids, alive, waitFor } from './helpers.js';

let tmp: { dir: string; cleanup: () => void };
let env: NodeJS.ProcessEnv;
let dbFile: string;
beforeAll(() => {
  tmp = tempDir('curator-history-it-');
  env = { CURATOR_HOME: path.join(tmp.dir, 'home') };
  dbFile = path.join(tmp.dir, 'home', 'history.db');
  makeCorpus(path.join(tmp.dir, 'in'), 4, 25);
});
afterAll(() => tmp.cleanup());

interface ListedRun {
  run_id: string;
  name: string;
  status: string;
  backend: string;
  started_at: string | null;
  ended_at: string | null;
  duration_s: number | null;
  docs_in: number | null;
  docs_out: number | null;
}

function readerPipeline(name: string, sleepMs = 1) {
  return writePipeline(path.join(tmp.dir, `${name}.yaml`), {
    name,
    stages: [
      { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 1 } },
      { stage: 'BusyStage', name: 'busy', params: { sleep_ms_per_task: sleepMs } },
      { stage: 'JsonlWriter', params: { path: `./out-${name}`, mode: 'overwrite' } },
    ],
    executor: { backend: 'xenna', config: { logging_interval: 1 } },
  });
}

function slowPipeline(name: string, tasks: number, sleepMs: number) {
  return writePipeline(path.join(tmp.dir, `${name}.yaml`), {
    name,
    stages: [
      { stage: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 2, chars_per_doc: 40 } },
      { stage: 'BusyStage', name: 'slow', params: { sleep_ms_per_task: sleepMs }, num_workers: 1 },
    ],
    executor: { backend: 'xenna', config: { logging_interval: 0.2 } },
  });
}

/** `curator history --json`, parsed. */
async function history(...args: string[]): Promise<{ total: number; runs: ListedRun[] }> {
  const r = await runCli(['history', '--json', ...args], env);
  expect(r.code, r.stderr).toBe(0);
  return r.json as unknown as { total: number; runs: ListedRun[] };
}

/** The status of a run read straight from the database file, or null before it exists. */
/** items_in of the "slow" stage of the newest run with this name, as recorded so far (0 when none). */
function slowItemsInDb(runName: string): number {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare("SELECT s.items_in AS n FROM run_stages s JOIN runs r ON r.run_id = s.run_id WHERE r.name = ? AND s.name = 'slow' ORDER BY r.created_at DESC LIMIT 1")
        .get(runName) as { n: number } | undefined;
      return row?.n ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

function statusInDb(runName: string): string | null {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT status FROM runs WHERE name = ? ORDER BY created_at DESC LIMIT 1').get(runName) as { status: string } | undefined;
      return row?.status ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

describe('run history from the CLI', () => {
  let first = '';

  it('records a CLI run, prints its id, and lists it with its funnel', async () => {
    const r = await runCli(['run', readerPipeline('recorded'), '--json', '--cpus', '3'], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = r.json as { run_id: string; status: string };
    first = summary.run_id;
    expect(r.stderr).toContain(`run ${first} recorded in history`);

    const list = await history();
    expect(list.total).toBe(1);
    expect(list.runs[0]).toMatchObject({ run_id: first, name: 'recorded', status: 'succeeded', backend: 'xenna', docs_in: 100, docs_out: 100 });
    expect(list.runs[0]?.duration_s).toBeGreaterThan(0);
    expect(Date.parse(list.runs[0]?.ended_at ?? '')).toBeGreaterThanOrEqual(Date.parse(list.runs[0]?.started_at ?? ''));

    const shown = await runCli(['show', first.slice(0, 8), '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const d = shown.json as {
      run_id: string;
      pipeline: { name: string; stages: Array<{ stage: string; params: Record<string, unknown> }>; executor: { backend: string } };
      stages: Array<{ name: string; items_in: number; items_out: number }>;
      inputs: Array<{ path: string; size: number }>;
      hardware: { cpus: number } | null;
      log_count: number;
    };
    expect(d.run_id).toBe(first);
    expect(d.pipeline.name).toBe('recorded');
    expect(d.pipeline.stages[0]?.params.file_paths).toBe(path.join(tmp.dir, 'in'));
    expect(d.pipeline.executor.backend).toBe('xenna');
    expect(d.stages.map((s) => [s.name, s.items_in, s.items_out])).toEqual([
      ['file_partitioning', 0, 4],
      ['jsonl_reader', 4, 100],
      ['busy', 100, 100],
      ['jsonl_writer', 100, 4],
    ]);
    expect(d.inputs).toHaveLength(4);
    expect(d.hardware?.cpus).toBeGreaterThan(0);
    expect(d.log_count).toBeGreaterThan(0);

    const human = await runCli(['history'], env);
    expect(human.stdout).toContain(first.slice(0, 8));
    expect(human.stdout).toMatch(/recorded\s+succeeded\s+xenna/);
  });

  it('compares two runs and deletes and prunes them', async () => {
    const r = await runCli(['run', readerPipeline('recorded', 2), '--json', '--cpus', '3', '--config', '{"execution_mode":"batch"}'], env);
    expect(r.code, r.stderr).toBe(0);
    const second = (r.json as { run_id: string }).run_id;
    const c = await runCli(['compare', first, second, '--json'], env);
    expect(c.code, c.stderr).toBe(0);
    const cmp = c.json as { config_diff: Array<{ key: string; a: unknown; b: unknown }>; stages: Array<{ name: string; a: { items_out: number }; b: { items_out: number } }>; outputs: { compared: boolean } };
    expect(cmp.config_diff).toEqual(
      expect.arrayContaining([
        { key: 'config.execution_mode', a: 'streaming', b: 'batch' },
        { key: 'pipeline.stages[1].params.sleep_ms_per_task', a: 1, b: 2 },
      ]),
    );
    expect(cmp.stages.find((s) => s.name === 'busy')).toMatchObject({ a: { items_out: 100 }, b: { items_out: 100 } });
    expect(cmp.outputs.compared).toBe(false);

    const del = await runCli(['delete', second, '--json'], env);
    expect(del.json).toEqual({ deleted: true, run_id: second });
    const missing = await runCli(['show', second, '--json'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no run "${second}"`);

    const pruneNone = await runCli(['prune', '--older-than', '30d', '--json'], env);
    expect(pruneNone.json).toEqual({ deleted: 0 });
    expect((await history()).total).toBe(1);
  });

  it('marks a CLI run killed with SIGKILL as interrupted at the next `curator history`; the database stays intact', async () => {
    const run = startCli(['run', slowPipeline('killed', 400, 50), '--json', '--cpus', '2'], env);
    const pid = run.child.pid as number;
    expect(await waitFor(() => statusInDb('killed') === 'running', 20_000)).toBe(true);
    // Let it write logs, metrics and funnel rows (a loaded machine may take a while).
    expect(await waitFor(() => slowItemsInDb('killed') > 0, 20_000)).toBe(true);
    const workers = childPids(pid);
    process.kill(pid, 'SIGKILL');
    const done = await run.done;
    expect(done.signal).toBe('SIGKILL');
    for (const w of workers) if (alive(w)) process.kill(w, 'SIGKILL');

    const list = await history('--status', 'interrupted');
    expect(list.runs.map((r) => r.name)).toEqual(['killed']);
    const killed = list.runs[0] as ListedRun;
    expect(killed.ended_at).not.toBeNull();
    const shown = await runCli(['show', killed.run_id, '--json'], env);
    const d = shown.json as { status: string; error: { message: string }; stages: Array<{ name: string; items_in: number }>; log_count: number };
    expect(d.status).toBe('interrupted');
    expect(d.error.message).toContain(`pid ${pid}`);
    expect(d.stages.find((s) => s.name === 'slow')?.items_in).toBeGreaterThan(0);
    expect(d.log_count).toBeGreaterThan(0);

    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('lets a reader list while a run writes', async () => {
    const run = startCli(['run', slowPipeline('concurrent', 60, 40), '--json', '--cpus', '2'], env);
    expect(await waitFor(() => statusInDb('concurrent') === 'running', 20_000)).toBe(true);
    const seen: string[] = [];
    while (seen.length < 20 && statusInDb('concurrent') === 'running') {
      const list = await history('--limit', '5');
      const mine = list.runs.find((r) => r.name === 'concurrent');
      if (mine) seen.push(mine.status);
    }
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/run history|could not write/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toContain('running');
    const list = await history('--status', 'succeeded');
    expect(list.runs.find((x) => x.name === 'concurrent')).toMatchObject({ status: 'succeeded', docs_in: 120, docs_out: 120 });
  });

  it('still runs, with a warning naming the database, when the history cannot be opened', async () => {
    const broken = path.join(tmp.dir, 'broken-home');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'history.db'), 'not a database '.repeat(100));
    const r = await runCli(['run', readerPipeline('unrecorded'), '--json', '--cpus', '3'], { CURATOR_HOME: broken });
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { status: string }).status).toBe('succeeded');
    expect(r.stderr).toContain(`warning: this run is not recorded in history`);
    expect(r.stderr).toContain(path.join(broken, 'history.db'));
    expect(r.stderr).not.toContain('recorded in history\n');
    const h = await runCli(['history', '--json'], { CURATOR_HOME: broken });
    expect(h.code).toBe(1);
    expect((h.json as { error: string }).error).toContain(path.join(broken, 'history.db'));
  });
});

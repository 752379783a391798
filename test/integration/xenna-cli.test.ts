import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { runCli, tempDir, makeCorpus, readOutput, writePipeline } from './helpers.js';

let tmp: { dir: string; cleanup: () => void };
let ids: string[];
beforeAll(() => {
  tmp = tempDir();
  ids = makeCorpus(path.join(tmp.dir, 'in'), 7, 30);
});
afterAll(() => tmp.cleanup());

function pipeline(name: string, mode: 'streaming' | 'batch', extra: Record<string, unknown> = {}) {
  return writePipeline(path.join(tmp.dir, `${name}.yaml`), {
    name,
    stages: [
      { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 2 } },
      { stage: 'BusyStage', name: 'busy', params: { sleep_ms_per_task: 5, ...extra }, batch_size: 2 },
      { stage: 'JsonlWriter', params: { path: `./out-${name}` } },
    ],
    executor: { backend: 'xenna', config: { execution_mode: mode, logging_interval: 1, autoscale_interval_s: 0.5 } },
  });
}

describe('curator run on the xenna backend', () => {
  const outputs: Record<string, Array<Record<string, unknown>>> = {};
  const names: Record<string, string[]> = {};

  for (const mode of ['streaming', 'batch'] as const) {
    it(`moves every document exactly once in ${mode} mode and prints the JSON summary`, async () => {
      const file = pipeline(mode, mode);
      const r = await runCli(['run', file, '--json', '--cpus', '4']);
      expect(r.code, r.stderr).toBe(0);
      const s = r.json as Record<string, unknown> & { stages: Array<Record<string, unknown>> };
      expect(s.status).toBe('succeeded');
      expect(s.backend).toBe('xenna');
      expect(s.execution_mode).toBe(mode);
      expect(typeof s.run_id).toBe('string');
      expect(s.error).toBeNull();
      expect(s.stages.map((x) => x.name)).toEqual(['file_partitioning', 'jsonl_reader', 'busy', 'jsonl_writer']);
      const byName = Object.fromEntries(s.stages.map((x) => [x.name as string, x]));
      expect(byName.file_partitioning).toMatchObject({ tasks_in: 1, tasks_out: 4, items_out: 7 });
      expect(byName.jsonl_reader).toMatchObject({ tasks_in: 4, tasks_out: 4, items_in: 7, items_out: 210 });
      expect(byName.busy).toMatchObject({ tasks_in: 4, tasks_out: 4, items_in: 210, items_out: 210 });
      expect(byName.jsonl_writer).toMatchObject({ items_in: 210, tasks_out: 4 });
      for (const st of s.stages) expect(st.workers_max as number).toBeGreaterThanOrEqual(1);
      expect(s.output_tasks).toBe(4);
      const out = readOutput(path.join(tmp.dir, `out-${mode}`));
      const got = out.records.map((rec) => rec.id as string).sort();
      expect(got).toEqual([...ids].sort());
      outputs[mode] = out.records;
      names[mode] = out.files;
      expect(out.files.every((f) => /^[0-9a-f]{16}\.jsonl$/.test(f))).toBe(true);
    });
  }

  it('gives the same documents and file names in streaming and batch mode', () => {
    const canon = (rs: Array<Record<string, unknown>>) => rs.map((x) => JSON.stringify(x)).sort();
    expect(outputs.streaming && outputs.batch).toBeTruthy();
    expect(canon(outputs.streaming ?? [])).toEqual(canon(outputs.batch ?? []));
    expect(names.streaming).toEqual(names.batch);
  });

  it('fails the run on the first failing batch, naming the stage, the task and the message', async () => {
    const file = pipeline('fail', 'streaming', { fail_every: 2 });
    const r = await runCli(['run', file, '--json', '--cpus', '4']);
    expect(r.code).toBe(1);
    const s = r.json as { status: string; error: { stage: string; task_id: string; message: string } };
    expect(s.status).toBe('failed');
    expect(s.error.stage).toBe('busy');
    expect(s.error.task_id).toMatch(/^0_[0-9a-f]{12}_0$/);
    expect(s.error.message).toContain('planned failure');
    expect(r.stderr).toContain('stage "busy"');
    // The recorded log ends with the error, so the log alone tells what happened; the terminal shows it once.
    const { HistoryStore } = await import('../../dist/runner/history/store.js');
    const store = HistoryStore.open({ home: process.env.CURATOR_HOME as string });
    try {
      const run = s as unknown as { run_id: string };
      const errors = store.logs(run.run_id, { level: ['error'] }).lines;
      expect(errors.at(-1)).toMatchObject({ source: 'run', message: expect.stringMatching(/^failed in stage busy at task 0_.*planned failure/) });
    } finally {
      store.close();
    }
    expect(r.stderr.split('planned failure').length - 1).toBe(1);
  });

  it('drops and counts failing batches with ignore_failures and keeps the rest', async () => {
    const file = pipeline('ignore', 'streaming', { fail_every: 2 });
    const r = await runCli(['run', file, '--json', '--cpus', '4', '--config', '{"ignore_failures": true}']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json as { status: string; stages: Array<{ name: string; failed_batches: number; items_in: number; items_out: number }> };
    expect(s.status).toBe('succeeded');
    const busy = s.stages.find((x) => x.name === 'busy');
    expect(busy?.failed_batches).toBeGreaterThan(0);
    const out = readOutput(path.join(tmp.dir, 'out-ignore'));
    expect(out.records.length).toBe(busy?.items_out);
    expect(out.records.length).toBeLessThan(210);
    expect(new Set(out.records.map((x) => x.id)).size).toBe(out.records.length);
  });
});

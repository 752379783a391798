import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { Pipeline, createExecutor, getStage, type RunSummary, type Task } from '../../dist/runner/index.js';
import '../../dist/test/fixtures/stages.js';
import { tempDir, makeCorpus, readOutput } from './helpers.js';

/**
 * One behaviour across all backends: the same pipeline (multi-file JSONL in, a fan-out stage, a
 * stage with setup, a filter that drops documents, a writer) gives byte-identical documents, the
 * same per-stage funnel and the same task ids on every backend.
 */
const BACKENDS: Array<{ label: string; backend: string; config: Record<string, unknown> }> = [
  { label: 'xenna streaming', backend: 'xenna', config: { execution_mode: 'streaming', autoscale_interval_s: 1, logging_interval: 5 } },
  { label: 'xenna batch', backend: 'xenna', config: { execution_mode: 'batch', logging_interval: 5 } },
  { label: 'ray_data', backend: 'ray_data', config: { logging_interval: 5 } },
  { label: 'ray_actor_pool', backend: 'ray_actor_pool', config: { logging_interval: 5 } },
];

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('curator-eq-');
  makeCorpus(path.join(tmp.dir, 'in'), 5, 12);
});
afterAll(() => tmp.cleanup());

function build(out: string): Pipeline {
  const ctx = { resolvePath: (p: string) => (path.isAbsolute(p) ? p : path.join(tmp.dir, p)) };
  const make = (type: string, params: Record<string, unknown>) => {
    const def = getStage(type);
    return def.create(def.params.parse(params), ctx);
  };
  return new Pipeline('equivalence')
    .add_stage(make('JsonlReader', { file_paths: './in', files_per_partition: 2 }))
    .add_stage(make('SplitDocuments', {}))
    .add_stage(make('TagWithSetup', { tag: 'eq' }))
    .add_stage(make('DropEvery', { every: 4 }))
    .add_stage(make('JsonlWriter', { path: out }));
}

const results: Record<string, { summary: RunSummary; tasks: Task[]; docs: string[]; files: string[] }> = {};

describe('the same pipeline on every backend', () => {
  for (const b of BACKENDS) {
    it(`runs on ${b.label}`, async () => {
      const out = path.join(tmp.dir, `out-${b.label.replace(/ /g, '-')}`);
      const executor = createExecutor(b.backend, b.config);
      const stages = build(out).build();
      const { EmptyTask } = await import('../../dist/runner/index.js');
      const r = await executor.execute(stages, [new EmptyTask()], { cpus: 4 });
      expect(r.summary.status).toBe('succeeded');
      const o = readOutput(out);
      // The worker field differs by backend (worker ids); everything else must be identical.
      const docs = o.records.map(({ worker: _w, ...rest }) => JSON.stringify(rest)).sort();
      results[b.label] = { summary: r.summary, tasks: r.tasks, docs, files: o.files };
      expect(docs.length).toBe(60 - 15);
      for (const s of r.summary.stages) expect(s.workers_max).toBeGreaterThanOrEqual(1);
    });
  }

  it('gives byte-identical documents, the same funnel and the same task ids everywhere', () => {
    const base = results['xenna streaming'];
    expect(base).toBeDefined();
    const funnel = (s: RunSummary) => s.stages.map((x) => [x.name, x.items_in, x.items_out]);
    for (const b of BACKENDS.slice(1)) {
      const r = results[b.label];
      expect(r, b.label).toBeDefined();
      expect(r?.docs, b.label).toEqual(base?.docs);
      expect(r?.files, b.label).toEqual(base?.files);
      expect(funnel(r!.summary), b.label).toEqual(funnel(base!.summary));
      expect(r?.tasks.map((t) => t.task_id).sort(), b.label).toEqual(base?.tasks.map((t) => t.task_id).sort());
    }
    expect(funnel(base!.summary)).toEqual([
      ['file_partitioning', 0, 5],
      ['jsonl_reader', 5, 60],
      ['split', 60, 60],
      ['tag', 60, 60],
      ['drop', 60, 45],
      ['jsonl_writer', 45, 45],
    ]);
    // Task ids follow the path rule: partition content id, then 1→N fan-out positions.
    for (const t of base!.tasks) expect(t.task_id).toMatch(/^0_[0-9a-f]{12}_0_\d+_0_0_0$/);
  });
});

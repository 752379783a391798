import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePipeline, loadPipelineFile } from '../../../../runner/pipeline/pipeline-file.js';
import { ValidationError } from '../../../../runner/pipeline/errors.js';
import { pipelineJsonSchema } from '../../../../runner/pipeline/json-schema.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pf-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'a.jsonl'), '{"text":"x"}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problems(text: string): Promise<string[]> {
  try {
    await parsePipeline(text, { file: path.join(dir, 'p.yaml'), baseDir: dir, label: 'p.yaml' });
  } catch (e: unknown) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('pipeline files', () => {
  it('loads YAML, resolves relative paths against the file\u2019s folder, applies overrides', async () => {
    const file = path.join(dir, 'ok.yaml');
    writeFileSync(file, ['name: ok', 'stages:', '  - stage: JsonlReader', '    params: { file_paths: ./data }', '  - stage: BusyStage', '    name: slow', '    batch_size: 4', '    resources: { cpus: 2 }', '    params: {}', 'executor:', '  backend: xenna', '  config: { execution_mode: batch }'].join('\n'));
    const l = await loadPipelineFile(file);
    const stages = l.pipeline.build();
    expect(stages.map((s) => s.name)).toEqual(['file_partitioning', 'jsonl_reader', 'slow']);
    expect(stages[0]?.params.file_paths).toBe(path.join(dir, 'data'));
    expect([stages[2]?.batch_size, stages[2]?.resources.cpus]).toEqual([4, 2]);
    expect(l.backend).toBe('xenna');
    expect(l.config).toMatchObject({ execution_mode: 'batch', logging_interval: 60, ignore_failures: false, cpu_allocation_percentage: 0.95, autoscale_interval_s: 180 });
  });

  it('loads JSON too, and overrides of backend config win over the file', async () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ name: 'j', stages: [{ stage: 'SyntheticDocuments', params: {} }], executor: { backend: 'xenna', config: { logging_interval: 5 } } }));
    const l = await loadPipelineFile(file, { config: { logging_interval: 7 } });
    expect(l.config.logging_interval).toBe(7);
  });

  it('names the line of an unknown parameter and suggests the right one', async () => {
    const p = await problems(['name: x', 'stages:', '  - stage: BusyStage', '    params:', '      sleep_ms_per_tsk: 5'].join('\n'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^p\.yaml:5: stages\[0\] \(BusyStage\): .*unknown parameter "sleep_ms_per_tsk" \(did you mean "sleep_ms_per_task"\?\)/);
  });

  it('names the line of an ill-typed value', async () => {
    const p = await problems(['name: x', 'stages:', '  - stage: SyntheticDocuments', '    params:', '      num_tasks: many'].join('\n'));
    expect(p[0]).toMatch(/^p\.yaml:5: stages\[0\] \(SyntheticDocuments\): params\.num_tasks: .*number/);
  });

  it('reports every problem, including unknown top-level keys and backends', async () => {
    const p = await problems(['name: x', 'stage: []', 'stages:', '  - stage: Nope', '    params: {}', 'executor: { backend: spark }'].join('\n'));
    expect(p.some((m) => m.includes('"stage"') || m.includes('stage'))).toBe(true);
    expect(p.length).toBeGreaterThanOrEqual(2);
  });

  it('validates each backend\u2019s own config keys', async () => {
    const p = await problems(['name: x', 'stages:', '  - stage: SyntheticDocuments', 'executor: { backend: ray_actor_pool, config: { reserved_cpu: 1 } }'].join('\n'));
    expect(p.join('\n')).toContain('reserved_cpu');
    expect(p.join('\n')).toContain('known keys: reserved_cpus, reserved_gpus');
    expect(await problems(['name: x', 'stages:', '  - stage: SyntheticDocuments', 'executor: { backend: ray_data, config: {} }'].join('\n'))).toEqual([]);
  });

  it('checks ray_stage_spec keys and types, naming the stage and key', async () => {
    const p = await problems(['name: x', 'stages:', '  - stage: BusyStage', '    ray_stage_spec: { min_worker: 2 }'].join('\n'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^p\.yaml:4: stages\[0\] \(BusyStage\): .*min_worker/);
    const q = await problems(['name: x', 'stages:', '  - stage: BusyStage', '    ray_stage_spec: { min_workers: 2, max_workers: 4, initial_workers: 3 }'].join('\n'));
    expect(q).toEqual([]);
  });

  it('the shipped JSON Schema is the one the stage schemas generate', () => {
    const shipped = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../resources/pipeline.schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(pipelineJsonSchema());
    const stages = (pipelineJsonSchema().properties as { stages: { items: { anyOf: Array<{ title: string }> } } }).stages.items.anyOf.map((a) => a.title);
    expect(stages).toEqual(expect.arrayContaining(['JsonlReader', 'JsonlWriter', 'BusyStage', 'SyntheticDocuments', 'FilePartitioningStage']));
  });
});

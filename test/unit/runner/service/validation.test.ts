import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createCuratorService } from '../../../../runner/service/service.js';
import { apiSchemas, API_METHODS } from '../../../../runner/service/schemas.js';
import { MemoryHistory } from './memory-history.js';
import { apiError, builtWorkers, ROOT } from './helpers.js';

describe('CuratorService: arguments are checked at the boundary', () => {
  const history = new MemoryHistory();
  const service = createCuratorService({ history, launcher: builtWorkers(), log: () => undefined });
  afterAll(() => service.close());

  it('has one argument schema per API method', () => {
    expect([...API_METHODS].sort()).toEqual(Object.keys(apiSchemas).sort());
    expect(API_METHODS).toContain('startRun');
  });

  it('answers a missing or ill-typed argument with invalid_argument naming it', async () => {
    const missing = await apiError(service.startRun({} as never));
    expect(missing.code).toBe('invalid_argument');
    expect(missing.problems).toEqual(['startRun: pipeline: expected the pipeline file text (YAML or JSON) or the pipeline as an object']);

    const unknown = await apiError(service.startRun({ pipeline: 'name: x', bogus: 1 } as never));
    expect(unknown.problems).toContain('startRun: arguments: unknown argument "bogus"');

    const typed = await apiError(service.getRun({ run_id: 5 } as never));
    expect(typed.code).toBe('invalid_argument');
    expect(typed.message).toMatch(/^getRun: run_id: /);

    const page = await apiError(service.listRuns({ limit: 0 }));
    expect(page.problems?.[0]).toMatch(/^listRuns: limit: /);

    const relative = await apiError(service.validatePipeline({ pipeline: 'name: x', base_dir: 'relative/dir' }));
    expect(relative.problems).toEqual(['validatePipeline: base_dir: expected an absolute folder path']);

    const caps = await apiError(service.startRun({ pipeline: 'name: x', cpus: -1 }));
    expect(caps.problems?.[0]).toMatch(/^startRun: cpus: /);

    // A host passes whatever arrived, also to methods that take no arguments.
    const noArgs = await apiError((service.catalog as (args: unknown) => Promise<unknown>).call(service, { extra: true }));
    expect(noArgs.code).toBe('invalid_argument');
    expect(history.runs.size).toBe(0);
  });

  it('serialises its errors as { code, message, problems }', async () => {
    const e = await apiError(service.runLogs({ run_id: 'no such run!' }));
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'invalid_argument', message: e.message, problems: e.problems });
  });

  it('says not_found for a run it does not know, and conflict for one that cannot be cancelled', async () => {
    const e = await apiError(service.getRun({ run_id: 'c0ffee' }));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('"c0ffee"');
    expect((await apiError(service.cancelRun({ run_id: 'c0ffee' }))).code).toBe('not_found');
    expect((await apiError(service.previewOutput({ run_id: 'c0ffee' }))).code).toBe('not_found');
  });

  it('validatePipeline returns the problems of a bad pipeline with their lines; startRun refuses it as invalid_pipeline', async () => {
    const text = 'name: broken\nstages:\n  - stage: NoSuchStage\n  - stage: BusyStage\n    params: { sleep_ms_per_tsk: 5 }\n';
    const v = await service.validatePipeline({ pipeline: text, base_dir: ROOT });
    expect(v.valid).toBe(false);
    if (v.valid) return;
    expect(v.problems).toHaveLength(2);
    expect(v.problems[0]).toMatch(/^pipeline:3: stages\[0\] \(NoSuchStage\): unknown stage type "NoSuchStage"/);
    expect(v.problems[1]).toMatch(/^pipeline:5: stages\[1\] \(BusyStage\): .*"sleep_ms_per_tsk".*did you mean "sleep_ms_per_task"/);
    const e = await apiError(service.startRun({ pipeline: text, base_dir: ROOT }));
    expect(e.code).toBe('invalid_pipeline');
    expect(e.problems).toEqual(v.problems);
    expect(history.runs.size).toBe(0);
  });

  it('validates a template with its folder as base dir and plans the stages as they will run', async () => {
    const file = path.join(ROOT, 'resources/templates/quickstart.yaml');
    const v = await service.validatePipeline({ pipeline: await readFile(file, 'utf8'), base_dir: path.dirname(file), cpus: 2 });
    expect(v.valid).toBe(true);
    if (!v.valid) return;
    expect(v.name).toBe('quickstart');
    expect(v.backend).toBe('xenna');
    expect(v.stages.map((s) => s.name)).toEqual(['file_partitioning', 'jsonl_reader', 'inspect', 'jsonl_writer']);
    expect(v.runs_external_commands).toBe(false);
    expect(v.external_commands).toEqual([]);
  });

  it('marks a pipeline that runs a program, and refuses to start it without confirm_external_commands', async () => {
    const pipeline = {
      name: 'probe',
      stages: [
        { stage: 'SyntheticDocuments', params: { num_tasks: 1, docs_per_task: 1 } },
        { stage: 'EnvProbe', params: { command: ['uname', '-a'] } },
      ],
    };
    const v = await service.validatePipeline({ pipeline });
    expect(v.valid && v.runs_external_commands).toBe(true);
    expect(v.valid && v.external_commands).toEqual([{ stage_index: 1, stage: 'env_probe', type: 'EnvProbe', command: ['uname', '-a'] }]);
    const e = await apiError(service.startRun({ pipeline }));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('confirm_external_commands: true');
    expect(e.message).toContain('runs uname -a');
    expect(history.runs.size).toBe(0);
  });

  it('reports the machine and a live sample of its use', async () => {
    const { inventory } = await service.hardware();
    expect(inventory.cpus).toBeGreaterThan(0);
    expect(inventory.gpu_probe.available || inventory.gpu_probe.reason !== null).toBe(true);
    const sample = await service.hardwareSample();
    expect(sample.cpu_pct).toBeGreaterThanOrEqual(0);
    expect(sample.gpus).toHaveLength(inventory.gpus.length);
  });

  it('lists stages with parameter schemas, backends with config schemas, and the templates', async () => {
    const c = await service.catalog();
    const reader = c.stages.find((s) => s.type === 'JsonlReader');
    expect(reader?.parameters.find((p) => p.name === 'file_paths')?.required).toBe(true);
    expect(c.backends.map((b) => b.name)).toEqual(['xenna', 'ray_data', 'ray_actor_pool']);
    expect((c.backends[0]?.config_schema?.properties as Record<string, unknown>).execution_mode).toBeTruthy();
    const quick = c.templates.find((t) => t.id === 'quickstart');
    expect(quick?.name).toBe('quickstart');
    expect(quick?.base_dir).toBe(path.join(ROOT, 'resources/templates'));
    expect(quick?.text).toContain('JsonlReader');
    expect(c.pipeline_schema.type).toBe('object');
  });
});

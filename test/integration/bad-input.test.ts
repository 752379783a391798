import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { runCli, tempDir, makeCorpus, writePipeline } from './helpers.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir();
  makeCorpus(path.join(tmp.dir, 'in'), 2, 5);
});
afterAll(() => tmp.cleanup());

const reader = { stage: 'JsonlReader', params: { file_paths: './in' } };
const writer = { stage: 'JsonlWriter', params: { path: './out' } };

async function expectInvalid(name: string, stages: unknown[], fragments: string[], env: NodeJS.ProcessEnv = {}, extraArgs: string[] = []) {
  const file = writePipeline(path.join(tmp.dir, `${name}.yaml`), { name, stages });
  const r = await runCli(['run', file, '--json', ...extraArgs], env);
  expect(r.code, r.stderr).toBe(2);
  expect((r.json as { status: string }).status).toBe('invalid');
  for (const f of fragments) expect(r.stderr).toContain(f);
  return r;
}

describe('curator run refuses bad pipeline files with exit 2 and a precise message', () => {
  it('unknown stage type, with the line and a suggestion', async () => {
    const r = await expectInvalid('unknown-stage', [reader, { stage: 'BusyStag', params: {} }, writer], ['unknown stage type "BusyStag"', 'did you mean "BusyStage"', 'stages[1]']);
    expect(r.stderr).toMatch(/unknown-stage\.yaml:\d+:/);
  });

  it('unknown parameter', async () => {
    await expectInvalid('unknown-param', [reader, { stage: 'BusyStage', params: { sleep_ms: 3 } }, writer], ['stages[1] (BusyStage)', 'unknown parameter "sleep_ms"', 'sleep_ms_per_task']);
  });

  it('wrong parameter type', async () => {
    await expectInvalid('wrong-type', [{ stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 'two' } }, writer], ['stages[0] (JsonlReader)', 'params.files_per_partition', 'expected number']);
  });

  it('missing input path', async () => {
    await expectInvalid('missing-input', [{ stage: 'JsonlReader', params: { file_paths: './nowhere' } }, writer], ['stages[0] (JsonlReader)', path.join(tmp.dir, 'nowhere')]);
  });

  it('a GPU request the machine cannot meet, naming the stage and the devices', async () => {
    const gpu = { stage: 'BusyStage', name: 'embedder', params: {}, resources: { gpus: 2 } };
    await expectInvalid('gpu', [reader, gpu, writer], ['embedder', '2 GPUs', 'H100'], { CURATOR_FAKE_GPUS: '[{"name":"H100","memory_gb":80}]' });
  });

  it('a GPU request on a machine without GPUs says why there are none', async () => {
    const gpu = { stage: 'BusyStage', name: 'embedder', params: {}, resources: { gpu_memory_gb: 10 } };
    await expectInvalid('nogpu', [reader, gpu, writer], ['embedder'], { CURATOR_FAKE_GPUS: '[]' });
  });

  it('several problems at once are all reported', async () => {
    const r = await expectInvalid('many', [{ stage: 'JsonlReader', params: { file_paths: './nowhere', fields: 'id' } }, { stage: 'Nope' }], ['fields', 'unknown stage type "Nope"']);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length).toBeGreaterThanOrEqual(2);
  });

  it('invalid YAML names the file and line', async () => {
    const file = path.join(tmp.dir, 'broken.yaml');
    writeFileSync(file, 'name: x\nstages:\n  - stage: JsonlReader\n    params: { file_paths: [unclosed\n');
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:/);
  });

  it('bad executor config and flags', async () => {
    const file = writePipeline(path.join(tmp.dir, 'cfg.yaml'), { name: 'cfg', stages: [reader, writer], executor: { backend: 'xenna', config: { execution_mode: 'fast' } } });
    const r1 = await runCli(['run', file]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('execution_mode');
    const ok = writePipeline(path.join(tmp.dir, 'ok.yaml'), { name: 'ok', stages: [reader, writer] });
    const r2 = await runCli(['run', ok, '--config', '{not json']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--config');
    const r3 = await runCli(['run', ok, '--config', '{"autoscale_interval":1}']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('autoscale_interval');
    const r4 = await runCli(['run', path.join(tmp.dir, 'absent.yaml')]);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain('absent.yaml');
  });

  it('validate agrees: exit 2 with the problems, exit 0 when valid', async () => {
    const bad = writePipeline(path.join(tmp.dir, 'v-bad.yaml'), { name: 'v', stages: [{ stage: 'BusyStage', params: { fail_every: -1 } }] });
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fail_every');
    const good = writePipeline(path.join(tmp.dir, 'v-good.yaml'), { name: 'v', stages: [reader, writer] });
    const g = await runCli(['validate', good, '--json']);
    expect(g.code, g.stderr).toBe(0);
    expect((g.json as { status: string; stages: unknown[] }).stages.length).toBe(3);
  });
});

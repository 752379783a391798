import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBatch } from '../../../../../../../runner/pipeline/tasks.js';
import type { WorkerMetadata } from '../../../../../../../runner/pipeline/stage.js';
import { defaultLangIdModelPath } from '../../../../../../../runner/stages/text/filters/fasttext/model.js';
import { buildProcessing, check, makeTempDir } from '../../../helpers.js';
import { SAMPLES } from './samples.js';

/**
 * The fastText filters through the ScoreFilter stage, as a pipeline file uses them: the stage's
 * setup() loads the model, relative model paths resolve against the pipeline file's folder, and
 * the plan-time check names a missing model.
 */
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('curator-fasttext-stage-'));
  await copyFile(defaultLangIdModelPath(), join(dir, 'lid.ftz'));
});
afterAll(() => cleanup());

const worker: WorkerMetadata = { worker_id: 'w0', stage_name: 'lang_id', allocation: { cpus: 1, gpu_devices: [], gpu_fraction: 0 } };
const batch = () => new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: SAMPLES.map(({ lang, text }) => ({ id: lang, text })) });

describe('ScoreFilter with FastTextLangId', () => {
  it("keeps English documents and writes NeMo Curator's score string to score_field", async () => {
    const { stage } = buildProcessing('ScoreFilter', { filter: { type: 'FastTextLangId', lang: 'en' }, score_field: 'language' }, dir);
    await stage.setup(worker);
    const out = (await stage.process(batch())) as DocumentBatch;
    expect(out.data.map((d) => d.id)).toEqual(['en']);
    expect(out.data[0]?.language).toMatch(/^\[0\.9\d*, 'en'\]$/);
  });

  it('resolves a relative model_path against the pipeline file folder', async () => {
    const { stage } = buildProcessing('ScoreFilter', { filter: { type: 'FastTextLangId', model_path: 'lid.ftz' }, score_field: 'language' }, dir);
    expect((stage.params.filter as { model_path: string }).model_path).toBe(join(dir, 'lid.ftz'));
    await stage.setup(worker);
    const out = (await stage.process(batch())) as DocumentBatch;
    expect(out.data.map((d) => (d.language as string).slice(-5, -2))).toEqual(SAMPLES.map(({ lang }) => `'${lang}`));
  });

  it('reports a missing model at plan time, naming the filter and the path', async () => {
    expect(await check('ScoreFilter', { filter: { type: 'FastTextLangId' } }, dir)).toEqual([]);
    const problems = await check('ScoreFilter', { filter: { type: 'FastTextQualityFilter', model_path: 'missing.bin' } }, dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`FastTextQualityFilter: cannot read the fastText model "${join(dir, 'missing.bin')}"`);
  });
});

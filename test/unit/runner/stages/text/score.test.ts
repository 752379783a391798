import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import type { Score } from '../../../../../runner/stages/text/score.js';
import { buildProcessing, check, worker } from '../helpers.js';

/** NeMo Curator's Score stage: scores go into the documents, nothing is removed. */

const build = (raw: Record<string, unknown>) => buildProcessing<Score>('Score', raw, '/pipelines');
const batch = (rows: Array<Record<string, unknown>>) => new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: rows });

describe('Score stage', () => {
  it('is registered in the text category and needs score_field', () => {
    expect(getStage('Score').category).toBe('text');
    const r = getStage('Score').params.safeParse({ filter: { type: 'WordCountFilter' } });
    expect(r.success).toBe(false);
  });

  it('writes each filter score and keeps every document, names the stage after the filter', async () => {
    const { stage, removed } = build({ filter: { type: 'WordCountFilter' }, score_field: 'word_count' });
    expect(stage.name).toBe('word_count');
    const input = batch([{ id: 1, text: 'one two' }, { id: 2, text: '' }]);
    const out = (await stage.process(input)) as DocumentBatch;
    expect(out.data).toEqual([
      { id: 1, text: 'one two', word_count: 2 },
      { id: 2, text: '', word_count: 0 },
    ]);
    expect(input.data[0]).not.toHaveProperty('word_count');
    expect(removed).toEqual([]);
  });

  it('scores a list into one field per filter, with one text field or one per filter', async () => {
    const raw = { filter: [{ type: 'WordCountFilter' }, { type: 'MeanWordLengthFilter' }], score_field: ['wc', 'mwl'] };
    const { stage } = build(raw);
    expect(stage.name).toBe('score_chain_of_word_count_mean_word_length');
    const out = (await stage.process(batch([{ text: 'ab abcd' }]))) as DocumentBatch;
    expect(out.data).toEqual([{ text: 'ab abcd', wc: 2, mwl: 3 }]);
    const two = build({ ...raw, text_field: ['title', 'body'] }).stage;
    const res = (await two.process(batch([{ title: 'a b c', body: 'abcdef' }]))) as DocumentBatch;
    expect(res.data).toEqual([{ title: 'a b c', body: 'abcdef', wc: 3, mwl: 6 }]);
  });

  it("follows NeMo Curator's field-list rules", () => {
    const p = getStage('Score').params;
    const msg = (raw: unknown) => {
      const r = p.safeParse(raw);
      return r.success ? 'parsed' : r.error.issues.map((i) => i.message).join(' | ');
    };
    const two = [{ type: 'WordCountFilter' }, { type: 'UrlsFilter' }];
    expect(msg({ filter: two, score_field: 'x' })).toMatch(/score_field must be a list of 2/);
    expect(msg({ filter: two, score_field: ['x'] })).toMatch(/score_field lists 1/);
    expect(msg({ filter: two, score_field: ['x', 'y'], text_field: ['t'] })).toBe('parsed');
    expect(msg({ filter: { type: 'WordCountFilter' }, score_field: ['x'] })).toBe('parsed');
    expect(msg({ filter: { type: 'WordCountFilter' }, score_field: 'x', invert: true })).not.toBe('parsed');
  });

  it('passes an empty batch through and errors on a missing text field', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter' }, score_field: 's' });
    const empty = batch([]);
    expect(await stage.process(empty)).toBe(empty);
    await expect(async () => stage.process(batch([{ body: 'x', _curator_origin: '/d/in.jsonl:3' }]))).rejects.toThrow(/Score "word_count": text field "text" is missing in the document at \/d\/in.jsonl:3/);
  });

  it('loads a model-backed filter in setup(), or on the first batch without it', async () => {
    const lazy = build({ filter: { type: 'TokenCountFilter', encoding: 'cl100k_base' }, score_field: 'tokens' }).stage;
    const out = (await lazy.process(batch([{ text: 'Hello world, this is a test.' }]))) as DocumentBatch;
    expect(out.data[0]?.tokens).toBe(8);
    const eager = build({ filter: { type: 'TokenCountFilter' }, score_field: 'tokens' }).stage;
    await eager.setup(worker);
    expect(((await eager.process(batch([{ text: 'hello world' }]))) as DocumentBatch).data[0]?.tokens).toBe(2);
  });

  it('writes the string score of FastTextLangId as NeMo Curator does', async () => {
    const { stage } = build({ filter: { type: 'FastTextLangId' }, score_field: 'language' });
    const out = (await stage.process(batch([{ text: 'The weather is lovely today and we are going to the park.' }]))) as DocumentBatch;
    expect(out.data[0]?.language).toMatch(/^\[0\.\d+, 'en'\]$/);
    expect(await check('Score', { filter: { type: 'FastTextQualityFilter', model_path: 'missing.bin' }, score_field: 'q' }, '/pipelines')).toEqual([
      expect.stringContaining('missing.bin'),
    ]);
  });
});

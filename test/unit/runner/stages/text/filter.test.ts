import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import type { Filter } from '../../../../../runner/stages/text/filter.js';
import type { Score } from '../../../../../runner/stages/text/score.js';
import { buildProcessing, worker } from '../helpers.js';

/** NeMo Curator's Filter stage: decides from scores already in the documents, scoring nothing. */

const build = (raw: Record<string, unknown>) => buildProcessing<Filter>('Filter', raw, '/pipelines');
const batch = (rows: Array<Record<string, unknown>>) => new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: rows });

describe('Filter stage', () => {
  it('is registered in the text category and needs filter_field', () => {
    expect(getStage('Filter').category).toBe('text');
    expect(getStage('Filter').params.safeParse({ filter: { type: 'WordCountFilter' } }).success).toBe(false);
  });

  it('keeps documents whose stored score the filter keeps, without reading the text', async () => {
    const { stage, removed } = build({ filter: { type: 'WordCountFilter', min_words: 2 }, filter_field: 'wc' });
    expect(stage.name).toBe('word_count');
    const out = (await stage.process(batch([{ id: 1, wc: 5 }, { id: 2, wc: 1 }, { id: 3, wc: 2, text: 'one' }]))) as DocumentBatch;
    expect(out.data.map((d) => d.id)).toEqual([1, 3]);
    expect(removed).toEqual([{ doc: { id: 2, wc: 1 }, reason: 'WordCountFilter', detail: { score: 1, filter: 'word_count' } }]);
  });

  it('applies a list in order with one field per filter, and inverts per filter', async () => {
    const filter = [{ type: 'WordCountFilter', min_words: 2 }, { type: 'UrlsFilter', max_url_to_text_ratio: 0.5 }];
    const rows = [{ id: 1, wc: 3, urls: 0.1 }, { id: 2, wc: 1, urls: 0.1 }, { id: 3, wc: 3, urls: 0.9 }];
    const plain = build({ filter, filter_field: ['wc', 'urls'] });
    expect(plain.stage.name).toBe('filter_chain_of_word_count_urls_ratio');
    expect(((await plain.stage.process(batch(rows))) as DocumentBatch).data.map((d) => d.id)).toEqual([1]);
    expect(plain.removed.map((r) => [r.doc.id, r.reason])).toEqual([[2, 'WordCountFilter'], [3, 'UrlsFilter']]);
    const inv = build({ filter, filter_field: ['wc', 'urls'], invert: [false, true] });
    expect(((await inv.stage.process(batch(rows))) as DocumentBatch).data.map((d) => d.id)).toEqual([3]);
    expect(inv.removed.map((r) => [r.doc.id, r.reason])).toEqual([[1, 'UrlsFilter (inverted)'], [2, 'WordCountFilter']]);
  });

  it("follows NeMo Curator's field-list rules: several filters need a list of fields", () => {
    const p = getStage('Filter').params;
    const two = [{ type: 'WordCountFilter' }, { type: 'UrlsFilter' }];
    expect(p.safeParse({ filter: two, filter_field: 'wc' }).success).toBe(false);
    expect(p.safeParse({ filter: two, filter_field: ['wc'] }).success).toBe(false);
    expect(p.safeParse({ filter: two, filter_field: ['wc', 'u'], invert: [true] }).success).toBe(true);
    expect(p.safeParse({ filter: two, filter_field: ['wc', 'u'], invert: [true, false, true] }).success).toBe(false);
  });

  it('errors on a missing score or one of the wrong type, naming the field, the document and the fix', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter' }, filter_field: 'wc' });
    await expect(async () => stage.process(batch([{ text: 'a', _curator_origin: '/d/in.jsonl:4' }]))).rejects.toThrow(
      /Filter "word_count": filter field "wc" is missing in the document at \/d\/in.jsonl:4; WordCountFilter judges a number score, which a Score stage \(or ScoreFilter with score_field\) before this one writes/,
    );
    await expect(async () => stage.process(batch([{ wc: '12' }]))).rejects.toThrow(/filter field "wc" holds string in a document of task t1/);
    await expect(async () => stage.process(batch([{ wc: null }]))).rejects.toThrow(/holds null/);
  });

  it('passes an empty batch through and resolves removed_path', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter' }, filter_field: 'wc', removed_path: 'removed' });
    expect(stage.removed_path).toBe('/pipelines/removed');
    const empty = batch([]);
    expect(await stage.process(empty)).toBe(empty);
  });

  it("judges FastTextLangId's string scores written by Score", async () => {
    const score = buildProcessing<Score>('Score', { filter: { type: 'FastTextLangId' }, score_field: 'language' }, '/pipelines').stage;
    await score.setup(worker);
    const texts = ['The weather is lovely today and we are going to the park.', 'Das Wetter ist heute schön und wir gehen in den Park.'];
    const scored = (await score.process(batch(texts.map((text, id) => ({ id, text }))))) as DocumentBatch;
    const { stage, removed } = build({ filter: { type: 'FastTextLangId', lang: 'de' }, filter_field: 'language' });
    const out = (await stage.process(scored)) as DocumentBatch;
    expect(out.data.map((d) => d.id)).toEqual([1]);
    expect(removed[0]?.reason).toBe('FastTextLangId');
    expect(removed[0]?.detail?.score).toMatch(/'en'\]$/);
  });
});

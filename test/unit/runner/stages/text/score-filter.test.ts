import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import type { ProcessingStage } from '../../../../../runner/pipeline/stage.js';
import '../../../../../runner/stages/index.js';

const ctx = { resolvePath: (p: string) => p };
function build(raw: Record<string, unknown>): ProcessingStage<DocumentBatch, DocumentBatch> {
  const def = getStage('ScoreFilter');
  return def.create(def.params.parse(raw), ctx) as ProcessingStage<DocumentBatch, DocumentBatch>;
}
function batch(texts: unknown[]): DocumentBatch {
  return new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: texts.map((text, i) => ({ id: i, text })) });
}
async function run(raw: Record<string, unknown>, texts: unknown[]): Promise<Array<Record<string, unknown>>> {
  const out = await build(raw).process(batch(texts));
  if (!(out instanceof DocumentBatch)) throw new Error('expected a DocumentBatch');
  return out.data;
}

describe('ScoreFilter stage', () => {
  it('is registered in the text category', () => {
    expect(getStage('ScoreFilter').category).toBe('text');
  });
  it('applies one filter and names the stage after it', async () => {
    const raw = { filter: { type: 'WordCountFilter', min_words: 2, max_words: 3 } };
    expect(build(raw).name).toBe('word_count');
    const rows = await run(raw, ['one', 'one two', 'a b c d']);
    expect(rows.map((r) => r.id)).toEqual([1]);
    expect(rows[0]).not.toHaveProperty('word_count');
  });
  it('writes scores to score_field and inverts', async () => {
    const raw = { filter: { type: 'WordCountFilter', min_words: 2 }, score_field: 'wc', invert: true };
    const rows = await run(raw, ['one', 'one two']);
    expect(rows).toEqual([{ id: 0, text: 'one', wc: 1 }]);
  });
  it('chains a list of filters, short-circuiting on the first rejection', async () => {
    const raw = {
      filter: [{ type: 'WordCountFilter', min_words: 2 }, { type: 'SubstringFilter', substring: 'x', position: 'prefix' }],
      score_field: ['wc', 'sub'],
    };
    expect(build(raw).name).toBe('score_filter_chain_of_word_count_substring');
    const rows = await run(raw, ['x', 'x y', 'y x']);
    expect(rows).toEqual([{ id: 1, text: 'x y', wc: 2, sub: 1 }]);
    const inv = await run({ ...raw, invert: true }, ['x', 'y x']);
    expect(inv).toEqual([
      { id: 0, text: 'x', wc: 1 },
      { id: 1, text: 'y x', wc: 2, sub: 0 },
    ]);
  });
  it('returns an empty DocumentBatch when every row is removed', async () => {
    const out = await build({ filter: { type: 'WordCountFilter' } }).process(batch(['a']));
    expect(out).toBeInstanceOf(DocumentBatch);
    expect((out as DocumentBatch).data).toEqual([]);
    expect((out as DocumentBatch).task_id).toBe('t1');
  });
  it('uses text_field', async () => {
    const stage = build({ filter: { type: 'WordCountFilter', min_words: 1 }, text_field: 'body' });
    const out = (await stage.process(new DocumentBatch({ task_id: 't', dataset_name: 'd', data: [{ body: 'a' }, { body: '' }] }))) as DocumentBatch;
    expect(out.data).toEqual([{ body: 'a' }]);
  });
  it('errors on a missing or non-string text field, naming the field and the task', async () => {
    const stage = build({ filter: { type: 'WordCountFilter' } });
    await expect(async () => stage.process(batch([undefined]))).rejects.toThrow(/"text" is missing .*task t1/);
    await expect(async () => stage.process(batch([3]))).rejects.toThrow(/"text" is not a string .*task t1/);
  });
  it('rejects unknown filter types and parameters, and mismatched score fields', () => {
    const p = getStage('ScoreFilter').params;
    const problems = (raw: unknown): string => {
      const r = p.safeParse(raw);
      return r.success ? 'parsed' : r.error.issues.map((i) => i.message).join(' | ');
    };
    expect(problems({ filter: { type: 'NoSuchFilter' } })).toMatch(/filter: unknown filter type "NoSuchFilter"/);
    expect(problems({ filter: [{ type: 'UrlsFilter' }, { type: 'WordCountFilter', min_word: 3 }] })).toMatch(/filter\[1\]: filter WordCountFilter: .*"min_word"/);
    expect(problems({ filter: [{ type: 'WordCountFilter' }, { type: 'UrlsFilter' }], score_field: ['a'] })).toMatch(/score_field names 1/);
    expect(problems({ filter: { type: 'WordCountFilter' }, bogus: 1 })).not.toBe('parsed');
    expect(problems({ filter: { type: 'WordCountFilter' } })).toBe('parsed');
  });
  it('fills filter defaults and re-parses its own output', () => {
    const p = getStage('ScoreFilter').params;
    const once = p.parse({ filter: { type: 'WordCountFilter' } });
    expect(once.filter).toEqual({ type: 'WordCountFilter', min_words: 50, max_words: 100000, lang: 'en' });
    expect(p.parse(once)).toEqual(once);
  });
});

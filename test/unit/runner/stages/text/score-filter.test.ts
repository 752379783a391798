import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import { defineFilter } from '../../../../../runner/stages/text/filters/document-filter.js';
import { loadPipelineFile } from '../../../../../runner/pipeline/pipeline-file.js';
import type { ProcessingStage } from '../../../../../runner/pipeline/stage.js';
import { buildProcessing, worker } from '../helpers.js';
import type { ScoreFilter } from '../../../../../runner/stages/text/score-filter.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

function build(raw: Record<string, unknown>) {
  return buildProcessing<ScoreFilter>('ScoreFilter', raw, '/pipelines');
}
function batch(texts: unknown[]): DocumentBatch {
  return new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: texts.map((text, i) => ({ id: i, text })) });
}
async function run(raw: Record<string, unknown>, texts: unknown[]) {
  const b = build(raw);
  const out = await b.stage.process(batch(texts));
  if (!(out instanceof DocumentBatch)) throw new Error('expected a DocumentBatch');
  return { rows: out.data, removed: b.removed };
}

/** A filter that counts its setup() calls, to see the stage call it once. */
let setups = 0;
defineFilter({
  type: 'SetupCountingTestFilter',
  description: 'Test filter: scores the text length once set up.',
  params: z.object({}).strict(),
  create: () => {
    let ready = false;
    return {
      name: 'setup_counting',
      setup: async () => {
        await new Promise((r) => setTimeout(r, 5));
        setups++;
        ready = true;
      },
      score_document: (text: string) => {
        if (!ready) throw new Error('not set up');
        return text.length;
      },
      keep_document: (s: number | string) => Number(s) > 1,
    };
  },
});

describe('ScoreFilter stage', () => {
  it('is registered in the text category', () => {
    expect(getStage('ScoreFilter').category).toBe('text');
  });

  it('applies one filter, names the stage after it, and reports each removed document with its score', async () => {
    const raw = { filter: { type: 'WordCountFilter', min_words: 2, max_words: 3 } };
    expect(build(raw).stage.name).toBe('word_count');
    const { rows, removed } = await run(raw, ['one', 'one two', 'a b c d']);
    expect(rows.map((r) => r.id)).toEqual([1]);
    expect(rows[0]).not.toHaveProperty('word_count');
    expect(removed.map((r) => [r.doc.id, r.reason, r.detail])).toEqual([
      [0, 'WordCountFilter', { score: 1, filter: 'word_count' }],
      [2, 'WordCountFilter', { score: 4, filter: 'word_count' }],
    ]);
  });

  it('writes scores to score_field, and with invert removes what the filter keeps', async () => {
    const raw = { filter: { type: 'WordCountFilter', min_words: 2 }, score_field: 'wc', invert: true };
    const { rows, removed } = await run(raw, ['one', 'one two']);
    expect(rows).toEqual([{ id: 0, text: 'one', wc: 1 }]);
    expect(removed).toEqual([{ doc: { id: 1, text: 'one two', wc: 2 }, reason: 'WordCountFilter (inverted)', detail: { score: 2, filter: 'word_count' } }]);
  });

  it('chains a list in order, stopping at the first rejection, with the rejecting class as the reason', async () => {
    const raw = {
      filter: [{ type: 'WordCountFilter', min_words: 2 }, { type: 'SubstringFilter', substring: 'x', position: 'prefix' }],
      score_field: ['wc', 'sub'],
    };
    expect(build(raw).stage.name).toBe('score_filter_chain_of_word_count_substring_filter');
    const { rows, removed } = await run(raw, ['x', 'x y', 'y x']);
    expect(rows).toEqual([{ id: 1, text: 'x y', wc: 2, sub: 1 }]);
    expect(removed.map((r) => [r.doc, r.reason])).toEqual([
      [{ id: 0, text: 'x', wc: 1 }, 'WordCountFilter'],
      [{ id: 2, text: 'y x', wc: 2, sub: 0 }, 'SubstringFilter'],
    ]);
  });

  it("inverts each filter's decision, as NeMo Curator does with a list", async () => {
    const filter = [{ type: 'WordCountFilter', min_words: 2 }, { type: 'SubstringFilter', substring: 'x', position: 'prefix' }];
    // Both inverted: kept only when every filter rejects (fewer than 2 words and no "x" prefix).
    const both = await run({ filter, invert: true }, ['x', 'y', 'x y', 'y x']);
    expect(both.rows.map((r) => r.text)).toEqual(['y']);
    expect(both.removed.map((r) => [r.doc.text, r.reason])).toEqual([
      ['x', 'SubstringFilter (inverted)'],
      ['x y', 'WordCountFilter (inverted)'],
      ['y x', 'WordCountFilter (inverted)'],
    ]);
    // Per filter: keep short documents that start with "x".
    const mixed = await run({ filter, invert: [true, false] }, ['x', 'y', 'x y']);
    expect(mixed.rows.map((r) => r.text)).toEqual(['x']);
  });

  it('returns an empty DocumentBatch when every row is removed, and an empty batch unchanged', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter' } });
    const out = (await stage.process(batch(['a']))) as DocumentBatch;
    expect(out).toBeInstanceOf(DocumentBatch);
    expect([out.data, out.task_id]).toEqual([[], 't1']);
    const empty = batch([]);
    expect(await stage.process(empty)).toBe(empty);
  });

  it('reads text_field, one for all filters or one per filter', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter', min_words: 1 }, text_field: 'body' });
    const out = (await stage.process(new DocumentBatch({ task_id: 't', dataset_name: 'd', data: [{ body: 'a' }, { body: '' }] }))) as DocumentBatch;
    expect(out.data).toEqual([{ body: 'a' }]);
    const two = build({ filter: [{ type: 'WordCountFilter', min_words: 2 }, { type: 'WordCountFilter', min_words: 1 }], text_field: ['a', 'b'] }).stage;
    const res = (await two.process(new DocumentBatch({ task_id: 't', dataset_name: 'd', data: [{ a: 'x y', b: 'z' }, { a: 'x y', b: ' ' }] }))) as DocumentBatch;
    expect(res.data).toEqual([{ a: 'x y', b: 'z' }]);
  });

  it('errors on a missing or non-string text field, naming the stage, the field and the document', async () => {
    const { stage } = build({ filter: { type: 'WordCountFilter' } });
    await expect(async () => stage.process(batch([undefined]))).rejects.toThrow(/ScoreFilter "word_count": text field "text" is missing in a document of task t1/);
    await expect(async () => stage.process(batch([3]))).rejects.toThrow(/"text" is not a string \(number\)/);
    const withOrigin = new DocumentBatch({ task_id: 't', dataset_name: 'd', data: [{ text: null, _curator_origin: '/data/a.jsonl:7' }] });
    await expect(async () => stage.process(withOrigin)).rejects.toThrow(/is not a string \(null\) in the document at \/data\/a.jsonl:7; set text_field/);
  });

  it('resolves removed_path against the pipeline file and sets it on the stage', () => {
    expect(build({ filter: { type: 'WordCountFilter' }, removed_path: 'out/removed' }).stage.removed_path).toBe('/pipelines/out/removed');
    expect(build({ filter: { type: 'WordCountFilter' }, removed_path: '/abs/removed' }).stage.removed_path).toBe('/abs/removed');
    expect(build({ filter: { type: 'WordCountFilter' } }).stage.removed_path).toBeNull();
  });

  it("runs each filter's setup() once per stage, lazily when process() comes first", async () => {
    setups = 0;
    const a = build({ filter: [{ type: 'SetupCountingTestFilter' }, { type: 'SetupCountingTestFilter' }] }).stage as ProcessingStage<DocumentBatch, DocumentBatch>;
    expect(a.overridesSetup()).toBe(true);
    await a.setup(worker);
    await a.process(batch(['ab']));
    expect(setups).toBe(2);
    const b = build({ filter: { type: 'SetupCountingTestFilter' } }).stage;
    const [r1, r2] = await Promise.all([b.process(batch(['a', 'abc'])), b.process(batch(['xyz']))]);
    expect([(r1 as DocumentBatch).data.length, (r2 as DocumentBatch).data.length]).toEqual([1, 1]);
    expect(setups).toBe(3);
  });

  it('rejects unknown filter types and parameters, and field lists that do not match the filters', () => {
    const p = getStage('ScoreFilter').params;
    const problems = (raw: unknown): string => {
      const r = p.safeParse(raw);
      return r.success ? 'parsed' : r.error.issues.map((i) => i.message).join(' | ');
    };
    const two = [{ type: 'WordCountFilter' }, { type: 'UrlsFilter' }];
    expect(problems({ filter: { type: 'NoSuchFilter' } })).toMatch(/filter: unknown filter type "NoSuchFilter"/);
    expect(problems({ filter: [{ type: 'UrlsFilter' }, { type: 'WordCountFilter', min_word: 3 }] })).toMatch(/filter\[1\]: filter WordCountFilter: .*"min_word"/);
    expect(problems({ filter: two, score_field: ['a'] })).toMatch(/score_field lists 1 value\(s\) but there are 2 filters; give one per filter$/);
    expect(problems({ filter: two, score_field: 'a' })).toMatch(/score_field must be a list of 2/);
    expect(problems({ filter: two, text_field: ['a', 'b', 'c'] })).toMatch(/text_field lists 3/);
    expect(problems({ filter: two, invert: [true] })).toBe('parsed');
    expect(problems({ filter: { type: 'WordCountFilter' }, invert: [true, false] })).toMatch(/invert lists 2 values but there is 1 filter/);
    expect(problems({ filter: { type: 'WordCountFilter' }, bogus: 1 })).not.toBe('parsed');
    expect(problems({ filter: { type: 'WordCountFilter' } })).toBe('parsed');
  });

  it('fills filter defaults and re-parses its own output (what a worker receives)', () => {
    const p = getStage('ScoreFilter').params;
    const once = p.parse({ filter: { type: 'WordCountFilter' } });
    expect(once.filter).toEqual({ type: 'WordCountFilter', min_words: 50, max_words: 100000, lang: 'en' });
    expect(p.parse(once)).toEqual(once);
  });
});

describe('the English heuristics template', () => {
  it("runs NeMo Curator's English chain over the bundled sample, with a per-class funnel", async () => {
    const file = path.join(ROOT, 'resources/templates/english-heuristics.yaml');
    const loaded = await loadPipelineFile(file);
    expect(loaded.data.description).toBe('English web text — heuristic quality filters');
    const stage = loaded.pipeline.build().find((s) => s.type === 'ScoreFilter') as ProcessingStage<DocumentBatch, DocumentBatch>;
    expect(stage.removed_path).toBe(path.join(ROOT, 'output/english-heuristics-removed'));
    const filters = stage.params.filter as Array<{ type: string }>;
    expect(filters).toHaveLength(28);
    expect(filters.map((f) => f.type).slice(0, 7)).toEqual(['NonAlphaNumericFilter', 'SymbolsToWordsFilter', 'NumbersFilter', 'UrlsFilter', 'WhiteSpaceFilter', 'ParenthesesFilter', 'BoilerPlateStringFilter']);
    expect(filters.at(-1)?.type).toBe('BulletsFilter');

    const removed: string[] = [];
    stage.runtime = { log: () => {}, metric: () => {}, count: () => {}, removed: (_d, reason) => void removed.push(reason) };
    const dir = path.join(ROOT, 'resources/sample');
    let kept = 0;
    let total = 0;
    for (const name of ['web-00.jsonl', 'web-01.jsonl', 'web-02.jsonl', 'web-03.jsonl']) {
      const docs = (await readFile(path.join(dir, name), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      total += docs.length;
      kept += ((await stage.process(new DocumentBatch({ task_id: name, dataset_name: 'sample', data: docs }))) as DocumentBatch).data.length;
    }
    expect(kept + removed.length).toBe(total);
    expect(kept).toBeGreaterThan(20);
    for (const reason of ['WordCountFilter', 'BoilerPlateStringFilter', 'NonAlphaNumericFilter', 'RepeatingDuplicateNGramsFilter']) expect(removed, reason).toContain(reason);
  });
});

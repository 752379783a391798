import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFilter } from '../../../../../../../runner/stages/text/filters/document-filter.js';
import { FastTextQualityFilter, paretoFromUniform, seededUniform } from '../../../../../../../runner/stages/text/filters/fasttext/quality.js';
import { defaultLangIdModelPath } from '../../../../../../../runner/stages/text/filters/fasttext/model.js';
import { makeTempDir } from '../../../helpers.js';
import { SAMPLES } from './samples.js';
import { trainQualityModel } from './train-model.js';

let dir: string;
let cleanup: () => Promise<void>;
let modelFile: string;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('curator-fasttext-'));
  modelFile = join(dir, 'quality.bin');
  await trainQualityModel(modelFile);
});
afterAll(() => cleanup());

async function quality(raw: Record<string, unknown>): Promise<FastTextQualityFilter> {
  const def = getFilter('FastTextQualityFilter');
  const f = def.create(def.params.parse(raw)) as FastTextQualityFilter;
  await f.setup();
  return f;
}

describe('FastTextQualityFilter parameters', () => {
  it("has NeMo Curator's defaults and requires model_path", () => {
    const def = getFilter('FastTextQualityFilter');
    expect(def.params.parse({ model_path: 'm.bin' })).toEqual({ model_path: 'm.bin', label: '__label__hq', alpha: 3, seed: 42 });
    expect(() => def.params.parse({})).toThrow();
  });
});

describe('FastTextQualityFilter with a small trained model', () => {
  it('scores p(label), or 1 - p when the other label wins', async () => {
    const f = await quality({ model_path: modelFile });
    expect(f.name).toBe('fasttext_quality_filter');
    const hq = f.score_document('The committee reviewed the research data and published the annual report.');
    const lq = f.score_document('click here free casino buy cheap pills now');
    expect(hq).toBeGreaterThan(0.9);
    expect(lq).toBeLessThan(0.1);
    // Scoring from the other label's point of view gives the complement.
    const asLq = await quality({ model_path: modelFile, label: '__label__lq' });
    expect(asLq.score_document('click here free casino buy cheap pills now')).toBeCloseTo(1 - lq, 6);
  });

  it('replaces newlines before predicting', async () => {
    const f = await quality({ model_path: modelFile });
    expect(f.score_document('click here\nbuy cheap pills')).toBe(f.score_document('click here buy cheap pills'));
  });

  it('keeps high scores nearly always and low scores at the Pareto rate (1 + t)^-alpha', async () => {
    const f = await quality({ model_path: modelFile });
    expect(f.keep_document(f.score_document('Researchers measured the rainfall and published the data.'))).toBe(true);
    // 4000 distinct scores near 0: keep needs pareto > ~1, which happens with probability 2^-3 = 0.125.
    let kept = 0;
    for (let i = 0; i < 4000; i++) if (f.keep_document(i * 1e-7)) kept++;
    expect(kept / 4000).toBeGreaterThan(0.1);
    expect(kept / 4000).toBeLessThan(0.15);
    let keptHigh = 0;
    for (let i = 0; i < 4000; i++) if (f.keep_document(0.95 + i * 1e-6)) keptHigh++;
    expect(keptHigh / 4000).toBeGreaterThan(0.83); // (1.05)^-3 = 0.864
  });

  it('decides from seed and score alone: the same on every call and order, different for another seed', async () => {
    const a = await quality({ model_path: modelFile });
    const b = await quality({ model_path: modelFile });
    const other = await quality({ model_path: modelFile, seed: 7 });
    const scores = Array.from({ length: 500 }, (_, i) => 0.2 + i / 1000);
    const forward = scores.map((s) => a.keep_document(s));
    const backward = [...scores].reverse().map((s) => b.keep_document(s)).reverse();
    expect(backward).toEqual(forward);
    expect(scores.map((s) => other.keep_document(s))).not.toEqual(forward);
  });

  it('draws uniforms in [0, 1) and Pareto variates with the right median', () => {
    const us = Array.from({ length: 20000 }, (_, i) => seededUniform(42, i / 20000));
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    expect(us.reduce((x, y) => x + y, 0) / us.length).toBeCloseTo(0.5, 1);
    expect(paretoFromUniform(0.5, 3)).toBeCloseTo(2 ** (1 / 3) - 1, 12);
    expect(paretoFromUniform(0, 3)).toBe(0);
  });
});

describe('FastTextQualityFilter with lid.176 standing in as the quality model (label __label__en)', () => {
  it('scores English high and other languages low', async () => {
    const f = await quality({ model_path: defaultLangIdModelPath(), label: '__label__en' });
    for (const { lang, text } of SAMPLES) {
      const s = f.score_document(text);
      if (lang === 'en') expect(s).toBeGreaterThan(0.5);
      else expect(s, lang).toBeLessThan(0.5);
    }
  });
});

describe('FastTextQualityFilter model errors', () => {
  it('names the missing file and the filter, at plan time and at setup', async () => {
    const missing = join(dir, 'nope.bin');
    const def = getFilter('FastTextQualityFilter') as unknown as { check: (p: unknown) => string[]; params: { parse(p: unknown): unknown } };
    const check = (p: Record<string, unknown>) => def.check(def.params.parse(p));
    expect(check({ model_path: modelFile })).toEqual([]);
    expect(check({ model_path: missing })[0]).toMatch(/FastTextQualityFilter: cannot read the fastText model ".*nope\.bin" \(ENOENT\)/);
    await expect(quality({ model_path: missing })).rejects.toThrow(/FastTextQualityFilter: cannot read the fastText model ".*nope\.bin"/);
  });

  it('rejects a file that is not a fastText model', async () => {
    const bogus = join(dir, 'bogus.bin');
    await writeFile(bogus, 'this is not a model, just some text in a file');
    await expect(quality({ model_path: bogus })).rejects.toThrow(/FastTextQualityFilter: ".*bogus\.bin" is not a fastText model: it does not start with the fastText magic number/);
  });

  it('rejects a label the model does not have, listing its labels', async () => {
    await expect(quality({ model_path: modelFile, label: '__label__good' })).rejects.toThrow(/label "__label__good" is not a label of the model ".*quality\.bin" \(its labels: __label__(hq|lq), __label__(hq|lq)\)/);
  });

  it('fails clearly when scoring before setup()', () => {
    const f = new FastTextQualityFilter({ model_path: modelFile, label: '__label__hq', alpha: 3, seed: 42 });
    expect(() => f.score_document('hello')).toThrow(/FastTextQualityFilter: the model is not loaded/);
  });
});

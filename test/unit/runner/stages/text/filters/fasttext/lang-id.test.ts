import { beforeAll, describe, expect, it } from 'vitest';
import { getFilter } from '../../../../../../../runner/stages/text/filters/document-filter.js';
import { FastTextLangIdFilter } from '../../../../../../../runner/stages/text/filters/fasttext/lang-id.js';
import { defaultLangIdModelPath } from '../../../../../../../runner/stages/text/filters/fasttext/model.js';
import { parseLangIdScore } from '../../../../../../../runner/stages/text/filters/fasttext/score-string.js';
import { SAMPLES } from './samples.js';

/** A FastTextLangId built from raw pipeline-file parameters (defaults filled by its schema), model loaded. */
async function langId(raw: Record<string, unknown> = {}): Promise<FastTextLangIdFilter> {
  const def = getFilter('FastTextLangId');
  const f = def.create(def.params.parse(raw)) as FastTextLangIdFilter;
  await f.setup();
  return f;
}

describe('FastTextLangId with the bundled lid.176 model', () => {
  let f: FastTextLangIdFilter;
  beforeAll(async () => {
    f = await langId();
  });

  it('has NeMo Curator defaults and name', () => {
    expect(getFilter('FastTextLangId').params.parse({})).toEqual({ min_langid_score: 0.3 });
    expect(f.name).toBe('lang_id');
    expect(defaultLangIdModelPath()).toMatch(/fasttext\.wasm\.js.*lid\.176\.ftz$/);
  });

  it.each(SAMPLES)('identifies $lang with probability above 0.5', ({ lang, text }) => {
    const parsed = parseLangIdScore(f.score_document(text));
    expect(parsed?.lang).toBe(lang);
    expect(parsed?.score).toBeGreaterThan(0.5);
    expect(parsed?.score).toBeLessThanOrEqual(1.0001);
  });

  it("writes the score as NeMo Curator's Python string str([score, lang])", () => {
    const s = f.score_document(SAMPLES[0]?.text ?? '');
    expect(s).toMatch(/^\[0\.\d+, 'en'\]$/);
    // The number is the float32 probability printed with the shortest round-trip digits, as Python's repr does.
    const p = Number(/^\[([^,]+),/.exec(s)?.[1]);
    expect(Math.fround(p)).toBe(p);
  });

  it('strips the text and replaces newlines before predicting (fastText reads one line)', () => {
    const [a, b] = ['Die Katze schläft.', 'Sie liegt auf dem warmen Sofa im Wohnzimmer.'];
    expect(f.score_document(`\n  ${a}\n${b}  \n`)).toBe(f.score_document(`${a} ${b}`));
    // Without the replacement fastText would see only the first (empty) line.
    expect(f.score_document(`\n${a}`)).not.toBe(f.score_document(''));
  });

  it("scores empty and whitespace-only text as fastText's prediction for an empty line, below the default cutoff", async () => {
    expect(f.score_document('')).toBe("[0.12450417876243591, 'en']");
    expect(f.score_document(' \n\t \u3000')).toBe("[0.12450417876243591, 'en']");
    expect(f.keep_document(f.score_document(''))).toBe(false);
    const low = await langId({ min_langid_score: 0.1 });
    expect(low.keep_document(low.score_document(''))).toBe(true);
  });
});

describe('FastTextLangId keep rule', () => {
  it('keeps every language whose score reaches min_langid_score (inclusive)', async () => {
    const f = await langId({ min_langid_score: 0.5 });
    expect(f.keep_document("[0.5, 'fr']")).toBe(true);
    expect(f.keep_document("[0.49999, 'fr']")).toBe(false);
    expect(f.keep_document("[1.0000100135803223, 'zh']")).toBe(true);
  });

  it('keeps only the chosen language, case-insensitively', async () => {
    const f = await langId({ lang: 'EN' });
    expect(f.keep_document("[0.9, 'en']")).toBe(true);
    expect(f.keep_document("[0.9, 'fr']")).toBe(false);
    expect(f.keep_document("[0.2, 'en']")).toBe(false);
    for (const { lang, text } of SAMPLES) expect(f.keep_document(f.score_document(text))).toBe(lang === 'en');
  });

  it('matches a bare language against every script, and a language_script code exactly (NeMo Curator rule)', async () => {
    const bare = await langId({ lang: 'eng' });
    expect(bare.keep_document("[0.9, 'eng_Latn']")).toBe(true);
    expect(bare.keep_document("[0.9, 'eng_Cyrl']")).toBe(true);
    const exact = await langId({ lang: 'eng_latn' });
    expect(exact.keep_document("[0.9, 'eng_Latn']")).toBe(true);
    expect(exact.keep_document("[0.9, 'eng_Cyrl']")).toBe(false);
    expect(exact.keep_document("[0.9, 'eng']")).toBe(false);
  });

  it('rejects a score that is not the string it writes, naming the filter', async () => {
    const f = await langId();
    expect(() => f.keep_document('0.9')).toThrow(/FastTextLangId: a score must be the string/);
    expect(() => f.keep_document(0.9 as unknown as string)).toThrow(TypeError);
  });

  it('fails clearly when scoring before setup() loaded the model', () => {
    const f = new FastTextLangIdFilter({ min_langid_score: 0.3 });
    expect(() => f.score_document('hello')).toThrow(/FastTextLangId: the model is not loaded; call setup\(\)/);
  });
});

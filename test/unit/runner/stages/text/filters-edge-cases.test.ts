import { describe, it, expect, beforeAll } from 'vitest';
import { listFilters, type DocumentFilter, type FilterDefinition } from '../../../../../runner/stages/text/filters/document-filter.js';
import '../../../../../runner/stages/text/filter-spec.js';

/**
 * Every numeric filter (the 22 heuristic filters, BoilerPlateStringFilter, TokenCountFilter) on the
 * texts where NeMo Curator raises or scripts differ: never a crash, never NaN, the same score on
 * every call, and the defined scores their descriptions state for empty, blank and one-word text.
 */

const MIB = 1 << 20;
const TEXTS: Record<string, string> = {
  empty: '',
  blank: ' \n\t \r\n ',
  one_word: 'word',
  chinese: '我们今天去公园散步，天气很好。',
  arabic: 'مرحبا بالعالم، هذا نص قصير.',
  cyrillic: 'Привет, мир! Это короткий текст.',
  long_line: 'x'.repeat(MIB),
  long_text: Array.from({ length: MIB / 8 }, (_, i) => ['alpha', 'beta', 'gamma', 'delta', 'the', 'of'][(i * 7) % 6]).join(' ').slice(0, MIB),
};

/** Scores the descriptions state: [empty, blank, one_word, long_line]; null where not pinned. */
const DEFINED: Record<string, Array<number | null>> = {
  NonAlphaNumericFilter: [1, 5 / 7, 0, 0],
  SymbolsToWordsFilter: [1, 1, 0, 0],
  NumbersFilter: [1, 0, 0, 0],
  UrlsFilter: [1, 0, 0, 0],
  BulletsFilter: [1, 1, 0, 0],
  WhiteSpaceFilter: [1, 1, 0, 0],
  ParenthesesFilter: [1, 0, 0, 0],
  LongWordFilter: [1001, 1001, 4, MIB],
  WordCountFilter: [0, 0, 1, 1],
  BoilerPlateStringFilter: [0, 0, 0, 0],
  MeanWordLengthFilter: [0, 0, 4, MIB],
  PunctuationFilter: [1, 1, 1, 1],
  EllipsisFilter: [1, 1, 0, 0],
  CommonEnglishWordsFilter: [0, 0, 0, 0],
  WordsWithoutAlphabetsFilter: [0, 0, 1, 1],
  PornographicUrlsFilter: [0, 0, 0, 0],
  SubstringFilter: [0, 0, 1, 0],
  RepeatedLinesFilter: [0, 0, 1, 1],
  RepeatedParagraphsFilter: [0, 0, 1, 1],
  RepeatedLinesByCharFilter: [0, 0, 1, 1],
  RepeatedParagraphsByCharFilter: [0, 1, 1, 1],
  RepeatingTopNGramsFilter: [1, 1, 1, 1],
  RepeatingDuplicateNGramsFilter: [1, 1, 1, 1],
  TokenCountFilter: [0, null, 1, null],
};

const EXTRA: Record<string, Record<string, unknown>> = { SubstringFilter: { substring: 'word', position: 'any' } };

let defs: FilterDefinition[] = [];
const build = (d: FilterDefinition): DocumentFilter => d.create(d.params.parse(EXTRA[d.type] ?? {}));

beforeAll(async () => {
  // Model-backed filters need a model file; their edge cases are tested with their models.
  defs = listFilters().filter((d) => d.scoreType === 'number' && d.type !== 'FastTextQualityFilter');
  for (const d of defs) await build(d).setup?.();
});

describe('numeric filters on edge-case texts', () => {
  it('covers every numeric filter', () => {
    expect(defs.map((d) => d.type).sort()).toEqual(Object.keys(DEFINED).sort());
  });

  it('gives the defined score for empty, blank, one-word and 1 MiB single-word text', async () => {
    for (const d of defs) {
      const filter = build(d);
      await filter.setup?.();
      const got = ['empty', 'blank', 'one_word', 'long_line'].map((k) => filter.score_document(TEXTS[k] as string) as number);
      const want = DEFINED[d.type] as Array<number | null>;
      want.forEach((w, i) => {
        if (w === null) expect(got[i], `${d.type} on ${i}`).toBeGreaterThan(0);
        else expect(got[i], `${d.type} on ${['empty', 'blank', 'one_word', 'long_line'][i]}`).toBeCloseTo(w, 12);
      });
    }
  });

  it('never crashes or returns NaN, and scores the same text the same way every time', async () => {
    for (const d of defs) {
      const first = build(d);
      const second = build(d);
      await first.setup?.();
      await second.setup?.();
      for (const [name, text] of Object.entries(TEXTS)) {
        const a = first.score_document(text) as number;
        expect(Number.isFinite(a), `${d.type} on ${name}: ${a}`).toBe(true);
        expect(a, `${d.type} on ${name}`).toBeGreaterThanOrEqual(0);
        expect(typeof first.keep_document(a), `${d.type} on ${name}`).toBe('boolean');
        // Another text in between, then a fresh instance: the cached text units are not reused wrongly.
        first.score_document('something else entirely\n\nand more');
        expect(first.score_document(text), `${d.type} on ${name} again`).toBe(a);
        expect(second.score_document(text), `${d.type} on ${name}, fresh filter`).toBe(a);
      }
    }
  }, 60_000);

  it('scores non-Latin scripts by the same white-space and code-point rules', () => {
    const score = (type: string, text: string) => build(defs.find((d) => d.type === type) as FilterDefinition).score_document(text);
    expect([TEXTS.chinese, TEXTS.arabic, TEXTS.cyrillic].map((t) => score('WordCountFilter', t as string))).toEqual([1, 5, 5]);
    expect([TEXTS.chinese, TEXTS.arabic, TEXTS.cyrillic].map((t) => score('WordsWithoutAlphabetsFilter', t as string))).toEqual([1, 1, 1]);
    expect([TEXTS.chinese, TEXTS.arabic, TEXTS.cyrillic].map((t) => score('PunctuationFilter', t as string))).toEqual([1, 0, 0]);
    expect(score('MeanWordLengthFilter', TEXTS.chinese as string)).toBe(15);
    expect(score('NonAlphaNumericFilter', TEXTS.chinese as string)).toBe(1);
    expect(score('NonAlphaNumericFilter', TEXTS.cyrillic as string)).toBeCloseTo(29 / 32, 12);
    // Two Arabic words repeated: the top bigram covers the whole text but the separator.
    expect(score('RepeatingTopNGramsFilter', 'مرحبا بالعالم مرحبا بالعالم')).toBeCloseTo(26 / 27, 12);
  });

  it('scores 1 MiB texts in under two seconds per filter', async () => {
    for (const d of defs) {
      const filter = build(d);
      await filter.setup?.();
      for (const name of ['long_line', 'long_text']) {
        const t0 = performance.now();
        filter.score_document(TEXTS[name] as string);
        expect(performance.now() - t0, `${d.type} on ${name}`).toBeLessThan(2000);
      }
    }
  }, 120_000);
});

import { describe, it, expect } from 'vitest';
import { getFilter, listFilters, type DocumentFilter } from '../../../../../runner/stages/text/filters/document-filter.js';
import '../../../../../runner/stages/text/filter-spec.js';

/**
 * The heuristic filters' scores, written from NeMo Curator's formulas (heuristic/string.py,
 * repetition/repetition.py): words are `text.strip().split()`, lines are non-blank
 * `split("\n")`, paragraphs `split("\n\n")`, lengths in code points. Edge cases are in
 * filters-edge-cases.test.ts, BoilerPlateStringFilter and TokenCountFilter in their own files.
 */

function f(type: string, raw: Record<string, unknown> = {}): DocumentFilter<number> {
  const def = getFilter(type);
  return def.create(def.params.parse(raw)) as DocumentFilter<number>;
}
const score = (type: string, text: string, raw: Record<string, unknown> = {}) => f(type, raw).score_document(text);

/** The heuristic filters of NeMo Curator's string.py and repetition.py, plus the two added here. */
const HEURISTIC_TYPES = [
  'NonAlphaNumericFilter', 'SymbolsToWordsFilter', 'NumbersFilter', 'UrlsFilter', 'BulletsFilter', 'WhiteSpaceFilter',
  'ParenthesesFilter', 'LongWordFilter', 'WordCountFilter', 'MeanWordLengthFilter', 'PunctuationFilter', 'EllipsisFilter',
  'CommonEnglishWordsFilter', 'WordsWithoutAlphabetsFilter', 'PornographicUrlsFilter', 'SubstringFilter', 'RepeatedLinesFilter',
  'RepeatedParagraphsFilter', 'RepeatedLinesByCharFilter', 'RepeatedParagraphsByCharFilter', 'RepeatingTopNGramsFilter',
  'RepeatingDuplicateNGramsFilter',
];

describe('filter registry', () => {
  it('lists the 22 heuristic filters, BoilerPlateStringFilter and TokenCountFilter, with numeric scores', () => {
    const defs = new Map(listFilters().map((d) => [d.type, d]));
    for (const t of [...HEURISTIC_TYPES, 'BoilerPlateStringFilter', 'TokenCountFilter']) {
      expect(defs.get(t)?.scoreType, t).toBe('number');
      expect(defs.get(t)?.description.length, t).toBeGreaterThan(40);
    }
    expect(HEURISTIC_TYPES).toHaveLength(22);
    expect(() => getFilter('WordCountFiltr')).toThrow(/unknown filter type "WordCountFiltr" \(did you mean "WordCountFilter"\?\)/);
  });
  it('rejects unknown parameters', () => {
    expect(() => getFilter('WordCountFilter').params.parse({ min_word: 3 })).toThrow();
  });
  it("uses NeMo Curator's names (the _name of each class)", () => {
    expect(f('PornographicUrlsFilter').name).toBe('pornographic_urls_filter');
    expect(f('SubstringFilter', { substring: 'a', position: 'any' }).name).toBe('substring_filter');
    expect(f('RepeatingTopNGramsFilter', { n: 3 }).name).toBe('repeating_top_3grams');
    expect(f('RepeatingDuplicateNGramsFilter', { n: 5 }).name).toBe('repeating_dup_5gram');
  });
});

describe('character ratio filters', () => {
  it('NonAlphaNumericFilter counts everything outside [a-zA-Z0-9\\n?!,.]', () => {
    expect(score('NonAlphaNumericFilter', 'ab c!')).toBeCloseTo(1 / 5);
    expect(score('NonAlphaNumericFilter', 'héllo')).toBeCloseTo(1 / 5);
    expect(score('NonAlphaNumericFilter', '😀a')).toBeCloseTo(1 / 2); // the emoji is one code point
    const g = f('NonAlphaNumericFilter');
    expect(g.name).toBe('alpha_numeric');
    expect([g.keep_document(0.25), g.keep_document(0.26)]).toEqual([true, false]);
  });
  it('NumbersFilter counts the ASCII digits only, as [[:digit:]] does', () => {
    expect(score('NumbersFilter', 'a1b2')).toBeCloseTo(0.5);
    expect(score('NumbersFilter', '٣x')).toBe(0);
    expect(score('NumbersFilter', '１2')).toBeCloseTo(0.5);
    const g = f('NumbersFilter', { max_number_to_text_ratio: 0.5 });
    expect([g.keep_document(0.5), g.keep_document(0.51)]).toEqual([true, false]);
  });
  it('UrlsFilter sums URL match lengths', () => {
    expect(score('UrlsFilter', 'see http://a.io x')).toBeCloseTo(11 / 17);
    expect(score('UrlsFilter', 'go https://a.io/b?c=1 now')).toBeCloseTo(18 / 25);
    expect(score('UrlsFilter', 'no links')).toBe(0);
    expect(score('UrlsFilter', 'ab XYZ', { url_regex: 'XYZ' })).toBeCloseTo(3 / 6);
    expect([f('UrlsFilter').keep_document(0.2), f('UrlsFilter').keep_document(0.21)]).toEqual([true, false]);
  });
  it('WhiteSpaceFilter counts tab, newline, CR, backspace and space without stripping', () => {
    expect(score('WhiteSpaceFilter', ' a\tb\n\r\b')).toBeCloseTo(5 / 7);
    expect(score('WhiteSpaceFilter', 'a\u00a0b\u3000c')).toBe(0); // other white space does not count
    expect(score('WhiteSpaceFilter', 'word')).toBe(0);
  });
  it('ParenthesesFilter', () => {
    expect(score('ParenthesesFilter', '(a)⟨b⟩')).toBeCloseTo(4 / 6);
    expect(score('ParenthesesFilter', '[x]{y}')).toBeCloseTo(4 / 6);
    expect([f('ParenthesesFilter').keep_document(0.1), f('ParenthesesFilter').keep_document(0.11)]).toEqual([true, false]);
  });
});

describe('word filters', () => {
  it("WordCountFilter splits on Python's white space", () => {
    expect(score('WordCountFilter', '  one two\nthree ')).toBe(3);
    expect(score('WordCountFilter', 'a\u3000b\u00a0c\x1cd\u2003e')).toBe(5);
    expect(score('WordCountFilter', 'a\ufeffb')).toBe(1); // U+FEFF is not white space to Python
    const g = f('WordCountFilter');
    expect([g.keep_document(49), g.keep_document(50), g.keep_document(100000), g.keep_document(100001)]).toEqual([false, true, true, false]);
  });
  it('LongWordFilter', () => {
    expect(score('LongWordFilter', 'a abcd ab')).toBe(4);
    expect(score('LongWordFilter', '𝒳𝒴 a')).toBe(2);
    expect([f('LongWordFilter').keep_document(1000), f('LongWordFilter').keep_document(1001)]).toEqual([true, false]);
  });
  it('MeanWordLengthFilter', () => {
    expect(score('MeanWordLengthFilter', 'ab abcd')).toBe(3);
    expect(score('MeanWordLengthFilter', '日本語')).toBe(3);
    const g = f('MeanWordLengthFilter');
    expect([g.keep_document(2.9), g.keep_document(3), g.keep_document(10), g.keep_document(10.1)]).toEqual([false, true, true, false]);
  });
  it('CommonEnglishWordsFilter stops at the minimum unless told not to, and is case-sensitive', () => {
    expect(score('CommonEnglishWordsFilter', 'the cat and the dog')).toBe(2);
    expect(score('CommonEnglishWordsFilter', 'the cat and the dog', { stop_at_false: false })).toBe(3);
    expect(score('CommonEnglishWordsFilter', 'The And THE')).toBe(0);
    expect([f('CommonEnglishWordsFilter').keep_document(2), f('CommonEnglishWordsFilter').keep_document(1)]).toEqual([true, false]);
  });
  it('WordsWithoutAlphabetsFilter counts words with a Unicode alphabetic character', () => {
    expect(score('WordsWithoutAlphabetsFilter', 'a1 22 слово ...')).toBeCloseTo(2 / 4);
    // A Devanagari vowel sign and a Roman numeral are alphabetic, as [[:alpha:]] says; digits and "$" are not.
    expect(score('WordsWithoutAlphabetsFilter', '\u0903 Ⅳ 42 $')).toBeCloseTo(2 / 4);
    expect([f('WordsWithoutAlphabetsFilter').keep_document(0.8), f('WordsWithoutAlphabetsFilter').keep_document(0.79)]).toEqual([true, false]);
  });
  it('SymbolsToWordsFilter counts ellipsis words and "#" runs, not "#" characters', () => {
    expect(score('SymbolsToWordsFilter', '... # ### #a a')).toBeCloseTo(2 / 5);
    expect(score('SymbolsToWordsFilter', '#a# …')).toBeCloseTo(2 / 2); // two runs in three characters, and "…"
    expect([f('SymbolsToWordsFilter').keep_document(0.1), f('SymbolsToWordsFilter').keep_document(0.11)]).toEqual([true, false]);
  });
});

describe('line filters', () => {
  it('BulletsFilter ignores blank lines and strips each line', () => {
    expect(score('BulletsFilter', '• a\n\n  ● b\nc\n   ')).toBeCloseTo(2 / 3);
    expect([f('BulletsFilter').keep_document(0.9), f('BulletsFilter').keep_document(0.91)]).toEqual([true, false]);
  });
  it('PunctuationFilter', () => {
    expect(score('PunctuationFilter', 'Done.\nnot done\n"quoted"  \nwhat?')).toBeCloseTo(1 / 4);
    expect(score('PunctuationFilter', 'x'.repeat(10000))).toBe(1);
    expect([f('PunctuationFilter').keep_document(0.85), f('PunctuationFilter').keep_document(0.86)]).toEqual([true, false]);
  });
  it('EllipsisFilter lower-cases the line', () => {
    expect(score('EllipsisFilter', 'wait...\nRead More\nok')).toBeCloseTo(2 / 3);
    expect(score('EllipsisFilter', 'a […]\nb -»\nc')).toBeCloseTo(2 / 3);
    expect([f('EllipsisFilter').keep_document(0.3), f('EllipsisFilter').keep_document(0.31)]).toEqual([true, false]);
  });
  it('PornographicUrlsFilter and SubstringFilter', () => {
    expect(score('PornographicUrlsFilter', 'see https://porn.example x')).toBe(1);
    expect(score('PornographicUrlsFilter', 'porn but no url')).toBe(0);
    expect([f('PornographicUrlsFilter').keep_document(1), f('PornographicUrlsFilter').keep_document(0)]).toEqual([false, true]);
    expect(score('SubstringFilter', 'abc', { substring: 'ab', position: 'prefix' })).toBe(1);
    expect(score('SubstringFilter', 'abc', { substring: 'ab', position: 'suffix' })).toBe(0);
    expect(score('SubstringFilter', 'abc', { substring: 'b', position: 'any' })).toBe(1);
    expect(f('SubstringFilter', { substring: 'x', position: 'any' }).keep_document(0)).toBe(false);
  });
});

describe('repetition filters', () => {
  it('RepeatedLinesFilter and RepeatedLinesByCharFilter', () => {
    expect(score('RepeatedLinesFilter', 'a\na\nbb\n\n')).toBeCloseTo(2 / 3);
    expect(score('RepeatedLinesByCharFilter', 'a\na\nbb')).toBeCloseTo(3 / 4);
    expect([f('RepeatedLinesFilter').keep_document(0.7), f('RepeatedLinesFilter').keep_document(0.69)]).toEqual([true, false]);
    expect([f('RepeatedLinesByCharFilter').keep_document(0.8), f('RepeatedLinesByCharFilter').keep_document(0.79)]).toEqual([true, false]);
  });
  it('RepeatedParagraphsFilter and RepeatedParagraphsByCharFilter', () => {
    expect(score('RepeatedParagraphsFilter', 'p1\n\np1\n\npp2')).toBeCloseTo(2 / 3);
    expect(score('RepeatedParagraphsByCharFilter', 'p1\n\np1\n\npp2')).toBeCloseTo(5 / 7);
    expect([f('RepeatedParagraphsFilter').keep_document(0.7), f('RepeatedParagraphsFilter').keep_document(0.69)]).toEqual([true, false]);
    expect([f('RepeatedParagraphsByCharFilter').keep_document(0.8), f('RepeatedParagraphsByCharFilter').keep_document(0.79)]).toEqual([true, false]);
  });
  it('RepeatingTopNGramsFilter removes every non-overlapping occurrence of the top n-gram', () => {
    // top bigram "a b" (twice); text "a b a b c" (9 chars) without it is "  c" (3 chars).
    expect(score('RepeatingTopNGramsFilter', 'a b a b c')).toBeCloseTo(6 / 9);
    // "a a" occurs in "a a a" once without overlap: 3 of 5 characters.
    expect(score('RepeatingTopNGramsFilter', 'a a a')).toBeCloseTo(3 / 5);
    // The n-gram joined by one space is not found across a newline.
    expect(score('RepeatingTopNGramsFilter', 'a\nb a\nb')).toBe(0);
    expect(f('RepeatingTopNGramsFilter', { n: 3 }).keep_document(0.2)).toBe(true);
    expect(f('RepeatingTopNGramsFilter').keep_document(0.21)).toBe(false);
  });
  it('RepeatingTopNGramsFilter breaks ties by first occurrence, the same way every run', () => {
    // "xx y", "y a" and "a b" each occur twice; the first one in the text wins.
    expect(score('RepeatingTopNGramsFilter', 'xx y a b xx y a b')).toBeCloseTo(8 / 17);
    expect(score('RepeatingTopNGramsFilter', 'a b xx y a b xx y')).toBeCloseTo(6 / 17);
    // Every bigram once: "aaaa b" (first) counts, not "b c".
    expect(score('RepeatingTopNGramsFilter', 'aaaa b c')).toBeCloseTo(6 / 8);
    const results = new Set(Array.from({ length: 20 }, () => f('RepeatingTopNGramsFilter').score_document('q r s t q r s t u')));
    expect(results.size).toBe(1);
  });
  it('RepeatingDuplicateNGramsFilter', () => {
    // bigrams: ab cd, cd ab, ab cd (repeat: 2+2 + min(2,1)=5); total 5 / 11 chars.
    expect(score('RepeatingDuplicateNGramsFilter', 'ab cd ab cd')).toBeCloseTo(5 / 11);
    // "a a a": bigram "a a" twice; second is a repeat after overlap 0 → 1+1+1 = 3; 3/5.
    expect(score('RepeatingDuplicateNGramsFilter', 'a a a')).toBeCloseTo(3 / 5);
    // "a a a a": repeats at 2 (3) then overlap 1 → words[1:] = 1 + min(1,1) = 2 → 5/7.
    expect(score('RepeatingDuplicateNGramsFilter', 'a a a a')).toBeCloseTo(5 / 7);
    expect(score('RepeatingDuplicateNGramsFilter', 'x y z')).toBe(0);
    // n = 3 over "a b c a b c a b c": repeats at positions 3..6 add 5, then 2, 2, 2 characters → 11 / 17.
    expect(score('RepeatingDuplicateNGramsFilter', 'a b c a b c a b c', { n: 3 })).toBeCloseTo(11 / 17);
    expect([f('RepeatingDuplicateNGramsFilter').keep_document(0.2), f('RepeatingDuplicateNGramsFilter').keep_document(0.21)]).toEqual([true, false]);
  });
});

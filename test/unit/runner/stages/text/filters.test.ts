import { describe, it, expect } from 'vitest';
import { getFilter, listFilters, type DocumentFilter } from '../../../../../runner/stages/text/filters/document-filter.js';
import '../../../../../runner/stages/text/score-filter.js';

function f(type: string, raw: Record<string, unknown> = {}): DocumentFilter {
  const def = getFilter(type);
  return def.create(def.params.parse(raw));
}
const score = (type: string, text: string, raw: Record<string, unknown> = {}) => f(type, raw).score_document(text);

describe('filter registry', () => {
  it('lists the heuristic filters and rejects unknown types with a hint', () => {
    const types = listFilters().map((d) => d.type);
    expect(types).toContain('WordCountFilter');
    expect(types).toContain('RepeatingDuplicateNGramsFilter');
    expect(types).toHaveLength(22);
    expect(() => getFilter('WordCountFiltr')).toThrow(/unknown filter type "WordCountFiltr" \(did you mean "WordCountFilter"\?\)/);
  });
  it('rejects unknown parameters', () => {
    expect(() => getFilter('WordCountFilter').params.parse({ min_word: 3 })).toThrow();
  });
});

describe('character ratio filters', () => {
  it('NonAlphaNumericFilter', () => {
    expect(score('NonAlphaNumericFilter', 'ab c!')).toBeCloseTo(1 / 5);
    expect(score('NonAlphaNumericFilter', '')).toBe(1);
    expect(score('NonAlphaNumericFilter', '   ')).toBe(1);
    expect(score('NonAlphaNumericFilter', 'héllo')).toBeCloseTo(1 / 5);
    expect(score('NonAlphaNumericFilter', '😀a')).toBeCloseTo(1 / 2);
    const g = f('NonAlphaNumericFilter');
    expect(g.name).toBe('alpha_numeric');
    expect([g.keep_document(0.25), g.keep_document(0.26)]).toEqual([true, false]);
  });
  it('NumbersFilter', () => {
    expect(score('NumbersFilter', 'a1b2')).toBeCloseTo(0.5);
    expect(score('NumbersFilter', '٣x')).toBeCloseTo(0.5);
    expect(score('NumbersFilter', '')).toBe(1);
    const g = f('NumbersFilter', { max_number_to_text_ratio: 0.5 });
    expect([g.keep_document(0.5), g.keep_document(0.51)]).toEqual([true, false]);
  });
  it('UrlsFilter', () => {
    expect(score('UrlsFilter', 'see http://a.io x')).toBeCloseTo(11 / 17);
    expect(score('UrlsFilter', 'no links')).toBe(0);
    expect(score('UrlsFilter', '')).toBe(1);
    expect(score('UrlsFilter', 'ab XYZ', { url_regex: 'XYZ' })).toBeCloseTo(3 / 6);
    expect(f('UrlsFilter').keep_document(0.2)).toBe(true);
    expect(f('UrlsFilter').keep_document(0.21)).toBe(false);
  });
  it('WhiteSpaceFilter counts tab, newline, CR, backspace and space without stripping', () => {
    expect(score('WhiteSpaceFilter', ' a\tb\n\r\b')).toBeCloseTo(5 / 7);
    expect(score('WhiteSpaceFilter', '   ')).toBe(1);
    expect(score('WhiteSpaceFilter', '')).toBe(1);
    expect(score('WhiteSpaceFilter', 'word')).toBe(0);
  });
  it('ParenthesesFilter', () => {
    expect(score('ParenthesesFilter', '(a)⟨b⟩')).toBeCloseTo(4 / 6);
    expect(score('ParenthesesFilter', '')).toBe(1);
    expect(f('ParenthesesFilter').keep_document(0.1)).toBe(true);
    expect(f('ParenthesesFilter').keep_document(0.11)).toBe(false);
  });
});

describe('word filters', () => {
  it('WordCountFilter', () => {
    expect(score('WordCountFilter', '  one two\nthree ')).toBe(3);
    expect(score('WordCountFilter', '')).toBe(0);
    expect(score('WordCountFilter', ' \n\t ')).toBe(0);
    expect(score('WordCountFilter', 'один')).toBe(1);
    const g = f('WordCountFilter');
    expect([g.keep_document(49), g.keep_document(50), g.keep_document(100000), g.keep_document(100001)]).toEqual([false, true, true, false]);
  });
  it('LongWordFilter', () => {
    expect(score('LongWordFilter', 'a abcd ab')).toBe(4);
    expect(score('LongWordFilter', '')).toBe(0);
    expect(score('LongWordFilter', 'x'.repeat(5000))).toBe(5000);
    expect(f('LongWordFilter').keep_document(1000)).toBe(true);
    expect(f('LongWordFilter').keep_document(1001)).toBe(false);
  });
  it('MeanWordLengthFilter', () => {
    expect(score('MeanWordLengthFilter', 'ab abcd')).toBe(3);
    expect(score('MeanWordLengthFilter', '')).toBe(0);
    expect(score('MeanWordLengthFilter', '日本語')).toBe(3);
    const g = f('MeanWordLengthFilter');
    expect([g.keep_document(2.9), g.keep_document(3), g.keep_document(10), g.keep_document(10.1)]).toEqual([false, true, true, false]);
  });
  it('CommonEnglishWordsFilter stops at the minimum unless told not to', () => {
    expect(score('CommonEnglishWordsFilter', 'the cat and the dog')).toBe(2);
    expect(score('CommonEnglishWordsFilter', 'the cat and the dog', { stop_at_false: false })).toBe(3);
    expect(score('CommonEnglishWordsFilter', 'The And')).toBe(0);
    expect(score('CommonEnglishWordsFilter', '')).toBe(0);
    expect(f('CommonEnglishWordsFilter').keep_document(2)).toBe(true);
    expect(f('CommonEnglishWordsFilter').keep_document(1)).toBe(false);
  });
  it('WordsWithoutAlphabetsFilter', () => {
    expect(score('WordsWithoutAlphabetsFilter', 'a1 22 слово ...')).toBeCloseTo(2 / 4);
    expect(score('WordsWithoutAlphabetsFilter', '')).toBe(0);
    expect(f('WordsWithoutAlphabetsFilter').keep_document(0.8)).toBe(true);
    expect(f('WordsWithoutAlphabetsFilter').keep_document(0.79)).toBe(false);
  });
  it('SymbolsToWordsFilter counts ellipsis words and "#" runs, not "#" characters', () => {
    expect(score('SymbolsToWordsFilter', '... # ### #a a')).toBeCloseTo(2 / 5);
    expect(score('SymbolsToWordsFilter', '')).toBe(1);
  });
});

describe('line filters', () => {
  it('BulletsFilter ignores blank lines', () => {
    expect(score('BulletsFilter', '• a\n\n  ● b\nc\n   ')).toBeCloseTo(2 / 3);
    expect(score('BulletsFilter', '')).toBe(1);
    expect(f('BulletsFilter').keep_document(0.9)).toBe(true);
    expect(f('BulletsFilter').keep_document(0.91)).toBe(false);
  });
  it('PunctuationFilter', () => {
    expect(score('PunctuationFilter', 'Done.\nnot done\n"quoted"  \nwhat?')).toBeCloseTo(1 / 4);
    expect(score('PunctuationFilter', 'x'.repeat(10000))).toBe(1);
    expect(score('PunctuationFilter', '\n\n')).toBe(1);
  });
  it('EllipsisFilter lower-cases the line', () => {
    expect(score('EllipsisFilter', 'wait...\nRead More\nok')).toBeCloseTo(2 / 3);
    expect(score('EllipsisFilter', '')).toBe(1);
    expect(f('EllipsisFilter').keep_document(0.3)).toBe(true);
    expect(f('EllipsisFilter').keep_document(0.31)).toBe(false);
  });
  it('Pornographic URLs and substrings', () => {
    expect(score('PornographicUrlsFilter', 'see https://porn.example x')).toBe(1);
    expect(score('PornographicUrlsFilter', 'porn but no url')).toBe(0);
    expect(f('PornographicUrlsFilter').keep_document(1)).toBe(false);
    expect(score('SubstringFilter', 'abc', { substring: 'ab', position: 'prefix' })).toBe(1);
    expect(score('SubstringFilter', 'abc', { substring: 'ab', position: 'suffix' })).toBe(0);
    expect(score('SubstringFilter', 'abc', { substring: 'b', position: 'any' })).toBe(1);
    expect(f('SubstringFilter', { substring: 'x', position: 'any' }).keep_document(0)).toBe(false);
  });
});

describe('repetition filters', () => {
  it('RepeatedLinesFilter and RepeatedLinesByCharFilter', () => {
    expect(score('RepeatedLinesFilter', 'a\na\nbb\n\n')).toBeCloseTo(2 / 3);
    expect(score('RepeatedLinesFilter', '')).toBe(0);
    expect(score('RepeatedLinesByCharFilter', 'a\na\nbb')).toBeCloseTo(3 / 4);
    expect(score('RepeatedLinesByCharFilter', '')).toBe(0);
    expect(f('RepeatedLinesFilter').keep_document(0.7)).toBe(true);
    expect(f('RepeatedLinesFilter').keep_document(0.69)).toBe(false);
  });
  it('RepeatedParagraphsFilter and ByChar', () => {
    expect(score('RepeatedParagraphsFilter', 'p1\n\np1\n\npp2')).toBeCloseTo(2 / 3);
    expect(score('RepeatedParagraphsFilter', '')).toBe(1);
    expect(score('RepeatedParagraphsByCharFilter', 'p1\n\np1\n\npp2')).toBeCloseTo(5 / 7);
    expect(score('RepeatedParagraphsByCharFilter', '')).toBe(0);
    expect(f('RepeatedParagraphsByCharFilter').keep_document(0.8)).toBe(true);
    expect(f('RepeatedParagraphsByCharFilter').keep_document(0.79)).toBe(false);
  });
  it('RepeatingTopNGramsFilter', () => {
    // top bigram "a b" (twice); text "a b a b c" (9 chars) without it is "  c" (3 chars).
    expect(score('RepeatingTopNGramsFilter', 'a b a b c')).toBeCloseTo(6 / 9);
    // all bigrams once: the first one, "x y", is the top one; "x y z" loses 3 of 5 chars.
    expect(score('RepeatingTopNGramsFilter', 'x y z')).toBeCloseTo(3 / 5);
    expect(score('RepeatingTopNGramsFilter', 'one')).toBe(1);
    expect(score('RepeatingTopNGramsFilter', '')).toBe(1);
    expect(f('RepeatingTopNGramsFilter', { n: 3 }).name).toBe('repeating_top_3grams');
  });
  it('RepeatingDuplicateNGramsFilter', () => {
    // bigrams: ab cd, cd ab, ab cd (repeat: 2+2 + min(2,1)=5); total 5 / 11 chars.
    expect(score('RepeatingDuplicateNGramsFilter', 'ab cd ab cd')).toBeCloseTo(5 / 11);
    // "a a a": bigram "a a" twice; second is a repeat after overlap 0 → 1+1+1 = 3; 3/5.
    expect(score('RepeatingDuplicateNGramsFilter', 'a a a')).toBeCloseTo(3 / 5);
    // "a a a a": repeats at 2 (3) then overlap 1 → words[1:] = 1 + min(1,1) = 2 → 5/7.
    expect(score('RepeatingDuplicateNGramsFilter', 'a a a a')).toBeCloseTo(5 / 7);
    expect(score('RepeatingDuplicateNGramsFilter', 'x')).toBe(1);
    expect(score('RepeatingDuplicateNGramsFilter', 'x y z')).toBe(0);
    expect(f('RepeatingDuplicateNGramsFilter', { n: 5 }).name).toBe('repeating_dup_5gram');
  });
});

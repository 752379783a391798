import { z } from 'zod';
import { defineFilter } from '../document-filter.js';
import { charLen, countChars, lines, words } from './common.js';

const ratio = (d: number, what: string) => z.number().min(0).default(d).describe(what);

/** A character-ratio score: matching code points / length; empty text scores 1.0, as in NeMo Curator. */
function charRatio(text: string, test: (c: string) => boolean): number {
  const len = charLen(text);
  return len === 0 ? 1.0 : countChars(text, test) / len;
}

const ALNUM = /[a-zA-Z0-9\n?!,.]/;
defineFilter({
  type: 'NonAlphaNumericFilter',
  description: 'Share of characters outside [a-zA-Z0-9\\n?!,.]; keeps documents at or below the cutoff. Empty text scores 1.0.',
  params: z.object({ max_non_alpha_numeric_to_text_ratio: ratio(0.25, 'Highest share of non-alphanumeric characters to keep.') }).strict(),
  create: (p) => ({
    name: 'alpha_numeric',
    score_document: (text) => charRatio(text, (c) => !ALNUM.test(c)),
    keep_document: (s) => s <= p.max_non_alpha_numeric_to_text_ratio,
  }),
});

defineFilter({
  type: 'NumbersFilter',
  description: 'Share of Unicode decimal digits (\\p{Nd}) in the text; keeps documents at or below the cutoff. Empty text scores 1.0.',
  params: z.object({ max_number_to_text_ratio: ratio(0.15, 'Highest share of digit characters to keep.') }).strict(),
  create: (p) => ({
    name: 'numbers_ratio',
    score_document: (text) => charRatio(text, (c) => /\p{Nd}/u.test(c)),
    keep_document: (s) => s <= p.max_number_to_text_ratio,
  }),
});

/** NeMo Curator's default URL pattern. */
export const DEFAULT_URL_REGEX = 'https?://(?:[A-Za-z0-9$\\-_@.&+/:=?#~]|[!*\\(\\),]|%[0-9A-Fa-f]{2})+';

defineFilter({
  type: 'UrlsFilter',
  description: 'Total length of URL matches / text length; keeps documents at or below the cutoff. Empty text scores 1.0.',
  params: z
    .object({
      max_url_to_text_ratio: ratio(0.2, 'Highest share of URL characters to keep.'),
      url_regex: z.string().optional().describe('A regular expression that replaces the default URL pattern.'),
    })
    .strict(),
  create: (p) => {
    const re = new RegExp(p.url_regex ?? DEFAULT_URL_REGEX, 'gu');
    return {
      name: 'urls_ratio',
      score_document: (text) => {
        const len = charLen(text);
        if (len === 0) return 1.0;
        let total = 0;
        for (const m of text.matchAll(re)) total += charLen(m[0]);
        return total / len;
      },
      keep_document: (s) => s <= p.max_url_to_text_ratio,
    };
  },
});

const WHITE = new Set(['\t', '\n', '\r', '\b', ' ']);
defineFilter({
  type: 'WhiteSpaceFilter',
  description: 'Share of tab, newline, carriage return, backspace and space characters (text not stripped); keeps documents at or below the cutoff. Empty text scores 1.0.',
  params: z.object({ max_white_space_ratio: ratio(0.25, 'Highest share of white space to keep.') }).strict(),
  create: (p) => ({
    name: 'white_space',
    score_document: (text) => charRatio(text, (c) => WHITE.has(c)),
    keep_document: (s) => s <= p.max_white_space_ratio,
  }),
});

const PARENS = new Set([...'{}⟨⟩[]()']);
defineFilter({
  type: 'ParenthesesFilter',
  description: 'Share of the characters {}⟨⟩[](); keeps documents at or below the cutoff. Empty text scores 1.0.',
  params: z.object({ max_parentheses_ratio: ratio(0.1, 'Highest share of parentheses to keep.') }).strict(),
  create: (p) => ({
    name: 'parentheses_ratio',
    score_document: (text) => charRatio(text, (c) => PARENS.has(c)),
    keep_document: (s) => s <= p.max_parentheses_ratio,
  }),
});

const lang = z.string().default('en').describe('Language of the text; only whitespace word splitting is supported, so other values split the same way.');

defineFilter({
  type: 'LongWordFilter',
  description: 'Length of the longest word; keeps documents at or below the cutoff. Text without words scores 0 (NeMo Curator raises there).',
  params: z.object({ max_word_length: z.number().min(0).default(1000).describe('Longest word length to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'max_word_length',
    score_document: (text) => words(text).reduce((m, w) => Math.max(m, charLen(w)), 0),
    keep_document: (s) => s <= p.max_word_length,
  }),
});

defineFilter({
  type: 'WordCountFilter',
  description: 'Number of words; keeps documents with min_words <= count <= max_words. Empty text has 0 words.',
  params: z
    .object({
      min_words: z.number().min(0).default(50).describe('Fewest words to keep.'),
      max_words: z.number().min(0).default(100000).describe('Most words to keep.'),
      lang,
    })
    .strict(),
  create: (p) => ({
    name: 'word_count',
    score_document: (text) => words(text).length,
    keep_document: (s) => p.min_words <= s && s <= p.max_words,
  }),
});

defineFilter({
  type: 'MeanWordLengthFilter',
  description: 'Mean length of the non-empty words; keeps documents with min <= mean <= max. Text without words scores 0 (NeMo Curator raises there).',
  params: z
    .object({
      min_mean_word_length: z.number().min(0).default(3).describe('Lowest mean word length to keep.'),
      max_mean_word_length: z.number().min(0).default(10).describe('Highest mean word length to keep.'),
      lang,
    })
    .strict(),
  create: (p) => ({
    name: 'mean_word_length',
    score_document: (text) => {
      const ws = words(text);
      return ws.length === 0 ? 0 : ws.reduce((a, w) => a + charLen(w), 0) / ws.length;
    },
    keep_document: (s) => p.min_mean_word_length <= s && s <= p.max_mean_word_length,
  }),
});

const BULLETS = ['•', '‣', '⁃', '⁌', '⁍', '∙', '○', '●', '◘', '◦', '⦾', '⦿'];
/** Share of non-blank lines that satisfy `test` on their stripped text; no lines scores 1.0. */
function lineRatio(text: string, test: (line: string) => boolean): number {
  const ls = lines(text);
  return ls.length === 0 ? 1.0 : ls.filter((l) => test(l.trim())).length / ls.length;
}

defineFilter({
  type: 'BulletsFilter',
  description: 'Share of non-blank lines that start with a bullet (• ‣ ⁃ ⁌ ⁍ ∙ ○ ● ◘ ◦ ⦾ ⦿); keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (NeMo Curator raises there).',
  params: z.object({ max_bullet_lines_ratio: ratio(0.9, 'Highest share of bullet lines to keep.') }).strict(),
  create: (p) => ({
    name: 'bullet_ratio',
    score_document: (text) => lineRatio(text, (l) => BULLETS.some((b) => l.startsWith(b))),
    keep_document: (s) => s <= p.max_bullet_lines_ratio,
  }),
});

const END_MARKS = ['.', '?', '!', '"', "'"];
defineFilter({
  type: 'PunctuationFilter',
  description: 'Share of non-blank lines that do not end with . ? ! " or \'; keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (NeMo Curator raises there).',
  params: z.object({ max_num_sentences_without_endmark_ratio: ratio(0.85, 'Highest share of lines without an end mark to keep.') }).strict(),
  create: (p) => ({
    name: 'punctuation',
    score_document: (text) => lineRatio(text, (l) => !END_MARKS.some((m) => l.endsWith(m))),
    keep_document: (s) => s <= p.max_num_sentences_without_endmark_ratio,
  }),
});

/** NeMo Curator's ellipsis marks. */
export const ELLIPSIS_MARKS = ['...', '[...]', '…', '(...)', '[…]', '-»', 'read more..', 'read more'];
defineFilter({
  type: 'EllipsisFilter',
  description: 'Share of non-blank lines whose lower-cased text ends with an ellipsis mark; keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (NeMo Curator raises there).',
  params: z.object({ max_num_lines_ending_with_ellipsis_ratio: ratio(0.3, 'Highest share of lines ending with an ellipsis to keep.') }).strict(),
  create: (p) => ({
    name: 'ellipsis',
    score_document: (text) => lineRatio(text, (l) => ELLIPSIS_MARKS.some((m) => l.toLowerCase().endsWith(m))),
    keep_document: (s) => s <= p.max_num_lines_ending_with_ellipsis_ratio,
  }),
});

const COMMON = new Set(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);
defineFilter({
  type: 'CommonEnglishWordsFilter',
  description: 'Number of words (case-sensitive) among the, be, to, of, and, that, have, with; with stop_at_false the count stops at the minimum. Keeps documents at or above the minimum.',
  params: z
    .object({
      min_num_common_words: z.number().min(0).default(2).describe('Fewest common English words to keep.'),
      stop_at_false: z.boolean().default(true).describe('Stop counting once the minimum is reached.'),
    })
    .strict(),
  create: (p) => ({
    name: 'common_english_words',
    score_document: (text) => {
      let n = 0;
      for (const w of words(text)) {
        if (COMMON.has(w)) n++;
        if (p.stop_at_false && n >= p.min_num_common_words) break;
      }
      return n;
    },
    keep_document: (s) => s >= p.min_num_common_words,
  }),
});

defineFilter({
  type: 'WordsWithoutAlphabetsFilter',
  description: 'Share of words that contain at least one Unicode letter; keeps documents at or above the cutoff. Text without words scores 0 (NeMo Curator raises there).',
  params: z.object({ min_words_with_alphabets: ratio(0.8, 'Lowest share of words with a letter to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'words_without_alphabets',
    score_document: (text) => {
      const ws = words(text);
      return ws.length === 0 ? 0 : ws.filter((w) => /\p{L}/u.test(w)).length / ws.length;
    },
    keep_document: (s) => s >= p.min_words_with_alphabets,
  }),
});

defineFilter({
  type: 'SymbolsToWordsFilter',
  description: 'Share of words that are an ellipsis mark or whose count of "#" runs exceeds half their length; keeps documents at or below the cutoff. Text without words scores 1.0 (NeMo Curator raises there).',
  params: z.object({ max_symbol_to_word_ratio: ratio(0.1, 'Highest share of symbol words to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'symbol_to_word',
    score_document: (text) => {
      const ws = words(text);
      if (ws.length === 0) return 1.0;
      const n = ws.filter((w) => ELLIPSIS_MARKS.includes(w) || (w.match(/#+/g)?.length ?? 0) / charLen(w) > 0.5).length;
      return n / ws.length;
    },
    keep_document: (s) => s <= p.max_symbol_to_word_ratio,
  }),
});

defineFilter({
  type: 'PornographicUrlsFilter',
  description: 'Scores 1 when any URL in the text contains "porn", else 0; keeps documents scoring other than 1.',
  params: z.object({ url_regex: z.string().optional().describe('A regular expression that replaces the default URL pattern.') }).strict(),
  create: (p) => {
    const re = new RegExp(p.url_regex ?? DEFAULT_URL_REGEX, 'gu');
    return {
      name: 'pornographic_urls',
      score_document: (text) => ([...text.matchAll(re)].some((m) => m[0].includes('porn')) ? 1 : 0),
      keep_document: (s) => s !== 1,
    };
  },
});

defineFilter({
  type: 'SubstringFilter',
  description: 'Scores 1 when the text has the substring at the given position (prefix, suffix or anywhere), else 0; keeps documents scoring 1.',
  params: z
    .object({
      substring: z.string().describe('The substring to look for.'),
      position: z.enum(['prefix', 'suffix', 'any']).describe('Where the substring must be.'),
    })
    .strict(),
  create: (p) => ({
    name: 'substring',
    score_document: (text) => {
      const hit = p.position === 'prefix' ? text.startsWith(p.substring) : p.position === 'suffix' ? text.endsWith(p.substring) : text.includes(p.substring);
      return hit ? 1 : 0;
    },
    keep_document: (s) => s === 1,
  }),
});

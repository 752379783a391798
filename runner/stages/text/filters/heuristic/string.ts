import { z } from 'zod';
import { defineNumericFilter } from '../document-filter.js';
import { charLen, codeTable, countCodes, lines, pyStrip, words } from './common.js';

/**
 * NeMo Curator's string heuristic filters (`stages/text/filters/heuristic/string.py`), with its
 * constructor parameters, defaults and `_name`s. Where NeMo Curator raises (division by zero on
 * text without words or lines), each description states the score given instead; it always
 * agrees with what current NeMo Curator returns where it guards the case.
 */

const ratio = (d: number, what: string) => z.number().min(0).default(d).describe(what);
const lang = z.string().default('en').describe('Language of the text; words are split on white space for every language (NeMo Curator uses jieba for "zh" and MeCab for "ja").');

/** A character-ratio score: matching characters / length in code points; empty text scores 1.0, as in NeMo Curator. */
function charRatio(text: string, table: Uint8Array): number {
  const len = charLen(text);
  return len === 0 ? 1.0 : countCodes(text, table) / len;
}

const ALNUM = codeTable('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n?!,.');
defineNumericFilter({
  type: 'NonAlphaNumericFilter',
  description: 'Share of characters outside [a-zA-Z0-9\\n?!,.]; keeps documents at or below the cutoff. Empty text scores 1.0 (removed).',
  params: z.object({ max_non_alpha_numeric_to_text_ratio: ratio(0.25, 'Highest share of non-alphanumeric characters to keep.') }).strict(),
  create: (p) => ({
    name: 'alpha_numeric',
    score_document: (text) => {
      const len = charLen(text);
      return len === 0 ? 1.0 : (len - countCodes(text, ALNUM)) / len;
    },
    keep_document: (s) => s <= p.max_non_alpha_numeric_to_text_ratio,
  }),
});

const DIGITS = codeTable('0123456789');
defineNumericFilter({
  type: 'NumbersFilter',
  description: "Share of the digits 0-9 in the text (NeMo Curator's [[:digit:]], which is ASCII only); keeps documents at or below the cutoff. Empty text scores 1.0 (removed).",
  params: z.object({ max_number_to_text_ratio: ratio(0.15, 'Highest share of digit characters to keep.') }).strict(),
  create: (p) => ({
    name: 'numbers_ratio',
    score_document: (text) => charRatio(text, DIGITS),
    keep_document: (s) => s <= p.max_number_to_text_ratio,
  }),
});

/** The default URL pattern. */
export const DEFAULT_URL_REGEX = 'https?://(?:[A-Za-z0-9$\\-_@.&+/:=?#~]|[!*\\(\\),]|%[0-9A-Fa-f]{2})+';

defineNumericFilter({
  type: 'UrlsFilter',
  description: 'Total length of URL matches / text length; keeps documents at or below the cutoff. Empty text scores 1.0 (removed).',
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

const WHITE = codeTable('\t\n\r\b ');
defineNumericFilter({
  type: 'WhiteSpaceFilter',
  description: 'Share of tab, newline, carriage return, backspace and space characters (text not stripped); keeps documents at or below the cutoff. Empty text scores 1.0 (removed).',
  params: z.object({ max_white_space_ratio: ratio(0.25, 'Highest share of white space to keep.') }).strict(),
  create: (p) => ({
    name: 'white_space',
    score_document: (text) => charRatio(text, WHITE),
    keep_document: (s) => s <= p.max_white_space_ratio,
  }),
});

const PARENS = codeTable('{}⟨⟩[]()');
defineNumericFilter({
  type: 'ParenthesesFilter',
  description: 'Share of the characters {}⟨⟩[](); keeps documents at or below the cutoff. Empty text scores 1.0 (removed).',
  params: z.object({ max_parentheses_ratio: ratio(0.1, 'Highest share of parentheses to keep.') }).strict(),
  create: (p) => ({
    name: 'parentheses_ratio',
    score_document: (text) => charRatio(text, PARENS),
    keep_document: (s) => s <= p.max_parentheses_ratio,
  }),
});

defineNumericFilter({
  type: 'LongWordFilter',
  description: 'Length of the longest word; keeps documents at or below the cutoff. Text without words scores max_word_length + 1 (removed), as current NeMo Curator does; older versions raised.',
  params: z.object({ max_word_length: z.number().min(0).default(1000).describe('Longest word length to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'max_word_length',
    score_document: (text) => {
      const ws = words(text);
      return ws.length === 0 ? p.max_word_length + 1 : ws.reduce((m, w) => Math.max(m, charLen(w)), 0);
    },
    keep_document: (s) => s <= p.max_word_length,
  }),
});

defineNumericFilter({
  type: 'WordCountFilter',
  description: 'Number of words (split on white space); keeps documents with min_words <= count <= max_words. Empty text has 0 words.',
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

defineNumericFilter({
  type: 'MeanWordLengthFilter',
  description: 'Mean length of the words; keeps documents with min <= mean <= max. Text without words scores 0.0 (removed), as current NeMo Curator does; older versions raised.',
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
      return ws.length === 0 ? 0.0 : ws.reduce((a, w) => a + charLen(w), 0) / ws.length;
    },
    keep_document: (s) => p.min_mean_word_length <= s && s <= p.max_mean_word_length,
  }),
});

/** Share of non-blank lines that satisfy `test` on their stripped text; no lines scores 1.0. */
function lineRatio(text: string, test: (line: string) => boolean): number {
  const ls = lines(text);
  if (ls.length === 0) return 1.0;
  let n = 0;
  for (const l of ls) if (test(pyStrip(l))) n++;
  return n / ls.length;
}

const BULLETS = ['•', '‣', '⁃', '⁌', '⁍', '∙', '○', '●', '◘', '◦', '⦾', '⦿'];
defineNumericFilter({
  type: 'BulletsFilter',
  description: 'Share of non-blank lines that start with a bullet (• ‣ ⁃ ⁌ ⁍ ∙ ○ ● ◘ ◦ ⦾ ⦿); keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (removed), as current NeMo Curator does; older versions raised.',
  params: z.object({ max_bullet_lines_ratio: ratio(0.9, 'Highest share of bullet lines to keep.') }).strict(),
  create: (p) => ({
    name: 'bullet_ratio',
    score_document: (text) => lineRatio(text, (l) => BULLETS.some((b) => l.startsWith(b))),
    keep_document: (s) => s <= p.max_bullet_lines_ratio,
  }),
});

const END_MARKS = ['.', '?', '!', '"', "'"];
defineNumericFilter({
  type: 'PunctuationFilter',
  description: 'Share of non-blank lines that do not end with . ? ! " or \'; keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (removed), as current NeMo Curator does; older versions raised.',
  params: z.object({ max_num_sentences_without_endmark_ratio: ratio(0.85, 'Highest share of lines without an end mark to keep.') }).strict(),
  create: (p) => ({
    name: 'punctuation',
    score_document: (text) => lineRatio(text, (l) => !END_MARKS.some((m) => l.endsWith(m))),
    keep_document: (s) => s <= p.max_num_sentences_without_endmark_ratio,
  }),
});

/** NeMo Curator's ellipsis marks. */
export const ELLIPSIS_MARKS = ['...', '[...]', '…', '(...)', '[…]', '-»', 'read more..', 'read more'];
const ELLIPSIS_SET = new Set(ELLIPSIS_MARKS);
defineNumericFilter({
  type: 'EllipsisFilter',
  description: 'Share of non-blank lines whose lower-cased text ends with an ellipsis mark (... […] … read more and the like); keeps documents at or below the cutoff. Text without non-blank lines scores 1.0 (removed), as current NeMo Curator does; older versions raised.',
  params: z.object({ max_num_lines_ending_with_ellipsis_ratio: ratio(0.3, 'Highest share of lines ending with an ellipsis to keep.') }).strict(),
  create: (p) => ({
    name: 'ellipsis',
    score_document: (text) =>
      lineRatio(text, (l) => {
        const lower = l.toLowerCase();
        return ELLIPSIS_MARKS.some((m) => lower.endsWith(m));
      }),
    keep_document: (s) => s <= p.max_num_lines_ending_with_ellipsis_ratio,
  }),
});

const COMMON = new Set(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);
defineNumericFilter({
  type: 'CommonEnglishWordsFilter',
  description: 'Number of words (case-sensitive) among the, be, to, of, and, that, have, with; with stop_at_false the count stops at the minimum. Keeps documents at or above the minimum. Empty text scores 0 (removed).',
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

const ALPHA = /\p{Alphabetic}/u;
defineNumericFilter({
  type: 'WordsWithoutAlphabetsFilter',
  description: "Share of words that contain at least one alphabetic character (Unicode Alphabetic, NeMo Curator's [[:alpha:]]: letters of every script, combining vowel signs, letter numerals); keeps documents at or above the cutoff. Text without words scores 0.0 (removed), as current NeMo Curator does; older versions raised.",
  params: z.object({ min_words_with_alphabets: ratio(0.8, 'Lowest share of words with a letter to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'words_without_alphabets',
    score_document: (text) => {
      const ws = words(text);
      if (ws.length === 0) return 0.0;
      let n = 0;
      for (const w of ws) if (ALPHA.test(w)) n++;
      return n / ws.length;
    },
    keep_document: (s) => s >= p.min_words_with_alphabets,
  }),
});

/** Number of runs of "#" in a word (NeMo Curator's `len(re.findall("#+", word))`). */
function hashRuns(w: string): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) === 35 && (i === 0 || w.charCodeAt(i - 1) !== 35)) n++;
  return n;
}

defineNumericFilter({
  type: 'SymbolsToWordsFilter',
  description: 'Share of words that are an ellipsis mark or whose count of "#" runs exceeds half their length (so "#" counts, "###" does not); keeps documents at or below the cutoff. Text without words scores 1.0 (removed), as current NeMo Curator does; older versions raised.',
  params: z.object({ max_symbol_to_word_ratio: ratio(0.1, 'Highest share of symbol words to keep.'), lang }).strict(),
  create: (p) => ({
    name: 'symbol_to_word',
    score_document: (text) => {
      const ws = words(text);
      if (ws.length === 0) return 1.0;
      let n = 0;
      for (const w of ws) if (ELLIPSIS_SET.has(w) || hashRuns(w) / charLen(w) > 0.5) n++;
      return n / ws.length;
    },
    keep_document: (s) => s <= p.max_symbol_to_word_ratio,
  }),
});

defineNumericFilter({
  type: 'PornographicUrlsFilter',
  description: 'Scores 1 when any URL in the text contains "porn", else 0; keeps documents scoring other than 1. Empty text scores 0 (kept).',
  params: z.object({ url_regex: z.string().optional().describe('A regular expression that replaces the default URL pattern.') }).strict(),
  create: (p) => {
    const re = new RegExp(p.url_regex ?? DEFAULT_URL_REGEX, 'gu');
    return {
      name: 'pornographic_urls_filter',
      score_document: (text) => {
        for (const m of text.matchAll(re)) if (m[0].includes('porn')) return 1;
        return 0;
      },
      keep_document: (s) => s !== 1,
    };
  },
});

defineNumericFilter({
  type: 'SubstringFilter',
  description: 'Scores 1 when the text has the substring at the given position (prefix, suffix or anywhere), else 0; keeps documents scoring 1. An empty substring is found everywhere.',
  params: z
    .object({
      substring: z.string().describe('The substring to look for.'),
      position: z.enum(['prefix', 'suffix', 'any']).describe('Where the substring must be.'),
    })
    .strict(),
  create: (p) => ({
    name: 'substring_filter',
    score_document: (text) => {
      const hit = p.position === 'prefix' ? text.startsWith(p.substring) : p.position === 'suffix' ? text.endsWith(p.substring) : text.includes(p.substring);
      return hit ? 1 : 0;
    },
    keep_document: (s) => s === 1,
  }),
});

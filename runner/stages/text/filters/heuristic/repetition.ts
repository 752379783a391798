import { z } from 'zod';
import { defineNumericFilter } from '../document-filter.js';
import { charLen, isBlank, lines, ngramIds, paragraphs, wordTable, words } from './common.js';

/**
 * NeMo Curator's repetition filters (`heuristic/repetition/repetition.py`, after Gopher). Where
 * NeMo Curator raises (division by zero on text without lines or characters), each description
 * states the score given instead.
 */

const ratio = (d: number, what: string) => z.number().min(0).default(d).describe(what);
const lang = z.string().default('en').describe('Language of the text; words are split on white space for every language (NeMo Curator uses jieba for "zh" and MeCab for "ja").');

/** |unique| / |all|; no items scores 0. */
function uniqueShare(items: string[]): number {
  return items.length === 0 ? 0 : new Set(items).size / items.length;
}

/** Length of the unique items concatenated / length of all items concatenated; total length 0 scores 0. */
function uniqueCharShare(items: string[]): number {
  let total = 0;
  for (const s of items) total += charLen(s);
  if (total === 0) return 0;
  let unique = 0;
  for (const s of new Set(items)) unique += charLen(s);
  return unique / total;
}

defineNumericFilter({
  type: 'RepeatedLinesFilter',
  description: 'Unique non-blank lines / non-blank lines; keeps documents at or above the cutoff. Text without non-blank lines scores 0.0 (removed; NeMo Curator raises there).',
  params: z.object({ max_repeated_line_fraction: ratio(0.7, 'Lowest share of unique lines to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_lines',
    score_document: (text) => uniqueShare(lines(text)),
    keep_document: (s) => s >= p.max_repeated_line_fraction,
  }),
});

defineNumericFilter({
  type: 'RepeatedParagraphsFilter',
  description: 'Unique paragraphs / paragraphs (split on "\\n\\n", nothing removed); keeps documents at or above the cutoff. Empty or whitespace-only text scores 0.0 (removed), as current NeMo Curator does.',
  params: z.object({ max_repeated_paragraphs_ratio: ratio(0.7, 'Lowest share of unique paragraphs to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_paragraphs',
    score_document: (text) => (isBlank(text) ? 0.0 : uniqueShare(paragraphs(text))),
    keep_document: (s) => s >= p.max_repeated_paragraphs_ratio,
  }),
});

defineNumericFilter({
  type: 'RepeatedLinesByCharFilter',
  description: 'Characters of the unique non-blank lines / characters of all non-blank lines; keeps documents at or above the cutoff. Text without non-blank lines scores 0.0 (removed; NeMo Curator raises there).',
  params: z.object({ max_repeated_lines_char_ratio: ratio(0.8, 'Lowest share of characters in unique lines to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_lines_char',
    score_document: (text) => uniqueCharShare(lines(text)),
    keep_document: (s) => s >= p.max_repeated_lines_char_ratio,
  }),
});

defineNumericFilter({
  type: 'RepeatedParagraphsByCharFilter',
  description: 'Characters of the unique paragraphs / characters of all paragraphs; keeps documents at or above the cutoff. Text whose paragraphs hold no characters (empty, or only "\\n\\n" separators) scores 0.0 (removed; NeMo Curator raises there).',
  params: z.object({ max_repeated_paragraphs_char_ratio: ratio(0.8, 'Lowest share of characters in unique paragraphs to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_paragraphs_char',
    score_document: (text) => uniqueCharShare(paragraphs(text)),
    keep_document: (s) => s >= p.max_repeated_paragraphs_char_ratio,
  }),
});

const n = z.number().int().min(1).default(2).describe('Words per n-gram.');

/** Non-overlapping occurrences of `s` in `text`, left to right (what Python's `text.replace(s, "")` removes). */
function occurrences(text: string, s: string): number {
  if (s === '') return 0;
  let count = 0;
  for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + s.length)) count++;
  return count;
}

/**
 * The most frequent word n-gram, joined by single spaces. Ties go to the n-gram that occurs first
 * in the text. NeMo Curator takes the first in Python's set order there, which changes from run to
 * run with the hash seed; this choice is fixed.
 */
export function topNGram(text: string, size: number): string {
  const { ids, count } = ngramIds(text, size);
  const freq = new Int32Array(count);
  for (const id of ids) freq[id] = (freq[id] as number) + 1;
  // Ids are numbered by first occurrence, so the smallest id among the most frequent occurs first.
  let best = 0;
  for (let id = 1; id < count; id++) if ((freq[id] as number) > (freq[best] as number)) best = id;
  const at = ids.indexOf(best);
  return words(text).slice(at, at + size).join(' ');
}

defineNumericFilter({
  type: 'RepeatingTopNGramsFilter',
  description:
    'Share of the text covered by the most frequent word n-gram (joined by spaces; every non-overlapping occurrence in the text counted); keeps documents at or below the cutoff. Fewer than n words scores 1.0 (removed). Ties go to the n-gram that occurs first (NeMo Curator picks by hash order, which varies between runs); an n-gram seen once still counts as the top one.',
  params: z.object({ n, max_repeating_ngram_ratio: ratio(0.2, 'Highest share covered by the top n-gram to keep.'), lang }).strict(),
  create: (p) => ({
    name: `repeating_top_${p.n}grams`,
    score_document: (text) => {
      if (words(text).length < p.n) return 1.0;
      const top = topNGram(text, p.n);
      return (occurrences(text, top) * charLen(top)) / charLen(text);
    },
    keep_document: (s) => s <= p.max_repeating_ngram_ratio,
  }),
});

defineNumericFilter({
  type: 'RepeatingDuplicateNGramsFilter',
  description: 'Characters in repeated word n-grams (overlapping repeats counted once, plus the spaces between their words) / text length; keeps documents at or below the cutoff. Fewer than n words scores 1.0 (removed).',
  params: z.object({ n, max_repeating_duplicate_ngram_ratio: ratio(0.2, 'Highest share of duplicated n-gram characters to keep.'), lang }).strict(),
  create: (p) => ({
    name: `repeating_dup_${p.n}gram`,
    score_document: (text) => {
      const size = p.n;
      if (words(text).length < size) return 1.0;
      const { ids, count } = ngramIds(text, size);
      const { lens } = wordTable(text);
      const seen = new Uint8Array(count);
      let total = 0;
      let overlap = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        if (seen[id] === 1) {
          for (let k = i + overlap; k < i + size; k++) total += lens[k] as number;
          total += Math.min(size - overlap, size - 1);
          overlap = size;
        } else seen[id] = 1;
        overlap = Math.max(overlap - 1, 0);
      }
      return total / charLen(text);
    },
    keep_document: (s) => s <= p.max_repeating_duplicate_ngram_ratio,
  }),
});

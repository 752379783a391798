import { z } from 'zod';
import { defineFilter } from '../document-filter.js';
import { charLen, lines, paragraphs, words } from './common.js';

const ratio = (d: number, what: string) => z.number().min(0).default(d).describe(what);
const lang = z.string().default('en').describe('Language of the text; only whitespace word splitting is supported, so other values split the same way.');

/** |unique| / |all|; no items scores 0. */
function uniqueShare(items: string[]): number {
  return items.length === 0 ? 0 : new Set(items).size / items.length;
}

/** Length of the unique items concatenated / length of all items concatenated; total length 0 scores 0. */
function uniqueCharShare(items: string[]): number {
  const total = items.reduce((a, s) => a + charLen(s), 0);
  if (total === 0) return 0;
  let unique = 0;
  for (const s of new Set(items)) unique += charLen(s);
  return unique / total;
}

defineFilter({
  type: 'RepeatedLinesFilter',
  description: 'Unique non-blank lines / non-blank lines; keeps documents at or above the cutoff. Text without non-blank lines scores 0 (NeMo Curator raises there).',
  params: z.object({ max_repeated_line_fraction: ratio(0.7, 'Lowest share of unique lines to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_lines',
    score_document: (text) => uniqueShare(lines(text)),
    keep_document: (s) => s >= p.max_repeated_line_fraction,
  }),
});

defineFilter({
  type: 'RepeatedParagraphsFilter',
  description: 'Unique paragraphs / paragraphs (split on "\\n\\n"); keeps documents at or above the cutoff. Empty text is one empty paragraph and scores 1.0.',
  params: z.object({ max_repeated_paragraphs_ratio: ratio(0.7, 'Lowest share of unique paragraphs to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_paragraphs',
    score_document: (text) => uniqueShare(paragraphs(text)),
    keep_document: (s) => s >= p.max_repeated_paragraphs_ratio,
  }),
});

defineFilter({
  type: 'RepeatedLinesByCharFilter',
  description: 'Characters of the unique non-blank lines / characters of all non-blank lines; keeps documents at or above the cutoff. Text without characters in lines scores 0 (NeMo Curator raises there).',
  params: z.object({ max_repeated_lines_char_ratio: ratio(0.8, 'Lowest share of characters in unique lines to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_lines_char',
    score_document: (text) => uniqueCharShare(lines(text)),
    keep_document: (s) => s >= p.max_repeated_lines_char_ratio,
  }),
});

defineFilter({
  type: 'RepeatedParagraphsByCharFilter',
  description: 'Characters of the unique paragraphs / characters of all paragraphs; keeps documents at or above the cutoff. Paragraphs without characters score 0 (NeMo Curator raises there).',
  params: z.object({ max_repeated_paragraphs_char_ratio: ratio(0.8, 'Lowest share of characters in unique paragraphs to keep.') }).strict(),
  create: (p) => ({
    name: 'repeated_paragraphs_char',
    score_document: (text) => uniqueCharShare(paragraphs(text)),
    keep_document: (s) => s >= p.max_repeated_paragraphs_char_ratio,
  }),
});

const n = z.number().int().min(1).default(2).describe('Words per n-gram.');

defineFilter({
  type: 'RepeatingTopNGramsFilter',
  description:
    'Share of the text covered by the most frequent word n-gram (joined by spaces, every non-overlapping occurrence removed); keeps documents at or below the cutoff. Fewer than n words scores 1.0. Ties go to the n-gram that occurs first.',
  params: z.object({ n, max_repeating_ngram_ratio: ratio(0.2, 'Highest share covered by the top n-gram to keep.'), lang }).strict(),
  create: (p) => ({
    name: `repeating_top_${p.n}grams`,
    score_document: (text) => {
      const ws = words(text);
      if (ws.length < p.n) return 1.0;
      const counts = new Map<string, number>();
      let top = '';
      let best = 0;
      for (let i = 0; i + p.n <= ws.length; i++) {
        const g = ws.slice(i, i + p.n).join(' ');
        const c = (counts.get(g) ?? 0) + 1;
        counts.set(g, c);
        if (c > best) [top, best] = [g, c];
      }
      const len = charLen(text);
      return (len - charLen(text.split(top).join(''))) / len;
    },
    keep_document: (s) => s <= p.max_repeating_ngram_ratio,
  }),
});

defineFilter({
  type: 'RepeatingDuplicateNGramsFilter',
  description: 'Characters in repeated word n-grams (overlaps counted once, plus separating spaces) / text length; keeps documents at or below the cutoff. Fewer than n words scores 1.0.',
  params: z.object({ n, max_repeating_duplicate_ngram_ratio: ratio(0.2, 'Highest share of duplicated n-gram characters to keep.'), lang }).strict(),
  create: (p) => ({
    name: `repeating_dup_${p.n}gram`,
    score_document: (text) => {
      const ws = words(text);
      if (ws.length < p.n) return 1.0;
      const counts = new Map<string, number>();
      let total = 0;
      let overlap = 0;
      for (let i = 0; i + p.n <= ws.length; i++) {
        const gram = ws.slice(i, i + p.n);
        const key = gram.join(' ');
        const c = (counts.get(key) ?? 0) + 1;
        counts.set(key, c);
        if (c > 1) {
          total += gram.slice(overlap).reduce((a, w) => a + charLen(w), 0) + Math.min(p.n - overlap, p.n - 1);
          overlap = p.n;
        }
        overlap = Math.max(overlap - 1, 0);
      }
      return total / charLen(text);
    },
    keep_document: (s) => s <= p.max_repeating_duplicate_ngram_ratio,
  }),
});

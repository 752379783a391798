import { z } from 'zod';
import { defineNumericFilter } from '../document-filter.js';
import { paragraphs } from './common.js';
import { classifyParagraph } from '../../boilerplate-strings.js';

/** Score of a document whose paragraphs mention lorem ipsum (placeholder text): the highest possible. */
const LOREM_IPSUM_SCORE = 1.0;

/**
 * NeMo Curator's `BoilerPlateStringFilter` score: 1.0 as soon as a paragraph (lower-cased) contains
 * "lorem ipsum"; otherwise the share of paragraphs that contain a policy substring. Paragraphs are
 * `text.split("\n\n")`, so there is always at least one and the score is always defined.
 */
export function boilerplateScore(text: string): number {
  const ps = paragraphs(text);
  let hits = 0;
  for (const p of ps) {
    const kind = classifyParagraph(p);
    if (kind === 'lorem_ipsum') return LOREM_IPSUM_SCORE;
    if (kind === 'policy') hits++;
  }
  return hits / ps.length;
}

defineNumericFilter({
  type: 'BoilerPlateStringFilter',
  description:
    'Share of paragraphs (split on "\\n\\n") that contain a policy or cookie-banner string such as "terms of use", "privacy policy" or "uses cookies" (lower-cased); 1.0 when any paragraph contains "lorem ipsum". Keeps documents at or below the cutoff. Empty text is one empty paragraph and scores 0.0 (kept). remove_if_at_top_or_bottom is accepted for compatibility but has no effect, as in NeMo Curator, which ignores it too.',
  params: z
    .object({
      remove_if_at_top_or_bottom: z.boolean().default(true).describe('Accepted for compatibility with NeMo Curator, which ignores it; it has no effect.'),
      max_boilerplate_string_ratio: z.number().min(0).default(0.4).describe('Highest share of boilerplate paragraphs to keep.'),
    })
    .strict(),
  create: (p) => ({
    name: 'boilerplate_string_ratio',
    score_document: boilerplateScore,
    keep_document: (s) => s <= p.max_boilerplate_string_ratio,
  }),
});

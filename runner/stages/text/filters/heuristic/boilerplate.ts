import { z } from 'zod';
import { defineNumericFilter } from '../document-filter.js';
import { paragraphs } from './common.js';

/**
 * NeMo Curator's `policy_substrings` (`stages/text/utils/constants.py`): cookie banners and policy
 * links, already lower-cased, looked for in each lower-cased paragraph.
 */
export const POLICY_SUBSTRINGS: readonly string[] = [
  'terms of use',
  'privacy policy',
  'cookie policy',
  'uses cookies',
  'privacy overview',
  'use of cookies',
  'use cookies',
  'privacy & cookies policy',
  'privacy and cookies policy',
  'this website uses cookies to improve your experience while you navigate through the website. out of these cookies, the cookies that are categorized as necessary are stored on your browser as they are essential for the working of basic functionalities of the website. we also use third-party cookies that help us analyze and understand how you use this website. these cookies will be stored in your browser only with your consent. you also have the option to opt-out of these cookies. but opting out of some of these cookies may have an effect on your browsing experience.',
  'necessary cookies are absolutely essential for the website to function properly. this category only includes cookies that ensures basic functionalities and security features of the website. these cookies do not store any personal information.',
  'any cookies that may not be particularly necessary for the website to function and is used specifically to collect user personal data via analytics, ads, other embedded contents are termed as non-necessary cookies. it is mandatory to procure user consent prior to running these cookies on your website.',
  'this site uses cookies, including for analytics, personalization, and advertising purposes. for more information or to change your cookie settings, click here.',
  'if you continue to browse this site without changing your cookie settings, you agree to this use. acceptread more',
];

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
  for (const raw of ps) {
    // NeMo Curator strips the paragraph first; stripping cannot change what it contains.
    const p = raw.toLowerCase();
    if (p.includes('lorem ipsum')) return LOREM_IPSUM_SCORE;
    if (POLICY_SUBSTRINGS.some((s) => p.includes(s))) hits++;
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

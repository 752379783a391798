import { z } from 'zod';
import { defineModifier } from './document-modifier.js';
import { pyStrip } from './string.js';

/**
 * NeMo Curator's `policy_substrings` (stages/text/utils/constants.py, adapted from Google's C4
 * cleaning): a paragraph that contains one of them, lower-cased, is boilerplate.
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
  'This website uses cookies to improve your experience while you navigate through the website. Out of these cookies, the cookies that are categorized as necessary are stored on your browser as they are essential for the working of basic functionalities of the website. We also use third-party cookies that help us analyze and understand how you use this website. These cookies will be stored in your browser only with your consent. You also have the option to opt-out of these cookies. But opting out of some of these cookies may have an effect on your browsing experience.',
  'Necessary cookies are absolutely essential for the website to function properly. This category only includes cookies that ensures basic functionalities and security features of the website. These cookies do not store any personal information.',
  'Any cookies that may not be particularly necessary for the website to function and is used specifically to collect user personal data via analytics, ads, other embedded contents are termed as non-necessary cookies. It is mandatory to procure user consent prior to running these cookies on your website.',
  'This site uses cookies, including for analytics, personalization, and advertising purposes. For more information or to change your cookie settings, click here.',
  'If you continue to browse this site without changing your cookie settings, you agree to this use. AcceptRead More',
].map((s) => s.toLowerCase());

/**
 * NeMo Curator's `is_paragraph_indices_in_top_or_bottom_only`: the (ascending) indices form one
 * contiguous run that starts at the first paragraph or ends at the last, and are not all of them.
 * (Its comment calls [0, 1, 9, 10] of 11 valid, but the code requires one run; the code is followed.)
 */
export function topOrBottomOnly(indices: number[], numParagraphs: number): boolean {
  if (indices.length === numParagraphs) return false;
  for (let i = 0; i + 1 < indices.length; i++) if ((indices[i] as number) + 1 !== indices[i + 1]) return false;
  return indices[0] === 0 || indices[indices.length - 1] === numParagraphs - 1;
}

defineModifier({
  type: 'BoilerPlateStringModifier',
  description:
    'Removes boilerplate paragraphs (split on "\\n\\n"; a paragraph is boilerplate when, stripped and lower-cased, it contains a policy string such as "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies" or "use cookies"). Any paragraph containing "lorem ipsum" empties the whole document. With remove_if_at_top_or_bottom, boilerplate paragraphs are dropped only when they form one run at the top or the bottom; otherwise the text is kept unchanged. Without it, any boilerplate empties the document.',
  params: z
    .object({
      remove_if_at_top_or_bottom: z
        .boolean()
        .default(true)
        .describe('Drop boilerplate paragraphs that form one run at the top or bottom of the text (kept unchanged otherwise); when false, any boilerplate paragraph empties the document.'),
    })
    .strict(),
  create: (p) => ({
    name: 'boilerplate_string_ratio',
    modify_document: (text) => {
      const paragraphs = text.split('\n\n');
      const boilerplate: number[] = [];
      for (let i = 0; i < paragraphs.length; i++) {
        const para = pyStrip(paragraphs[i] as string).toLowerCase();
        if (para.includes('lorem ipsum')) return '';
        if (POLICY_SUBSTRINGS.some((s) => para.includes(s))) {
          if (!p.remove_if_at_top_or_bottom) return '';
          boilerplate.push(i);
        }
      }
      if (boilerplate.length === 0 || !topOrBottomOnly(boilerplate, paragraphs.length)) return text;
      const drop = new Set(boilerplate);
      return paragraphs.filter((_, i) => !drop.has(i)).join('\n\n');
    },
  }),
});

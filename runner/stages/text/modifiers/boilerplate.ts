import { z } from 'zod';
import { defineModifier } from './document-modifier.js';
import { classifyParagraph } from '../boilerplate-strings.js';

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
        const kind = classifyParagraph(paragraphs[i] as string);
        if (kind === 'lorem_ipsum') return '';
        if (kind === 'policy') {
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

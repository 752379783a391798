import { z } from 'zod';
import { defineModifier } from './document-modifier.js';

/**
 * The string modifiers of NeMo Curator's `stages/text/modifiers/string/`, with the same rules.
 * Python's `re` and `str` semantics are kept where JavaScript differs: Python's `\s` (and
 * `str.isspace`) also covers U+001C–U+001F and U+0085 and not U+FEFF, and its `.` matches `\r`.
 */

/** Python's Unicode whitespace, as `\s` and `str.strip()` see it. */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

/** Python's `str.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}

const none = z.object({}).strict();

const THREE_OR_MORE_NEWLINES = /\n{3,}/g;
const THREE_OR_MORE_WINDOWS_NEWLINES = /(?:\r\n){3,}/g;
defineModifier({
  type: 'NewlineNormalizer',
  description: 'Replaces 3 or more consecutive newlines with two: "\\n{3,}" becomes "\\n\\n", then "(\\r\\n){3,}" becomes "\\r\\n\\r\\n".',
  params: none,
  create: () => ({
    name: 'NewlineNormalizer',
    modify_document: (text) => text.replace(THREE_OR_MORE_NEWLINES, '\n\n').replace(THREE_OR_MORE_WINDOWS_NEWLINES, '\r\n\r\n'),
  }),
});

const URL_REGEX = new RegExp(`https?://[^${PY_WS}]+|www\\.[^${PY_WS}]+`, 'gi');
defineModifier({
  type: 'UrlRemover',
  description: 'Removes every URL: matches of "https?://\\S+|www\\.\\S+" (case-insensitive) are deleted, nothing else changes.',
  params: none,
  create: () => ({ name: 'UrlRemover', modify_document: (text) => text.replace(URL_REGEX, '') }),
});

defineModifier({
  type: 'LineRemover',
  description: 'Removes the lines (split on "\\n") that are exactly equal to one of the patterns; other lines are kept in order.',
  params: z.object({ patterns: z.array(z.string()).describe('Whole lines to remove (exact, case-sensitive matches).') }).strict(),
  create: (p) => {
    const patterns = new Set(p.patterns);
    return {
      name: 'LineRemover',
      modify_document: (text) =>
        text
          .split('\n')
          .filter((line) => !patterns.has(line))
          .join('\n'),
    };
  },
});

defineModifier({
  type: 'QuotationRemover',
  description:
    'Removes the quotation marks around a whole document: when the stripped text is longer than 2 characters and the text starts and ends with ", the first and last characters are dropped, unless the text has several lines and its first line ends with ".',
  params: none,
  create: () => ({
    name: 'QuotationRemover',
    modify_document: (text) => {
      const stripped = pyStrip(text);
      if ([...stripped].length > 2 && text.startsWith('"') && text.endsWith('"')) {
        if (!stripped.includes('\n') || !(text.split('\n')[0] as string).endsWith('"')) return text.slice(1, -1);
      }
      return text;
    },
  }),
});

const bound = z.union([z.number().int(), z.string()]).nullable();
defineModifier({
  type: 'Slicer',
  description:
    'Keeps a slice of the text. left/right are character indices (negative counts from the end, as in Python) or marker strings: left cuts at the first occurrence of its marker, right at the last occurrence of its marker; a marker that does not occur makes the document empty. Strips the result when strip is set.',
  params: z
    .object({
      left: bound.default(0).describe('Start: an index (inclusive), or a string whose first occurrence starts the slice; null for the start of the text.'),
      right: bound.default(null).describe('End: an index (exclusive), or a string whose last occurrence ends the slice; null for the end of the text.'),
      include_left: z.boolean().default(true).describe('When left is a string, keep the marker itself in the result.'),
      include_right: z.boolean().default(true).describe('When right is a string, keep the marker itself in the result.'),
      strip: z.boolean().default(true).describe('Strip surrounding whitespace from the result.'),
    })
    .strict(),
  create: (p) => ({
    name: 'Slicer',
    modify_document: (text) => {
      let start: number;
      if (typeof p.left === 'number') start = unitIndex(text, p.left);
      else if (typeof p.left === 'string') {
        const at = text.indexOf(p.left);
        if (at === -1) return '';
        start = p.include_left ? at : at + p.left.length;
      } else start = 0;
      let end: number;
      if (typeof p.right === 'number') end = unitIndex(text, p.right);
      else if (typeof p.right === 'string') {
        const at = text.lastIndexOf(p.right);
        if (at === -1) return '';
        end = p.include_right ? at + p.right.length : at;
      } else end = text.length;
      const result = end > start ? text.slice(start, end) : '';
      return p.strip ? pyStrip(result) : result;
    },
  }),
});

const SURROGATE = /[\uD800-\uDFFF]/;
/** A Python slice bound (a code-point index, negative from the end, clamped) as a UTF-16 offset. */
function unitIndex(text: string, i: number): number {
  if (!SURROGATE.test(text)) return i < 0 ? Math.max(0, text.length + i) : Math.min(i, text.length);
  const cps = [...text];
  const cp = i < 0 ? Math.max(0, cps.length + i) : Math.min(i, cps.length);
  let units = 0;
  for (let k = 0; k < cp; k++) units += (cps[k] as string).length;
  return units;
}

// NeMo Curator's patterns, with Python's "." (anything but "\n") written out; applied line by line.
const MARKDOWN_BOLD = /\*\*([^\n]*?)\*\*/g;
const MARKDOWN_ITALIC = /\*([^\n]*?)\*/g;
const MARKDOWN_UNDERLINE = /_([^\n]*?)_/g;
const MARKDOWN_LINK = /\[[^\n]*?\]\(([^\n]*?)\)/g;
defineModifier({
  type: 'MarkdownRemover',
  description:
    'Removes Markdown emphasis line by line with NeMo Curator\'s patterns, in this order: **bold** and *italic* and _underline_ keep their inner text; a link [text](url) is replaced by its url (as NeMo Curator does).',
  params: none,
  create: () => ({
    name: 'MarkdownRemover',
    modify_document: (text) =>
      text
        .split('\n')
        .map((line) => line.replace(MARKDOWN_BOLD, '$1').replace(MARKDOWN_ITALIC, '$1').replace(MARKDOWN_UNDERLINE, '$1').replace(MARKDOWN_LINK, '$1'))
        .join('\n'),
  }),
});

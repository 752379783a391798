import { z } from 'zod';
import { defineModifier } from '../document-modifier.js';
import { fixEncoding } from './mojibake.js';
import { unescapeHtml } from './html.js';
import { fixC1Controls, fixCharacterWidth, fixLatinLigatures, fixLineBreaks, fixSurrogates, removeControlChars, removeTerminalEscapes, uncurlQuotes } from './fixes.js';

const flag = (d: boolean, what: string) => z.boolean().default(d).describe(what);

const params = z
  .object({
    unescape_html: z
      .union([z.literal('auto'), z.boolean()])
      .default('auto')
      .describe('Decode HTML entities such as &amp; and &#8217; (only those ending in ";"). "auto": on, but off from the first line containing "<" onwards (the text is then HTML whose entities should stay).'),
    remove_terminal_escapes: flag(true, 'Remove ANSI terminal escapes such as "\\x1b[31m".'),
    fix_encoding: flag(true, 'Repair mojibake: UTF-8 text that was decoded as Windows-1252 or Latin-1 ("cafÃ©" → "café"), repeatedly for double encoding.'),
    restore_byte_a0: flag(true, 'With fix_encoding, read a space as the byte 0xA0 (no-break space) where that completes a mojibake sequence ("Ã perturber" → "à perturber").'),
    decode_inconsistent_utf8: flag(true, 'With fix_encoding, also repair mojibake runs embedded in otherwise correct text.'),
    fix_c1_controls: flag(true, 'Read stray C1 control characters (U+0080–U+009F) as their Windows-1252 characters.'),
    fix_latin_ligatures: flag(false, 'Replace Latin ligatures such as "ﬁ" with their letters.'),
    fix_character_width: flag(false, 'Replace fullwidth Latin and halfwidth katakana with standard-width characters.'),
    uncurl_quotes: flag(false, 'Replace curly quotes with straight ones.'),
    fix_line_breaks: flag(false, 'Turn CRLF, CR, U+2028, U+2029 and U+0085 into "\\n".'),
    fix_surrogates: flag(true, 'Replace unpaired UTF-16 surrogates with U+FFFD.'),
    remove_control_chars: flag(true, 'Remove invisible control characters (ASCII controls other than tab, newline, form feed and carriage return; U+206A–U+206F; the byte order mark; U+FFF9–U+FFFC).'),
    normalization: z.enum(['NFC', 'NFD', 'NFKC', 'NFKD']).nullable().default(null).describe('Unicode normalization applied last; null for none (NeMo Curator\'s default).'),
    max_decode_length: z.number().int().min(1).default(1_000_000).describe('Longest piece (in UTF-16 units) fixed at once; longer lines are fixed in pieces.'),
  })
  .strict();

/** UnicodeReformatter's settings. */
export type UnicodeReformatterParams = z.output<typeof params>;

/** The fixers of one pass, in ftfy's order (after unescape_html and fix_encoding). */
const FIXERS: Array<[keyof UnicodeReformatterParams, (t: string) => string]> = [
  ['fix_c1_controls', fixC1Controls],
  ['fix_latin_ligatures', fixLatinLigatures],
  ['fix_character_width', fixCharacterWidth],
  ['uncurl_quotes', uncurlQuotes],
  ['fix_line_breaks', fixLineBreaks],
  ['fix_surrogates', fixSurrogates],
  ['remove_terminal_escapes', removeTerminalEscapes],
  ['remove_control_chars', removeControlChars],
];

/** Fixes one segment: every enabled fixer in order, repeated until the text stops changing (ftfy's `fix_and_explain`). */
function fixSegment(segment: string, p: UnicodeReformatterParams, html: boolean, fixers: Array<(t: string) => string>): string {
  let text = segment;
  for (let round = 0; round < 16; round++) {
    const before = text;
    if (html) text = unescapeHtml(text);
    if (p.fix_encoding) text = fixEncoding(text, { inconsistent: p.decode_inconsistent_utf8, restoreByteA0: p.restore_byte_a0 });
    for (const f of fixers) text = f(text);
    if (p.normalization !== null) text = text.normalize(p.normalization);
    if (text === before) break;
  }
  return text;
}

// Printable ASCII without "&", tabs and newlines: no fixer changes such text.
const NEEDS_WORK = /[^\t\n\x20-\x25\x27-\x7e]/;

/**
 * ftfy's `fix_text` for the fixers above: the text is fixed one line at a time (each piece ends
 * after a "\n", or at max_decode_length), and "auto" HTML unescaping switches off for good at the
 * first piece that contains "<".
 */
export function reformat(text: string, p: UnicodeReformatterParams): string {
  if (!NEEDS_WORK.test(text)) return p.normalization === null ? text : text.normalize(p.normalization);
  const fixers = FIXERS.filter(([k]) => p[k] === true).map(([, f]) => f);
  let html = p.unescape_html !== false;
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos) + 1;
    if (end === 0) end = text.length;
    if (end - pos > p.max_decode_length) {
      end = pos + p.max_decode_length;
      const c = text.charCodeAt(end);
      if (c >= 0xdc00 && c <= 0xdfff) end--;
    }
    const segment = text.slice(pos, end);
    if (p.unescape_html === 'auto' && html && segment.includes('<')) html = false;
    out.push(fixSegment(segment, p, html, fixers));
    pos = end;
  }
  return out.join('');
}

defineModifier({
  type: 'UnicodeReformatter',
  description:
    'Fixes broken Unicode with a documented subset of ftfy (the library NeMo Curator uses), line by line, with NeMo Curator\'s defaults: decodes HTML entities that end in ";" (unless the text contains "<"), repairs mojibake (UTF-8 read as Windows-1252 or Latin-1, including double encoding and runs inside correct text), maps stray C1 controls to Windows-1252, replaces unpaired surrogates, removes ANSI terminal escapes and invisible control characters. Optional: Latin ligatures, character width, curly quotes, line breaks, Unicode normalization (NFC/NFD/NFKC/NFKD). Not covered: encodings other than Windows-1252/Latin-1 (such as MacRoman or cp437), sequences partly replaced by "?" or "�", and HTML5-only entity names.',
  params,
  create: (p) => ({ name: 'UnicodeReformatter', modify_document: (text) => reformat(text, p) }),
});

import { CP1252_HIGH } from './mojibake.js';

/**
 * The character-level fixers of UnicodeReformatter, each ftfy's fixer of the same name with the
 * same character sets (ftfy `fixes.py` and `chardata.py`).
 */

const C1_CONTROL = /[\u0080-\u009f]/g;
/** C1 control characters (U+0080–U+009F) read as their Windows-1252 characters, as browsers do; the five Windows-1252 leaves undefined stay. */
export function fixC1Controls(text: string): string {
  return text.replace(C1_CONTROL, (c) => {
    const cp = CP1252_HIGH[c.charCodeAt(0) - 0x80] as number;
    return cp === -1 ? c : String.fromCharCode(cp);
  });
}

/** ftfy's LIGATURES: Latin typographic ligatures and the digraphs made for Cyrillic conversion. */
const LIGATURES: Record<string, string> = {
  Ĳ: 'IJ', ĳ: 'ij', ŉ: 'ʼn', Ǳ: 'DZ', ǲ: 'Dz', ǳ: 'dz', Ǆ: 'DŽ', ǅ: 'Dž', ǆ: 'dž', Ǉ: 'LJ', ǈ: 'Lj', ǉ: 'lj', Ǌ: 'NJ', ǋ: 'Nj', ǌ: 'nj',
  ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'ſt', ﬆ: 'st',
};
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');
/** Latin ligatures such as "ﬁ" become the letters they join ("fi"); ligatures of other scripts stay. */
export function fixLatinLigatures(text: string): string {
  return text.replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c);
}

/** ftfy's WIDTH_MAP: U+3000 → space, and each of U+FF01–U+FFEF whose NFKC form differs → that form. */
const WIDTH: Map<string, string> = (() => {
  const m = new Map<string, string>([['\u3000', ' ']]);
  for (let cp = 0xff01; cp < 0xfff0; cp++) {
    const c = String.fromCharCode(cp);
    const alt = c.normalize('NFKC');
    if (alt !== c) m.set(c, alt);
  }
  return m;
})();
const WIDTH_RE = /[\u3000\uff01-\uffef]/g;
/** Fullwidth Latin ("ＬＯＵＤ") and halfwidth katakana ("ﾀ") become their standard widths; U+3000 becomes a space. */
export function fixCharacterWidth(text: string): string {
  return text.replace(WIDTH_RE, (c) => WIDTH.get(c) ?? c);
}

const SINGLE_QUOTE = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTE = /[\u201c-\u201f]/g;
/** Curly quotes become straight: U+02BC and U+2018–U+201B → ', U+201C–U+201F → ". */
export function uncurlQuotes(text: string): string {
  return text.replace(DOUBLE_QUOTE, '"').replace(SINGLE_QUOTE, "'");
}

/** CRLF, CR, U+2028, U+2029 and U+0085 become "\n". */
export function fixLineBreaks(text: string): string {
  return text.replace(/\r\n|[\r\u2028\u2029\u0085]/g, '\n');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Unpaired UTF-16 surrogates become U+FFFD (paired ones already form their character in a JavaScript string). */
export function fixSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

// eslint-disable-next-line no-control-regex -- the escape character starts the sequence
const ANSI = /\u001b\[[\d;]*[a-zA-Z]/g;
/** ANSI terminal escapes ("\x1b[36;44m" and the like) are removed. */
export function removeTerminalEscapes(text: string): string {
  return text.replace(ANSI, '');
}

// eslint-disable-next-line no-control-regex -- these are the characters this fixer removes
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;
/**
 * Removes U+0000–U+0008, U+000B, U+000E–U+001F, U+007F, the deprecated Arabic format controls
 * U+206A–U+206F, the byte order mark U+FEFF and U+FFF9–U+FFFC. Kept, as in ftfy: tab, newline,
 * form feed, carriage return, C1 controls (clues for mojibake), joiners and direction marks.
 */
export function removeControlChars(text: string): string {
  return text.replace(CONTROL, '');
}

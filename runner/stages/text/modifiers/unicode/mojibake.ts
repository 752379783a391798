import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Mojibake repair for UnicodeReformatter's `fix_encoding`: text that was UTF-8 but was decoded as
 * Windows-1252 (or Latin-1), such as "cafÃ©" for "café" or "â€œhiâ€\u009d" for "“hi”". A precise
 * subset of ftfy's approach, applied to one line at a time:
 *
 * 1. Whole line: encode it back to Windows-1252 bytes (Latin-1 for the C1 characters and the five
 *    bytes Windows-1252 leaves undefined) and decode the bytes as strict UTF-8. The result is kept
 *    when every character could be encoded, the bytes are valid UTF-8, and the result has fewer
 *    mojibake clues (below) than the input. With `restore_byte_a0`, ftfy's rules for a space that
 *    stood for byte 0xA0 are applied to the bytes first ("Ã perturber" → "à perturber").
 * 2. Embedded runs (ftfy's `decode_inconsistent_utf8`): when the whole line does not decode (a line
 *    mixing correct accents with mojibake), each run of mojibake clues is decoded on its own. A run
 *    made of a single sequence is decoded only when it starts with Â, Ã, â or ð (the common
 *    Latin-1, punctuation and emoji cases), so that correct text such as "qué…”" is left alone;
 *    the same holds for a whole line whose only clue is such a sequence.
 *
 * A mojibake clue is what one UTF-8 character looks like in Windows-1252: a lead character followed
 * by the right number of continuation characters (those of bytes 0x80–0xBF). Two-byte leads are
 * limited to those of Latin, Greek, Cyrillic, Hebrew and Arabic letters (Â–É, Î, Ï, Ð, Ñ, ×–Û),
 * so that "Straße”" is not read as mojibake. C1 control characters also count as clues.
 * The caller repeats the fix until nothing changes, which undoes double encoding.
 */

/** Windows-1252 bytes 0x80–0x9F; -1 where it defines none (those bytes stay C1 characters). */
export const CP1252_HIGH: readonly number[] = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/** Character code → byte, for characters Windows-1252 or Latin-1 can encode. */
const TO_BYTE = new Map<number, number>();
for (let b = 0; b < 0x100; b++) TO_BYTE.set(b, b);
CP1252_HIGH.forEach((cp, i) => cp !== -1 && TO_BYTE.set(cp, 0x80 + i));

const hex = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;
/** Characters that stand for bytes 0x80–0xBF. */
const CONT = `\\u0080-\\u00bf${CP1252_HIGH.filter((c) => c !== -1).map(hex).join('')}`;
const LEAD2 = '\\u00c2-\\u00c9\\u00ce\\u00cf\\u00d0\\u00d1\\u00d7-\\u00db';
const LEAD3 = '\\u00e0-\\u00ef';
const LEAD4 = '\\u00f0-\\u00f4';
const SEQUENCE = `[${LEAD2}][${CONT}]|[${LEAD3}][${CONT}]{2}|[${LEAD4}][${CONT}]{3}`;
const CLUE = new RegExp(`${SEQUENCE}|[\\u0080-\\u009f]`, 'g');
const RUN = new RegExp(`(?:${SEQUENCE})+`, 'g');
const QUICK = new RegExp(`[${LEAD2}${LEAD3}${LEAD4}\\u0080-\\u009f]`);
const ONE_SEQUENCE = new RegExp(`^(?:${SEQUENCE})$`);
const SAFE_SINGLE = /^[\u00c2\u00c3\u00e2\u00f0]/;
const C1 = /[\u0080-\u009f]/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How many mojibake clues the text has. */
export function mojibakeClues(text: string): number {
  let n = 0;
  CLUE.lastIndex = 0;
  while (CLUE.exec(text) !== null) n++;
  return n;
}

/** The Windows-1252/Latin-1 bytes of the text as a binary string (one character per byte), or null when some character has none. */
function encode(text: string): string | null {
  const out: number[] = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = TO_BYTE.get(text.charCodeAt(i));
    if (b === undefined) return null;
    out[i] = b;
  }
  let bin = '';
  for (let i = 0; i < out.length; i += 8192) bin += String.fromCharCode(...out.slice(i, i + 8192));
  return bin;
}

// ftfy's A_GRAVE_WORD_RE and ALTERED_UTF8_RE, over bytes: sequences that would be UTF-8 if a space were byte 0xA0.
const A_GRAVE_WORD = /\xc3 (?! |quele|quela|quilo|s )/g;
const ALTERED_UTF8 = /[\xc2\xc3\xc5\xce\xd0\xd9] |[\xe2\xe3] [\x80-\x84\x86-\x9f\xa1-\xbf]|[\xe0-\xe3][\x80-\x84\x86-\x9f\xa1-\xbf] |\xf0 [\x80-\xbf][\x80-\xbf]|\xf0[\x80-\xbf] [\x80-\xbf]|\xf0[\x80-\xbf][\x80-\xbf] /g;

/** ftfy's `restore_byte_a0` on a binary string. */
function restoreByteA0(bin: string): string {
  return bin.replace(A_GRAVE_WORD, '\xc3\xa0 ').replace(ALTERED_UTF8, (m) => m.replace(/ /g, '\xa0'));
}

/** The text re-read as UTF-8, or null when it cannot be encoded or the bytes are not valid UTF-8. */
function reDecode(text: string, restore = false): string | null {
  let bin = encode(text);
  if (bin === null) return null;
  if (restore && bin.includes(' ')) bin = restoreByteA0(bin);
  try {
    return utf8.decode(Buffer.from(bin, 'latin1'));
  } catch {
    return null;
  }
}

/** What fixEncoding may do beyond the whole-line repair. */
export interface MojibakeOptions {
  /** Repair runs inside otherwise correct text (ftfy's `decode_inconsistent_utf8`). */
  inconsistent: boolean;
  /** Read a space as byte 0xA0 where that completes a UTF-8 sequence (ftfy's `restore_byte_a0`). */
  restoreByteA0: boolean;
}

/** One step of mojibake repair on one line (see the module comment); the text unchanged when nothing applies. */
export function fixEncodingStep(text: string, opts: MojibakeOptions): string {
  if (!QUICK.test(text)) return text;
  const clues = text.match(CLUE) ?? [];
  if (clues.length === 0) return text;
  // One clue from an uncommon lead ("é…”" in "qué…”") is not evidence enough on its own.
  const convincing = clues.length >= 2 || SAFE_SINGLE.test(clues[0] as string) || C1.test(clues[0] as string);
  const whole = convincing ? (reDecode(text) ?? (opts.restoreByteA0 ? reDecode(text, true) : null)) : null;
  if (whole !== null && whole !== text && mojibakeClues(whole) < clues.length) return whole;
  if (!opts.inconsistent) return text;
  return text.replace(RUN, (run) => {
    if (ONE_SEQUENCE.test(run) && !SAFE_SINGLE.test(run)) return run;
    const fixed = reDecode(run);
    return fixed === null || C1.test(fixed) ? run : fixed;
  });
}

/** Repairs mojibake until the text stops changing (double encoding takes two rounds). */
export function fixEncoding(text: string, opts: MojibakeOptions = { inconsistent: true, restoreByteA0: true }): string {
  for (let i = 0; i < 8; i++) {
    const next = fixEncodingStep(text, opts);
    if (next === text) return text;
    text = next;
  }
  return text;
}

/**
 * Text units of NeMo Curator's heuristic filters, as Python computes them: words are
 * `text.strip().split()`, lines are `text.split("\n")` without blank lines, paragraphs are
 * `text.split("\n\n")`, and lengths count code points.
 *
 * A chain of filters scores the same text one filter after another, so the units of the last text
 * seen are kept (one entry): the nine n-gram filters of the English chain split the words once.
 */

/** Python's `str.isspace()` characters: what `str.split()` splits on and `str.strip()` removes. */
const PY_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`);
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const NON_SPACE = new RegExp(`[^${PY_SPACE}]`);

/** Python's `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(STRIP, '');
}

/** True when the text is empty or only Python white space (`not text.strip()`). */
export function isBlank(text: string): boolean {
  return !NON_SPACE.test(text);
}

/** Length in code points, as Python's `len` counts a string (a lone surrogate counts one). */
export function charLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Counts the UTF-16 units of `text` whose code is marked in `table` (for sets of BMP characters). */
export function countCodes(text: string, table: Uint8Array): number {
  let n = 0;
  const max = table.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < max && table[c] === 1) n++;
  }
  return n;
}

/** A lookup table for `countCodes` marking the given BMP characters. */
export function codeTable(chars: string): Uint8Array {
  let max = 0;
  for (let i = 0; i < chars.length; i++) max = Math.max(max, chars.charCodeAt(i));
  const t = new Uint8Array(max + 1);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** Everything derived from one text, computed on first use. */
interface Units {
  text: string;
  words?: string[];
  lines?: string[];
  paragraphs?: string[];
  /** Per word: a dense id (by first occurrence) and the length in code points. */
  wordIds?: Int32Array;
  wordLens?: Int32Array;
  /** `ngramIds[n]`: for each start position, a dense id of the n-gram starting there (ids by first occurrence). */
  ngramIds?: Array<Int32Array | undefined>;
  ngramCounts?: Array<number | undefined>;
}

let last: Units = { text: '' };

function unitsOf(text: string): Units {
  if (last.text !== text) last = { text };
  return last;
}

/** Words: `text.strip().split()`; empty (or whitespace-only) text has no words. */
export function words(text: string): string[] {
  const u = unitsOf(text);
  if (!u.words) {
    const t = pyStrip(text);
    u.words = t === '' ? [] : t.split(SPACE_RUN);
  }
  return u.words;
}

/** Lines: `text.split('\n')` without blank (whitespace-only) lines. */
export function lines(text: string): string[] {
  const u = unitsOf(text);
  u.lines ??= text.split('\n').filter((l) => !isBlank(l));
  return u.lines;
}

/** Paragraphs: `text.split('\n\n')`, nothing removed. */
export function paragraphs(text: string): string[] {
  const u = unitsOf(text);
  u.paragraphs ??= text.split('\n\n');
  return u.paragraphs;
}

/** Word ids (equal words, equal ids; numbered by first occurrence) and word lengths in code points. */
export function wordTable(text: string): { ids: Int32Array; lens: Int32Array } {
  const u = unitsOf(text);
  if (!u.wordIds || !u.wordLens) {
    const ws = words(text);
    const ids = new Int32Array(ws.length);
    const lens = new Int32Array(ws.length);
    const seen = new Map<string, number>();
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i] as string;
      let id = seen.get(w);
      if (id === undefined) seen.set(w, (id = seen.size));
      ids[i] = id;
      lens[i] = charLen(w);
    }
    u.wordIds = ids;
    u.wordLens = lens;
  }
  return { ids: u.wordIds, lens: u.wordLens };
}

/** An open-addressing table of (left id, right id) → dense id, reused between calls up to KEPT_SLOTS slots. */
const KEPT_SLOTS = 1 << 16;
let slotLeft = new Int32Array(1024);
let slotRight = new Int32Array(1024);
let slotId = new Int32Array(1024);

/**
 * Dense ids of the pairs (left[i], right[i + offset]) for i < left.length - 1, numbered by first
 * occurrence; equal pairs get equal ids. A typed-array hash table: the pairs are exact keys, so
 * there are no collisions to go wrong, only probes.
 */
function pairIds(left: Int32Array, right: Int32Array, offset: number): [Int32Array, number] {
  const len = Math.max(0, left.length - 1);
  const ids = new Int32Array(len);
  // At most half full; only the slots this call uses are cleared.
  let size = 16;
  while (size < 2 * len) size *= 2;
  // Tables for long documents are not kept, so that one large document does not pin memory.
  const reuse = size <= KEPT_SLOTS;
  if (reuse && slotId.length < size) {
    slotLeft = new Int32Array(size);
    slotRight = new Int32Array(size);
    slotId = new Int32Array(size);
  }
  const lefts = reuse ? slotLeft : new Int32Array(size);
  const rights = reuse ? slotRight : new Int32Array(size);
  const idAt = reuse ? slotId : new Int32Array(size);
  const mask = size - 1;
  idAt.fill(-1, 0, size);
  let count = 0;
  for (let i = 0; i < len; i++) {
    const a = left[i] as number;
    const b = right[i + offset] as number;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) & mask;
    for (;;) {
      const id = idAt[h] as number;
      if (id === -1) {
        lefts[h] = a;
        rights[h] = b;
        idAt[h] = count;
        ids[i] = count++;
        break;
      }
      if (lefts[h] === a && rights[h] === b) {
        ids[i] = id;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return [ids, count];
}

/**
 * The word n-grams of a text as dense ids: `ids[i]` names the n-gram of words i..i+n-1, two
 * positions get the same id exactly when their n-grams are equal, and ids are numbered by first
 * occurrence (so the smallest id of a set is the n-gram that occurs first). `count` is the number
 * of distinct n-grams. Built level by level from the (n-1)-grams; keys are exact, so equal ids
 * always mean equal n-grams.
 */
export function ngramIds(text: string, n: number): { ids: Int32Array; count: number } {
  const u = unitsOf(text);
  const table = wordTable(text);
  u.ngramIds ??= [];
  u.ngramCounts ??= [];
  if (!u.ngramIds[1]) {
    u.ngramIds[1] = table.ids;
    let distinct = 0;
    for (const id of table.ids) distinct = Math.max(distinct, id + 1);
    u.ngramCounts[1] = distinct;
  }
  for (let k = 2; k <= n; k++) {
    if (u.ngramIds[k]) continue;
    // The k-gram at i is the (k-1)-gram at i followed by word i+k-1.
    const [ids, count] = pairIds(u.ngramIds[k - 1] as Int32Array, table.ids, k - 1);
    u.ngramIds[k] = ids;
    u.ngramCounts[k] = count;
  }
  return { ids: u.ngramIds[n] as Int32Array, count: u.ngramCounts[n] ?? 0 };
}

/** Length in code points, as Python's `len` counts a string. */
export function charLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Words: `text.trim().split(/\s+/)`; empty (or whitespace-only) text has no words. */
export function words(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Lines: `text.split('\n')` without blank (whitespace-only) lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Paragraphs: `text.split('\n\n')`, nothing removed. */
export function paragraphs(text: string): string[] {
  return text.split('\n\n');
}

/** Counts the code points of `text` for which `test` holds. */
export function countChars(text: string, test: (c: string) => boolean): number {
  let n = 0;
  for (const c of text) if (test(c)) n++;
  return n;
}

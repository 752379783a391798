/**
 * NeMo Curator's FastTextLangId score is the Python string `str([score, lang])`, e.g.
 * `"[0.9228463172912598, 'en']"`, written as is to the score field and parsed back (with `eval`) to
 * decide. These helpers write that exact text, so a NeMo Curator user's downstream code reading the
 * field keeps working, and read it back without evaluating anything.
 */

/** Python's `str.isspace()` characters, which `str.strip()` removes (JavaScript's `trim()` differs: \x1c-\x1f, \x85, \ufeff). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits as JavaScript's),
 * in fixed notation for decimal exponents -4 to 15 and scientific notation (`1e-05`) otherwise;
 * whole numbers keep `.0`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant = '', expPart = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expPart);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}.${frac || '0'}`;
}

/** Python's `repr(str)` for the label: single quotes unless the text holds a single quote and no double quote. */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string).replaceAll(q, `\\${q}`);
  return `${q}${body}${q}`;
}

/** `str([score, lang])` as Python prints it. */
export function langIdScoreString(score: number, lang: string): string {
  return `[${pyFloatRepr(score)}, ${pyStrRepr(lang)}]`;
}

const SCORE_STRING = /^\[\s*([^,\s]+)\s*,\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]$/s;

/**
 * Reads a `str([score, lang])` string back into its score and language, as NeMo Curator's
 * `keep_document` does with `eval`; null when the text has another shape.
 */
export function parseLangIdScore(s: string): { score: number; lang: string } | null {
  const m = SCORE_STRING.exec(s.trim());
  if (!m) return null;
  const raw = (m[1] as string).toLowerCase();
  const score = raw === 'nan' ? Number.NaN : raw === 'inf' ? Infinity : raw === '-inf' ? -Infinity : Number(raw);
  if (Number.isNaN(score) && raw !== 'nan') return null;
  const quoted = m[2] ?? m[3] ?? '';
  const lang = quoted.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  return { score, lang };
}

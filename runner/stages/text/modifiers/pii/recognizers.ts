/**
 * Pattern recognizers for PiiModifier, named after Presidio's entities (the library NeMo
 * Curator's PiiModifier uses). Each one is a precompiled pattern plus a validator (checksums and
 * allocation rules) so that look-alikes are left alone; see each entry for what it accepts.
 */

/** The entities this runner can find, in the order ties between equally long matches are settled. */
export const PII_ENTITIES = ['URL_WITH_CREDENTIALS', 'EMAIL_ADDRESS', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'UK_NINO', 'IP_ADDRESS', 'PHONE_NUMBER'] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

/** One found entity: UTF-16 offsets into the text. */
export interface PiiSpan {
  entity: PiiEntity;
  start: number;
  end: number;
}

interface Recognizer {
  entity: PiiEntity;
  /** Cheap test that the text can contain the entity at all. */
  quick: RegExp;
  pattern: RegExp;
  /** The span to keep for a match (possibly shortened), or null to reject it. */
  accept(m: RegExpExecArray, text: string): [number, number] | null;
}

const whole = (m: RegExpExecArray): [number, number] => [m.index, m.index + m[0].length];

/** Luhn checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let d = digits.charCodeAt(i) - 48;
    if (alt) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: the first four characters moved to the end, letters as 10–35, the number mod 97 is 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const c of s) {
    const v = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rem = (v > 9 ? rem * 100 + v : rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** Is the IPv6 candidate a well-formed address (eight groups, or fewer with one "::", an optional IPv4 tail)? */
export function ipv6Valid(s: string): boolean {
  if (!/\d/.test(s)) return false; // "add::feed" and the like are names more often than addresses
  let groups = 0;
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    if (!(v4[1] as string).split('.').every((o) => Number(o) <= 255 && !/^0\d/.test(o))) return false;
    s = s.slice(0, v4.index + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
    groups += 2;
  }
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const hexes = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
  if (!hexes.every((h) => /^[0-9A-Fa-f]{1,4}$/.test(h))) return false;
  groups += hexes.length;
  return parts.length === 2 ? groups <= 7 : groups === 8;
}

// Context words after which a dotted quad is a version or section number, not an address.
const NOT_AN_IP_BEFORE = /(?:\bv|\bversion|\bver\.?|\brelease|\bbuild|\bfirmware|\bsection|\bchapter|\bclause|\bfigure|\btable|\brule|§)\s*$/i;
const SSN_CONTEXT = /\b(?:ssn|social security)\b/i;
const FILE_EXTENSION_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'pdf', 'css', 'js', 'json', 'html', 'htm', 'txt', 'xml', 'csv', 'gz', 'zip']);
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

const RECOGNIZERS: Recognizer[] = [
  {
    // scheme://user:password@host..., the whole URL: a password must be present (ssh://git@host is not a credential).
    entity: 'URL_WITH_CREDENTIALS',
    quick: /:\/\//,
    pattern: /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#[\]]+:[^\s@/?#]+@[^\s/?#"'<>]+(?:[/?#][^\s"'<>]*)?/g,
    accept: (m) => {
      const trimmed = m[0].replace(/[.,;:!?)\]}]+$/, '');
      return [m.index, m.index + trimmed.length];
    },
  },
  {
    // local@domain.tld with an alphabetic top-level label; image names such as icon@2x.png are not
    // addresses, nor is the user part of a URL (ssh://git@host).
    entity: 'EMAIL_ADDRESS',
    quick: /@/,
    pattern: /(?<![A-Za-z0-9._%+-]|:\/\/)[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g,
    accept: (m) => (FILE_EXTENSION_TLDS.has((m[1] as string).toLowerCase()) ? null : whole(m)),
  },
  {
    // 13–19 digits, optionally in groups (first group of 4, then groups of 3–6, one kind of separator),
    // starting with 2–6 (the card networks' ranges) and passing the Luhn check.
    entity: 'CREDIT_CARD',
    quick: /\d{4}/,
    pattern: /(?<![\w.,/+-])\d(?:[ -]?\d){12,18}(?![\w/-]|[.,]\d)/g,
    accept: (m) => {
      const s = m[0];
      const seps = new Set(s.replace(/\d/g, ''));
      if (seps.size > 1) return null;
      if (seps.size === 1) {
        const groups = s.split(/[ -]/);
        if ((groups[0] as string).length !== 4 || groups.slice(1).some((g) => g.length < 3 || g.length > 6)) return null;
      }
      const digits = s.replace(/\D/g, '');
      return /^[2-6]/.test(digits) && luhnValid(digits) ? whole(m) : null;
    },
  },
  {
    // Two letters, two check digits, 11–30 letters or digits (optionally in groups of four), mod-97 check;
    // trailing groups are dropped until the check passes, so a following capitalised word does not spoil it.
    entity: 'IBAN_CODE',
    quick: /[A-Z]{2}\d{2}/,
    pattern: /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)/g,
    accept: (m) => {
      let s = m[0];
      while (s.replace(/ /g, '').length >= 15) {
        const compact = s.replace(/ /g, '');
        if (compact.length <= 34 && ibanValid(compact)) return [m.index, m.index + s.length];
        const cut = s.lastIndexOf(' ');
        if (cut < 0) return null;
        s = s.slice(0, cut);
      }
      return null;
    },
  },
  {
    // AAA-GG-SSSS with the allocation rules: area not 000, 666 or 9xx; group not 00; serial not 0000.
    // Written with spaces or without separators it counts only after "SSN" or "social security".
    entity: 'US_SSN',
    quick: /\d{3}/,
    pattern: /(?<![\w-])(?!000|666|9)\d{3}([- ]?)(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])/g,
    accept: (m, text) => (m[1] === '-' || SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 40), m.index)) ? whole(m) : null),
  },
  {
    // UK National Insurance number: two prefix letters (not D, F, I, Q, U or V; second letter not O;
    // not BG, GB, KN, NK, NT, TN or ZZ), six digits, suffix A–D; upper case, spaces optional.
    entity: 'UK_NINO',
    quick: /[A-Z]{2} ?\d{2}/,
    pattern: /(?<!\w)(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?: ?\d{2}){3} ?[A-D](?!\w)/g,
    accept: whole,
  },
  {
    // IPv4 (octets 0–255 without leading zeros, not part of a longer dotted number, not after
    // "version", "v", "section" and similar words) and IPv6 (checked by ipv6Valid).
    entity: 'IP_ADDRESS',
    quick: /\d\.\d|:/,
    pattern: new RegExp(`(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?!\\w|\\.\\d)|(?<![\\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:\\d{1,3}(?:\\.\\d{1,3}){3})?(?![\\w:]|\\.\\d)`, 'g'),
    accept: (m, text) => {
      if (m[0].includes(':')) return ipv6Valid(m[0]) ? whole(m) : null;
      return NOT_AN_IP_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index)) ? null : whole(m);
    },
  },
  {
    // International: "+", country code, then digit groups (spaces, dots, dashes, a bracketed group),
    // 8–15 digits in all (E.164); trailing groups beyond 15 digits are dropped.
    // North American: (NXX) NXX-XXXX or NXX-NXX-XXXX with one kind of separator, optional +1 / 1.
    // UK national: 0 then 9–10 digits in groups (020 7946 0958, (0113) 496 0000, 07700 900123).
    // Unseparated digit runs are not taken without "+" (order numbers and ids look the same).
    entity: 'PHONE_NUMBER',
    quick: /\d{3}/,
    pattern: new RegExp(
      [
        '(?<![\\w+.-])\\+[1-9](?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){1,8}',
        '(?<![\\w+.\\-/])(?:\\+?1[ .-]?)?(?:\\([2-9]\\d{2}\\)[ \\t]?[2-9]\\d{2}[ .-]\\d{4}|[2-9]\\d{2}([ .-])[2-9]\\d{2}\\1\\d{4})',
        '(?<![\\w+.\\-/(])(?:\\(0[1-35789]\\d{1,3}\\)|0[1-35789]\\d{1,3})[ -]\\d{3,4}[ -]?\\d{3,4}',
      ]
        .map((alt) => `${alt}(?![\\w-]|\\.\\d)`)
        .join('|'),
      'g',
    ),
    accept: (m) => {
      let s = m[0];
      const digits = (t: string) => t.match(/\d/g)?.length ?? 0;
      if (s.startsWith('0') || s.startsWith('(0')) return digits(s) >= 10 && digits(s) <= 11 ? whole(m) : null;
      if (!s.startsWith('+')) return whole(m);
      while (digits(s) > 15) s = s.replace(/[ .-]?(?:\(\d{1,4}\)|\d{1,5})$/, '');
      return digits(s) >= 8 ? [m.index, m.index + s.length] : null;
    },
  },
];

/** Every span of the chosen entities, overlaps settled: the longer match wins, then the earlier entity of PII_ENTITIES. */
export function findPii(text: string, entities: ReadonlySet<PiiEntity>): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const r of RECOGNIZERS) {
    if (!entities.has(r.entity) || !r.quick.test(text)) continue;
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(text); m !== null; m = r.pattern.exec(text)) {
      const span = r.accept(m, text);
      if (span && span[1] > span[0]) found.push({ entity: r.entity, start: span[0], end: span[1] });
    }
  }
  if (found.length < 2) return found;
  const rank = (e: PiiEntity) => PII_ENTITIES.indexOf(e);
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || rank(a.entity) - rank(b.entity) || a.start - b.start);
  const kept: PiiSpan[] = [];
  for (const s of found) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

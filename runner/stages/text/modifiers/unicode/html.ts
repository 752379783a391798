import { CP1252_HIGH } from './mojibake.js';

/**
 * UnicodeReformatter's `unescape_html`, after ftfy: only references that end in a semicolon are
 * decoded (so "this&not that" stays), numeric ones (`&#8217;`, `&#x2019;`) with Python's
 * `html.unescape` rules, named ones from the HTML 4 set of 252 entities plus `&apos;` (HTML5 only
 * adds rarer names; those stay as written). As in ftfy, an all-capitals form of a lower-case name
 * is read as the capital letter (`&EACUTE;` → É, `&SZLIG;` → SS).
 */

/** ISO-8859-1 names for U+00A0–U+00FF, in order. */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

/** The other HTML 4 entities (special characters, symbols, Greek), name=code point; `lang`/`rang` as HTML5 defines them. */
const OTHERS =
  'quot=34 amp=38 apos=39 lt=60 gt=62 OElig=338 oelig=339 Scaron=352 scaron=353 Yuml=376 fnof=402 circ=710 tilde=732 ' +
  'Alpha=913 Beta=914 Gamma=915 Delta=916 Epsilon=917 Zeta=918 Eta=919 Theta=920 Iota=921 Kappa=922 Lambda=923 Mu=924 Nu=925 Xi=926 Omicron=927 Pi=928 Rho=929 ' +
  'Sigma=931 Tau=932 Upsilon=933 Phi=934 Chi=935 Psi=936 Omega=937 alpha=945 beta=946 gamma=947 delta=948 epsilon=949 zeta=950 eta=951 theta=952 iota=953 kappa=954 ' +
  'lambda=955 mu=956 nu=957 xi=958 omicron=959 pi=960 rho=961 sigmaf=962 sigma=963 tau=964 upsilon=965 phi=966 chi=967 psi=968 omega=969 thetasym=977 upsih=978 piv=982 ' +
  'ensp=8194 emsp=8195 thinsp=8201 zwnj=8204 zwj=8205 lrm=8206 rlm=8207 ndash=8211 mdash=8212 lsquo=8216 rsquo=8217 sbquo=8218 ldquo=8220 rdquo=8221 bdquo=8222 ' +
  'dagger=8224 Dagger=8225 bull=8226 hellip=8230 permil=8240 prime=8242 Prime=8243 lsaquo=8249 rsaquo=8250 oline=8254 frasl=8260 euro=8364 image=8465 weierp=8472 ' +
  'real=8476 trade=8482 alefsym=8501 larr=8592 uarr=8593 rarr=8594 darr=8595 harr=8596 crarr=8629 lArr=8656 uArr=8657 rArr=8658 dArr=8659 hArr=8660 forall=8704 ' +
  'part=8706 exist=8707 empty=8709 nabla=8711 isin=8712 notin=8713 ni=8715 prod=8719 sum=8721 minus=8722 lowast=8727 radic=8730 prop=8733 infin=8734 ang=8736 ' +
  'and=8743 or=8744 cap=8745 cup=8746 int=8747 there4=8756 sim=8764 cong=8773 asymp=8776 ne=8800 equiv=8801 le=8804 ge=8805 sub=8834 sup=8835 nsub=8836 sube=8838 ' +
  'supe=8839 oplus=8853 otimes=8855 perp=8869 sdot=8901 lceil=8968 rceil=8969 lfloor=8970 rfloor=8971 lang=10216 rang=10217 loz=9674 spades=9824 clubs=9827 hearts=9829 diams=9830';

/** "&name;" → character, including the all-capitals forms. */
export const HTML_ENTITIES: ReadonlyMap<string, string> = (() => {
  const base = new Map<string, string>();
  LATIN1.split(' ').forEach((name, i) => base.set(name, String.fromCodePoint(0xa0 + i)));
  for (const pair of OTHERS.split(' ')) {
    const [name, cp] = pair.split('=') as [string, string];
    base.set(name, String.fromCodePoint(Number(cp)));
  }
  const out = new Map<string, string>();
  for (const [name, ch] of base) out.set(`&${name};`, ch);
  for (const [name, ch] of base) {
    const upper = `&${name.toUpperCase()};`;
    if (name === name.toLowerCase() && !out.has(upper)) out.set(upper, ch.toUpperCase());
  }
  return out;
})();

/** Python's `html._invalid_codepoints`: numeric references to these decode to nothing. */
function invalidCodepoint(n: number): boolean {
  return (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe;
}

/** A numeric character reference's text, as Python's `html.unescape` gives it; null when the reference is malformed. */
function numericRef(body: string): string | null {
  const m = /^#(?:([0-9]+)|[xX]([0-9a-fA-F]+))$/.exec(body);
  if (!m) return null;
  const n = m[1] !== undefined ? Number(m[1]) : parseInt(m[2] as string, 16);
  if (n === 0) return '\ufffd';
  if (n === 0x0d) return '\r';
  if (n >= 0x80 && n <= 0x9f) {
    const cp = CP1252_HIGH[n - 0x80] as number;
    return String.fromCodePoint(cp === -1 ? n : cp);
  }
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return '\ufffd';
  if (invalidCodepoint(n)) return '';
  return String.fromCodePoint(n);
}

const HTML_ENTITY_RE = /&#?[0-9A-Za-z]{1,24};/g;

/** Decodes HTML entities and character references that end in a semicolon (see the module comment). */
export function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(HTML_ENTITY_RE, (ref) => {
    const named = HTML_ENTITIES.get(ref);
    if (named !== undefined) return named;
    if (ref[1] === '#') return numericRef(ref.slice(1, -1)) ?? ref;
    return ref;
  });
}

import { describe, it, expect } from 'vitest';
import { buildModifier } from '../../../../../../runner/stages/text/modifiers/document-modifier.js';
import { HTML_ENTITIES } from '../../../../../../runner/stages/text/modifiers/unicode/html.js';
import '../../../../../../runner/stages/text/modify.js';

const fix = (text: string, params: Record<string, unknown> = {}) => buildModifier({ type: 'UnicodeReformatter', ...params }).modify_document(text);

describe('UnicodeReformatter: mojibake', () => {
  it('repairs the cases of NeMo Curator\'s own test (with uncurl_quotes)', () => {
    const cases: Array<[string, string]> = [
      ['\u00e2\u0153\u201d No problems', '✔ No problems'],
      ['The Mona Lisa doesn\u00c3\u0192\u00c2\u00a2\u00c3\u00a2\u00e2\u20ac\u0161\u00c2\u00ac\u00c3\u00a2\u00e2\u20ac\u017e\u00c2\u00a2t have eyebrows.', "The Mona Lisa doesn't have eyebrows."],
      ['l\u2019humanit\u00c3\u00a9', "l'humanité"],
      ['\u00c3 perturber la r\u00c3\u00a9flexion', 'à perturber la réflexion'],
      ['Clean document already.', 'Clean document already.'],
    ];
    for (const [input, want] of cases) expect(fix(input, { uncurl_quotes: true }), input).toBe(want);
  });
  it('repairs UTF-8 read as Windows-1252, including double encoding, CJK and emoji', () => {
    expect(fix('cafÃ©')).toBe('café');
    expect(fix('The Mona Lisa doesnâ€™t have eyebrows.')).toBe('The Mona Lisa doesn’t have eyebrows.');
    expect(fix('cafÃƒÂ©')).toBe('café');
    expect(fix('æ—¥æœ¬èªž')).toBe('日本語');
    expect(fix('ðŸ˜€ smile')).toBe('😀 smile');
    expect(fix('Â£100')).toBe('£100');
    expect(fix('ÐŸÑ€Ð¸Ð²ÐµÑ‚')).toBe('Привет');
  });
  it('restores multilingual text from its Windows-1252 and Latin-1 mojibake, leaving the clean text unchanged', () => {
    const texts = [
      '这座城市的公共图书馆每天早上九点开门，周末也对外开放。',
      'Учёные обнаружили, что некоторые виды птиц способны ориентироваться.',
      'افتتحت المدينة حديقة عامة جديدة على ضفاف النهر',
      '味噌汁を作るには、まず昆布と鰹節で出汁を取ります。',
      'Η Ελλάδα και το Αιγαίο — שלום עולם',
      'À la française: « déjà vu », naïveté, Œuvre, 20 € — “fin” 😀',
    ];
    for (const t of texts) {
      const bytes = Buffer.from(t, 'utf8');
      expect(fix(new TextDecoder('windows-1252').decode(bytes)), t).toBe(t);
      expect(fix(bytes.toString('latin1')), t).toBe(t);
      expect(fix(t), t).toBe(t);
    }
  });
  it('repairs mojibake runs inside otherwise correct text, only with decode_inconsistent_utf8', () => {
    const mixed = 'Café and â€œquotesâ€\u009d mixed';
    expect(fix(mixed)).toBe('Café and “quotes” mixed');
    expect(fix(mixed, { decode_inconsistent_utf8: false, fix_c1_controls: false })).toBe(mixed);
  });
  it('works line by line, so a mojibake line next to a correct one is still repaired', () => {
    expect(fix('naïve résumé\ncafÃ©\n')).toBe('naïve résumé\ncafé\n');
  });
  it('leaves correct text alone, including look-alike sequences', () => {
    for (const t of ['naïve résumé', 'Straße”', 'qué…”', '«café»', 'Ça va? Éé — ÀÖÜ', 'Ελληνικά και русский', '日本語のテキスト', 'SÃO PAULO, AMANHÃ É', 'Ã  la carte']) expect(fix(t), t).toBe(t);
  });
  it('does nothing with fix_encoding off', () => {
    expect(fix('cafÃ©', { fix_encoding: false })).toBe('cafÃ©');
  });
});

describe('UnicodeReformatter: HTML entities', () => {
  it('decodes entities that end in ";" and leaves the rest', () => {
    expect(fix('&lt;tag&gt; &amp; &quot;x&quot; &eacute;t&eacute; &hellip;')).toBe('<tag> & "x" été …');
    expect(fix('&#8217; &#x2019; &#x1F600; &#150; &#0;')).toBe('’ ’ 😀 – \ufffd');
    expect(fix('this&not that, &amp without semicolon, &unknownentity; &#xZZ; &#12a;')).toBe('this&not that, &amp without semicolon, &unknownentity; &#xZZ; &#12a;');
  });
  it('reads all-capitals forms of lower-case names as capitals, as ftfy does', () => {
    expect(fix('P&EACUTE;REZ BUNDESSTRA&SZLIG;E &ntilde; &Ntilde; &NTILDE; &nTILDE;')).toBe('PÉREZ BUNDESSTRASSE ñ Ñ Ñ &nTILDE;');
  });
  it('"auto" stops decoding from the first line that contains "<"; true always decodes; false never', () => {
    expect(fix('a &amp; b\n<p>&amp;</p>\nc &amp; d')).toBe('a & b\n<p>&amp;</p>\nc &amp; d');
    expect(fix('<p>&amp;</p>', { unescape_html: true })).toBe('<p>&</p>');
    expect(fix('a &amp; b', { unescape_html: false })).toBe('a &amp; b');
  });
  it('knows the HTML 4 entities plus &apos;, and their capital forms', () => {
    expect(HTML_ENTITIES.get('&yuml;')).toBe('ÿ');
    expect(HTML_ENTITIES.get('&nbsp;')).toBe('\u00a0');
    expect(HTML_ENTITIES.get('&diams;')).toBe('♦');
    expect(HTML_ENTITIES.get('&lang;')).toBe('⟨');
    expect(HTML_ENTITIES.get('&ETH;')).toBe('Ð'); // a real entity, not the capital form of &eth;
    expect(HTML_ENTITIES.get('&Sigma;')).toBe('Σ');
    expect(HTML_ENTITIES.get('&SIGMAF;')).toBe('Σ');
    const want: Record<string, string> = { '&Agrave;': 'À', '&thorn;': 'þ', '&OElig;': 'Œ', '&euro;': '€', '&rArr;': '⇒', '&larr;': '←', '&there4;': '∴', '&thetasym;': 'ϑ', '&apos;': "'", '&hearts;': '♥' };
    for (const [k, v] of Object.entries(want)) expect(HTML_ENTITIES.get(k), k).toBe(v);
  });
});

describe('UnicodeReformatter: character fixers', () => {
  it('removes control characters (keeping tab, newline, form feed, CR), the BOM and terminal escapes', () => {
    expect(fix('a\u0000b\u0007c\u000bd\u007fe\ufeff\t\n\f\r')).toBe('abcde\t\n\f\r');
    expect(fix('\u001b[36;44mblue\u001b[0m')).toBe('blue');
    expect(fix('\u001b[31mred', { remove_terminal_escapes: false, remove_control_chars: false })).toBe('\u001b[31mred');
  });
  it('maps stray C1 controls to Windows-1252 and replaces lone surrogates', () => {
    expect(fix('\u0093quoted\u0094 \u0080')).toBe('“quoted” €');
    expect(fix('x\ud800y')).toBe('x\ufffdy');
    expect(fix('😀')).toBe('😀');
  });
  it('applies the optional fixers only when asked (NeMo Curator\'s defaults are off)', () => {
    const text = 'ﬂuﬃest ＬＯＵＤ　ＮＯＩＳＥＳ “curly” ‘single’ a\r\nb\u2028c';
    expect(fix(text)).toBe(text);
    expect(fix(text, { fix_latin_ligatures: true, fix_character_width: true, uncurl_quotes: true, fix_line_breaks: true })).toBe('fluffiest LOUD NOISES "curly" \'single\' a\nb\nc');
    expect(fix('Ｕﾀｰﾝ', { fix_character_width: true })).toBe('Uターン');
  });
  it('normalizes only when normalization is set', () => {
    const decomposed = 'e\u0301';
    expect(fix(decomposed)).toBe(decomposed);
    expect(fix(decomposed, { normalization: 'NFC' })).toBe('é');
    expect(fix('é', { normalization: 'NFD' })).toBe(decomposed);
    expect(fix('10³ ﬁ', { normalization: 'NFKC' })).toBe('103 fi');
  });
  it('fixes long lines in pieces of max_decode_length without splitting a surrogate pair', () => {
    const text = 'a😀'.repeat(10) + ' cafÃ©';
    expect(fix(text, { max_decode_length: 2 })).toBe('a😀'.repeat(10) + ' café');
  });
  it('rejects unknown and unsupported parameters', () => {
    expect(() => buildModifier({ type: 'UnicodeReformatter', explain: false })).toThrow(/explain/);
    expect(() => buildModifier({ type: 'UnicodeReformatter', normalization: 'NFX' })).toThrow();
  });
});

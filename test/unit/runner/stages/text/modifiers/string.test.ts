import { describe, it, expect } from 'vitest';
import { buildModifier } from '../../../../../../runner/stages/text/modifiers/document-modifier.js';
import '../../../../../../runner/stages/text/modify.js';

const run = (type: string, text: string, params: Record<string, unknown> = {}) => buildModifier({ type, ...params }).modify_document(text);

describe('NewlineNormalizer', () => {
  it('turns 3+ newlines (and 3+ CRLFs) into two, leaving one or two alone', () => {
    expect(run('NewlineNormalizer', 'a\nb\n\nc\n\n\nd\n\n\n\n\ne')).toBe('a\nb\n\nc\n\nd\n\ne');
    expect(run('NewlineNormalizer', 'a\r\nb\r\n\r\nc\r\n\r\n\r\nd')).toBe('a\r\nb\r\n\r\nc\r\n\r\nd');
  });
});

describe('UrlRemover', () => {
  it('removes http(s) and www URLs in any case, up to the next whitespace', () => {
    for (const u of ['www.nvidia.com', 'http://www.nvidia.com', 'https://nvidia.com/a?b=c', 'HTTPS://WWW.NVIDIA.COM']) expect(run('UrlRemover', `This is a url: ${u}`)).toBe('This is a url: ');
    expect(run('UrlRemover', 'see https://x.org/a, then go')).toBe('see  then go');
  });
  it('leaves other text, such as git remotes, alone', () => {
    const t = 'This is not a url: git@github.com:NVIDIA/NeMo-Curator.git';
    expect(run('UrlRemover', t)).toBe(t);
  });
  it("stops at Python's whitespace, which includes U+0085 and U+001C", () => {
    expect(run('UrlRemover', 'a https://x.org\u0085b https://y.org\u001cc')).toBe('a \u0085b \u001cc');
  });
});

describe('LineRemover', () => {
  it('drops only lines exactly equal to a pattern', () => {
    expect(run('LineRemover', 'Keep this\nRemove me\nAlso keep this\nRemove me', { patterns: ['Remove me'] })).toBe('Keep this\nAlso keep this');
    expect(run('LineRemover', 'Remove me \nRemove me\n  Remove me\nsay Remove me', { patterns: ['Remove me'] })).toBe('Remove me \n  Remove me\nsay Remove me');
    expect(run('LineRemover', 'Line one\nDelete\nLine two\nRemove', { patterns: ['Delete', 'Remove'] })).toBe('Line one\nLine two');
    expect(run('LineRemover', 'Remove me', { patterns: ['Remove me'] })).toBe('');
  });
  it('requires patterns', () => {
    expect(() => buildModifier({ type: 'LineRemover' })).toThrow(/patterns/);
  });
});

describe('QuotationRemover', () => {
  it('strips quotes around a one-line text', () => {
    expect(run('QuotationRemover', '"Hello, World!"')).toBe('Hello, World!');
    expect(run('QuotationRemover', '"Hello,\nWorld!"')).toBe('Hello,\nWorld!');
  });
  it('keeps the quotes when they do not enclose the text, the text is short, or the first line ends with a quote', () => {
    for (const t of ['Hello, "World!"', '""', '   "Test Message"   ', '"Hello,"\nWorld!"']) expect(run('QuotationRemover', t), t).toBe(t);
    expect(run('QuotationRemover', '"a"')).toBe('a'); // three characters is enough
  });
});

describe('Slicer', () => {
  it('slices by indices, Python style (negative from the end, out of range clamps)', () => {
    expect(run('Slicer', 'Hello, world!', { left: 7, right: 12 })).toBe('world');
    expect(run('Slicer', 'abcdef', { left: -3 })).toBe('def');
    expect(run('Slicer', 'abcdef', { left: 1, right: -1 })).toBe('bcde');
    expect(run('Slicer', 'short', { left: 10 })).toBe('');
    expect(run('Slicer', 'abcdef', { left: 4, right: 2 })).toBe('');
  });
  it('counts indices in characters, not UTF-16 units', () => {
    expect(run('Slicer', '😀ab😀cd', { left: 1, right: 4 })).toBe('ab😀');
    expect(run('Slicer', '😀ab😀cd', { left: -2 })).toBe('cd');
  });
  it('slices from the first left marker to the last right marker, with or without them', () => {
    expect(run('Slicer', 'abcXYZdef', { left: 'XYZ' })).toBe('XYZdef');
    expect(run('Slicer', 'abcXYZdef', { left: 'XYZ', include_left: false })).toBe('def');
    expect(run('Slicer', 'abcXYZdef', { right: 'XYZ' })).toBe('abcXYZ');
    expect(run('Slicer', 'abcXYZdef', { right: 'XYZ', include_right: false })).toBe('abc');
    expect(run('Slicer', 'start middle end', { left: 'start', right: 'end', include_left: false, include_right: false })).toBe('middle');
    expect(run('Slicer', 'abc__def__ghi', { left: '__', right: '__' })).toBe('__def__');
  });
  it('empties the document when a marker is missing, and strips only when asked', () => {
    expect(run('Slicer', 'abcdef', { left: 'nonexistent' })).toBe('');
    expect(run('Slicer', 'abcdef', { right: 'nonexistent' })).toBe('');
    expect(run('Slicer', '   some text   ')).toBe('some text');
    expect(run('Slicer', '   some text   ', { strip: false })).toBe('   some text   ');
    expect(run('Slicer', 'x', { left: null, right: null })).toBe('x');
  });
  it('rejects non-integer indices', () => {
    expect(() => buildModifier({ type: 'Slicer', left: 1.5 })).toThrow();
  });
});

describe('MarkdownRemover', () => {
  it("removes bold, italic and underline, and replaces links by their URL, as NeMo Curator's patterns do", () => {
    expect(run('MarkdownRemover', 'This is **bold**, *italic*, and _underline_, check [Example](https://example.com)')).toBe('This is bold, italic, and underline, check https://example.com');
    expect(run('MarkdownRemover', 'This is **bold and *italic* inside** text.')).toBe('This is bold and italic inside text.');
    expect(run('MarkdownRemover', '**Bold****MoreBold**')).toBe('BoldMoreBold');
    expect(run('MarkdownRemover', '**Bold line**\n*Italic line*\n_Normal line_')).toBe('Bold line\nItalic line\nNormal line');
  });
  it('leaves unclosed markers, and never pairs markers across lines', () => {
    expect(run('MarkdownRemover', 'This is *italic text')).toBe('This is *italic text');
    expect(run('MarkdownRemover', 'a *b\nc* d')).toBe('a *b\nc* d');
  });
  it('pairs markers across a carriage return, as Python\'s "." does', () => {
    expect(run('MarkdownRemover', '*a\rb*')).toBe('a\rb');
  });
});

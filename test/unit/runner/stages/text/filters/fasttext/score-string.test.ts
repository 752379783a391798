import { describe, expect, it } from 'vitest';
import { langIdScoreString, parseLangIdScore, pyFloatRepr, pyStrip, pyStrRepr } from '../../../../../../../runner/stages/text/filters/fasttext/score-string.js';

describe("Python's repr, as NeMo Curator's str([score, lang]) prints", () => {
  it('prints floats as Python does (values checked against CPython 3)', () => {
    const cases: Array<[number, string]> = [
      [0.12450417876243591, '0.12450417876243591'],
      [0.98, '0.98'],
      [1, '1.0'],
      [0, '0.0'],
      [1.0000100135803223, '1.0000100135803223'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [123.5, '123.5'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [-0.5, '-0.5'],
      [Number.NaN, 'nan'],
    ];
    for (const [x, py] of cases) expect(pyFloatRepr(x), `repr(${x})`).toBe(py);
  });

  it('quotes strings as Python does', () => {
    expect(pyStrRepr('en')).toBe("'en'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr('a\\b')).toBe("'a\\\\b'");
  });

  it('writes and reads back the score string', () => {
    expect(langIdScoreString(0.9228463172912598, 'en')).toBe("[0.9228463172912598, 'en']");
    expect(langIdScoreString(1, 'eng_Latn')).toBe("[1.0, 'eng_Latn']");
    expect(parseLangIdScore("[0.9228463172912598, 'en']")).toEqual({ score: 0.9228463172912598, lang: 'en' });
    expect(parseLangIdScore('[1e-05, "zh"]')).toEqual({ score: 0.00001, lang: 'zh' });
    expect(parseLangIdScore("[nan, 'en']")?.score).toBeNaN();
    for (const bad of ['0.9', "[0.9]", "['en', 0.9]", "[x, 'en']", '']) expect(parseLangIdScore(bad), bad).toBeNull();
  });
});

describe("Python's str.strip()", () => {
  it('strips the characters str.isspace() accepts, not the byte-order mark', () => {
    expect(pyStrip(' \t\n\u00a0\u3000\x1c\x85 text \u2028\v\f\r')).toBe('text');
    expect(pyStrip('\ufefftext')).toBe('\ufefftext');
    expect(pyStrip('  a  b  ')).toBe('a  b');
  });
});

import { describe, it, expect } from 'vitest';
import { getFilter, type DocumentFilter } from '../../../../../runner/stages/text/filters/document-filter.js';
import { POLICY_SUBSTRINGS } from '../../../../../runner/stages/text/boilerplate-strings.js';
import { boilerplateScore } from '../../../../../runner/stages/text/filters/heuristic/boilerplate.js';
import '../../../../../runner/stages/text/filter-spec.js';

/** BoilerPlateStringFilter, from NeMo Curator's formula: lorem ipsum → 1.0, else policy paragraphs / paragraphs. */

function f(raw: Record<string, unknown> = {}): DocumentFilter<number> {
  const def = getFilter('BoilerPlateStringFilter');
  return def.create(def.params.parse(raw)) as DocumentFilter<number>;
}

describe('BoilerPlateStringFilter', () => {
  it("has NeMo Curator's name, parameters and defaults", () => {
    const def = getFilter('BoilerPlateStringFilter');
    expect(def.params.parse({})).toEqual({ remove_if_at_top_or_bottom: true, max_boilerplate_string_ratio: 0.4 });
    expect(f().name).toBe('boilerplate_string_ratio');
    expect(def.description).toMatch(/remove_if_at_top_or_bottom .*no effect/);
  });

  it('scores the share of paragraphs that hold a policy string, case-insensitively', () => {
    expect(boilerplateScore('Read our Privacy Policy.\n\nA real paragraph.\n\nAnother one.\n\nTerms of Use apply')).toBeCloseTo(2 / 4);
    expect(boilerplateScore('This site USES COOKIES.\n\nText.')).toBeCloseTo(1 / 2);
    expect(boilerplateScore('Just content.\n\nMore content.')).toBe(0);
    // A single newline does not start a paragraph.
    expect(boilerplateScore('privacy policy\nterms of use\nplain')).toBe(1);
  });

  it('scores 1.0 as soon as any paragraph mentions lorem ipsum', () => {
    expect(boilerplateScore('Fine text.\n\nLorem Ipsum dolor sit amet.\n\nMore.')).toBe(1);
    expect(boilerplateScore('lorem  ipsum')).toBe(0); // two spaces: not the phrase
  });

  it('knows every one of the policy strings, including the long cookie banners', () => {
    expect(POLICY_SUBSTRINGS).toHaveLength(14);
    for (const s of POLICY_SUBSTRINGS) {
      expect(s, 'stored lower-cased').toBe(s.toLowerCase());
      expect(boilerplateScore(`Intro.\n\n${s.toUpperCase()}`), s.slice(0, 30)).toBeCloseTo(1 / 2);
    }
    expect(POLICY_SUBSTRINGS.at(-1)).toBe('if you continue to browse this site without changing your cookie settings, you agree to this use. acceptread more');
  });

  it('keeps documents at or below the cutoff, whatever remove_if_at_top_or_bottom says', () => {
    for (const flag of [true, false]) {
      const g = f({ remove_if_at_top_or_bottom: flag });
      expect([g.keep_document(0.4), g.keep_document(0.41)]).toEqual([true, false]);
      // Boilerplate only at the top still counts by share, as in NeMo Curator.
      expect(g.score_document('Privacy policy\n\nbody\n\nbody two')).toBeCloseTo(1 / 3);
    }
    expect(f({ max_boilerplate_string_ratio: 0 }).keep_document(0)).toBe(true);
  });

  it('gives defined scores on edge cases: empty text is one empty paragraph', () => {
    expect(boilerplateScore('')).toBe(0);
    expect(boilerplateScore('\n\n')).toBe(0);
    expect(boilerplateScore('隐私政策\n\nسياسة الخصوصية\n\nПолитика конфиденциальности')).toBe(0);
    expect(boilerplateScore('x'.repeat(1 << 20))).toBe(0);
  });
});

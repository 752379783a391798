import { describe, it, expect } from 'vitest';
import { getModifier, listModifiers } from '../../../../../../runner/stages/text/modifiers/document-modifier.js';
import '../../../../../../runner/stages/text/modify.js';

describe('modifier registry', () => {
  it("lists NeMo Curator's modifiers by class name", () => {
    expect(listModifiers().map((d) => d.type)).toEqual([
      'BoilerPlateStringModifier',
      'LineRemover',
      'MarkdownRemover',
      'NewlineNormalizer',
      'PiiModifier',
      'QuotationRemover',
      'Slicer',
      'UnicodeReformatter',
      'UrlRemover',
    ]);
  });
  it('gives every modifier a description and strict, described parameters with defaults', () => {
    for (const def of listModifiers()) {
      expect(def.description.length, def.type).toBeGreaterThan(40);
      expect(def.params.safeParse({ no_such_param: 1 }).success, def.type).toBe(false);
      for (const [name, schema] of Object.entries(def.params.shape)) expect((schema as { description?: string }).description, `${def.type}.${name}`).toBeTruthy();
    }
  });
  it('names a close match for an unknown type', () => {
    expect(() => getModifier('UrlRemovr')).toThrow(/unknown modifier type "UrlRemovr" \(did you mean "UrlRemover"\?\)/);
  });
});

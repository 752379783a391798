import { describe, it, expect } from 'vitest';
import { buildModifier } from '../../../../../../runner/stages/text/modifiers/document-modifier.js';
import { topOrBottomOnly } from '../../../../../../runner/stages/text/modifiers/boilerplate.js';
import '../../../../../../runner/stages/text/modify.js';

const run = (text: string, params: Record<string, unknown> = {}) => buildModifier({ type: 'BoilerPlateStringModifier', ...params }).modify_document(text);

describe('BoilerPlateStringModifier', () => {
  it('is named like NeMo Curator\'s (boilerplate_string_ratio)', () => {
    expect(buildModifier({ type: 'BoilerPlateStringModifier' }).name).toBe('boilerplate_string_ratio');
  });
  it('drops boilerplate paragraphs that form one run at the top or at the bottom', () => {
    expect(run('Read our Privacy Policy.\n\nThis site Uses Cookies.\n\nReal text one.\n\nReal text two.')).toBe('Real text one.\n\nReal text two.');
    expect(run('Real text.\n\nMore text.\n\nTerms of Use apply.')).toBe('Real text.\n\nMore text.');
  });
  it('keeps the text unchanged when the boilerplate is in the middle, at both ends, or everywhere', () => {
    for (const t of ['Intro.\n\nCookie policy here.\n\nOutro.', 'privacy policy\n\nbody\n\nterms of use', 'privacy policy\n\nterms of use']) expect(run(t), t).toBe(t);
  });
  it('empties the document for "lorem ipsum" anywhere, or for any boilerplate without remove_if_at_top_or_bottom', () => {
    expect(run('Body.\n\nLorem Ipsum dolor sit amet.')).toBe('');
    expect(run('We use cookies.\n\nBody.', { remove_if_at_top_or_bottom: false })).toBe('');
    expect(run('Body only.', { remove_if_at_top_or_bottom: false })).toBe('Body only.');
  });
  it('matches the policy strings case-insensitively, inside longer paragraphs', () => {
    expect(run('By continuing you accept the TERMS OF USE of this site.\n\nBody.')).toBe('Body.');
    expect(run('Body.\n\nThe use of cookies is explained below.')).toBe('Body.');
  });
  it('follows NeMo Curator\'s top-or-bottom rule: one contiguous run touching an end, not all paragraphs', () => {
    expect(topOrBottomOnly([0, 1], 5)).toBe(true);
    expect(topOrBottomOnly([3, 4], 5)).toBe(true);
    expect(topOrBottomOnly([0, 1, 3, 4], 5)).toBe(false);
    expect(topOrBottomOnly([1, 2], 5)).toBe(false);
    expect(topOrBottomOnly([0, 1, 2], 3)).toBe(false);
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { getFilter, type DocumentFilter } from '../../../../../runner/stages/text/filters/document-filter.js';
import { MAX_RUN, countTokensLinear } from '../../../../../runner/stages/text/filters/token-count.js';
import '../../../../../runner/stages/text/filter-spec.js';

/** TokenCountFilter: NeMo Curator's min_tokens <= count <= max_tokens, counted with a bundled byte-pair encoding. */

function f(raw: Record<string, unknown> = {}): DocumentFilter<number> {
  const def = getFilter('TokenCountFilter');
  return def.create(def.params.parse(raw)) as DocumentFilter<number>;
}
let filter: DocumentFilter<number>;
beforeAll(async () => {
  filter = f();
  await filter.setup?.();
});

const CHINESE = '我们今天去公园散步，天气很好。孩子们在草地上玩耍，老人们在树下下棋；';

describe('TokenCountFilter', () => {
  it('defaults to o200k_base with no bounds, and takes no Hugging Face parameters', () => {
    const def = getFilter('TokenCountFilter');
    expect(def.params.parse({})).toEqual({ encoding: 'o200k_base', min_tokens: 0 });
    expect(() => def.params.parse({ hf_model_name: 'gpt2' })).toThrow();
    expect(() => def.params.parse({ encoding: 'llama' })).toThrow();
    expect(filter.name).toBe('token_count');
  });

  it('counts tokens of the chosen encoding', async () => {
    expect(filter.score_document('Hello world, this is a test.')).toBe(8);
    expect(filter.score_document('')).toBe(0);
    const cl = f({ encoding: 'cl100k_base' });
    await cl.setup?.();
    expect(cl.score_document('Hello world, this is a test.')).toBe(8);
    // cl100k splits Chinese into more tokens than o200k.
    expect(cl.score_document(CHINESE)).toBeGreaterThan(filter.score_document(CHINESE));
  });

  it('counts special-token text as one token instead of failing', () => {
    expect(filter.score_document('<|endoftext|>')).toBe(1);
    expect(filter.score_document('a <|endoftext|> b')).toBe(o200k('a <|endoftext|> b', { allowedSpecial: 'all' }));
  });

  it('says to call setup() when scoring before the encoding is loaded', () => {
    expect(() => f({ encoding: 'r50k_base' }).score_document('x')).toThrow(/TokenCountFilter: the r50k_base encoding is not loaded; call setup\(\)/);
  });

  it('keeps documents with min_tokens <= count <= max_tokens', () => {
    const g = f({ min_tokens: 2, max_tokens: 5 });
    expect([1, 2, 5, 6].map((n) => g.keep_document(n))).toEqual([false, true, true, false]);
    expect(filter.keep_document(0)).toBe(true);
    expect(filter.keep_document(10 ** 9)).toBe(true);
  });

  it('counts non-Latin scripts exactly as the encoding does', () => {
    for (const t of [CHINESE, 'مرحبا بالعالم، هذا نص قصير.', 'Привет, мир! Это короткий текст.', 'word']) {
      expect(filter.score_document(t), t).toBe(o200k(t));
    }
  });
});

describe('counting long runs without white space', () => {
  it('cuts runs into slices that cover the text exactly once', () => {
    const texts = ['x'.repeat(2500), `${'ab.'.repeat(900)} tail ${'y'.repeat(4001)}`, `😀${'😀'.repeat(1200)}`, 'short text'];
    for (const t of texts) expect(countTokensLinear(t, (s) => s.length)).toBe(t.length);
    expect(countTokensLinear('x'.repeat(2500), () => 1)).toBe(3);
    expect(countTokensLinear('x'.repeat(MAX_RUN), () => 1)).toBe(1);
    expect(countTokensLinear('', () => 1)).toBe(0);
    // No slice starts inside a surrogate pair.
    countTokensLinear('😀'.repeat(3000), (s) => {
      expect(s.charCodeAt(0) >= 0xdc00 && s.charCodeAt(0) <= 0xdfff).toBe(false);
      return 1;
    });
  });

  it('gives the exact count for long runs that have punctuation, such as Chinese without spaces', () => {
    const zh = CHINESE.repeat(700); // about 24,000 characters, no white space
    expect(zh.length).toBeGreaterThan(20 * MAX_RUN);
    expect(filter.score_document(zh)).toBe(o200k(zh));
    const path = Array.from({ length: 800 }, (_, i) => `segment${i}`).join('/');
    expect(filter.score_document(path)).toBe(o200k(path));
  });

  it('counts a 1 MiB line without spaces quickly, and the same way every time', () => {
    for (const t of ['x'.repeat(1 << 20), 'abcdefghij'.repeat(1 << 17), CHINESE.repeat(1 << 15).slice(0, 1 << 20)]) {
      const t0 = performance.now();
      const a = filter.score_document(t);
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(a).toBeGreaterThan(0);
      expect(filter.score_document(t)).toBe(a);
    }
  }, 60_000);
});

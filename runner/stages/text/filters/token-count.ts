import { z } from 'zod';
import { defineNumericFilter, type DocumentFilter } from './document-filter.js';

/**
 * NeMo Curator's `TokenCountFilter` (`stages/text/filters/token/token_count.py`): counts the tokens
 * of a document and keeps it when `min_tokens <= count <= max_tokens`. NeMo Curator takes a Hugging
 * Face tokenizer (`tokenizer` or `hf_model_name`), which needs the network or a Python runtime;
 * here the tokenizer is one of OpenAI's byte-pair encodings, bundled with gpt-tokenizer (pure
 * JavaScript, nothing downloaded), loaded in the filter's setup() once per worker.
 */

/** The encodings gpt-tokenizer bundles that count plain text. */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const;
/** One of TOKEN_ENCODINGS. */
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

type CountFn = (text: string, options: { allowedSpecial: 'all' }) => number;

/** Each encoding's module, imported on first use (o200k_base takes about a second to load). */
const LOADERS: Record<TokenEncoding, () => Promise<CountFn>> = {
  o200k_base: async () => (await import('gpt-tokenizer/encoding/o200k_base')).countTokens as CountFn,
  cl100k_base: async () => (await import('gpt-tokenizer/encoding/cl100k_base')).countTokens as CountFn,
  p50k_base: async () => (await import('gpt-tokenizer/encoding/p50k_base')).countTokens as CountFn,
  r50k_base: async () => (await import('gpt-tokenizer/encoding/r50k_base')).countTokens as CountFn,
};
const loaded = new Map<TokenEncoding, Promise<CountFn>>();

/** The counting function of an encoding, loaded once per process. */
export function loadTokenCounter(encoding: TokenEncoding): Promise<CountFn> {
  let p = loaded.get(encoding);
  if (!p) loaded.set(encoding, (p = LOADERS[encoding]()));
  return p;
}

/**
 * Runs of this many characters without ASCII white space are counted in slices. Byte-pair merging
 * costs grow with the square of a run's length (a 1 MB line without spaces would take many
 * minutes); slices keep it linear.
 */
export const MAX_RUN = 1000;

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Where to cut a long run at or before `limit`: just before a character that is neither a letter,
 * a digit nor a mark and follows one that is, where the encodings' pre-tokenizers split too (so
 * the count is unchanged, short of an English contraction such as "it's" at the cut); failing
 * that, at `limit` (kept off the middle of a surrogate pair).
 */
function cutPoint(text: string, start: number, limit: number): number {
  for (let p = limit; p > start + MAX_RUN / 2; p--) {
    if (!WORD_CHAR.test(text[p] ?? '') && WORD_CHAR.test(text[p - 1] ?? '')) return p;
  }
  const c = text.charCodeAt(limit - 1);
  return c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit;
}

/**
 * Counts tokens with `count`, slicing runs longer than MAX_RUN characters without white space. The
 * count equals the encoding's except for runs of over MAX_RUN characters that hold no punctuation
 * either (a long base64 blob, a line of one repeated letter), which may gain a token per slice.
 */
export function countTokensLinear(text: string, count: (s: string) => number): number {
  let total = 0;
  let from = 0; // start of the text not counted yet
  let run = 0; // start of the current run without white space
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isSpace(text.charCodeAt(i))) {
      if (i - run < MAX_RUN) continue;
      // The run reached MAX_RUN characters: count up to a cut inside it and go on from there.
      const cut = cutPoint(text, run, i);
      total += count(text.slice(from, cut));
      from = run = cut;
      continue;
    }
    run = i + 1;
  }
  return total + (from < text.length ? count(text.slice(from)) : 0);
}

const SPECIAL = { allowedSpecial: 'all' } as const;

/** The TokenCountFilter of one encoding and bounds. */
export class TokenCountFilter implements DocumentFilter<number> {
  readonly name = 'token_count';
  private count: CountFn | null = null;

  constructor(private readonly p: TokenCountParams) {}

  /** Loads the encoding (once per process, shared by every filter naming it). */
  async setup(): Promise<void> {
    this.count ??= await loadTokenCounter(this.p.encoding);
  }

  score_document(text: string): number {
    const count = this.count;
    if (!count) throw new Error(`TokenCountFilter: the ${this.p.encoding} encoding is not loaded; call setup() before scoring (the stage does this before its first batch)`);
    return countTokensLinear(text, (s) => count(s, SPECIAL));
  }

  keep_document(score: number): boolean {
    return this.p.min_tokens <= score && score <= (this.p.max_tokens ?? Infinity);
  }
}

const params = z
  .object({
    encoding: z
      .enum(TOKEN_ENCODINGS)
      .default('o200k_base')
      .describe("The byte-pair encoding to count with: o200k_base (GPT-4o and later), cl100k_base (GPT-4, GPT-3.5), p50k_base or r50k_base (GPT-3, GPT-2). Stands in for NeMo Curator's Hugging Face tokenizer."),
    min_tokens: z.number().int().min(0).default(0).describe('Fewest tokens to keep; 0 for no minimum.'),
    max_tokens: z.number().int().min(0).optional().describe('Most tokens to keep; no maximum when absent.'),
  })
  .strict();

/** Parameters of TokenCountFilter. */
export type TokenCountParams = z.output<typeof params>;

defineNumericFilter({
  type: 'TokenCountFilter',
  description:
    "Number of tokens, counted with a bundled OpenAI byte-pair encoding (o200k_base by default; NeMo Curator's Hugging Face tokenizers are not available); keeps documents with min_tokens <= count <= max_tokens. Special-token text such as <|endoftext|> counts as one token, as a Hugging Face tokenizer counts its special tokens. Empty text has 0 tokens. Runs of over 1,000 characters without white space are counted in slices to keep counting linear; their count can then exceed the encoding's by a token per slice when they hold no punctuation.",
  params,
  create: (p) => new TokenCountFilter(p),
});

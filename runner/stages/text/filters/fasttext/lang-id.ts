import { z } from 'zod';
import { defineFilter, type DocumentFilter } from '../document-filter.js';
import { checkModelFile, defaultLangIdModelPath, loadFastTextModel, type FastTextModel } from './model.js';
import { langIdScoreString, parseLangIdScore, pyStrip } from './score-string.js';

const params = z
  .object({
    model_path: z
      .string()
      .min(1)
      .optional()
      .describe('A fastText language-identification model (.bin or .ftz), e.g. lid.176.bin. Default: lid.176.ftz (176 languages) as shipped in the fastText package; nothing is downloaded.'),
    min_langid_score: z.number().default(0.3).describe('Lowest probability of the predicted language to keep a document.'),
    lang: z
      .string()
      .min(1)
      .optional()
      .describe('Keep only this language (case-insensitive): "en" matches every script of English, "eng_Latn" only that one. Every language when absent.'),
  })
  .strict();

/** Parameters of FastTextLangId. */
export type FastTextLangIdParams = z.output<typeof params>;

/** The language of a document fastText predicts nothing for (not seen with lid.176, which always predicts). */
const NO_PREDICTION = 'unknown';

/**
 * NeMo Curator's `FastTextLangId`. The score is the string `str([probability, language])`, exactly
 * as NeMo Curator writes it (e.g. `"[0.9228463172912598, 'en']"`), from fastText's top prediction for
 * `text.strip().replace("\n", " ")`. A document is kept when the probability is at least
 * `min_langid_score` and, when `lang` is set, the language matches.
 *
 * Empty or whitespace-only text is given to fastText like any other: lid.176 predicts English with
 * probability 0.1245 for an empty line (`"[0.12450417876243591, 'en']"`), below the default cutoff,
 * so such documents are removed unless `min_langid_score` is lowered below that.
 */
export class FastTextLangIdFilter implements DocumentFilter<string> {
  readonly name = 'lang_id';
  private model: FastTextModel | null = null;
  private readonly modelPath: string;
  private readonly langCode: string | null;

  constructor(private readonly p: FastTextLangIdParams) {
    this.modelPath = p.model_path ?? defaultLangIdModelPath();
    this.langCode = p.lang ? p.lang.toLowerCase() : null;
  }

  /** Loads the model (once per process, shared by every filter naming the same file). */
  async setup(): Promise<void> {
    this.model ??= await loadFastTextModel(this.modelPath, 'FastTextLangId');
  }

  score_document(text: string): string {
    if (!this.model) throw new Error('FastTextLangId: the model is not loaded; call setup() before scoring (the stage does this before its first batch)');
    const top = this.model.predict1(pyStrip(text).replaceAll('\n', ' '));
    if (!top) return langIdScoreString(0, NO_PREDICTION);
    const [prob, label] = top;
    return langIdScoreString(prob, label.startsWith('__label__') ? label.slice('__label__'.length) : label);
  }

  keep_document(score: string): boolean {
    const parsed = typeof score === 'string' ? parseLangIdScore(score) : null;
    if (!parsed) throw new TypeError(`FastTextLangId: a score must be the string "[probability, 'language']" that FastTextLangId writes, got ${JSON.stringify(score)}`);
    if (!(parsed.score >= this.p.min_langid_score)) return false;
    if (this.langCode === null) return true;
    const lang = parsed.lang.toLowerCase();
    // NeMo Curator: a code with a script ("eng_Latn") must match exactly; a bare code matches every script.
    return this.langCode.includes('_') ? lang === this.langCode : lang.split('_', 1)[0] === this.langCode;
  }
}

defineFilter({
  type: 'FastTextLangId',
  scoreType: 'string',
  description:
    "fastText language identification (lid.176 by default, shipped with the package). Scores each document with NeMo Curator's string \"[probability, 'language']\"; keeps it when the probability reaches min_langid_score and, when lang is set, the language matches.",
  params,
  pathParams: ['model_path'],
  check: (p) => checkModelFile(p.model_path ?? defaultLangIdModelPath(), 'FastTextLangId'),
  create: (p) => new FastTextLangIdFilter(p),
});

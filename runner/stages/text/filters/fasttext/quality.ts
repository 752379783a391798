import { z } from 'zod';
import { defineFilter, type DocumentFilter } from '../document-filter.js';
import { checkModelFile, loadFastTextModel, type FastTextModel } from './model.js';

const params = z
  .object({
    model_path: z.string().min(1).describe('A fastText classifier (.bin or .ftz) trained to tell high-quality documents from the rest. Required.'),
    label: z.string().min(1).default('__label__hq').describe('The model label of high-quality documents.'),
    alpha: z.number().positive().default(3).describe('Shape of the Pareto distribution of the keep threshold: higher keeps fewer low-scoring documents.'),
    seed: z.number().int().default(42).describe('Seed of the Pareto draws; the same seed keeps the same documents on every run.'),
  })
  .strict();

/** Parameters of FastTextQualityFilter. */
export type FastTextQualityParams = z.output<typeof params>;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const scratch = new DataView(new ArrayBuffer(8));

/**
 * A uniform number in [0, 1) that depends only on `seed` and `key`: SplitMix64 (Steele, Lea and
 * Flood 2014) started at `seed·φ + bits(key)`, its 53 high output bits.
 */
export function seededUniform(seed: number, key: number): number {
  scratch.setFloat64(0, key);
  let z = (BigInt.asUintN(64, BigInt(seed)) * GOLDEN + scratch.getBigUint64(0) + GOLDEN) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z ^= z >> 31n;
  return Number(z >> 11n) / 2 ** 53;
}

/** numpy's (legacy) `pareto(alpha)` for the uniform draw `u`: the Lomax variate `expm1(-log(1 - u) / alpha)`. */
export function paretoFromUniform(u: number, alpha: number): number {
  return Math.expm1(-Math.log1p(-u) / alpha);
}

/**
 * NeMo Curator's `FastTextQualityFilter`. The score is the model's probability of `label` for
 * `text.replace("\n", " ").replace("__label__", " ")`, or 1 − p when another label is predicted
 * first (0 when the model predicts nothing). A document is kept when a Pareto(`alpha`) draw exceeds
 * 1 − score, so high scores are nearly always kept and low ones now and then.
 *
 * NeMo Curator draws from numpy's global stream seeded once (`np.random.seed(seed)`), so its outcome
 * depends on document order and on how documents are split between workers; numpy's exact stream
 * is not reproduced here. Instead each draw is a pure function of `seed` and the document's score
 * (itself a function of the text): the same documents are kept whatever the batch order, worker
 * count or backend, and a `Filter` over a stored score decides as `ScoreFilter` did. Documents with
 * exactly the same score share their draw.
 */
export class FastTextQualityFilter implements DocumentFilter<number> {
  readonly name = 'fasttext_quality_filter';
  private model: FastTextModel | null = null;

  constructor(private readonly p: FastTextQualityParams) {}

  /** Loads the model (once per process) and checks that it knows `label`. */
  async setup(): Promise<void> {
    if (this.model) return;
    const model = await loadFastTextModel(this.p.model_path, 'FastTextQualityFilter');
    const labels = model.labels();
    if (!labels.includes(this.p.label)) {
      const shown = labels.slice(0, 10).join(', ') + (labels.length > 10 ? ', …' : '');
      throw new Error(`FastTextQualityFilter: label "${this.p.label}" is not a label of the model "${model.file}" (its labels: ${shown}); set label to the high-quality label`);
    }
    this.model = model;
  }

  score_document(text: string): number {
    if (!this.model) throw new Error('FastTextQualityFilter: the model is not loaded; call setup() before scoring (the stage does this before its first batch)');
    const top = this.model.predict1(text.replaceAll('\n', ' ').replaceAll('__label__', ' '));
    if (!top) return 0;
    const [prob, label] = top;
    return label === this.p.label ? prob : 1 - prob;
  }

  keep_document(score: number): boolean {
    if (typeof score !== 'number') throw new TypeError(`FastTextQualityFilter: a score must be a number, got ${JSON.stringify(score)}`);
    return paretoFromUniform(seededUniform(this.p.seed, score), this.p.alpha) > 1 - score;
  }
}

defineFilter({
  type: 'FastTextQualityFilter',
  scoreType: 'number',
  description:
    'fastText quality classifier (a model you supply). Scores p(label), or 1 − p when another label wins; keeps a document when a seeded Pareto(alpha) draw exceeds 1 − score, so low-scoring documents are kept only now and then.',
  params,
  pathParams: ['model_path'],
  check: (p) => checkModelFile(p.model_path, 'FastTextQualityFilter'),
  create: (p) => new FastTextQualityFilter(p),
});

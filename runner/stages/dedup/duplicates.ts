import { z } from 'zod';
import { CompositeStage, type ProcessingStage } from '../../pipeline/stage.js';
import { Resources } from '../../pipeline/resources.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import { definedOnly } from '../io/file-partitioning.js';
import { DedupIdentifyStage, DedupRemoveStage, DedupSignatureStage } from './passes.js';
import { newSpillDir } from './spill.js';

const common = {
  text_field: z.string().min(1).default('text').describe('The field holding the text to compare.'),
  id_field: z.string().min(1).optional().describe("A field identifying documents (e.g. \"id\"): each removed document then names the kept one by this id as well as by its file and line."),
  removed_path: removedPathParam,
  cache_path: z.string().min(1).optional().describe('A folder for the documents waiting between the identification and removal passes (NeMo Curator\'s cache_path). Defaults to the system temporary folder; each file is deleted once its batch is written on.'),
};

const exactParams = z
  .object({
    ...common,
    normalize: z.boolean().default(false).describe('Compare normalised text: NFKC, lower case, runs of whitespace as one space, ends trimmed. Off: byte-for-byte equal text, as NeMo Curator.'),
  })
  .strict();

const fuzzyParams = z
  .object({
    ...common,
    char_ngrams: z.number().int().min(1).default(24).describe('Width of the character windows MinHash is computed over. Below 20, short shared phrases cause false positives (NeMo Curator warns).'),
    num_bands: z.number().int().min(1).max(1000).default(20).describe('LSH bands. Two documents become candidates when all MinHash values of any one band agree.'),
    minhashes_per_band: z.number().int().min(1).max(1000).default(13).describe('MinHash values per band; num_bands × minhashes_per_band hashes per document. Detection probability at Jaccard J is 1 − (1 − J^minhashes_per_band)^num_bands.'),
    seed: z.number().int().default(42).describe('Seed of the MinHash permutations; the same seed gives the same result.'),
    jaccard_threshold: z.number().gt(0).max(1).optional().describe('Check each candidate pair: join it only if the Jaccard similarity of its character n-grams is at least this (drops LSH false positives; reads their texts back from disk). Off by default, as in NeMo Curator.'),
  })
  .strict();

type ExactParams = z.output<typeof exactParams>;
type FuzzyParams = z.output<typeof fuzzyParams>;

/** Shared decomposition: signatures → identify (one worker, whole input) → remove. */
abstract class DedupComposite extends CompositeStage {
  protected abstract readonly reason: string;
  protected abstract signature(): Record<string, unknown>;

  constructor(
    protected readonly common: { text_field: string; id_field?: string | undefined; removed_path?: string | undefined; cache_path?: string | undefined },
    name: string,
  ) {
    super(common, name);
  }

  decompose(): ProcessingStage[] {
    const spill_dir = newSpillDir(this.common.cache_path);
    const { jaccard_threshold, ...sig } = this.signature();
    const text_field = this.common.text_field;
    const sigStage = new DedupSignatureStage(definedOnly({ ...sig, text_field, id_field: this.common.id_field, spill_dir }) as never, `${this.name}_signatures`);
    const identify = new DedupIdentifyStage(definedOnly({ ...sig, jaccard_threshold, text_field }) as never, `${this.name}_identify`);
    identify.resources = new Resources({ cpus: 1 });
    const remove = new DedupRemoveStage(definedOnly({ spill_dir, reason: this.reason, removed_path: this.common.removed_path }) as never, `${this.name}_remove`);
    return [sigStage, identify, remove];
  }
}

/**
 * Exact deduplication as one stage (NeMo Curator's exact dedup and removal workflows in one):
 * MD5 of each document's (optionally normalised) text; of each set of equal hashes the first
 * document in input order (source file path order, then position) is kept, so the result is the
 * same on every backend and in every run. Memory grows with the number of documents' hashes, not
 * with the text: documents wait on disk between the passes.
 */
export class ExactDuplicates extends DedupComposite {
  readonly type = 'ExactDuplicates';
  protected readonly reason = 'exact_duplicate';
  constructor(private readonly p: ExactParams, name = 'exact_duplicates') {
    super(p, name);
  }
  protected signature(): Record<string, unknown> {
    return { method: 'exact', normalize: this.p.normalize };
  }
}

/**
 * Fuzzy deduplication as one stage (NeMo Curator's FuzzyDeduplicationWorkflow plus removal):
 * MinHash over character n-grams, LSH bands, connected components of documents sharing a bucket,
 * and the first document of each component in input order kept.
 */
export class FuzzyDuplicates extends DedupComposite {
  readonly type = 'FuzzyDuplicates';
  protected readonly reason = 'fuzzy_duplicate';
  constructor(private readonly p: FuzzyParams, name = 'fuzzy_duplicates') {
    super(p, name);
  }
  protected signature(): Record<string, unknown> {
    const { char_ngrams, num_bands, minhashes_per_band, seed, jaccard_threshold } = this.p;
    return definedOnly({ method: 'fuzzy', char_ngrams, num_bands, minhashes_per_band, seed, jaccard_threshold });
  }
}

function resolved<P extends { removed_path?: string | undefined; cache_path?: string | undefined }>(p: P, resolve: (s: string) => string): P {
  return { ...p, ...(p.removed_path ? { removed_path: resolve(p.removed_path) } : {}), ...(p.cache_path ? { cache_path: resolve(p.cache_path) } : {}) };
}

registerStage({
  type: 'ExactDuplicates',
  category: 'dedup',
  description: 'Removes documents whose text is identical to an earlier one (MD5 of the text, optionally normalised), keeping the first in input order; each removed document names the one it duplicates.',
  params: exactParams,
  create: (p, ctx) => new ExactDuplicates(resolved(p, (s) => ctx.resolvePath(s))),
});

registerStage({
  type: 'FuzzyDuplicates',
  category: 'dedup',
  description: 'Removes near-duplicate documents: MinHash over character n-grams, LSH buckets, connected components; keeps the first of each group in input order; each removed document names the one it duplicates.',
  params: fuzzyParams,
  create: (p, ctx) => new FuzzyDuplicates(resolved(p, (s) => ctx.resolvePath(s))),
});

import { z } from 'zod';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import { FilterChainStage } from './filter-chain-stage.js';
import { checkFieldList, checkSpecs, filterParam, resolveSpecs, specList, spread } from './filter-spec.js';
import { textOf } from './text-field.js';
import './filters/heuristic/string.js';
import './filters/heuristic/repetition.js';
import './filters/fasttext/index.js';

const params = z
  .object({
    filter: filterParam('A filter, or a list applied in order (a document must pass every one).'),
    text_field: z.union([z.string(), z.array(z.string())]).default('text').describe('The field holding the text to score; a list gives one per filter.'),
    score_field: z.union([z.string(), z.array(z.string())]).optional().describe('Where to write the scores: one field, or one per filter of a list; not written when absent.'),
    invert: z.union([z.boolean(), z.array(z.boolean())]).default(false).describe("Keep the documents a filter would remove instead; a list gives one flag per filter (NeMo Curator inverts each filter's decision, not the chain's)."),
    removed_path: removedPathParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    const count = specList(p.filter).length;
    checkFieldList(ctx, 'text_field', p.text_field, count);
    if (p.score_field !== undefined) checkFieldList(ctx, 'score_field', p.score_field, count, true);
    checkFieldList(ctx, 'invert', p.invert, count);
  });

/** Parameters of ScoreFilter. */
export type ScoreFilterParams = z.output<typeof params>;

/**
 * NeMo Curator's `ScoreFilter`: scores each document's text with each filter in order and keeps it
 * only if every filter keeps it. A list stops at the first rejection, so later scores of a removed
 * document are not computed or written. `invert` flips each filter's decision (per filter with a
 * list). Scores are written to `score_field` when it is set. Every removed document is reported
 * with the class name of the filter that removed it (`WordCountFilter`, or
 * `WordCountFilter (inverted)` when an inverted filter removed it for passing) and its score.
 * An empty batch passes through; a batch whose rows are all removed returns an empty DocumentBatch.
 */
export class ScoreFilter extends FilterChainStage {
  readonly type = 'ScoreFilter';
  private readonly textFields: string[];
  private readonly scoreFields: Array<string | undefined>;
  private readonly inverts: boolean[];

  constructor(p: ScoreFilterParams) {
    super(p, 'score_filter');
    const n = this.filters.length;
    this.textFields = spread(p.text_field, n);
    this.scoreFields = p.score_field === undefined ? this.filters.map(() => undefined) : spread(p.score_field, n);
    this.inverts = spread(p.invert, n);
    this.removed_path = p.removed_path ?? null;
  }

  protected processRows(rows: DocumentRecord[], where: string, taskId: string): DocumentRecord[] {
    const out: DocumentRecord[] = [];
    for (const row of rows) {
      const copy: DocumentRecord = { ...row };
      const removed = this.filters.some((f, i) => {
        const score = f.filter.score_document(textOf(copy, this.textFields[i] as string, where, taskId));
        const sf = this.scoreFields[i];
        if (sf !== undefined) copy[sf] = score;
        return this.removes(copy, f, score, this.inverts[i] as boolean);
      });
      if (!removed) out.push(copy);
    }
    return out;
  }
}

registerStage({
  type: 'ScoreFilter',
  category: 'text',
  description: "Scores documents with NeMo Curator's document filters (heuristic, token count, fastText) and keeps those every filter keeps; removed documents are counted by filter class.",
  params,
  create: (p, ctx) => new ScoreFilter({ ...p, filter: resolveSpecs(p.filter, ctx), ...(p.removed_path ? { removed_path: ctx.resolvePath(p.removed_path) } : {}) }),
  check: (p, ctx) => checkSpecs(p.filter, ctx),
});

import { z } from 'zod';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { FilterChainStage } from './filter-chain-stage.js';
import { checkFieldList, checkSpecs, filterParam, resolveSpecs, specList, spread, type BuiltFilter } from './filter-spec.js';
import { textOf } from './text-field.js';

const params = z
  .object({
    filter: filterParam("A filter whose score_document scores each document (NeMo Curator's score_fn), or a list applied in order."),
    score_field: z.union([z.string(), z.array(z.string())]).describe('Where to write the scores: a field, or a list of one field per filter.'),
    text_field: z.union([z.string(), z.array(z.string())]).default('text').describe('The field holding the text to score; a list gives one per filter.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const count = specList(p.filter).length;
    checkFieldList(ctx, 'score_field', p.score_field, count, true);
    checkFieldList(ctx, 'text_field', p.text_field, count);
  });

/** Parameters of Score. */
export type ScoreParams = z.output<typeof params>;

/**
 * NeMo Curator's `Score`: adds each filter's score of each document to `score_field`, keeping every
 * document (a later `Filter` stage, or anything downstream, decides from the scores). Every filter
 * scores every document. An empty batch passes through.
 */
export class Score extends FilterChainStage {
  readonly type = 'Score';
  private readonly textFields: string[];
  private readonly scoreFields: string[];

  constructor(p: ScoreParams) {
    super(p, 'score');
    this.textFields = spread(p.text_field, this.filters.length);
    this.scoreFields = spread(p.score_field, this.filters.length);
  }

  protected processRows(rows: DocumentRecord[], where: string, taskId: string): DocumentRecord[] {
    return rows.map((row) => {
      const copy: DocumentRecord = { ...row };
      for (let i = 0; i < this.filters.length; i++) {
        const { filter } = this.filters[i] as BuiltFilter;
        copy[this.scoreFields[i] as string] = filter.score_document(textOf(copy, this.textFields[i] as string, where, taskId));
      }
      return copy;
    });
  }
}

registerStage({
  type: 'Score',
  category: 'text',
  description: "Adds document-filter scores (heuristic, token count, fastText) to each document's score_field without removing any document.",
  params,
  create: (p, ctx) => new Score({ ...p, filter: resolveSpecs(p.filter, ctx) }),
  check: (p, ctx) => checkSpecs(p.filter, ctx),
});

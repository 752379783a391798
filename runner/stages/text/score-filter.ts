import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import { buildFilters, chainName, checkFieldList, checkSpecs, filterParam, FilterSetup, removalReason, resolveSpecs, specList, spread, type BuiltFilter } from './filter-spec.js';
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
export class ScoreFilter extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'ScoreFilter';
  private readonly filters: BuiltFilter[];
  private readonly textFields: string[];
  private readonly scoreFields: Array<string | undefined>;
  private readonly inverts: boolean[];
  private readonly ready: FilterSetup;

  constructor(p: ScoreFilterParams) {
    const filters = buildFilters(p.filter);
    super(p, chainName('score_filter', filters));
    this.filters = filters;
    this.textFields = spread(p.text_field, filters.length);
    this.scoreFields = p.score_field === undefined ? filters.map(() => undefined) : spread(p.score_field, filters.length);
    this.inverts = spread(p.invert, filters.length);
    this.ready = new FilterSetup(filters);
    this.removed_path = p.removed_path ?? null;
  }

  /** Loads each filter's model (fastText, tokenizers) once per worker, before the first batch. */
  override async setup(_worker?: WorkerMetadata): Promise<void> {
    await this.ready.ensure();
  }

  process(task: DocumentBatch): DocumentBatch | Promise<DocumentBatch> {
    if (this.ready.done) return this.filterBatch(task);
    return this.ready.ensure().then(() => this.filterBatch(task));
  }

  private filterBatch(task: DocumentBatch): DocumentBatch {
    if (task.data.length === 0) return task;
    const out: DocumentRecord[] = [];
    const where = `ScoreFilter "${this.name}"`;
    for (const row of task.data) {
      const copy: DocumentRecord = { ...row };
      let removed = false;
      for (let i = 0; i < this.filters.length; i++) {
        const { type, filter } = this.filters[i] as BuiltFilter;
        const score = filter.score_document(textOf(copy, this.textFields[i] as string, where, task.task_id));
        const sf = this.scoreFields[i];
        if (sf !== undefined) copy[sf] = score;
        const inverted = this.inverts[i] as boolean;
        if (filter.keep_document(score) === inverted) {
          this.recordRemoved(copy, removalReason(type, inverted), { score, filter: filter.name });
          removed = true;
          break;
        }
      }
      if (!removed) out.push(copy);
    }
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data: out, _metadata: task._metadata, _stage_perf: task._stage_perf });
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

import { z } from 'zod';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import type { FilterScore } from './filters/document-filter.js';
import { FilterChainStage } from './filter-chain-stage.js';
import { checkFieldList, checkSpecs, filterParam, resolveSpecs, specList, spread, type BuiltFilter } from './filter-spec.js';
import { originOf } from './text-field.js';

const params = z
  .object({
    filter: filterParam("A filter whose keep_document decides from a score already in each document (NeMo Curator's filter_fn), or a list applied in order."),
    filter_field: z.union([z.string(), z.array(z.string())]).describe('The field holding the score to judge: a field, or a list of one field per filter.'),
    invert: z.union([z.boolean(), z.array(z.boolean())]).default(false).describe("Keep the documents a filter would remove instead; a list gives one flag per filter."),
    removed_path: removedPathParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    const count = specList(p.filter).length;
    checkFieldList(ctx, 'filter_field', p.filter_field, count, true);
    checkFieldList(ctx, 'invert', p.invert, count);
  });

/** Parameters of Filter. */
export type FilterParams = z.output<typeof params>;

/**
 * A document's stored score for a filter; an error naming the stage, the field, the document and
 * what would fix it when the field is missing or holds a value the filter cannot judge.
 */
function storedScore(doc: DocumentRecord, field: string, f: BuiltFilter, where: string, taskId: string): FilterScore {
  const v = doc[field];
  const want = f.def.scoreType;
  if ((typeof v === 'number' || typeof v === 'string') && (want === undefined || typeof v === want)) return v;
  const origin = originOf(doc);
  const doc_ = origin ? `the document at ${origin}` : `a document of task ${taskId}`;
  const what = v === undefined ? 'is missing' : `holds ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`;
  throw new Error(`${where}: filter field "${field}" ${what} in ${doc_}; ${f.type} judges a ${want ?? 'number or string'} score, which a Score stage (or ScoreFilter with score_field) before this one writes`);
}

/**
 * NeMo Curator's `Filter`: keeps the documents whose stored scores each filter's keep_document
 * accepts (`filter_field` names the field per filter), without scoring anything. `invert` flips
 * each filter's decision. Removed documents are reported like ScoreFilter's: the filter's class
 * name (with " (inverted)" when an inverted filter removed them) and the score.
 */
export class Filter extends FilterChainStage {
  readonly type = 'Filter';
  private readonly fields: string[];
  private readonly inverts: boolean[];

  constructor(p: FilterParams) {
    super(p, 'filter');
    this.fields = spread(p.filter_field, this.filters.length);
    this.inverts = spread(p.invert, this.filters.length);
    this.removed_path = p.removed_path ?? null;
  }

  protected processRows(rows: DocumentRecord[], where: string, taskId: string): DocumentRecord[] {
    return rows.filter(
      (row) => !this.filters.some((f, i) => this.removes(row, f, storedScore(row, this.fields[i] as string, f, where, taskId), this.inverts[i] as boolean)),
    );
  }
}

registerStage({
  type: 'Filter',
  category: 'text',
  description: 'Keeps documents by scores already in them (written by Score or ScoreFilter), using the filters\' keep rules; removed documents are counted by filter class.',
  params,
  create: (p, ctx) => new Filter({ ...p, filter: resolveSpecs(p.filter, ctx), ...(p.removed_path ? { removed_path: ctx.resolvePath(p.removed_path) } : {}) }),
  check: (p, ctx) => checkSpecs(p.filter, ctx),
});

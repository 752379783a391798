import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import type { FilterScore } from './filters/document-filter.js';
import { buildFilters, chainName, checkFieldList, checkSpecs, filterParam, FilterSetup, removalReason, resolveSpecs, specList, spread, type BuiltFilter } from './filter-spec.js';
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
export class Filter extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'Filter';
  private readonly filters: BuiltFilter[];
  private readonly fields: string[];
  private readonly inverts: boolean[];
  private readonly ready: FilterSetup;

  constructor(p: FilterParams) {
    const filters = buildFilters(p.filter);
    super(p, chainName('filter', filters));
    this.filters = filters;
    this.fields = spread(p.filter_field, filters.length);
    this.inverts = spread(p.invert, filters.length);
    this.ready = new FilterSetup(filters);
    this.removed_path = p.removed_path ?? null;
  }

  /** Runs each filter's setup() once per worker, before the first batch. */
  override async setup(_worker?: WorkerMetadata): Promise<void> {
    await this.ready.ensure();
  }

  process(task: DocumentBatch): DocumentBatch | Promise<DocumentBatch> {
    if (this.ready.done) return this.filterBatch(task);
    return this.ready.ensure().then(() => this.filterBatch(task));
  }

  private filterBatch(task: DocumentBatch): DocumentBatch {
    if (task.data.length === 0) return task;
    const where = `Filter "${this.name}"`;
    const out: DocumentRecord[] = [];
    for (const row of task.data) {
      let removed = false;
      for (let i = 0; i < this.filters.length; i++) {
        const f = this.filters[i] as BuiltFilter;
        const score = storedScore(row, this.fields[i] as string, f, where, task.task_id);
        const inverted = this.inverts[i] as boolean;
        if (f.filter.keep_document(score) === inverted) {
          this.recordRemoved(row, removalReason(f.type, inverted), { score, filter: f.filter.name });
          removed = true;
          break;
        }
      }
      if (!removed) out.push(row);
    }
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data: out, _metadata: task._metadata, _stage_perf: task._stage_perf });
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

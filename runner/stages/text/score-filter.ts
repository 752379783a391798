import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { DocumentBatch } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { getFilter, type DocumentFilter } from './filters/document-filter.js';
import './filters/heuristic/string.js';
import './filters/heuristic/repetition.js';

/** One filter as written in a pipeline file: `{ type, ...params }`. */
const rawSpec = z.looseObject({ type: z.string().describe('The filter class name, e.g. WordCountFilter.') }).describe('A filter: { type: <filter class name>, ...its parameters }.');

type FilterSpec = { type: string } & Record<string, unknown>;

/** Checks one filter against its own schema; the parsed spec (defaults filled), or null after reporting problems. */
function checkSpec(v: FilterSpec, where: string, ctx: z.RefinementCtx): FilterSpec | null {
  const { type, ...rest } = v;
  let def;
  try {
    def = getFilter(type);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `${where}: ${(e as Error).message}` });
    return null;
  }
  const r = def.params.safeParse(rest);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')})` : '';
      ctx.addIssue({ code: 'custom', message: `${where}: filter ${type}: ${issue.message}${keys}${issue.path.length ? ` at "${issue.path.join('.')}"` : ''}` });
    }
    return null;
  }
  return { ...(r.data as Record<string, unknown>), type };
}

const filterParam = z
  .union([rawSpec, z.array(rawSpec).min(1)])
  .transform((v, ctx) => {
    const list = Array.isArray(v) ? v : [v];
    const out = list.map((s, i) => checkSpec(s, Array.isArray(v) ? `filter[${i}]` : 'filter', ctx));
    if (out.some((s) => s === null)) return z.NEVER;
    const specs = out as FilterSpec[];
    return Array.isArray(v) ? specs : (specs[0] as FilterSpec);
  });

const params = z
  .object({
    filter: filterParam.describe('A filter, or a list applied in order (a document must be kept by every one).'),
    text_field: z.string().default('text').describe('The field holding the text to score.'),
    score_field: z.union([z.string(), z.array(z.string())]).optional().describe('Where to write the scores: one field, or one per filter of a list; not written when absent.'),
    invert: z.boolean().default(false).describe('Keep the documents the filters would remove instead.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const count = Array.isArray(p.filter) ? p.filter.length : 1;
    if (p.score_field !== undefined) {
      const fields = Array.isArray(p.score_field) ? p.score_field : [p.score_field];
      if (fields.length !== count) ctx.addIssue({ code: 'custom', path: ['score_field'], message: `score_field names ${fields.length} field(s) but there are ${count} filter(s)` });
    }
  });

/** Parameters of ScoreFilter. */
export type ScoreFilterParams = z.output<typeof params>;

/**
 * NeMo Curator's `ScoreFilter`: scores each document's text with each filter in order and keeps it
 * only if every filter keeps it (a list stops at the first rejection, so later scores of a rejected
 * document are not computed or written); `invert` flips the outcome. Scores are written to
 * `score_field` when it is set. A batch whose rows are all removed returns an empty DocumentBatch.
 */
export class ScoreFilter extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'ScoreFilter';
  private readonly filters: DocumentFilter[];
  private readonly scoreFields: Array<string | undefined>;
  private readonly opts: ScoreFilterParams;

  constructor(p: ScoreFilterParams) {
    const specs = Array.isArray(p.filter) ? p.filter : [p.filter];
    const filters = specs.map(({ type, ...rest }) => getFilter(type).create(getFilter(type).params.parse(rest)));
    super(p, filters.length === 1 ? filters[0]?.name : `score_filter_chain_of_${filters.map((f) => f.name).join('_')}`);
    this.filters = filters;
    this.opts = p;
    const sf = p.score_field;
    this.scoreFields = filters.map((_, i) => (sf === undefined ? undefined : Array.isArray(sf) ? sf[i] : sf));
  }

  process(task: DocumentBatch): DocumentBatch {
    const field = this.opts.text_field;
    const out: Array<Record<string, unknown>> = [];
    for (const row of task.data) {
      const text = row[field];
      if (typeof text !== 'string') throw new Error(`ScoreFilter: field "${field}" is ${text === undefined ? 'missing' : `not a string (${typeof text})`} in a document of task ${task.task_id}`);
      const copy: Record<string, unknown> = { ...row };
      let keep = true;
      for (let i = 0; i < this.filters.length && keep; i++) {
        const f = this.filters[i] as DocumentFilter;
        const score = f.score_document(text);
        const sf = this.scoreFields[i];
        if (sf !== undefined) copy[sf] = score;
        keep = f.keep_document(score);
      }
      if (keep !== this.opts.invert) out.push(copy);
    }
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data: out, _metadata: task._metadata, _stage_perf: task._stage_perf });
  }
}

registerStage({
  type: 'ScoreFilter',
  category: 'text',
  description: "Scores documents with NeMo Curator's heuristic filters and keeps those every filter keeps (or, inverted, the rest).",
  params,
  create: (p) => new ScoreFilter(p),
});

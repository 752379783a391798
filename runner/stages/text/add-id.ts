import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { DocumentBatch } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { originOf } from './text-field.js';

const params = z
  .object({
    id_field: z.string().min(1).describe('The field that receives the id.'),
    id_prefix: z.string().nullable().default(null).describe('Text put before every id ("<prefix>_<task id>_<index>"); null or "" for none.'),
    overwrite: z.boolean().default(false).describe('Replace the field when documents already have it (otherwise that is an error).'),
  })
  .strict();

/** Parameters of AddId. */
export type AddIdParams = z.output<typeof params>;

/**
 * NeMo Curator's `AddId`: gives every document of a batch the id `"<id_prefix>_<task_id>_<i>"`
 * (or `"<task_id>_<i>"` without a prefix), `i` counting from 0 within the batch. Task ids are
 * unique in a run, so the ids are too. A batch where any document already has the field is an
 * error unless `overwrite` is set (then a warning is logged).
 */
export class AddId extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'AddId';
  private readonly opts: AddIdParams;

  constructor(p: AddIdParams) {
    super(p, 'add_id');
    this.opts = p;
  }

  override outputs(): [string[], string[]] {
    return [['data'], [this.opts.id_field]];
  }

  process(task: DocumentBatch): DocumentBatch {
    const field = this.opts.id_field;
    const existing = task.data.find((row) => field in row);
    if (existing) {
      const origin = originOf(existing);
      const where = origin ? `the document at ${origin}` : `a document of task ${task.task_id}`;
      if (!this.opts.overwrite) throw new Error(`AddId: field "${field}" already exists in ${where}; set overwrite: true to replace it, or choose another id_field`);
      this.log('warn', `AddId: field "${field}" already exists (first in ${where}) and will be overwritten`);
    }
    const prefix = this.opts.id_prefix ? `${this.opts.id_prefix}_${task.task_id}` : task.task_id;
    const data = task.data.map((row, i) => ({ ...row, [field]: `${prefix}_${i}` }));
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data, _metadata: task._metadata, _stage_perf: task._stage_perf });
  }
}

registerStage({
  type: 'AddId',
  category: 'text',
  description: 'Adds a unique id to every document: "<id_prefix>_<task id>_<index in batch>", or "<task id>_<index>" without a prefix. An existing id field is an error unless overwrite is set.',
  params,
  create: (p) => new AddId(p),
});

import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { buildFilters, chainName, FilterSetup, removalReason, type BuiltFilter, type FilterSpec } from './filter-spec.js';
import type { FilterScore } from './filters/document-filter.js';

/**
 * What ScoreFilter, Score and Filter share as stages: the filters built from the `filter` parameter,
 * the stage named after them (`<prefix>_chain_of_...` for a list), their models loaded once per
 * worker before the first batch (or on the first batch when used without setup()), empty batches
 * passed through, and removals reported by filter class.
 */
export abstract class FilterChainStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  protected readonly filters: BuiltFilter[];
  private readonly ready: FilterSetup;

  constructor(p: Record<string, unknown> & { filter: FilterSpec | FilterSpec[] }, namePrefix: string) {
    const filters = buildFilters(p.filter);
    super(p, chainName(namePrefix, filters));
    this.filters = filters;
    this.ready = new FilterSetup(filters);
  }

  /** Loads each filter's model (fastText, tokenizers) once per worker, before the first batch. */
  override async setup(_worker?: WorkerMetadata): Promise<void> {
    await this.ready.ensure();
  }

  process(task: DocumentBatch): DocumentBatch | Promise<DocumentBatch> {
    if (this.ready.done) return this.processReady(task);
    return this.ready.ensure().then(() => this.processReady(task));
  }

  private processReady(task: DocumentBatch): DocumentBatch {
    if (task.data.length === 0) return task;
    const data = this.processRows(task.data, `${this.type} "${this.name}"`, task.task_id);
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data, _metadata: task._metadata, _stage_perf: task._stage_perf });
  }

  /** The rows of a non-empty batch, once every filter is set up; `where` names the stage in errors. */
  protected abstract processRows(rows: DocumentRecord[], where: string, taskId: string): DocumentRecord[];

  /**
   * Whether filter `f` (its decision flipped when `inverted`) removes `doc` with `score`; when it
   * does, the removal is recorded with the filter's class name and the score.
   */
  protected removes(doc: DocumentRecord, f: BuiltFilter, score: FilterScore, inverted: boolean): boolean {
    if (f.filter.keep_document(score) !== inverted) return false;
    this.recordRemoved(doc, removalReason(f.type, inverted), { score, filter: f.filter.name });
    return true;
  }
}

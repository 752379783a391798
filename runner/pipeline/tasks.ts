import { createHash } from 'node:crypto';
import type { StagePerfStats } from './perf.js';

/** One document (record) of a DocumentBatch. */
export type DocumentRecord = Record<string, unknown>;

/** The kinds of task that travel between stages. */
export type TaskKind = 'DocumentBatch' | 'FileGroupTask' | 'EmptyTask';

/** A task as it crosses a process boundary (structured clone): plain data only. */
export interface WireTask {
  kind: TaskKind;
  task_id: string;
  dataset_name: string;
  data: unknown;
  _metadata: Record<string, unknown>;
  _stage_perf: StagePerfStats[];
  reader_config?: Record<string, unknown>;
}

/**
 * The unit of work between stages, NeMo Curator's `Task`: `{task_id, dataset_name, data, _metadata,
 * _stage_perf}` with `num_items`. The framework assigns `task_id`; stages never set it.
 */
export abstract class Task<T = unknown> {
  abstract readonly kind: TaskKind;
  task_id = '';
  dataset_name: string;
  data: T;
  _metadata: Record<string, unknown>;
  _stage_perf: StagePerfStats[];

  constructor(init: { dataset_name?: string; data: T; _metadata?: Record<string, unknown>; _stage_perf?: StagePerfStats[]; task_id?: string }) {
    this.dataset_name = init.dataset_name ?? '';
    this.data = init.data;
    this._metadata = init._metadata ?? {};
    this._stage_perf = init._stage_perf ?? [];
    if (init.task_id !== undefined) this.task_id = init.task_id;
  }

  /** Rows for a DocumentBatch, files for a FileGroupTask, 0 for sentinels. */
  abstract get num_items(): number;

  /** A content-derived id used at source stages instead of the output position; null by default. */
  getDeterministicId(): string | null {
    return null;
  }

  addStagePerf(stats: StagePerfStats): void {
    this._stage_perf.push(stats);
  }

  /** Plain data for a process hop. */
  toWire(): WireTask {
    return { kind: this.kind, task_id: this.task_id, dataset_name: this.dataset_name, data: this.data, _metadata: this._metadata, _stage_perf: this._stage_perf };
  }
}

/** A batch of documents (records), NeMo Curator's `DocumentBatch`; `num_items` is the row count. */
export class DocumentBatch extends Task<DocumentRecord[]> {
  readonly kind = 'DocumentBatch' as const;
  get num_items(): number {
    return this.data.length;
  }
  /** The union of field names over the rows, in first-seen order. */
  getColumns(): string[] {
    const seen = new Set<string>();
    for (const row of this.data) for (const k of Object.keys(row)) seen.add(k);
    return [...seen];
  }
}

/** A group of input files, NeMo Curator's `FileGroupTask`; `num_items` is the file count. */
export class FileGroupTask extends Task<string[]> {
  readonly kind = 'FileGroupTask' as const;
  reader_config: Record<string, unknown>;
  constructor(init: ConstructorParameters<typeof Task<string[]>>[0] & { reader_config?: Record<string, unknown> }) {
    super(init);
    this.reader_config = init.reader_config ?? {};
  }
  get num_items(): number {
    return this.data.length;
  }
  /** First 12 hex characters of sha256 of the sorted paths joined with "|" plus a trailing "|". */
  override getDeterministicId(): string {
    return createHash('sha256').update([...this.data].sort().join('|') + '|').digest('hex').slice(0, 12);
  }
  override toWire(): WireTask {
    return { ...super.toWire(), reader_config: this.reader_config };
  }
}

/** The start sentinel handed to a source stage; its id is "0". */
export class EmptyTask extends Task<null> {
  readonly kind = 'EmptyTask' as const;
  constructor() {
    super({ dataset_name: 'empty', data: null, task_id: '0' });
  }
  get num_items(): number {
    return 0;
  }
}

/** Rebuilds a Task object from its wire form. */
export function fromWire(w: WireTask): Task {
  switch (w.kind) {
    case 'DocumentBatch':
      return new DocumentBatch({ dataset_name: w.dataset_name, data: w.data as DocumentRecord[], _metadata: w._metadata, _stage_perf: w._stage_perf, task_id: w.task_id });
    case 'FileGroupTask':
      return new FileGroupTask({ dataset_name: w.dataset_name, data: w.data as string[], _metadata: w._metadata, _stage_perf: w._stage_perf, task_id: w.task_id, reader_config: w.reader_config ?? {} });
    case 'EmptyTask':
      return new EmptyTask();
  }
}

/** Item count of a wire task without rebuilding it. */
export function wireNumItems(w: WireTask): number {
  return Array.isArray(w.data) ? w.data.length : 0;
}

/** Rough bytes of a task's data: string lengths plus 8 per other scalar. Cheap enough for every batch. */
export function estimateBytes(data: unknown, depth = 0): number {
  if (typeof data === 'string') return data.length;
  if (data === null || data === undefined) return 0;
  if (typeof data !== 'object') return 8;
  if (depth > 4) return 8;
  let n = 0;
  if (Array.isArray(data)) for (const v of data) n += estimateBytes(v, depth + 1);
  else for (const [k, v] of Object.entries(data)) n += k.length + estimateBytes(v, depth + 1);
  return n;
}

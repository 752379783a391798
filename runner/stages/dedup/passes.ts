import { z } from 'zod';
import { ProcessingStage, WHOLE_INPUT } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { textOf } from '../text/text-field.js';
import { positionOf } from './doc-order.js';
import { charNgramsWarning } from './minhash.js';
import { dropSpill, readSpill, writeSpill } from './spill.js';
import { signatureFor, identifyDuplicates, signatureParams, type DocKey, type Decision, type SignatureParams } from './identify.js';

/**
 * The three passes every dedup stage plans into (ExactDuplicates and FuzzyDuplicates decompose to
 * them): `DedupSignatureStage` hashes each document and parks the documents on disk; the
 * single-worker `DedupIdentifyStage` sees every signature at once (the engine holds its input until
 * everything upstream is done) and decides, in input order, which documents duplicate an earlier
 * one; `DedupRemoveStage` reads each parked batch back and drops the duplicates, recording for
 * each the document it duplicates. The engine holds only signatures, never the documents.
 */


const sigStageParams = signatureParams.extend({
  text_field: z.string().min(1).default('text'),
  id_field: z.string().min(1).optional(),
  spill_dir: z.string().min(1),
});

/** One row of a signature batch: the document's position in the input, its signature and its id. */
export interface SignatureRow {
  /** Index of the source path in the batch's `dedup_paths`. */
  f: number;
  n: number;
  /** The origin label, when it is not "<path>:<n>". */
  o?: string;
  s: string | number[];
  i?: unknown;
}

/** Pass 1: signatures, and the documents parked on disk. */
export class DedupSignatureStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'DedupSignatureStage';
  private readonly p: z.output<typeof sigStageParams>;

  constructor(p: z.output<typeof sigStageParams>, name = 'dedup_signatures') {
    super(p, name);
    this.p = p;
  }

  private warned = false;

  async process(task: DocumentBatch): Promise<DocumentBatch> {
    if (!this.warned) {
      // Once per worker, without a setup() (which would make Ray Data run this stage as actors).
      this.warned = true;
      const warning = this.p.method === 'fuzzy' ? charNgramsWarning(this.p.char_ngrams) : null;
      if (warning) this.log('warn', warning);
    }
    const paths: string[] = [];
    const pathIndex = new Map<string, number>();
    const sigOpts: SignatureParams = this.p;
    const rows: SignatureRow[] = task.data.map((doc, r) => {
      const text = textOf(doc, this.p.text_field, this.name, task.task_id);
      const pos = positionOf(doc, task.task_id, r);
      let f = pathIndex.get(pos.path);
      if (f === undefined) {
        f = paths.push(pos.path) - 1;
        pathIndex.set(pos.path, f);
      }
      const row: SignatureRow = { f, n: pos.position, s: signatureFor(sigOpts, text) };
      if (pos.label !== `${pos.path}:${pos.position}`) row.o = pos.label;
      if (this.p.id_field !== undefined && doc[this.p.id_field] !== undefined) row.i = doc[this.p.id_field];
      return row;
    });
    const spill = await writeSpill(this.p.spill_dir, task.task_id, task.data);
    return new DocumentBatch({
      task_id: task.task_id,
      dataset_name: task.dataset_name,
      data: rows as unknown as DocumentRecord[],
      _metadata: { ...task._metadata, dedup_spill: spill, dedup_paths: paths },
      _stage_perf: task._stage_perf,
    });
  }
}

const identifyParams = signatureParams.extend({
  jaccard_threshold: z.number().min(0).max(1).optional(),
  text_field: z.string().min(1).default('text'),
});

/** Pass 2: one worker, every signature at once; emits per batch the keep / duplicate-of decision of each row. */
export class DedupIdentifyStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'DedupIdentifyStage';
  private readonly p: z.output<typeof identifyParams>;

  constructor(p: z.output<typeof identifyParams>, name = 'dedup_identify') {
    super(p, name);
    this.p = p;
    this.batch_size = WHOLE_INPUT;
    this._num_workers = 1;
    // An all-to-all step: Ray Data runs it as its own operator, never fused with its neighbours.
    this.ray_stage_spec = { is_shuffle_stage: true };
  }

  process(): never {
    throw new Error(`${this.name}: takes the whole input at once (process_batch)`);
  }

  override async process_batch(tasks: DocumentBatch[]): Promise<DocumentBatch[]> {
    const keys: DocKey[] = [];
    tasks.forEach((t, ti) => {
      const paths = t._metadata['dedup_paths'] as string[];
      (t.data as unknown as SignatureRow[]).forEach((row, ri) => {
        const path = paths[row.f] as string;
        keys.push({ task: ti, row: ri, path, position: row.n, label: row.o ?? `${path}:${row.n}`, id: row.i, sig: row.s });
      });
    });
    const texts = this.p.jaccard_threshold ? (k: DocKey) => spillText(tasks[k.task] as DocumentBatch, k.row, this.p.text_field) : undefined;
    const { decisions, groups } = await identifyDuplicates(this.p, keys, texts);
    this.addCount('documents_checked', keys.length);
    this.addCount('duplicate_groups', groups);
    let g = 0;
    return tasks.map((t) => {
      const out: Decision[] = t.data.map(() => decisions[g++] as Decision);
      const { dedup_paths: _paths, ...meta } = t._metadata;
      return new DocumentBatch({ task_id: t.task_id, dataset_name: t.dataset_name, data: out as unknown as DocumentRecord[], _metadata: meta, _stage_perf: t._stage_perf });
    });
  }
}

/** Reads one document's text from its batch's spill file (a few files are cached while candidate pairs are checked). */
const spillCache = new Map<string, DocumentRecord[]>();
async function spillText(t: DocumentBatch, row: number, field: string): Promise<string> {
  const file = t._metadata['dedup_spill'] as string;
  let docs = spillCache.get(file);
  if (!docs) {
    docs = await readSpill(file);
    if (spillCache.size >= 16) spillCache.delete(spillCache.keys().next().value as string);
    spillCache.set(file, docs);
  }
  const v = docs[row]?.[field];
  return typeof v === 'string' ? v : '';
}

const removeParams = z.object({ spill_dir: z.string().min(1), reason: z.string().min(1), removed_path: z.string().min(1).optional() }).strict();

/** Pass 3: the parked documents back, without their duplicates (each recorded with the document it duplicates). */
export class DedupRemoveStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'DedupRemoveStage';
  private readonly p: z.output<typeof removeParams>;

  constructor(p: z.output<typeof removeParams>, name = 'dedup_remove') {
    super(p, name);
    this.p = p;
    this.removed_path = p.removed_path ?? null;
  }

  async process(task: DocumentBatch): Promise<DocumentBatch> {
    const file = task._metadata['dedup_spill'];
    if (typeof file !== 'string') throw new Error(`${this.name}: task ${task.task_id} does not name its parked documents (was it produced by a dedup identify stage?)`);
    const docs = await readSpill(file);
    const decisions = task.data as unknown as Decision[];
    if (docs.length !== decisions.length) throw new Error(`${this.name}: ${file} holds ${docs.length} documents but ${decisions.length} decisions arrived for task ${task.task_id}`);
    const kept: DocumentRecord[] = [];
    docs.forEach((doc, i) => {
      const d = decisions[i] as Decision;
      if (d.dup === undefined) kept.push(doc);
      else {
        const detail: Record<string, unknown> = { duplicate_of: d.dup };
        if (d.dup_id !== undefined) detail['duplicate_of_id'] = d.dup_id;
        if (d.jaccard !== undefined) detail['jaccard'] = d.jaccard;
        this.recordRemoved(doc, this.p.reason, detail);
      }
    });
    await dropSpill(file, this.p.spill_dir);
    const { dedup_spill: _spill, ...meta } = task._metadata;
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data: kept, _metadata: meta, _stage_perf: task._stage_perf });
  }
}

registerStage({
  type: 'DedupSignatureStage',
  category: 'dedup',
  description: 'Dedup pass 1: a signature per document (a hash of the text, or MinHash LSH buckets); the documents wait on disk.',
  params: sigStageParams,
  internal: true,
  create: (p) => new DedupSignatureStage(p),
});

registerStage({
  type: 'DedupIdentifyStage',
  category: 'dedup',
  description: 'Dedup pass 2: sees every signature at once and marks, in input order, each document that duplicates an earlier one.',
  params: identifyParams,
  internal: true,
  create: (p) => new DedupIdentifyStage(p),
});

registerStage({
  type: 'DedupRemoveStage',
  category: 'dedup',
  description: 'Dedup pass 3: reads the parked documents back and drops the duplicates, recording the document each one duplicates.',
  params: removeParams,
  internal: true,
  create: (p) => new DedupRemoveStage(p),
});

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ProcessingStage, type NodeInfo, type WorkerMetadata } from '../../pipeline/stage.js';
import { FileGroupTask, type DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { definedOnly } from './file-partitioning.js';
import { fieldsParam, selectFields } from './jsonl-reader.js';

const params = z
  .object({
    path: z.string().min(1).describe('Output folder; one .jsonl file is written per batch. Relative paths are relative to the pipeline file.'),
    mode: z
      .enum(['ignore', 'overwrite', 'error'])
      .default('ignore')
      .describe('What to do when the folder already holds files: "ignore" writes alongside them, "overwrite" empties the folder before the run writes, "error" refuses to run.'),
    fields: fieldsParam,
  })
  .strict();

/** Parameters of JsonlWriter, `path` already absolute. */
export type JsonlWriterParams = z.output<typeof params>;

/**
 * The output file name of a batch, after NeMo Curator's `get_deterministic_hash`: the first 16 hex
 * characters of sha256 of the sorted source files joined by "|", then "|" and the task id; of the
 * task id alone when the batch has no source files. The same input always gives the same name, so
 * a re-run replaces its files instead of adding copies.
 */
export function outputFileName(sourceFiles: readonly string[] | null, taskId: string, extension = '.jsonl'): string {
  const key = sourceFiles && sourceFiles.length ? [...sourceFiles].sort().join('|') + '|' + taskId : taskId;
  return createHash('sha256').update(key).digest('hex').slice(0, 16) + extension;
}

/** Lines of JSON, grouped into chunks of about 1 MB so a large batch is not one giant string. */
function* jsonLines(records: readonly DocumentRecord[], fields: readonly string[] | undefined): Generator<string> {
  let chunk = '';
  for (const r of records) {
    chunk += JSON.stringify(selectFields(r, fields)) + '\n';
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Writes `records` to `file` atomically: a temporary name in the same folder, fsync'd before it is
 * closed, then renamed. A failure removes the temporary file, so a cut-off run never leaves a half
 * file that looks whole.
 */
export async function writeJsonlAtomic(file: string, dir: string, name: string, records: readonly DocumentRecord[], fields?: readonly string[]): Promise<void> {
  const tmp = join(dir, `.${name}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await pipeline(Readable.from(jsonLines(records, fields)), createWriteStream(tmp, { flags: 'wx', encoding: 'utf8', flush: true }));
    await rename(tmp, file);
  } catch (err: unknown) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** True when the folder exists and holds at least one entry; false when it is missing or empty. */
async function folderHasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Writes each DocumentBatch to one JSON-lines file, NeMo Curator's `JsonlWriter`:
 * `DocumentBatch → FileGroupTask([written file])` with the batch's metadata plus `format: "jsonl"`.
 * Lines are `JSON.stringify(record)`, UTF-8, without ASCII escaping (`force_ascii=False`).
 */
export class JsonlWriter extends ProcessingStage<DocumentBatch, FileGroupTask> {
  readonly type = 'JsonlWriter';
  private readonly opts: JsonlWriterParams;

  constructor(p: JsonlWriterParams, name = 'jsonl_writer') {
    super(p, name);
    this.opts = p;
  }

  /**
   * Prepares the output folder once per machine, before any worker writes: creates it, empties it
   * in mode "overwrite", and re-checks mode "error" in case the folder filled up since the plan.
   */
  override async setup_on_node(_node: NodeInfo, _worker: WorkerMetadata): Promise<void> {
    const dir = this.opts.path;
    if (this.opts.mode === 'overwrite') {
      const entries = await readdir(dir).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
        throw err;
      });
      for (const e of entries) await rm(join(dir, e), { recursive: true, force: true });
      if (entries.length) this.log('info', `${this.name}: emptied output folder "${dir}" (mode overwrite, ${entries.length} entries removed)`);
    } else if (this.opts.mode === 'error' && (await folderHasEntries(dir))) {
      throw new Error(writerFolderProblem(this.name, dir));
    }
    await mkdir(dir, { recursive: true });
  }

  async process(task: DocumentBatch): Promise<FileGroupTask> {
    const dir = this.opts.path;
    await mkdir(dir, { recursive: true });
    const sources = Array.isArray(task._metadata['source_files']) ? (task._metadata['source_files'] as unknown[]).map(String) : null;
    const name = outputFileName(sources, task.task_id);
    const file = join(dir, name);
    await writeJsonlAtomic(file, dir, name, task.data, this.opts.fields);
    this.logMetric('num_rows_written', task.data.length);
    return new FileGroupTask({
      dataset_name: task.dataset_name,
      data: [file],
      _metadata: { ...task._metadata, format: 'jsonl' },
      _stage_perf: task._stage_perf,
    });
  }
}

/** The message for an output folder that mode "error" refuses. */
function writerFolderProblem(stage: string, dir: string): string {
  return `${stage}: output folder "${dir}" already exists and is not empty; choose mode "overwrite" to replace its contents, or another path`;
}

registerStage({
  type: 'JsonlWriter',
  category: 'io',
  description: 'Writes each batch of documents to one JSON-lines file in a folder (atomic writes, deterministic names).',
  params,
  create: (p, ctx) => new JsonlWriter(definedOnly({ ...p, path: ctx.resolvePath(p.path) })),
  async check(p, ctx) {
    const dir = ctx.resolvePath(p.path);
    const info = await stat(dir).catch(() => null);
    if (info && !info.isDirectory()) return [`JsonlWriter: output path "${dir}" is a file, not a folder; choose another path`];
    if (p.mode === 'error' && info && (await folderHasEntries(dir))) return [writerFolderProblem('JsonlWriter', dir)];
    return [];
  },
});

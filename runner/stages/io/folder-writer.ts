import { mkdir } from 'node:fs/promises';
import { ProcessingStage, type NodeInfo, type WorkerMetadata } from '../../pipeline/stage.js';
import { FileGroupTask, type DocumentBatch, type DocumentRecord } from '../../pipeline/tasks.js';
import { outputFileName, prepareOutputFolder, sourceFilesOf, type WriterMode } from './output-folder.js';

/** The parameters every folder writer takes (`path` already absolute). */
export type FolderWriterParams = { path: string; mode: WriterMode; fields?: string[] | undefined };

/**
 * What JsonlWriter and ParquetWriter share, NeMo Curator's writer contract:
 * `DocumentBatch → FileGroupTask([written file])` with the batch's metadata plus `format`, one file
 * per batch in the output folder, named after the batch's source files (see `outputFileName`). The
 * folder is prepared once per machine; subclasses write one file's bytes.
 */
export abstract class FolderWriter<P extends FolderWriterParams> extends ProcessingStage<DocumentBatch, FileGroupTask> {
  protected readonly opts: P;

  constructor(p: P, name: string) {
    super(p, name);
    this.opts = p;
  }

  /** The `format` added to each output task's metadata, e.g. "jsonl". */
  protected abstract readonly format: string;
  /** The output files' extension, e.g. ".jsonl". */
  protected abstract readonly extension: string;

  /** Writes `records` to `name` in `dir`, atomically; the written file's path. */
  protected abstract writeFile(dir: string, name: string, records: readonly DocumentRecord[]): Promise<string>;

  /** Prepares the output folder once per machine (see `prepareOutputFolder`). */
  override async setup_on_node(_node: NodeInfo, _worker: WorkerMetadata): Promise<void> {
    const removed = await prepareOutputFolder(this.name, this.opts.path, this.opts.mode);
    if (removed) this.log('info', `${this.name}: emptied output folder "${this.opts.path}" (mode overwrite, ${removed} entries removed)`);
  }

  async process(task: DocumentBatch): Promise<FileGroupTask> {
    const dir = this.opts.path;
    await mkdir(dir, { recursive: true });
    const name = outputFileName(sourceFilesOf(task._metadata), task.task_id, this.extension);
    const file = await this.writeFile(dir, name, task.data);
    this.logMetric('num_rows_written', task.data.length);
    return new FileGroupTask({
      dataset_name: task.dataset_name,
      data: [file],
      _metadata: { ...task._metadata, format: this.format },
      _stage_perf: task._stage_perf,
    });
  }
}

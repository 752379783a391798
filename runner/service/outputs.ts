/**
 * What a finished run wrote: the files in its writer's output tasks, with their document counts
 * and sizes, and the ids of the written documents so that the history can compare two runs
 * document by document. Ids are read only while the output is small enough to read again cheaply.
 */
import { stat } from 'node:fs/promises';
import type { Task } from '../pipeline/tasks.js';
import { FileGroupTask } from '../pipeline/tasks.js';
import type { OutputFile } from './contract.js';
import { forEachRecord } from './previews.js';

/** Output bytes up to which document ids are collected. */
const MAX_ID_SCAN_BYTES = 64 * 1024 * 1024;

/** Files and document ids of a run's output. */
export interface RunOutputs {
  files: OutputFile[];
  /** Empty when the output is too large to scan or a document has no `id`. */
  docIds: string[];
}

/** The files in the output tasks of a run's last stage (a writer's FileGroupTasks). */
export async function outputsOf(tasks: readonly Task[]): Promise<RunOutputs> {
  const files: OutputFile[] = [];
  for (const t of tasks) {
    if (!(t instanceof FileGroupTask)) continue;
    const perf = t._stage_perf[t._stage_perf.length - 1];
    const written = perf?.custom_metrics['num_rows_written'] ?? perf?.num_items_processed ?? 0;
    for (const file of t.data) {
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) continue;
      // A batch writes one file, so the batch's row count is the file's.
      files.push({ path: file, documents: t.data.length === 1 ? written : 0, bytes: info.size });
    }
  }
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  if (bytes === 0 || bytes > MAX_ID_SCAN_BYTES) return { files, docIds: [] };
  const docIds: string[] = [];
  let complete = true;
  for (const f of files) {
    await forEachRecord(
      f.path,
      (doc) => {
        const id = doc.id;
        if (typeof id === 'string' || typeof id === 'number') docIds.push(String(id));
        else complete = false;
        return complete;
      },
      () => (complete = false),
    );
    if (!complete) break;
  }
  // Ids of only some documents would make a comparison report false differences.
  return { files, docIds: complete ? docIds : [] };
}

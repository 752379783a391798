import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What the writers share: NeMo Curator's `mode` for an output folder that already holds files, the
 * deterministic output file names, and atomic writes (a temporary name in the same folder, then a
 * rename), so that a cut-off run never leaves a partial file under a final name.
 */

/** `mode`: NeMo Curator's `check_output_mode` (without "append", which NeMo Curator does not implement either). */
export const writerModeParam = z
  .enum(['ignore', 'overwrite', 'error'])
  .default('ignore')
  .describe('What to do when the folder already holds files: "ignore" writes alongside them, "overwrite" empties the folder before the run writes, "error" refuses to run.');

/** A writer's output mode. */
export type WriterMode = z.output<typeof writerModeParam>;

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

/** The `source_files` of a batch's metadata, or null. */
export function sourceFilesOf(metadata: Record<string, unknown>): string[] | null {
  const s = metadata['source_files'];
  return Array.isArray(s) ? s.map(String) : null;
}

/** True when the folder exists and holds at least one entry; false when it is missing or empty. */
export async function folderHasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** The message for an output folder that mode "error" refuses. */
export function writerFolderProblem(stage: string, dir: string): string {
  return `${stage}: output folder "${dir}" already exists and is not empty; choose mode "overwrite" to replace its contents, or another path`;
}

/**
 * Prepares an output folder once per machine, before any worker writes: empties it in mode
 * "overwrite" (returning how many entries went), re-checks mode "error" in case the folder filled
 * up since the plan, and creates it.
 */
export async function prepareOutputFolder(stage: string, dir: string, mode: WriterMode): Promise<number> {
  let removed = 0;
  if (mode === 'overwrite') {
    const entries = await readdir(dir).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
      throw err;
    });
    for (const e of entries) await rm(join(dir, e), { recursive: true, force: true });
    removed = entries.length;
  } else if (mode === 'error' && (await folderHasEntries(dir))) {
    throw new Error(writerFolderProblem(stage, dir));
  }
  await mkdir(dir, { recursive: true });
  return removed;
}

/** Plan-time check of an output folder: not a file, and not already filled in mode "error". */
export async function checkOutputFolder(stage: string, dir: string, mode: WriterMode): Promise<string[]> {
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) return [`${stage}: output path "${dir}" is a file, not a folder; choose another path`];
  if (mode === 'error' && info && (await folderHasEntries(dir))) return [writerFolderProblem(stage, dir)];
  return [];
}

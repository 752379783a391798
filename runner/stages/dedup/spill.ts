import { readFile, rm, rmdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomically } from '../../engine/atomic-write.js';
import type { DocumentRecord } from '../../pipeline/tasks.js';

/**
 * Documents waiting on disk between a dedup stage's identification pass and its removal pass, so
 * that the engine holds only their hashes: one file per task, in V8's serialization format (fast,
 * and it keeps every value a reader produces, BigInt included). Written under a temporary name
 * then renamed, so a half-written spill file is never read.
 */

/** A fresh folder for one dedup stage's spill files: under `cachePath` if given, else the OS temp folder. */
export function newSpillDir(cachePath: string | undefined): string {
  return join(cachePath ?? tmpdir(), `curator-dedup-${randomUUID()}`);
}

function fileName(taskId: string): string {
  return `${taskId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 180)}.spill`;
}

/** Writes one task's documents; returns the file's path. */
export async function writeSpill(dir: string, taskId: string, docs: readonly DocumentRecord[]): Promise<string> {
  return writeFileAtomically(join(dir, fileName(taskId)), serialize(docs));
}

/** Reads a spill file back; an error naming the file when it is missing (for example after the temp folder was cleaned). */
export async function readSpill(file: string): Promise<DocumentRecord[]> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e: unknown) {
    throw new Error(`dedup spill file ${file} cannot be read (${e instanceof Error ? e.message : String(e)}); was the temporary folder cleaned during the run? Set cache_path to a folder that is kept`);
  }
  return deserialize(buf) as DocumentRecord[];
}

/** Deletes a spill file, then its folder if that is now empty. */
export async function dropSpill(file: string, dir: string): Promise<void> {
  await rm(file, { force: true });
  await rmdir(dir).catch(() => undefined);
}

/**
 * Writing a file so that nobody ever sees half of it: the data goes to a hidden temporary file in
 * the same folder (readers skip hidden names), which is then renamed over the final name. A
 * failure removes the temporary file and leaves any earlier version of the file as it was.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Writes `file` atomically; `write` fills the temporary file (for streamed writers). Answers `file`. */
export async function writeAtomically(file: string, write: (tmp: string) => Promise<void>): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (err: unknown) {
    await rm(tmp, { force: true });
    throw err;
  }
  return file;
}

/** Writes `data` to `file` atomically. */
export function writeFileAtomically(file: string, data: string | Uint8Array): Promise<string> {
  return writeAtomically(file, (tmp) => writeFile(tmp, data));
}

/** The same, synchronously (small files such as settings). */
export function writeFileAtomicallySync(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err: unknown) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

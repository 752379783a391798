import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { definedOnly } from './file-partitioning.js';
import { FolderWriter } from './folder-writer.js';
import { writeAtomically } from '../../engine/atomic-write.js';
import { checkOutputFolder, writerModeParam } from './output-folder.js';
import { outputRecord, writerFieldsParam } from './record-fields.js';

export { outputFileName } from './output-folder.js';

const params = z
  .object({
    path: z.string().min(1).describe('Output folder; one .jsonl file is written per batch. Relative paths are relative to the pipeline file.'),
    mode: writerModeParam,
    fields: writerFieldsParam,
  })
  .strict();

/** Parameters of JsonlWriter, `path` already absolute. */
export type JsonlWriterParams = z.output<typeof params>;

/** Lines of JSON, grouped into chunks of about 1 MB so a large batch is not one giant string. */
function* jsonLines(records: readonly DocumentRecord[], fields: readonly string[] | undefined): Generator<string> {
  let chunk = '';
  for (const r of records) {
    chunk += JSON.stringify(outputRecord(r, fields)) + '\n';
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Writes `records` to `name` in `dir` (the file `_file`) atomically: a temporary name in the same folder, fsync'd before it is
 * closed, then renamed. A failure removes the temporary file, so a cut-off run never leaves a half
 * file that looks whole. `_curator_` fields are dropped unless `fields` names them.
 */
export async function writeJsonlAtomic(_file: string, dir: string, name: string, records: readonly DocumentRecord[], fields?: readonly string[]): Promise<string> {
  return writeAtomically(join(dir, name), (tmp) => pipeline(Readable.from(jsonLines(records, fields)), createWriteStream(tmp, { flags: 'wx', encoding: 'utf8', flush: true })));
}

/**
 * Writes each DocumentBatch to one JSON-lines file, NeMo Curator's `JsonlWriter`:
 * `DocumentBatch → FileGroupTask([written file])` with the batch's metadata plus `format: "jsonl"`.
 * Lines are `JSON.stringify(record)`, UTF-8, without ASCII escaping (`force_ascii=False`).
 */
export class JsonlWriter extends FolderWriter<JsonlWriterParams> {
  readonly type = 'JsonlWriter';
  protected readonly format = 'jsonl';
  protected readonly extension = '.jsonl';

  constructor(p: JsonlWriterParams, name = 'jsonl_writer') {
    super(p, name);
  }

  protected writeFile(dir: string, name: string, records: readonly DocumentRecord[]): Promise<string> {
    return writeJsonlAtomic(join(dir, name), dir, name, records, this.opts.fields);
  }
}

registerStage({
  type: 'JsonlWriter',
  category: 'io',
  description: 'Writes each batch of documents to one JSON-lines file in a folder (atomic writes, deterministic names).',
  params,
  create: (p, ctx) => new JsonlWriter(definedOnly({ ...p, path: ctx.resolvePath(p.path) })),
  check: (p, ctx) => checkOutputFolder('JsonlWriter', ctx.resolvePath(p.path), p.mode),
});

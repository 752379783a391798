/**
 * Input for the text-stage benchmarks: the bundled sample documents, and documents written as
 * JSON-lines shards for a pipeline to read.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this file runs from dist/test/bench). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bundled sample documents' texts (resources/sample/*.jsonl). */
export async function sampleTexts(): Promise<string[]> {
  const dir = path.join(ROOT, 'resources', 'sample');
  const texts: string[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}

/**
 * Writes `docs` in order to `files` files `in-000.jsonl`, ... in `dir`, an equal share (rounded up)
 * each, as `{ id: "d<file>-<line>", text }` lines; the bytes written.
 */
export async function writeShards(dir: string, docs: readonly string[], files: number): Promise<number> {
  const per = Math.ceil(docs.length / files);
  let bytes = 0;
  for (let f = 0; f < files; f++) {
    const lines = docs.slice(f * per, (f + 1) * per).map((text, i) => JSON.stringify({ id: `d${f}-${i}`, text }));
    const body = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(body);
    await writeFile(path.join(dir, `in-${String(f).padStart(3, '0')}.jsonl`), body);
  }
  return bytes;
}

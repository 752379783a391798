/**
 * What a run read and how it was asked to run, as history keeps them: the input manifest (every
 * file named by a stage's `file_paths`, with size and modification time) and the pipeline file
 * with its relative paths made absolute, so that a past run says exactly what it read and wrote.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPipeline } from '../pipeline/pipeline-file.js';
import { listInputFiles } from '../stages/io/files.js';
import { findStage } from '../stages/registry.js';
import type { InputFile } from './types.js';

/** At most this many input files are recorded with a run. */
export const MAX_RECORDED_INPUTS = 100_000;

/**
 * The input files of every stage with a `file_paths` parameter (built stages hold it resolved, and
 * `file_extensions` with its default), sorted and without duplicates. A path that cannot be listed
 * is skipped: the run itself reports missing inputs.
 */
export async function inputManifest(stages: ReadonlyArray<{ params: Record<string, unknown> }>): Promise<InputFile[]> {
  const files = new Set<string>();
  for (const s of stages) {
    const fp = s.params.file_paths;
    if (typeof fp !== 'string' && !(Array.isArray(fp) && fp.every((p) => typeof p === 'string'))) continue;
    const exts = Array.isArray(s.params.file_extensions) ? (s.params.file_extensions as string[]) : [];
    try {
      for (const f of await listInputFiles(fp as string | string[], exts)) files.add(f);
    } catch {
      continue;
    }
  }
  const out: InputFile[] = [];
  for (const f of [...files].sort()) {
    if (out.length >= MAX_RECORDED_INPUTS) break;
    try {
      const s = await stat(f);
      out.push({ path: f, size: s.size, mtime: s.mtime.toISOString() });
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * The pipeline file as run: the file's object with the executor section the run used (overrides
 * and defaults applied), and each parameter that its stage resolves as a path against the file's
 * folder replaced by the absolute path, so that the record can be re-run from anywhere and its
 * outputs found. Which parameters are paths is learnt by building each stage with a context that
 * notes what it resolves; everything else stays as written.
 */
export function pipelineAsRun(loaded: LoadedPipeline): Record<string, unknown> {
  const data = structuredClone(loaded.data);
  const baseDir = loaded.file ? path.dirname(loaded.file) : null;
  if (baseDir) {
    const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(baseDir, p));
    for (const entry of data.stages) {
      const def = findStage(entry.stage);
      const resolved = new Set<string>();
      try {
        def?.create(def.params.parse(entry.params), { resolvePath: (p) => (resolved.add(p), abs(p)) });
      } catch {
        continue;
      }
      for (const [key, v] of Object.entries(entry.params)) {
        if (typeof v === 'string' && resolved.has(v)) entry.params[key] = abs(v);
        else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' && resolved.has(x))) entry.params[key] = (v as string[]).map(abs);
      }
    }
  }
  return { ...data, executor: { backend: loaded.backend, config: loaded.config } };
}

/**
 * Points a pipeline at the user's input and output before it runs. Templates name their sample
 * data and output relative to their own file, which lies inside the app bundle (read-only when
 * packaged), so the Run page rewrites reader inputs (`file_paths`) and writer outputs (`path`,
 * `removed_path`) as YAML edits that keep the rest of the text as written.
 */
import type { BackendInfo, StageInfo } from '../../../runner/service/contract';
import { joinPath } from './paths';
import { editPipelineText, parsePipelineText, setValue, type DocumentEdit } from './yaml-sync';

/** What to point the pipeline at; an absent field leaves those paths as the pipeline says. */
export interface RetargetOptions {
  input?: string;
  output?: string;
}

function paramNames(catalog: readonly StageInfo[], type: string): Set<string> {
  return new Set(catalog.find((s) => s.type === type)?.parameters.map((p) => p.name) ?? []);
}

/** A reader: an io stage that takes `file_paths`. */
export function isReader(catalog: readonly StageInfo[], type: string): boolean {
  const info = catalog.find((s) => s.type === type);
  return info?.category === 'io' && paramNames(catalog, type).has('file_paths');
}

/** A writer: an io stage that writes to a `path` folder. */
export function isWriter(catalog: readonly StageInfo[], type: string): boolean {
  const info = catalog.find((s) => s.type === type);
  return info?.category === 'io' && paramNames(catalog, type).has('path');
}

/** The folder removed documents go to, next to the output folder. */
export function removedFolderOf(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}-removed`;
}

/** Rewrites reader inputs and writer outputs; the text is returned unchanged when there is nothing to do. */
export function retargetPipeline(text: string, catalog: readonly StageInfo[], opts: RetargetOptions): string {
  const parsed = parsePipelineText(text);
  if (!parsed.ok) return text;
  const edits: DocumentEdit[] = [];
  let writers = 0;
  parsed.data.stages.forEach((entry, i) => {
    if (opts.input && isReader(catalog, entry.stage)) edits.push(setValue(['stages', i, 'params', 'file_paths'], opts.input));
    if (!opts.output) return;
    if (isWriter(catalog, entry.stage)) {
      // A second writer gets its own folder next to the first, named after the stage.
      const target = writers === 0 ? opts.output : `${opts.output.replace(/[\\/]+$/, '')}-${entry.name ?? entry.stage}`;
      edits.push(setValue(['stages', i, 'params', 'path'], target));
      writers++;
    }
    if (typeof entry.params.removed_path === 'string') edits.push(setValue(['stages', i, 'params', 'removed_path'], removedFolderOf(opts.output)));
  });
  return edits.length ? editPipelineText(text, ...edits) : text;
}

/** The first reader's input, resolved against the pipeline's folder (for display and preview); null when none. */
export function readerInputOf(text: string, catalog: readonly StageInfo[], baseDir: string | undefined): string | null {
  const parsed = parsePipelineText(text);
  if (!parsed.ok) return null;
  for (const entry of parsed.data.stages) {
    if (!isReader(catalog, entry.stage)) continue;
    const raw = entry.params.file_paths;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (typeof first !== 'string') return null;
    return baseDir ? joinPath(baseDir, first) : first;
  }
  return null;
}

/** The first writer's output folder, resolved against the pipeline's folder; null when none. */
export function writerOutputOf(text: string, catalog: readonly StageInfo[], baseDir: string | undefined): string | null {
  const parsed = parsePipelineText(text);
  if (!parsed.ok) return null;
  const entry = parsed.data.stages.find((s) => isWriter(catalog, s.stage));
  const raw = entry?.params.path;
  if (typeof raw !== 'string') return null;
  return baseDir ? joinPath(baseDir, raw) : raw;
}

/**
 * Edits that switch the executor to another backend: `executor.backend`, and the removal of the
 * config keys the new backend does not know (a template's Xenna `execution_mode` would make
 * Ray Data refuse the pipeline). Keys both backends share, such as `logging_interval`, stay.
 */
export function backendEdits(config: Record<string, unknown>, backend: string, backends: readonly BackendInfo[]): DocumentEdit[] {
  const schema = backends.find((b) => b.name === backend)?.config_schema;
  const props = schema?.properties;
  const known = new Set(typeof props === 'object' && props !== null ? Object.keys(props) : []);
  return [setValue(['executor', 'backend'], backend), ...Object.keys(config).filter((k) => !known.has(k)).map((k) => setValue(['executor', 'config', k], undefined))];
}

/** The pipeline text switched to another backend (unchanged when it already uses it or cannot be parsed). */
export function withBackend(text: string, backend: string, backends: readonly BackendInfo[]): string {
  const parsed = parsePipelineText(text);
  if (!parsed.ok || parsed.data.backend === backend) return text;
  return editPipelineText(text, ...backendEdits(parsed.data.config, backend, backends));
}

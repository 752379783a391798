/**
 * Turns a pipeline sent by a client into a runnable one: parsed and validated by the same
 * pipeline-file code as the CLI, built, planned against the machine, with the facts the service
 * records and shows (external programs, input files, paths made absolute) worked out once.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parsePipeline, type LoadedPipeline, type PipelineFileData } from '../pipeline/pipeline-file.js';
import { ValidationError } from '../pipeline/errors.js';
import type { ProcessingStage } from '../pipeline/stage.js';
import { planMachine } from '../engine/run-plan.js';
import { findStage } from '../stages/registry.js';
import { splitCommand } from '../stages/external/command-line.js';
import { listInputFiles } from '../stages/io/files.js';
import { FilePartitioningStage } from '../stages/io/file-partitioning.js';
import type { ExternalCommandUse, InputFile, PlannedStage, TemplateInfo } from './contract.js';

/** The label pipeline problems start with when the pipeline came as text, not a file. */
const PIPELINE_LABEL = 'pipeline';
/** At most this many input files are recorded with a run. */
const MAX_RECORDED_INPUTS = 10_000;

/** What a client sends to validate or start a run (after argument checks). */
export interface PipelineRequest {
  pipeline: string | Record<string, unknown>;
  base_dir?: string | undefined;
  backend?: string | undefined;
  config?: Record<string, unknown> | undefined;
  cpus?: number | undefined;
  gpus?: string[] | undefined;
}

/** A validated, built and planned pipeline. */
export interface PreparedPipeline {
  loaded: LoadedPipeline;
  /** The stages after decomposition, as they will run. */
  stages: ProcessingStage[];
  planned: PlannedStage[];
  /** The pipeline file's content with relative paths made absolute, as history records it. */
  recorded: PipelineFileData;
  external: ExternalCommandUse[];
  warnings: string[];
  needsGpu: boolean;
}

/**
 * Validates and plans a pipeline. Throws a ValidationError (PlanError for GPU requests the machine
 * cannot meet) listing every problem with its line, stage and parameter.
 */
export async function preparePipeline(req: PipelineRequest): Promise<PreparedPipeline> {
  const text = typeof req.pipeline === 'string' ? req.pipeline : JSON.stringify(req.pipeline, null, 2);
  const baseDir = req.base_dir ?? process.cwd();
  const overrides = { ...(req.backend !== undefined ? { backend: req.backend } : {}), ...(req.config !== undefined ? { config: req.config } : {}) };
  const loaded = await parsePipeline(text, { file: null, baseDir, label: PIPELINE_LABEL }, overrides);
  const recorded = recordedPipeline(loaded, baseDir);
  const external = externalCommands(loaded);
  let stages: ProcessingStage[];
  try {
    stages = loaded.pipeline.build();
  } catch (e: unknown) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError([`${PIPELINE_LABEL}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  const plan = await planMachine(stages, { cpus: req.cpus, gpus: req.gpus, cpuFraction: Number(loaded.config.cpu_allocation_percentage ?? 1), minimumCpus: 0 });
  return {
    loaded,
    stages,
    planned: stages.map((s) => ({ name: s.name, type: s.type, resources: s.resources.toJSON(), batch_size: s.batch_size })),
    recorded,
    external,
    warnings: plan.warnings,
    needsGpu: stages.some((s) => s.resources.requiresGpu),
  };
}

/**
 * The pipeline file's data with each path parameter the stage resolved against `baseDir` replaced
 * by its absolute form, so that the recorded run can be re-run and its outputs found later. Only
 * values that the stage itself resolved are changed; everything else stays as the user wrote it.
 */
function recordedPipeline(loaded: LoadedPipeline, baseDir: string): PipelineFileData {
  const data = structuredClone(loaded.data);
  data.executor = { backend: loaded.backend, config: loaded.config };
  data.stages.forEach((entry, i) => {
    const built = loaded.pipeline.stages[i]?.params ?? {};
    for (const [key, written] of Object.entries(entry.params)) {
      const resolved = built[key];
      if (typeof written === 'string' && resolved === path.resolve(baseDir, written)) entry.params[key] = resolved;
      else if (Array.isArray(written) && Array.isArray(resolved) && written.length === resolved.length && written.every((w, n) => typeof w === 'string' && resolved[n] === path.resolve(baseDir, w))) {
        entry.params[key] = [...(resolved as string[])];
      }
    }
  });
  return data;
}

/**
 * The stages that run a program on the user's machine: external stages (CommandStage and its kin)
 * and any stage given a `command` to run (EnvProbe). The app asks before it starts such a run.
 */
function externalCommands(loaded: LoadedPipeline): ExternalCommandUse[] {
  const out: ExternalCommandUse[] = [];
  loaded.data.stages.forEach((entry, i) => {
    const def = findStage(entry.stage);
    const raw = entry.params.command;
    // CommandStage splits a command string on whitespace; EnvProbe runs its string through a shell.
    const command = typeof raw === 'string' ? (entry.stage === 'CommandStage' ? splitCommand(raw) : [raw]) : Array.isArray(raw) && raw.length > 0 && raw.every((a) => typeof a === 'string') ? (raw as string[]) : null;
    if (def?.category === 'external' || entry.stage === 'CommandStage' || command) {
      out.push({ stage_index: i, stage: loaded.pipeline.stages[i]?.name ?? entry.name ?? entry.stage, type: entry.stage, command });
    }
  });
  return out;
}

/** The input files the run's partitioning stages will read, with size and modification time. */
export async function inputFilesOf(stages: readonly ProcessingStage[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const s of stages) {
    if (!(s instanceof FilePartitioningStage)) continue; // the readers' own partitioners are subclasses
    const filePaths = s.params.file_paths as string | string[] | undefined;
    const exts = Array.isArray(s.params.file_extensions) ? (s.params.file_extensions as string[]) : [];
    if (filePaths === undefined) continue;
    try {
      for (const file of await listInputFiles(filePaths, exts)) {
        if (out.length >= MAX_RECORDED_INPUTS) return out;
        const st = await stat(file);
        out.push({ path: file, size: st.size, mtime: st.mtime.toISOString() });
      }
    } catch {
      // Inputs are recorded for reference; a folder that vanished fails the run itself, with a clear error.
    }
  }
  return out;
}

/** The pipeline templates in `<resources>/templates`, sorted by id. */
export async function listTemplates(resourcesDir: string | null): Promise<TemplateInfo[]> {
  if (!resourcesDir) return [];
  const dir = path.join(resourcesDir, 'templates');
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: TemplateInfo[] = [];
  for (const name of names.filter((n) => /\.(ya?ml|json)$/i.test(n)).sort()) {
    const file = path.join(dir, name);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    let meta: { name?: unknown; description?: unknown } = {};
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed && typeof parsed === 'object') meta = parsed as typeof meta;
    } catch {
      // A broken template is still listed; validating it shows the problem.
    }
    const id = name.replace(/\.(ya?ml|json)$/i, '');
    out.push({ id, name: typeof meta.name === 'string' ? meta.name : id, description: typeof meta.description === 'string' ? meta.description : null, file, base_dir: dir, text });
  }
  return out;
}

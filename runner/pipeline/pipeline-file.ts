import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node } from 'yaml';
import { ValidationError } from './errors.js';
import { Pipeline } from './pipeline.js';
import { type CompositeStage, ProcessingStage, type AnyStage, type StageOverrides } from './stage.js';
import { findStage, closest, listStages, type CreateContext } from '../stages/registry.js';
import { BACKEND_NAMES, parseBackendConfig } from '../backends/index.js';
import { parseRayStageSpec } from '../backends/ray-data/policy/plan.js';
import type { BackendName } from '../engine/events.js';
import '../stages/index.js';

const ResourcesSchema = z
  .object({
    cpus: z.number().min(0).optional().describe('CPUs per worker (default 1)'),
    gpus: z.number().min(0).optional().describe('GPUs per worker: a fraction below 1 shares a device, a whole number takes whole devices'),
    gpu_memory_gb: z.number().min(0).optional().describe('GPU memory per worker in GB, converted to a fraction of the device the worker lands on'),
  })
  .strict()
  .refine((r) => !((r.gpus ?? 0) > 0 && (r.gpu_memory_gb ?? 0) > 0), { message: 'set either gpus or gpu_memory_gb, not both' });

/** The fields of one stage entry besides its params (overrides). */
export const StageEntryFields = {
  stage: z.string().min(1).describe('Stage type, NeMo Curator\u2019s class name'),
  name: z.string().min(1).optional().describe('Stage name (defaults to the type\u2019s own)'),
  resources: ResourcesSchema.optional(),
  batch_size: z.number().int().min(1).optional().describe('Tasks per process_batch call'),
  num_workers: z.number().int().min(1).optional().describe('A fixed worker count (the autoscaler keeps it)'),
  ray_stage_spec: z.record(z.string(), z.unknown()).optional().describe('Ray backends: min_workers, max_workers, initial_workers, is_raft_actor, ...'),
  xenna_stage_spec: z.record(z.string(), z.unknown()).optional().describe('Xenna per-stage overrides (slots_per_actor, ...)'),
};

const StageEntrySchema = z.object({ ...StageEntryFields, params: z.record(z.string(), z.unknown()).default({}) }).strict();

/** The pipeline file: `name`, `description`, `stages[]`, `executor: {backend, config}` (DESIGN.md §3). */
export const PipelineFileSchema = z
  .object({
    name: z.string().min(1).describe('Pipeline name'),
    description: z.string().optional(),
    stages: z.array(StageEntrySchema).min(1, 'a pipeline needs at least one stage'),
    executor: z
      .object({ backend: z.enum(BACKEND_NAMES).default('xenna'), config: z.record(z.string(), z.unknown()).default({}) })
      .strict()
      .optional(),
  })
  .strict();

/** A parsed pipeline file (before stage params are validated). */
export type PipelineFileData = z.output<typeof PipelineFileSchema>;

/** A loaded, fully validated pipeline file. */
export interface LoadedPipeline {
  file: string | null;
  data: PipelineFileData;
  pipeline: Pipeline;
  backend: BackendName;
  config: Record<string, unknown>;
  /** Stage types in the file, in order. */
  stageTypes: string[];
}

/** Overrides from the command line or the API; `config` keys win over the file's. */
export interface LoadOverrides {
  backend?: string;
  config?: Record<string, unknown>;
}

/** Reads and validates a pipeline file; throws a ValidationError listing every problem with file and line. */
export async function loadPipelineFile(file: string, overrides: LoadOverrides = {}): Promise<LoadedPipeline> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ValidationError([`${file}: cannot read the pipeline file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`]);
  }
  return parsePipeline(text, { file: abs, baseDir: path.dirname(abs), label: file }, overrides);
}

/** Validates pipeline text (YAML or JSON). Relative paths resolve against `baseDir`. */
export async function parsePipeline(text: string, where: { file: string | null; baseDir: string; label?: string }, overrides: LoadOverrides = {}): Promise<LoadedPipeline> {
  const label = where.label ?? where.file ?? '<pipeline>';
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (p: ReadonlyArray<PropertyKey>, key?: string): string => `${label}:${lineOf(doc, lc, p, key)}`;
  if (doc.errors.length) {
    throw new ValidationError(doc.errors.map((e) => `${label}:${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  }
  const raw: unknown = doc.toJS();
  const problems: string[] = [];
  const top = PipelineFileSchema.safeParse(raw);
  if (!top.success) {
    for (const i of top.error.issues) problems.push(`${at(i.path, unknownKey(i))}: ${describePath(i.path)}${issueMessage(i)}`);
    throw new ValidationError(problems);
  }
  const data = top.data;
  const ctx: CreateContext = { resolvePath: (p) => (path.isAbsolute(p) ? p : path.resolve(where.baseDir, p)) };
  const stages: AnyStage[] = [];
  for (const [i, entry] of data.stages.entries()) {
    const base = ['stages', i];
    const who = `stages[${i}] (${entry.stage})`;
    const def = findStage(entry.stage);
    if (!def || def.internal) {
      const near = closest(entry.stage, listStages().map((d) => d.type));
      problems.push(`${at([...base, 'stage'])}: ${who}: unknown stage type "${entry.stage}"${near ? ` (did you mean "${near}"?)` : ''}; \`curator stages\` lists them`);
      continue;
    }
    const parsed = def.params.safeParse(entry.params);
    if (!parsed.success) {
      for (const iss of parsed.error.issues) {
        let msg = issueMessage(iss);
        const key = unknownKey(iss);
        if (key) {
          const near = closest(key, Object.keys(def.params.shape));
          msg += near ? ` (did you mean "${near}"?)` : ` (known parameters: ${Object.keys(def.params.shape).join(', ')})`;
        }
        problems.push(`${at([...base, 'params', ...iss.path], key)}: ${who}: ${describePath(['params', ...iss.path])}${msg}`);
      }
      continue;
    }
    try {
      if (entry.ray_stage_spec) {
        try {
          parseRayStageSpec(entry.name ?? entry.stage, entry.ray_stage_spec);
        } catch (e: unknown) {
          problems.push(`${at([...base, 'ray_stage_spec'])}: ${who}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const checks = await def.check?.(parsed.data, ctx);
      for (const c of checks ?? []) problems.push(`${at([...base, 'params'])}: ${who}: ${c}`);
      stages.push(applyOverrides(def.create(parsed.data, ctx), entry));
    } catch (e: unknown) {
      const msgs = e instanceof ValidationError ? e.problems : [e instanceof Error ? e.message : String(e)];
      for (const m of msgs) problems.push(`${at(base)}: ${who}: ${m}`);
    }
  }
  const backend = overrides.backend ?? data.executor?.backend ?? 'xenna';
  const config = { ...(data.executor?.config ?? {}), ...(overrides.config ?? {}) };
  const cfg = parseBackendConfig(backend, config, overrides.backend || overrides.config ? 'executor config' : 'executor.config');
  if (!cfg.ok) for (const p of cfg.problems) problems.push(`${at(['executor'])}: ${p}`);
  if (problems.length || !cfg.ok) throw new ValidationError(problems);
  const pipeline = new Pipeline(data.name, data.description ?? null, stages);
  return { file: where.file, data, pipeline, backend: backend as BackendName, config: cfg.config, stageTypes: data.stages.map((s) => s.stage) };
}

function applyOverrides(stage: AnyStage, entry: z.output<typeof StageEntrySchema>): AnyStage {
  const o: StageOverrides = {};
  if (entry.name !== undefined) o.name = entry.name;
  if (entry.resources !== undefined) o.resources = entry.resources;
  if (entry.batch_size !== undefined) o.batch_size = entry.batch_size;
  if (entry.num_workers !== undefined) o.num_workers = entry.num_workers;
  if (entry.ray_stage_spec !== undefined) o.ray_stage_spec = entry.ray_stage_spec;
  if (entry.xenna_stage_spec !== undefined) o.xenna_stage_spec = entry.xenna_stage_spec;
  if (stage instanceof ProcessingStage) return stage.with_(o);
  const named = entry.name !== undefined ? renameComposite(stage, entry.name) : stage;
  const { name: _n, ...rest } = o;
  if (Object.keys(rest).length === 0) return named;
  const subs = named.decompose();
  const main = subs[named.mainStageIndex(subs)] as ProcessingStage;
  return named.with_({ [main.name]: rest });
}

function renameComposite(stage: CompositeStage, name: string): CompositeStage {
  const copy = Object.create(Object.getPrototypeOf(stage)) as CompositeStage;
  Object.assign(copy, stage);
  copy.name = name;
  return copy;
}

function unknownKey(i: z.core.$ZodIssue): string | undefined {
  return i.code === 'unrecognized_keys' ? i.keys[0] : undefined;
}

function issueMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  return i.message;
}

function describePath(p: ReadonlyArray<PropertyKey>): string {
  if (!p.length) return '';
  return p.map((k, n) => (typeof k === 'number' ? `[${k}]` : `${n ? '.' : ''}${String(k)}`)).join('') + ': ';
}

/** Line of the node at a path (or of a key inside it); the nearest existing ancestor otherwise. */
function lineOf(doc: Document, lc: LineCounter, p: ReadonlyArray<PropertyKey>, key?: string): number | string {
  const keys = p.map((k) => (typeof k === 'symbol' ? String(k) : k));
  for (let n = keys.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true)) as Node | null | undefined;
    if (!node) continue;
    if (key && n === keys.length && isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
      const kr = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (kr) return lc.linePos(kr[0]).line;
    }
    if (node.range) return lc.linePos(node.range[0]).line;
  }
  return '?';
}

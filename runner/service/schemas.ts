/**
 * The argument schema of every API method. Hosts pass whatever arrived (JSON from a WebSocket,
 * a structured clone from the preload) and the service checks it here before anything else, so
 * a bad call gets an `invalid_argument` error naming the argument, never a crash.
 */
import path from 'node:path';
import { z } from 'zod';
import { BACKEND_NAMES } from '../backends/index.js';
import type { ApiMethod } from './contract.js';
import { CuratorApiError } from './errors.js';
import { MAX_CONCURRENT_RUNS } from './settings.js';

/** Longest pipeline text accepted (a pipeline file is a few kilobytes). */
const MAX_PIPELINE_CHARS = 2_000_000;
/** Most documents or lines one page may ask for. */
export const MAX_PAGE = 1000;
/** Most runs one page of the run list may ask for (the history's own limit). */
const MAX_RUNS_PAGE = 500;

const noArgs = z.object({}).strict().optional();
const runId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'expected a run id (letters, digits, ".", "_", ":", "-")');
const absoluteDir = z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'expected an absolute folder path');
const offset = z.number().int().min(0).default(0);
const maxValueChars = z.number().int().min(0).max(10_000_000).default(2000).describe('cut longer string values (0: never)');
const pageLimit = (dflt: number) => z.number().int().min(1).max(MAX_PAGE).default(dflt);

const pipelineSource = {
  pipeline: z.union([z.string().min(1).max(MAX_PIPELINE_CHARS), z.record(z.string(), z.unknown())], {
    error: 'expected the pipeline file text (YAML or JSON) or the pipeline as an object',
  }),
  base_dir: absoluteDir.optional(),
  backend: z.enum(BACKEND_NAMES).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  cpus: z.number().positive().max(1_000_000).optional(),
  gpus: z.array(z.string().min(1).max(200)).max(256).optional(),
};

const validateArgs = z.object(pipelineSource).strict();

const startArgs = z
  .object({
    ...pipelineSource,
    name: z.string().min(1).max(200).optional(),
    confirm_external_commands: z.boolean().optional(),
  })
  .strict();

const listArgs = z
  .object({
    status: z.array(z.string().min(1).max(32)).max(16).optional(),
    backend: z.array(z.string().min(1).max(32)).max(16).optional(),
    name: z.string().max(200).optional(),
    text: z.string().max(1000).optional(),
    from: z.string().max(64).optional(),
    to: z.string().max(64).optional(),
    sort: z.enum(['started_at', 'duration', 'name', 'status']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(MAX_RUNS_PAGE).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict()
  .optional();

const runRef = z.object({ run_id: runId }).strict();

/** Every method's argument schema; the key set must equal the API's method set. */
export const apiSchemas = {
  catalog: noArgs,
  hardware: z.object({ refresh: z.boolean().optional() }).strict().optional(),
  hardwareSample: noArgs,
  validatePipeline: validateArgs,
  startRun: startArgs,
  cancelRun: runRef,
  listRuns: listArgs,
  getRun: runRef,
  compareRuns: z.object({ a: runId, b: runId }).strict(),
  deleteRun: runRef,
  pruneRuns: z
    .object({ older_than_days: z.number().min(0).max(100_000).optional(), keep: z.number().int().min(0).optional() })
    .strict()
    .refine((a) => a.older_than_days !== undefined || a.keep !== undefined, 'give older_than_days, keep, or both'),
  runLogs: z
    .object({
      run_id: runId,
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(MAX_PAGE).optional(),
      level: z.array(z.enum(['debug', 'info', 'warn', 'error'])).max(4).optional(),
    })
    .strict(),
  runMetrics: runRef,
  previewInput: z
    .object({ path: z.string().min(1).max(4096), base_dir: absoluteDir.optional(), offset, limit: pageLimit(20), max_value_chars: maxValueChars })
    .strict()
    .refine((a) => a.base_dir !== undefined || path.isAbsolute(a.path), { message: 'expected an absolute path, or base_dir for a relative one', path: ['path'] }),
  previewOutput: z
    .object({ run_id: runId, offset, limit: pageLimit(50), stage: z.string().min(1).max(200).optional(), max_value_chars: maxValueChars })
    .strict(),
  removedDocuments: z
    .object({ run_id: runId, stage: z.string().min(1).max(200).optional(), reason: z.string().min(1).max(500).optional(), offset, limit: pageLimit(50) })
    .strict(),
  settings: noArgs,
  updateSettings: z
    .object({
      max_concurrent_runs: z.number().int().min(1).max(MAX_CONCURRENT_RUNS).optional(),
      gpu_allow_list: z
        .array(z.string().min(1).max(200), { error: 'expected a list of GPU indices or UUIDs, or null for every GPU' })
        .max(256)
        .nullable()
        .optional(),
      output_dir: absoluteDir.optional(),
      data_dir: absoluteDir.optional(),
    })
    .strict(),
} satisfies Record<ApiMethod, z.ZodType>;

/** The names of the API's methods, for hosts that dispatch by name. */
export const API_METHODS = Object.freeze(Object.keys(apiSchemas) as ApiMethod[]);

/** True when `name` is one of the API's methods (own keys only: never `constructor` or `__proto__`). */
export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiSchemas, name);
}

/** A method's arguments after checking and defaults. */
export type ParsedArgs<M extends ApiMethod> = z.output<(typeof apiSchemas)[M]>;

/** Checks a method's arguments; throws `invalid_argument` listing every problem with its argument path. */
export function parseArgs<M extends ApiMethod>(method: M, raw: unknown): ParsedArgs<M> {
  const schema: z.ZodType = apiSchemas[method];
  const r = schema.safeParse(raw === null ? undefined : raw);
  if (r.success) return r.data as ParsedArgs<M>;
  const problems = r.error.issues.map((i) => `${method}: ${describeIssue(i)}`);
  throw new CuratorApiError('invalid_argument', problems.length === 1 ? (problems[0] as string) : `${method}: ${problems.length} invalid arguments`, problems);
}

function describeIssue(i: z.core.$ZodIssue): string {
  const where = i.path.length ? i.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '') : 'arguments';
  if (i.code === 'unrecognized_keys') return `${where}: unknown argument${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${i.message}`;
}

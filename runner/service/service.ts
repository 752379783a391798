/**
 * The one implementation of `CuratorApi`, over the engine and the run history. Every call checks
 * its arguments first (schemas.ts) and fails only with a `CuratorApiError`; runs wait in a FIFO
 * queue (one at a time by default, run-manager.ts) and are recorded in the history. The desktop
 * app's preload and `curator serve` both host this same object.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { BACKENDS, BACKEND_NAMES } from '../backends/index.js';
import type { WorkerLauncher } from '../engine/launcher.js';
import { detectHardware, HardwareSampler } from '../hardware/detect.js';
import type { HardwareInventory } from '../hardware/types.js';
import { ValidationError } from '../pipeline/errors.js';
import { pipelineJsonSchema } from '../pipeline/json-schema.js';
import { stageCatalog } from '../stages/catalog.js';
import type * as C from './contract.js';
import { CuratorApiError, runNotFound, toApiError } from './errors.js';
import { defaultResourcesDir } from './paths.js';
import { inputFilesOf, listTemplates, preparePipeline } from './pipeline-source.js';
import { previewInput, readPage, writerFiles } from './previews.js';
import { RunManager, type QueuedRun } from './run-manager.js';
import { parseArgs } from './schemas.js';
import { curatorHome, locationFile } from '../history/paths.js';
import { SettingsStore } from './settings.js';

/** What the service is built from. */
export interface CuratorServiceOptions {
  history: C.HistoryPort;
  /**
   * Runs that may run at once when they fit the machine, for this process only (a command-line
   * option); without it, the `max_concurrent_runs` setting (default 1).
   */
  maxConcurrentRuns?: number;
  /** The data folder in use, holding settings.json (default: `curatorHome()`). */
  home?: string;
  /**
   * Where a new data folder is recorded for the next start (default: location.json in the default
   * app-data folder, or null when CURATOR_HOME is set); null refuses `data_dir` changes.
   */
  locationFile?: string | null;
  /** The folder with `templates/`; found next to the project by default. */
  resourcesDir?: string | null;
  /** How workers are started (the Electron shell passes its utilityProcess launcher). */
  launcher?: WorkerLauncher;
  /** Where the service reports what it cannot pass to a caller (a failing history write). */
  log?: (message: string) => void;
  /** Who starts the runs, as history records it: "serve" (the default) or "app". */
  source?: C.RunSource;
}

/** The API plus live events and shutdown. */
export type CuratorService = C.CuratorApi & C.CuratorEvents & { close(): Promise<void> };

/** Builds the service. */
export function createCuratorService(opts: CuratorServiceOptions): CuratorService {
  return new Service(opts);
}

class Service implements CuratorService {
  private readonly history: C.HistoryPort;
  private readonly runs: RunManager;
  private readonly resourcesDir: string | null;
  private readonly source: C.RunSource;
  private readonly settingsStore: SettingsStore;
  private inventoryP: Promise<HardwareInventory> | null = null;
  private sampler: HardwareSampler | null = null;

  constructor(opts: CuratorServiceOptions) {
    this.history = opts.history;
    this.resourcesDir = opts.resourcesDir === undefined ? defaultResourcesDir() : opts.resourcesDir;
    this.source = opts.source ?? 'serve';
    const log = opts.log ?? ((m) => process.stderr.write(`curator service: ${m}\n`));
    this.settingsStore = new SettingsStore({
      home: opts.home ?? curatorHome(),
      locationFile: opts.locationFile === undefined ? locationFile() : opts.locationFile,
      ...(opts.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: Math.max(1, Math.floor(opts.maxConcurrentRuns)) } : {}),
      log,
    });
    this.runs = new RunManager({
      history: opts.history,
      maxConcurrentRuns: this.settingsStore.get().max_concurrent_runs,
      launcher: opts.launcher,
      log,
    });
  }

  // -- catalog and hardware ---------------------------------------------------------------------

  catalog(args?: unknown): Promise<C.Catalog> {
    return guard(async () => {
      parseArgs('catalog', args);
      const backends: C.BackendInfo[] = BACKEND_NAMES.map((name) => {
        const def = BACKENDS[name];
        let schema: Record<string, unknown> | null = null;
        if (def.config) {
          schema = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
          delete schema.$schema;
        }
        return { name, title: def.title, description: def.description, experimental: def.experimental, config_schema: schema };
      });
      return { stages: stageCatalog(), backends, templates: await listTemplates(this.resourcesDir), pipeline_schema: pipelineJsonSchema() };
    });
  }

  hardware(args?: { refresh?: boolean }): Promise<C.HardwareInfo> {
    return guard(async () => {
      const a = parseArgs('hardware', args);
      if (a?.refresh) this.inventoryP = null;
      return { inventory: await this.inventory() };
    });
  }

  hardwareSample(args?: unknown): Promise<C.HardwareSample> {
    return guard(async () => {
      parseArgs('hardwareSample', args);
      this.sampler ??= new HardwareSampler(await this.inventory());
      return this.sampler.sample();
    });
  }

  private inventory(): Promise<HardwareInventory> {
    if (!this.inventoryP) {
      const p = detectHardware();
      this.inventoryP = p;
      p.then(
        (inv) => this.runs.setMachine({ cpus: inv.cpus, gpus: inv.gpus.map((g) => ({ index: g.index, uuid: g.uuid })) }),
        () => (this.inventoryP = this.inventoryP === p ? null : this.inventoryP),
      );
    }
    return this.inventoryP;
  }

  // -- pipelines and runs -----------------------------------------------------------------------

  validatePipeline(args: C.ValidateRequest): Promise<C.ValidateResult> {
    return guard(async () => {
      const a = parseArgs('validatePipeline', args);
      try {
        const p = await preparePipeline(a);
        const { loaded } = p;
        return { valid: true, name: loaded.data.name, description: loaded.data.description ?? null, backend: loaded.backend, config: loaded.config, stages: p.planned, warnings: p.warnings, runs_external_commands: p.external.length > 0, external_commands: p.external };
      } catch (e: unknown) {
        if (e instanceof ValidationError) return { valid: false, problems: e.problems };
        throw e;
      }
    });
  }

  startRun(args: C.StartRunRequest): Promise<C.StartRunResult> {
    return guard(async () => {
      const a = parseArgs('startRun', args);
      if (!this.runs.accepting) throw new CuratorApiError('conflict', 'the service is shutting down; no new runs are accepted');
      // A run that names no GPUs gets the allow-list of the settings (null: every GPU).
      const gpus = a.gpus ?? this.settingsStore.get().gpu_allow_list ?? undefined;
      const prepared = await preparePipeline({ ...a, gpus });
      if (prepared.external.length > 0 && a.confirm_external_commands !== true) {
        const what = prepared.external.map((x) => `stage "${x.stage}" (${x.type})${x.command ? ` runs ${x.command.join(' ')}` : ''}`).join('; ');
        throw new CuratorApiError('invalid_argument', `this pipeline runs programs on this machine (${what}); ask the user, then start it again with confirm_external_commands: true`, [`confirm_external_commands: required for ${what}`]);
      }
      const { loaded } = prepared;
      const hardware = await this.inventory().catch(() => null);
      const run: QueuedRun = {
        runId: randomUUID(),
        name: a.name ?? loaded.data.name,
        prepared,
        cpus: a.cpus,
        gpus,
        claim: { cpus: a.cpus ?? null, gpus: gpus ?? null, needsGpu: prepared.needsGpu },
      };
      const inputs = await inputFilesOf(prepared.stages);
      this.history.createRun({ run_id: run.runId, name: run.name, pipeline: prepared.recorded, backend: loaded.backend, config: loaded.config, hardware, inputs, source: this.source, status: 'queued' });
      const { status, position } = this.runs.enqueue(run);
      return { run_id: run.runId, status, position, runs_external_commands: prepared.external.length > 0 };
    });
  }

  cancelRun(args: C.RunRef): Promise<C.CancelRunResult> {
    return guard(async () => {
      const { run_id } = parseArgs('cancelRun', args);
      const status = this.runs.cancel(run_id);
      if (status) return { run_id, status };
      // A unique prefix of an id names the run too.
      const detail = this.existing(run_id);
      const again = this.runs.cancel(detail.run_id);
      if (again) return { run_id: detail.run_id, status: again };
      throw new CuratorApiError('conflict', `run "${detail.run_id}" is not queued or running here (status ${detail.status}); there is nothing to cancel`);
    });
  }

  subscribe(runId: string | null, listener: C.CuratorEventListener): () => void {
    return this.runs.subscribe(runId, listener);
  }

  // -- history ----------------------------------------------------------------------------------

  listRuns(args?: C.RunListQuery): Promise<C.RunList> {
    return guard(async () => this.history.listRuns(parseArgs('listRuns', args)));
  }

  getRun(args: C.RunRef): Promise<C.RunDetail> {
    return guard(async () => this.existing(parseArgs('getRun', args).run_id));
  }

  compareRuns(args: { a: string; b: string }): Promise<C.RunComparison> {
    return guard(async () => {
      const { a, b } = parseArgs('compareRuns', args);
      return this.history.compareRuns(this.existing(a).run_id, this.existing(b).run_id);
    });
  }

  deleteRun(args: C.RunRef): Promise<{ deleted: true }> {
    return guard(async () => {
      const { run_id } = parseArgs('deleteRun', args);
      const id = this.existing(run_id).run_id;
      if (this.runs.isActive(id)) throw new CuratorApiError('conflict', `run "${id}" is queued or running; cancel it before deleting it`);
      if (!historyCall(() => this.history.deleteRun(id), 'conflict')) throw runNotFound(run_id);
      return { deleted: true };
    });
  }

  pruneRuns(args: C.PruneRequest): Promise<{ deleted: number }> {
    return guard(async () => {
      const a = parseArgs('pruneRuns', args);
      const opts = { ...(a.older_than_days !== undefined ? { olderThanDays: a.older_than_days } : {}), ...(a.keep !== undefined ? { keep: a.keep } : {}) };
      return { deleted: historyCall(() => this.history.prune(opts), 'invalid_argument') };
    });
  }

  runLogs(args: C.LogsRequest): Promise<C.LogPage> {
    return guard(async () => {
      const { run_id, ...q } = parseArgs('runLogs', args);
      return this.history.logs(this.existing(run_id).run_id, q);
    });
  }

  runMetrics(args: C.RunRef): Promise<{ run_id: string; points: C.MetricsPoint[] }> {
    return guard(async () => {
      const id = this.existing(parseArgs('runMetrics', args).run_id).run_id;
      return { run_id: id, points: this.history.metrics(id) };
    });
  }

  removedDocuments(args: C.RemovedDocumentsRequest): Promise<C.RemovedDocuments> {
    return guard(async () => {
      const a = parseArgs('removedDocuments', args);
      const detail = this.existing(a.run_id);
      const reasons = detail.removals.filter((r) => (a.stage === undefined || r.stage === a.stage) && (a.reason === undefined || r.reason === a.reason));
      const samples = this.history.removedSamples(detail.run_id, { ...(a.stage !== undefined ? { stage: a.stage } : {}), ...(a.reason !== undefined ? { reason: a.reason } : {}), limit: a.offset + a.limit });
      return { reasons, total: reasons.reduce((n, r) => n + r.count, 0), samples: samples.slice(a.offset) };
    });
  }

  /** The run's record (by id or unique id prefix); `not_found` when there is none. */
  private existing(runId: string): C.RunDetail {
    const detail = historyCall(() => this.history.getRun(runId), 'invalid_argument');
    if (!detail) throw runNotFound(runId);
    return detail;
  }

  // -- previews ---------------------------------------------------------------------------------

  previewInput(args: C.PreviewInputRequest): Promise<C.InputPreview> {
    return guard(async () => {
      const a = parseArgs('previewInput', args);
      return previewInput(path.resolve(a.base_dir ?? '/', a.path), a.offset, a.limit, a.max_value_chars);
    });
  }

  previewOutput(args: C.PreviewOutputRequest): Promise<C.OutputPreview> {
    return guard(async () => {
      const a = parseArgs('previewOutput', args);
      const detail = this.existing(a.run_id);
      if (this.runs.isActive(detail.run_id) || detail.status === 'queued' || detail.status === 'running') {
        throw new CuratorApiError('conflict', `run "${detail.run_id}" has not finished; its output can be previewed when it has`);
      }
      const problems: string[] = [];
      let writers = writersOf(detail.pipeline);
      if (a.stage !== undefined) {
        const names = writers.map((w) => w.stage);
        writers = writers.filter((w) => w.stage === a.stage);
        if (writers.length === 0) throw new CuratorApiError('invalid_argument', `stage: run "${detail.run_id}" has no writer stage named "${a.stage}" (writers: ${names.join(', ') || 'none'})`);
      }
      const under = (file: string) => writers.some((w) => path.isAbsolute(w.path) && !path.relative(w.path, file).startsWith('..'));
      let files = detail.outputs.map((o) => o.path).filter((f) => a.stage === undefined || under(f));
      let source: C.OutputPreview['source'] = 'recorded_outputs';
      if (detail.outputs.length === 0) {
        source = 'writer_folders';
        if (writers.length === 0) problems.push('the run recorded no output files and its pipeline has no JsonlWriter stage');
        files = [];
        for (const w of writers) {
          if (path.isAbsolute(w.path)) files.push(...(await writerFiles(w.path)));
          else problems.push(`${w.stage}: output folder "${w.path}" is relative to a pipeline file the run did not record; it cannot be previewed`);
        }
      }
      const page = await readPage(files, a.offset, a.limit, a.max_value_chars);
      return { run_id: detail.run_id, source, files, offset: a.offset, ...page, problems: [...problems, ...page.problems] };
    });
  }

  // -- settings ---------------------------------------------------------------------------------

  settings(args?: unknown): Promise<C.AppSettings> {
    return guard(async () => {
      parseArgs('settings', args);
      return this.settingsStore.get();
    });
  }

  updateSettings(args: C.UpdateSettingsRequest): Promise<C.AppSettings> {
    return guard(async () => {
      const a = parseArgs('updateSettings', args);
      const next = await this.settingsStore.update(a, (list) => this.unknownGpus(list));
      if (a.max_concurrent_runs !== undefined) this.runs.setMaxConcurrentRuns(next.max_concurrent_runs);
      return next;
    });
  }

  /** Why a GPU allow-list does not fit this machine, or null (also when the GPUs cannot be detected). */
  private async unknownGpus(list: string[]): Promise<string | null> {
    const inv = await this.inventory().catch(() => null);
    if (!inv) return null;
    const known = (e: string) => inv.gpus.some((g) => String(g.index) === e || g.uuid === e || (e.startsWith('GPU-') && g.uuid.startsWith(e)));
    const bad = list.filter((e) => !known(e.trim()));
    if (bad.length === 0) return null;
    const have = inv.gpus.map((g) => `${g.index} (${g.uuid})`).join(', ') || 'none';
    return `no GPU ${bad.map((b) => `"${b}"`).join(', ')} on this machine (GPUs: ${have}); use GPU indices or UUIDs from the hardware page`;
  }

  // -- shutdown ---------------------------------------------------------------------------------

  close(): Promise<void> {
    return this.runs.close();
  }
}

/** The JsonlWriter stages of a recorded pipeline, with their output folders. */
function writersOf(pipeline: unknown): Array<{ stage: string; path: string }> {
  const stages = (pipeline as { stages?: unknown } | null)?.stages;
  if (!Array.isArray(stages)) return [];
  const out: Array<{ stage: string; path: string }> = [];
  for (const s of stages as Array<{ stage?: unknown; name?: unknown; params?: { path?: unknown } }>) {
    if (s?.stage !== 'JsonlWriter' || typeof s.params?.path !== 'string') continue;
    out.push({ stage: typeof s.name === 'string' ? s.name : 'jsonl_writer', path: s.params.path });
  }
  return out;
}

/**
 * Calls the history; a HistoryError (an ambiguous id prefix, a run it refuses to delete, a bad
 * prune request) becomes a typed error with the history's own message.
 */
function historyCall<T>(fn: () => T, code: C.ApiErrorCode): T {
  try {
    return fn();
  } catch (e: unknown) {
    if (e instanceof Error && e.name === 'HistoryError') throw new CuratorApiError(code, e.message, undefined, { cause: e });
    throw e;
  }
}

/** Runs an API method body; whatever it throws reaches the caller as a CuratorApiError. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e: unknown) {
    if (e instanceof CuratorApiError) throw e;
    const info = toApiError(e);
    throw new CuratorApiError(info.code, info.message, info.problems, { cause: e });
  }
}

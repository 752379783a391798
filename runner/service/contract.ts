/**
 * The one API the UI talks to (`CuratorApi`), its request, response and event types, the typed
 * error shape, the wire protocol of `curator serve`, and the port the service records runs
 * through (`HistoryPort`). Types only: the renderer imports this file with `import type`, and
 * both hosts (the Electron preload and the WebSocket client) implement the same interface, so
 * the renderer never knows which one it has.
 */
import type { BackendName, HardwareSample, RunErrorInfo, RunEvent, RunSummary, StageSummary } from '../engine/events.js';
import type { GpuDevice, HardwareInventory } from '../hardware/types.js';
import type { LogLevel } from '../pipeline/stage.js';
import type { ParameterInfo, StageInfo } from '../stages/catalog.js';
import type {
  InputFile,
  LogLine,
  MetricsPoint,
  OutputFile,
  RemovalCount,
  RemovedSample,
  RunComparison,
  RunDetail,
  RunListItem,
  RunListQuery,
  RunSource,
  RunStart,
  RunStatus,
} from '../history/types.js';

export type { BackendName, GpuDevice, HardwareInventory, HardwareSample, LogLevel, ParameterInfo, RunErrorInfo, RunEvent, RunSummary, StageInfo, StageSummary };
export type { InputFile, LogLine, MetricsPoint, OutputFile, RemovalCount, RemovedSample, RunComparison, RunDetail, RunListItem, RunListQuery, RunSource, RunStart, RunStatus };

// ---------------------------------------------------------------------------------------------
// Errors

/** What kind of failure a call met; a host never crashes on a bad call, it answers with one of these. */
export type ApiErrorCode = 'invalid_argument' | 'not_found' | 'invalid_pipeline' | 'conflict' | 'internal';

/** The typed error every failed call gives, whatever the host. */
export interface ApiErrorInfo {
  code: ApiErrorCode;
  /** One sentence for the user, naming the argument, run or stage and what would fix it. */
  message: string;
  /** Every problem found, one sentence each (argument paths, pipeline file lines). */
  problems?: string[];
}

// ---------------------------------------------------------------------------------------------
// Catalog and hardware

/** One selectable backend with the JSON Schema of its `executor.config`. */
export interface BackendInfo {
  name: BackendName;
  title: string;
  description: string;
  experimental: boolean;
  /** Null while the backend is not available in this build. */
  config_schema: Record<string, unknown> | null;
}

/** A bundled pipeline template: its text and the folder its relative paths resolve against. */
export interface TemplateInfo {
  /** The file name without extension, e.g. "quickstart". */
  id: string;
  name: string;
  description: string | null;
  file: string;
  base_dir: string;
  text: string;
}

/** Everything the pipeline editor needs: stage types with parameter schemas, backends, templates. */
export interface Catalog {
  stages: StageInfo[];
  backends: BackendInfo[];
  templates: TemplateInfo[];
  /** The JSON Schema of pipeline files. */
  pipeline_schema: Record<string, unknown>;
}

/** The machine as runs see it. */
export interface HardwareInfo {
  inventory: HardwareInventory;
}

// ---------------------------------------------------------------------------------------------
// Pipelines and runs

/** A pipeline as sent by a client: file text (YAML or JSON) or the parsed object. */
export interface PipelineSource {
  pipeline: string | Record<string, unknown>;
  /** Absolute folder that relative paths in the pipeline resolve against (the file's folder). */
  base_dir?: string;
  /** Overrides the pipeline's `executor.backend`. */
  backend?: BackendName;
  /** Merged over the pipeline's `executor.config`. */
  config?: Record<string, unknown>;
}

/** What a run may use of the machine. */
export interface ResourceCaps {
  /** CPUs the run may schedule (default: all). */
  cpus?: number;
  /** GPU allow-list: device indices or UUIDs; an empty list means no GPU. */
  gpus?: string[];
}

/** Arguments of `validatePipeline`. */
export interface ValidateRequest extends PipelineSource, ResourceCaps {}

/** A stage that runs a program on the user's machine. */
export interface ExternalCommandUse {
  /** Index in the pipeline file's `stages`. */
  stage_index: number;
  stage: string;
  type: string;
  /** The program and its arguments, when the stage names them in its parameters. */
  command: string[] | null;
}

/** One stage after decomposition, as it will run. */
export interface PlannedStage {
  name: string;
  type: string;
  resources: { cpus: number; gpus: number; gpu_memory_gb: number };
  batch_size: number;
}

/** A valid pipeline: what will run, and whether it runs external programs (so the app can ask first). */
export interface ValidPipeline {
  valid: true;
  name: string;
  description: string | null;
  backend: BackendName;
  config: Record<string, unknown>;
  stages: PlannedStage[];
  warnings: string[];
  runs_external_commands: boolean;
  external_commands: ExternalCommandUse[];
}

/** An invalid pipeline: every problem, each naming the line, stage or parameter. */
export interface InvalidPipeline {
  valid: false;
  problems: string[];
}

/** What `validatePipeline` answers; an invalid pipeline is an answer, not an error. */
export type ValidateResult = ValidPipeline | InvalidPipeline;

/** Arguments of `startRun`. */
export interface StartRunRequest extends ValidateRequest {
  /** The run's name in history (default: the pipeline's name). */
  name?: string;
  /** Must be true for a pipeline that runs external programs (`runs_external_commands`). */
  confirm_external_commands?: boolean;
}

/** A run was accepted: it runs now or waits in the queue. */
export interface StartRunResult {
  run_id: string;
  status: 'queued' | 'running';
  /** Its place in the queue: 0 when it is running, 1 when it starts next. */
  position: number;
  runs_external_commands: boolean;
}

/** Arguments naming one run: its id, or a unique prefix of it. */
export interface RunRef {
  run_id: string;
}

/** A queued run is cancelled at once; a running one stops within a few seconds. */
export interface CancelRunResult {
  run_id: string;
  status: 'cancelled' | 'cancelling';
}

// ---------------------------------------------------------------------------------------------
// History (the shapes are the run history's own, re-exported so that there is one definition)

/** A page of runs. */
export interface RunList {
  total: number;
  runs: RunListItem[];
}

/** A page of log lines. */
export interface LogPage {
  total: number;
  lines: LogLine[];
}

/** Arguments of `runLogs`. */
export interface LogsRequest {
  run_id: string;
  offset?: number;
  /** Default 1000. */
  limit?: number;
  level?: LogLevel[];
}

/** Arguments of `pruneRuns`: delete finished runs older than a number of days, and/or all but the newest `keep`. */
export interface PruneRequest {
  older_than_days?: number;
  keep?: number;
}

/** Arguments of `removedDocuments`. */
export interface RemovedDocumentsRequest {
  run_id: string;
  stage?: string;
  reason?: string;
  offset?: number;
  limit?: number;
}

/** Documents a run removed: counts by stage and reason, and a page of the kept examples. */
export interface RemovedDocuments {
  reasons: RemovalCount[];
  /** Documents removed in all (for the chosen stage or reason). */
  total: number;
  samples: RemovedSample[];
}

// ---------------------------------------------------------------------------------------------
// Previews

/** One field seen in previewed documents. */
export interface FieldInfo {
  name: string;
  /** JSON types seen: "string", "number", "boolean", "null", "array", "object". */
  types: string[];
  /** How many previewed documents have it. */
  present: number;
}

/** Previewed documents with the union of their fields. */
export interface DocumentPage {
  documents: Array<Record<string, unknown>>;
  fields: FieldInfo[];
  /** True when a string value was cut to `max_value_chars`. */
  clipped: boolean;
  /** Unreadable lines or files, each naming the file and line. */
  problems: string[];
}

/** Arguments of `previewInput`. */
export interface PreviewInputRequest {
  /** A JSONL file (optionally .gz) or a folder of them (listed recursively). */
  path: string;
  /** Folder a relative `path` resolves against. */
  base_dir?: string;
  /** Documents to skip first (for a file: start at line `offset + 1`, e.g. a duplicate's kept document). */
  offset?: number;
  limit?: number;
  max_value_chars?: number;
}

/** The first documents of an input. */
export interface InputPreview extends DocumentPage {
  path: string;
  files: Array<{ path: string; size: number }>;
  /** True when the input holds more documents than were read. */
  truncated: boolean;
}

/** Arguments of `previewOutput`. */
export interface PreviewOutputRequest {
  run_id: string;
  offset?: number;
  limit?: number;
  /** A writer stage's name, to read only what it wrote. */
  stage?: string;
  max_value_chars?: number;
}

/** A page of a finished run's written documents. */
export interface OutputPreview extends DocumentPage {
  run_id: string;
  /**
   * Where the files came from: the run's recorded output files, or (for a run that recorded none)
   * the current contents of its writers' folders.
   */
  source: 'recorded_outputs' | 'writer_folders';
  files: string[];
  /** Documents in all the files. */
  total: number;
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// Settings

/** The app's settings, kept in `<data folder>/settings.json`. */
export interface AppSettings {
  /** Runs that may run at once; the rest wait in the queue. */
  max_concurrent_runs: number;
  /** GPUs runs may use (indices or UUIDs) when a run names none; null: every GPU. */
  gpu_allow_list: string[] | null;
  /** Where the app writes the outputs of runs started from templates (one folder per template). */
  output_dir: string;
  /** The folder holding the history and settings (in use now). */
  data_dir: string;
  /** The data folder the next start will use, when it was changed; null when unchanged. */
  pending_data_dir: string | null;
}

/** Arguments of `updateSettings`: only the settings to change. */
export interface UpdateSettingsRequest {
  max_concurrent_runs?: number;
  gpu_allow_list?: string[] | null;
  output_dir?: string;
  /** Takes effect at the next start; the history stays where it is until then. */
  data_dir?: string;
}

// ---------------------------------------------------------------------------------------------
// Events

/** A run entered the queue. */
export interface RunQueuedEvent {
  type: 'run_queued';
  run_id: string;
  t: number;
  name: string;
  position: number;
}

/**
 * What a subscriber receives: the engine's run events, plus `run_queued`. Every accepted run ends
 * with exactly one `run_finished` (a run cancelled while queued too).
 */
export type CuratorEvent = RunEvent | RunQueuedEvent;

/** Receives events; a listener that throws is ignored. */
export type CuratorEventListener = (event: CuratorEvent) => void;

// ---------------------------------------------------------------------------------------------
// The API

/**
 * The one API. Every method takes one arguments object (checked against its schema) and resolves
 * with its result, or rejects with an error whose `code`, `message` and `problems` are an
 * `ApiErrorInfo` (over the wire: the `error` of the response).
 */
export interface CuratorApi {
  /** Stage types with parameter schemas, backends with config schemas, templates. */
  catalog(): Promise<Catalog>;
  /** CPUs, memory and GPUs (cached; `refresh` probes again). */
  hardware(args?: { refresh?: boolean }): Promise<HardwareInfo>;
  /** One live sample of CPU, memory and GPU use. */
  hardwareSample(): Promise<HardwareSample>;
  /** Checks a pipeline against the catalog and the machine, without running it. */
  validatePipeline(args: ValidateRequest): Promise<ValidateResult>;
  /** Queues a run; it starts when the queue reaches it. */
  startRun(args: StartRunRequest): Promise<StartRunResult>;
  cancelRun(args: RunRef): Promise<CancelRunResult>;
  listRuns(args?: RunListQuery): Promise<RunList>;
  getRun(args: RunRef): Promise<RunDetail>;
  compareRuns(args: { a: string; b: string }): Promise<RunComparison>;
  deleteRun(args: RunRef): Promise<{ deleted: true }>;
  pruneRuns(args: PruneRequest): Promise<{ deleted: number }>;
  runLogs(args: LogsRequest): Promise<LogPage>;
  /** The run's metrics time series: per-stage state, CPU, memory and GPUs. */
  runMetrics(args: RunRef): Promise<{ run_id: string; points: MetricsPoint[] }>;
  previewInput(args: PreviewInputRequest): Promise<InputPreview>;
  previewOutput(args: PreviewOutputRequest): Promise<OutputPreview>;
  removedDocuments(args: RemovedDocumentsRequest): Promise<RemovedDocuments>;
  /** The app's settings. */
  settings(): Promise<AppSettings>;
  /** Changes some settings and answers all of them. */
  updateSettings(args: UpdateSettingsRequest): Promise<AppSettings>;
}

/** The names of the API's methods. */
export type ApiMethod = keyof CuratorApi;

/** The arguments object of a method (undefined for methods without arguments). */
export type ApiParams<M extends ApiMethod> = Parameters<CuratorApi[M]>[0];

/** What a method resolves to. */
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<CuratorApi[M]>>;

/** Live events: `null` subscribes to every run. Returns the unsubscribe function. */
export interface CuratorEvents {
  subscribe(runId: string | null, listener: CuratorEventListener): () => void;
}

/** What a host exposes to the renderer. */
export type CuratorClient = CuratorApi & CuratorEvents;

// ---------------------------------------------------------------------------------------------
// Wire protocol of `curator serve` (WebSocket at /api/ws; one JSON object per message)

/**
 * Client → server: call a method, or `subscribe` / `unsubscribe` with `{ run_id?: string }` (no
 * run id: every run). A run's subscriber first receives what it missed of the run (its queued or
 * started event, latest status and end), then live events as `WireEvent`s. A client that falls
 * behind misses `task_processed` events, never the others.
 */
export interface WireRequest {
  id: string | number;
  method: ApiMethod | 'subscribe' | 'unsubscribe';
  params?: unknown;
}

/** Server → client: the answer to one request. */
export type WireResponse = { id: string | number | null; result: unknown } | { id: string | number | null; error: ApiErrorInfo };

/** Server → client: a live event of a subscribed run. */
export interface WireEvent {
  type: 'event';
  run_id: string;
  event: CuratorEvent;
}

// ---------------------------------------------------------------------------------------------
// History port: what the service needs of the run history (runner/history/store.ts provides it)

/** Records one run's events, its outputs and its end. */
export interface RecorderPort {
  record(event: RunEvent): void;
  /** Files the run wrote and, optionally, the ids of the documents in them. */
  recordOutputs(files: readonly OutputFile[], docIds?: Iterable<string>): void;
  finish(summary: RunSummary): void;
  close(): void;
}

/** The run history as the service uses it. */
export interface HistoryPort {
  createRun(start: RunStart): void;
  markStarted(runId: string): void;
  recorder(runId: string, options?: { onError?: (err: Error) => void }): RecorderPort;
  listRuns(q?: RunListQuery): RunList;
  getRun(runId: string): RunDetail | null;
  logs(runId: string, q?: { offset?: number; limit?: number; level?: string[] }): LogPage;
  metrics(runId: string): MetricsPoint[];
  removedSamples(runId: string, q?: { stage?: string; reason?: string; limit?: number }): RemovedSample[];
  compareRuns(a: string, b: string): RunComparison;
  deleteRun(runId: string): boolean;
  prune(opts: { olderThanDays?: number; keep?: number }): number;
}

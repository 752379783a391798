/**
 * Recording one run from a host (the CLI's `run`; `curator serve` and the app may use it too):
 * opens the history, records the run before it starts, forwards the event stream, and adds the
 * hardware snapshot and the input manifest once the run has processed its first task (or after
 * SNAPSHOT_DELAY_MS), so that neither competes with the run's start-up for the main thread.
 * The history is never a reason for a run to fail: a database that cannot be opened or written
 * is a warning naming its path, and the run goes on unrecorded.
 */
import type { LoadedPipeline } from '../pipeline/pipeline-file.js';
import type { RunEvent, RunSummary } from '../engine/events.js';
import type { HardwareInventory } from '../hardware/types.js';
import type { HistoryStore } from './store.js';
import type { RunRecorder } from './recorder.js';
import { inputManifest, pipelineAsRun } from './inputs.js';
import { curatorHome, historyDbPath } from './paths.js';
import type { InputFile, RunSource } from './types.js';

/** What startRecording needs. */
export interface RecordingOptions {
  runId: string;
  loaded: LoadedPipeline;
  /** The built stages (after decomposition); their `file_paths` make the input manifest. */
  stages: ReadonlyArray<{ params: Record<string, unknown> }>;
  /** The backend configuration after defaults (the executor's `config`). */
  config: Record<string, unknown>;
  source: RunSource;
  /** Told about anything that keeps the run from being recorded in full. */
  warn: (message: string) => void;
  /** The Curator home; CURATOR_HOME or the app-data folder when absent. */
  home?: string;
  /** Takes the hardware snapshot; `detectHardware()` by default. */
  hardware?: () => Promise<HardwareInventory>;
  /** Lists the input files; from the stages' `file_paths` by default. */
  inputs?: () => Promise<InputFile[]>;
}

/** The snapshots start at the first processed task, or this long after the run was created. */
const SNAPSHOT_DELAY_MS = 2_000;
/** Longest wait at close for snapshots still being taken. */
const SNAPSHOT_WAIT_MS = 5_000;

/** A run being recorded. */
export class RunRecording {
  private snapshots: Promise<unknown> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: HistoryStore,
    private readonly recorder: RunRecorder,
    readonly runId: string,
    private readonly takeSnapshots: () => Promise<unknown>,
  ) {
    this.timer = setTimeout(() => this.startSnapshots(), SNAPSHOT_DELAY_MS);
    this.timer.unref();
  }

  /** The database file. */
  get path(): string {
    return this.store.path;
  }

  /** Forwards one event of the run. */
  record(e: RunEvent): void {
    this.recorder.record(e);
    if (e.type === 'task_processed' && !this.snapshots) this.startSnapshots();
  }

  /** Writes the end state from the summary. */
  finish(summary: RunSummary): void {
    this.recorder.finish(summary);
  }

  /** Ends a run that has no summary. */
  fail(err: unknown, status: 'failed' | 'cancelled' = 'failed'): void {
    this.recorder.fail(err, status);
  }

  /** Takes the snapshots if that has not started, waits (briefly) for them, then closes the history. */
  async close(): Promise<void> {
    this.startSnapshots();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.snapshots, new Promise((r) => (timer = setTimeout(r, SNAPSHOT_WAIT_MS)))]);
    clearTimeout(timer);
    this.recorder.close();
    this.store.close();
  }

  private startSnapshots(): void {
    clearTimeout(this.timer);
    this.snapshots ??= this.takeSnapshots().catch(() => undefined);
  }
}

/**
 * Opens the history and records the run as `running`; null (after a warning naming the database)
 * when the history cannot be used. The store module is loaded here, so that a native module that
 * fails to load is a warning too.
 */
export async function startRecording(o: RecordingOptions): Promise<RunRecording | null> {
  let store: HistoryStore | null = null;
  try {
    const { HistoryStore: Store } = await import('./store.js');
    store = Store.open({ home: o.home });
    store.createRun({
      run_id: o.runId,
      name: o.loaded.data.name,
      pipeline: pipelineAsRun(o.loaded),
      backend: o.loaded.backend,
      config: o.config,
      hardware: null,
      inputs: [],
      source: o.source,
    });
    const opened = store;
    const hardware = o.hardware ?? (() => import('../hardware/detect.js').then((m) => m.detectHardware()));
    const inputs = o.inputs ?? (() => inputManifest(o.stages));
    // Each write lands on its own; a snapshot that fails leaves that part empty.
    const snapshots = () =>
      Promise.allSettled([hardware().then((hw) => opened.setHardware(o.runId, hw)), inputs().then((list) => opened.setInputs(o.runId, list))]);
    return new RunRecording(store, store.recorder(o.runId, { onError: (e) => o.warn(e.message) }), o.runId, snapshots);
  } catch (e: unknown) {
    store?.close();
    const file = historyDbPath(o.home ?? curatorHome());
    const message = e instanceof Error ? e.message : String(e);
    o.warn(`this run is not recorded in history: ${message.includes(file) ? message : `${message} (run history: ${file})`}`);
    return null;
  }
}

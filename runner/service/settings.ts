/**
 * The app's settings: `<data folder>/settings.json` (runs at once, GPU allow-list, output folder),
 * written atomically (a temporary file, then a rename). The data folder itself cannot live inside
 * itself, so a chosen one is recorded in `location.json` in the default app-data folder and used
 * from the next start on (`curatorHome` in history/paths.ts); CURATOR_HOME still wins over both.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { chosenDataDir } from '../history/paths.js';
import type { AppSettings, UpdateSettingsRequest } from './contract.js';
import { CuratorApiError } from './errors.js';
import { writeFileAtomicallySync } from '../engine/atomic-write.js';

/** The settings file inside the data folder. */
export const SETTINGS_FILE = 'settings.json';
/** Most runs that may run at once. */
export const MAX_CONCURRENT_RUNS = 64;

/** What settings.json holds (the data folder is where the file is, so it is not stored). */
const StoredSettings = z.object({
  max_concurrent_runs: z.number().int().min(1).max(MAX_CONCURRENT_RUNS).optional(),
  gpu_allow_list: z.array(z.string().min(1).max(200)).max(256).nullable().optional(),
  output_dir: z.string().min(1).refine((p) => path.isAbsolute(p)).optional(),
});
type Stored = z.output<typeof StoredSettings>;

/** What the settings store needs. */
export interface SettingsStoreOptions {
  /** The data folder in use (holds the history and settings.json). */
  home: string;
  /** Where a new data folder is recorded; null when it cannot be changed here (CURATOR_HOME is set). */
  locationFile: string | null;
  /** Runs at once for this process only (a host's command-line option); not written to the file. */
  maxConcurrentRuns?: number;
  /** Reports a settings file that could not be read (the defaults are used instead). */
  log?: (message: string) => void;
}

/** Checks a GPU allow-list against the machine; answers the problem, or null when it is fine. */
export type GpuCheck = (list: string[]) => Promise<string | null>;

/** Reads and writes the settings of one data folder. */
export class SettingsStore {
  private stored: Stored;
  private override: number | undefined;

  constructor(private readonly opts: SettingsStoreOptions) {
    this.stored = readStored(this.file, opts.log);
    this.override = opts.maxConcurrentRuns;
  }

  /** settings.json's path. */
  get file(): string {
    return path.join(this.opts.home, SETTINGS_FILE);
  }

  /** The settings now. */
  get(): AppSettings {
    const home = this.opts.home;
    const next = this.opts.locationFile ? chosenDataDir(this.opts.locationFile) : null;
    return {
      max_concurrent_runs: this.override ?? this.stored.max_concurrent_runs ?? 1,
      gpu_allow_list: this.stored.gpu_allow_list ?? null,
      output_dir: this.stored.output_dir ?? path.join(home, 'outputs'),
      data_dir: home,
      pending_data_dir: next !== null && next !== path.resolve(home) ? next : null,
    };
  }

  /** Applies a checked request: writes settings.json (and location.json for a new data folder). */
  async update(req: UpdateSettingsRequest, checkGpus: GpuCheck): Promise<AppSettings> {
    if (req.gpu_allow_list) {
      const why = await checkGpus(req.gpu_allow_list);
      if (why) throw new CuratorApiError('invalid_argument', `gpu_allow_list: ${why}`, [`updateSettings: gpu_allow_list: ${why}`]);
    }
    if (req.output_dir !== undefined) assertFolder('output_dir', req.output_dir, false);
    if (req.data_dir !== undefined) {
      if (!this.opts.locationFile) {
        const why = 'the data folder is set by the CURATOR_HOME environment variable; change or unset it to move the data folder';
        throw new CuratorApiError('invalid_argument', `data_dir: ${why}`, [`updateSettings: data_dir: ${why}`]);
      }
      assertFolder('data_dir', req.data_dir, true);
    }
    const next: Stored = { ...this.stored };
    if (req.max_concurrent_runs !== undefined) next.max_concurrent_runs = req.max_concurrent_runs;
    if (req.gpu_allow_list !== undefined) next.gpu_allow_list = req.gpu_allow_list;
    if (req.output_dir !== undefined) next.output_dir = path.resolve(req.output_dir);
    if (req.max_concurrent_runs !== undefined || req.gpu_allow_list !== undefined || req.output_dir !== undefined) {
      writeFileAtomicallySync(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.stored = next;
      if (req.max_concurrent_runs !== undefined) this.override = undefined;
    }
    if (req.data_dir !== undefined && this.opts.locationFile) {
      writeFileAtomicallySync(this.opts.locationFile, `${JSON.stringify({ data_dir: path.resolve(req.data_dir) }, null, 2)}\n`);
    }
    return this.get();
  }
}

function readStored(file: string, log: ((m: string) => void) | undefined): Stored {
  if (!existsSync(file)) return {};
  try {
    const r = StoredSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (r.success) return r.data;
    log?.(`${file}: ignored (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); the default settings are used`);
  } catch (e: unknown) {
    log?.(`${file}: cannot be read (${e instanceof Error ? e.message : String(e)}); the default settings are used`);
  }
  return {};
}

/** A folder setting must name a folder (or nothing yet); `create` makes it now, proving it writable. */
function assertFolder(name: 'output_dir' | 'data_dir', dir: string, create: boolean): void {
  const fail = (why: string): never => {
    throw new CuratorApiError('invalid_argument', `${name}: ${why}`, [`updateSettings: ${name}: ${why}`]);
  };
  const abs = path.resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs, { throwIfNoEntry: false })?.isDirectory()) fail(`"${abs}" exists and is not a folder; choose a folder`);
  }
  if (!create) return;
  try {
    mkdirSync(abs, { recursive: true });
    const probe = path.join(abs, `.curator-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e: unknown) {
    fail(`cannot create or write to "${abs}" (${e instanceof Error ? e.message : String(e)}); choose a folder you can write to`);
  }
}

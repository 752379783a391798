/**
 * Running nvidia-smi and reading its CSV output. The only place that spawns it, so every
 * way it can fail is turned into one precise sentence for `GpuProbe.reason`.
 */
import { execFile } from 'node:child_process';
import type { GpuDevice } from './types.js';

/** The command used when no path is given; resolved on the PATH of the environment passed in. */
export const DEFAULT_NVIDIA_SMI = 'nvidia-smi';

/** How long nvidia-smi may take before the probe gives up. A hung driver must not hang the CLI. */
export const DEFAULT_NVIDIA_SMI_TIMEOUT_MS = 5000;

/**
 * The inventory query: DESIGN §5's fields plus `driver_version`, so one process gives both.
 * The driver repeats the version on every row; the first row's is used.
 */
export const INVENTORY_QUERY = [
  '--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,driver_version',
  '--format=csv,noheader,nounits',
] as const;

/** How to run nvidia-smi: which binary, how long to wait, and the environment (its PATH finds the binary). */
export interface NvidiaSmiOptions {
  nvidiaSmi?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** nvidia-smi's standard output, or why it could not be had. */
export type NvidiaSmiResult = { ok: true; stdout: string } | { ok: false; reason: string };

/** The error shape `execFile` hands its callback; `code` is a string for spawn errors, a number for exit codes. */
interface ExecFailure extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

/** Runs nvidia-smi with `args`; never throws, a failure becomes `{ ok: false, reason }`. */
export function runNvidiaSmi(args: readonly string[], opts: NvidiaSmiOptions = {}): Promise<NvidiaSmiResult> {
  const command = opts.nvidiaSmi ?? DEFAULT_NVIDIA_SMI;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NVIDIA_SMI_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { env: opts.env ?? process.env, timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ ok: true, stdout });
          return;
        }
        resolve({ ok: false, reason: describeFailure(err as ExecFailure, command, timeoutMs, stdout, stderr) });
      },
    );
  });
}

/** One sentence saying why nvidia-smi gave no answer, with the driver's own words where it printed any. */
function describeFailure(err: ExecFailure, command: string, timeoutMs: number, stdout: string, stderr: string): string {
  if (err.code === 'ENOENT') {
    const where = command === DEFAULT_NVIDIA_SMI ? 'on PATH' : `at "${command}"`;
    return `no NVIDIA driver / nvidia-smi not found ${where}`;
  }
  if (typeof err.code === 'string') return `nvidia-smi could not be started (${err.code}): ${err.message}`;
  if (err.killed && err.signal) return `nvidia-smi did not answer within ${timeoutMs} ms (the NVIDIA driver may be hung)`;
  const said = firstLine(stderr) ?? firstLine(stdout);
  const how = typeof err.code === 'number' ? `exit code ${err.code}` : err.signal ? `killed by ${err.signal}` : 'no exit code';
  return `nvidia-smi failed (${how})${said ? `: ${said}` : ''}`;
}

/** The first non-blank line of a text, trimmed. */
function firstLine(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return null;
}

/**
 * Reads a number from a `nounits` CSV field. nvidia-smi writes `[N/A]`, `N/A`, `[Not Supported]`
 * or `[Unknown Error]` where a value is missing; all of them become null.
 */
export function parseSmiNumber(field: string | undefined): number | null {
  const text = (field ?? '').trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/** The result of reading the inventory query's output. */
export interface ParsedInventory {
  gpus: GpuDevice[];
  driver_version: string | null;
  /** Non-blank lines that were not a device row, kept so a failed parse can be reported verbatim. */
  unparsed: string[];
}

/**
 * Parses the output of `INVENTORY_QUERY`. A GPU name may itself contain ", ", so the name is
 * everything between the uuid and the last four fields. Unknown memory becomes 0 (the allocator
 * then never places `gpu_memory_gb` work there); unknown utilisation stays null.
 */
export function parseInventory(stdout: string): ParsedInventory {
  const gpus: GpuDevice[] = [];
  const unparsed: string[] = [];
  let driver: string | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((f) => f.trim());
    const index = parseSmiNumber(fields[0]);
    const uuid = fields[1] ?? '';
    if (fields.length < 7 || index === null || !Number.isInteger(index) || index < 0 || !uuid) {
      unparsed.push(line);
      continue;
    }
    const n = fields.length;
    gpus.push({
      index,
      uuid,
      name: fields.slice(2, n - 4).join(', '),
      memory_total_mb: parseSmiNumber(fields[n - 4]) ?? 0,
      memory_used_mb: parseSmiNumber(fields[n - 3]) ?? 0,
      utilization_pct: parseSmiNumber(fields[n - 2]),
    });
    const version = fields[n - 1] ?? '';
    if (driver === null && /^\d+(\.\d+)*$/.test(version)) driver = version;
  }
  return { gpus, driver_version: driver, unparsed };
}

/** The sampler's query: just what changes while a run goes on. */
export const SAMPLE_QUERY = ['--query-gpu=uuid,memory.used,utilization.gpu', '--format=csv,noheader,nounits'] as const;

/** One row of `SAMPLE_QUERY` output. */
export interface GpuSampleRow {
  uuid: string;
  memory_used_mb: number | null;
  utilization_pct: number | null;
}

/** Parses the output of `SAMPLE_QUERY` into rows keyed by uuid; malformed lines are skipped. */
export function parseSample(stdout: string): Map<string, GpuSampleRow> {
  const rows = new Map<string, GpuSampleRow>();
  for (const raw of stdout.split(/\r?\n/)) {
    const fields = raw.split(',').map((f) => f.trim());
    const uuid = fields[0];
    if (!uuid || fields.length !== 3) continue;
    rows.set(uuid, { uuid, memory_used_mb: parseSmiNumber(fields[1]), utilization_pct: parseSmiNumber(fields[2]) });
  }
  return rows;
}

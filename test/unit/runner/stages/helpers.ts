import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getStage, type CreateContext } from '../../../../runner/stages/registry.js';
import type { AnyStage, LogLevel, NodeInfo, RemovedDocument, WorkerMetadata } from '../../../../runner/pipeline/stage.js';
import { ProcessingStage } from '../../../../runner/pipeline/stage.js';
import '../../../../runner/stages/index.js';

/** A fresh folder under the OS temp folder; `cleanup()` removes it. */
export async function makeTempDir(prefix = 'curator-stages-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Gives each test of the calling file a fresh temporary folder, removed after it (with
 * `{ perFile: true }`, one folder for the whole file): `let dir: string; useTempDir((d) => (dir = d));`.
 */
export function useTempDir(set: (dir: string) => void, options: { perFile?: boolean } = {}): void {
  let cleanup: (() => Promise<void>) | undefined;
  (options.perFile ? beforeAll : beforeEach)(async () => {
    const tmp = await makeTempDir();
    set(tmp.dir);
    cleanup = tmp.cleanup;
  });
  (options.perFile ? afterAll : afterEach)(async () => {
    await cleanup?.();
  });
}

/** A create/check context that resolves pipeline-file paths against `base`, as a loader would. */
export function ctxFor(base: string): CreateContext {
  return { resolvePath: (p: string) => resolve(base, p) };
}

/** Builds a stage the way a pipeline file does: the registered schema parses, then create(). */
export function build(type: string, raw: Record<string, unknown>, base: string): AnyStage {
  const def = getStage(type);
  return def.create(def.params.parse(raw), ctxFor(base));
}

/** Builds a processing (not composite) stage and collects its log lines and metrics. */
export function buildProcessing<S extends ProcessingStage = ProcessingStage>(
  type: string,
  raw: Record<string, unknown>,
  base: string,
): { stage: S; logs: Array<[LogLevel, string]>; metrics: Record<string, number>; removed: RemovedDocument[]; counters: Record<string, number> } {
  const stage = build(type, raw, base);
  if (!(stage instanceof ProcessingStage)) throw new Error(`${type} is not a processing stage`);
  const logs: Array<[LogLevel, string]> = [];
  const metrics: Record<string, number> = {};
  const removed: RemovedDocument[] = [];
  const counters: Record<string, number> = {};
  stage.runtime = {
    log: (level, message) => logs.push([level, message]),
    metric: (name, value) => (metrics[name] = (metrics[name] ?? 0) + value),
    removed: (doc, reason, detail) => removed.push(detail ? { doc, reason, detail } : { doc, reason }),
    count: (name, n) => (counters[name] = (counters[name] ?? 0) + n),
  };
  return { stage: stage as S, logs, metrics, removed, counters };
}

/** Runs a definition's plan-time check on raw params. */
export async function check(type: string, raw: Record<string, unknown>, base: string): Promise<string[]> {
  const def = getStage(type);
  if (!def.check) return [];
  return def.check(def.params.parse(raw), ctxFor(base));
}

/** Writes a file, creating its folder; `.gz` names are gzip-compressed. */
export async function writeText(file: string, text: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, file.endsWith('.gz') ? gzipSync(Buffer.from(text, 'utf8')) : text);
  return file;
}

/** JSON lines for records. */
export function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

/** Node and worker descriptions for calling setup hooks directly. */
export const node: NodeInfo = { node_id: 'test-node' };
export const worker: WorkerMetadata = { worker_id: 'w0', stage_name: 'test', allocation: { cpus: 1, gpu_devices: [], gpu_fraction: 0 } };

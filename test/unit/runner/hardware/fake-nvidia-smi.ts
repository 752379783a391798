/**
 * A stand-in nvidia-smi for tests: a small shell script in a temporary folder, so the real
 * execFile path (spawn, exit codes, stderr, timeouts) is exercised without a GPU.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What the script prints for the inventory query (the one asking for driver_version) and for the sampler's query. */
export interface FakeNvidiaSmiScript {
  inventory?: string;
  sample?: string;
  stderr?: string;
  exitCode?: number;
  /** Seconds to sleep before answering, to test the timeout. */
  sleepS?: number;
}

/** A fake nvidia-smi on disk; `calls()` returns the argument lines it was run with. */
export interface FakeNvidiaSmi {
  dir: string;
  path: string;
  calls(): string[];
  remove(): void;
}

/** Writes the script and the files it prints. */
export function writeFakeNvidiaSmi(spec: FakeNvidiaSmiScript): FakeNvidiaSmi {
  const dir = mkdtempSync(path.join(tmpdir(), 'curator-fake-smi-'));
  writeFileSync(path.join(dir, 'inventory.txt'), spec.inventory ?? '');
  writeFileSync(path.join(dir, 'sample.txt'), spec.sample ?? '');
  writeFileSync(path.join(dir, 'stderr.txt'), spec.stderr ?? '');
  const script = path.join(dir, 'nvidia-smi');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      'd=$(dirname "$0")',
      'echo "$*" >> "$d/calls.log"',
      spec.sleepS ? `exec sleep ${spec.sleepS}` : '',
      'case "$*" in',
      '  *driver_version*) cat "$d/inventory.txt" ;;',
      '  *) cat "$d/sample.txt" ;;',
      'esac',
      'cat "$d/stderr.txt" >&2',
      `exit ${spec.exitCode ?? 0}`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return {
    dir,
    path: script,
    calls: () => {
      try {
        return readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Two H100s as nvidia-smi prints them with the inventory query. */
export const TWO_H100 = [
  '0, GPU-aaaaaaaa-1111-2222-3333-444444444444, NVIDIA H100 80GB HBM3, 81559, 1024, 37, 550.54.15',
  '1, GPU-bbbbbbbb-1111-2222-3333-444444444444, NVIDIA H100 80GB HBM3, 81559, 3, 0, 550.54.15',
  '',
].join('\n');

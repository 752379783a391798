import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the built CLI. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'bin/curator.js');

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'curator-it-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Result of one CLI invocation. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last line of stdout parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | null;
}

/** Starts `curator ...args`; the caller may signal the child before awaiting `done`. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        json = null;
      }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
  return { child, done };
}

/** Runs `curator ...args` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Writes a corpus of `files` JSONL files (every third one gzipped) with unique ids; returns all ids. */
export function makeCorpus(dir: string, files: number, docsPerFile: number): string[] {
  mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let d = 0; d < docsPerFile; d++) {
      const id = `f${f}-d${d}`;
      ids.push(id);
      lines.push(JSON.stringify({ id, text: `document ${d} of file ${f}: ${'lorem ipsum '.repeat((d % 7) + 1)}`, extra: d }));
    }
    const body = lines.join('\n') + '\n';
    if (f % 3 === 2) writeFileSync(path.join(dir, `part-${String(f).padStart(3, '0')}.jsonl.gz`), gzipSync(body));
    else writeFileSync(path.join(dir, `part-${String(f).padStart(3, '0')}.jsonl`), body);
  }
  return ids;
}

/** Every record of every JSONL file in a folder, and the file names. */
export function readOutput(dir: string): { records: Array<Record<string, unknown>>; files: string[] } {
  const files = readdirSync(dir).sort();
  const records: Array<Record<string, unknown>> = [];
  for (const f of files) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) if (line.trim()) records.push(JSON.parse(line) as Record<string, unknown>);
  }
  return { records, files };
}

/** Writes a pipeline file (YAML is JSON-compatible, so JSON.stringify is enough). */
export function writePipeline(file: string, spec: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/** Child process ids of a process (one level). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** True while a process exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `check` is true or the timeout passes. */
export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** A process's command line (its title, for worker processes), or "" when it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

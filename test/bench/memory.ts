/**
 * Peak memory against input size: the English-heuristics template run through `curator run` on one
 * generated JSONL file of 0.5 GB and then of 1 GB. The peak resident memory of the whole process
 * tree (engine plus every worker) is sampled from /proc every 100 ms. Streaming with bounded
 * queues means the peak must not grow with the input: the row's ratio is peak(1 GB) / peak(0.5 GB).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { BenchRow } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TEMPLATE = path.join(ROOT, 'resources/templates/english-heuristics.yaml');

/** Writes `bytes` of JSON lines made from the bundled sample documents, varied so no two lines are equal. */
async function makeCorpus(file: string, bytes: number): Promise<number> {
  const sample = readdirSync(path.join(ROOT, 'resources/sample'))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(ROOT, 'resources/sample', f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; url: string }));
  const out = createWriteStream(file);
  let written = 0;
  let n = 0;
  while (written < bytes) {
    const chunk: string[] = [];
    for (let i = 0; i < 2000; i++, n++) {
      const d = sample[n % sample.length] as { text: string; url: string };
      chunk.push(JSON.stringify({ id: `doc-${n}`, url: `${d.url}/${n}`, text: `${d.text}\n\nPart ${n} of the collection, page ${n % 977}.` }));
    }
    const s = chunk.join('\n') + '\n';
    written += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return n;
}

/** Resident bytes of a process and all its descendants, from /proc (Linux). */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      rss.set(Number(name), kb * 1024);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop() as number;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Runs the template on one input file; returns the peak tree RSS, documents in and out, and seconds. */
async function runOn(dir: string, input: string, label: string): Promise<{ peak: number; docsIn: number; docsOut: number; seconds: number }> {
  const spec = parse(readFileSync(TEMPLATE, 'utf8')) as { name: string; stages: Array<{ stage: string; params?: Record<string, unknown> }> };
  for (const s of spec.stages) {
    if (s.stage === 'JsonlReader') s.params = { ...s.params, file_paths: input };
    if (s.stage === 'JsonlWriter') s.params = { ...s.params, path: path.join(dir, `out-${label}`), mode: 'overwrite' };
    if (s.params && 'removed_path' in s.params) s.params = { ...s.params, removed_path: path.join(dir, `removed-${label}`) };
  }
  spec.name = `bench-memory-${label}`;
  const file = path.join(dir, `${label}.yaml`);
  writeFileSync(file, stringify(spec));
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/curator.js'), 'run', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CURATOR_HOME: path.join(dir, 'home') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid as number))), 100);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`memory bench run (${label}) failed with exit code ${code}: ${stderr.slice(-2000)}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as { stages: Array<{ name: string; items_out: number }> };
  const reader = summary.stages.find((s) => s.name === 'jsonl_reader');
  const writerIn = summary.stages[summary.stages.length - 2];
  return { peak, docsIn: reader?.items_out ?? 0, docsOut: writerIn?.items_out ?? 0, seconds: (Date.now() - t0) / 1000 };
}

/** The peak-memory row: 0.5 GB and 1 GB inputs side by side. */
export async function memoryRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'curator-bench-mem-'));
  try {
    const results: Record<string, { peak: number; docsIn: number; docsOut: number; seconds: number; bytes: number }> = {};
    for (const [label, gb] of [['0.5GB', 0.5], ['1GB', 1]] as const) {
      const input = path.join(dir, `input-${label}.jsonl`);
      const bytes = Math.round(gb * 2 ** 30);
      await makeCorpus(input, bytes);
      results[label] = { ...(await runOn(dir, input, label)), bytes };
      rmSync(input, { force: true });
    }
    const a = results['0.5GB'] as { peak: number; docsIn: number; docsOut: number; seconds: number; bytes: number };
    const b = results['1GB'] as typeof a;
    const mib = (x: number) => Math.round(x / 2 ** 20);
    return [
      {
        name: 'memory: peak RSS 1 GB / 0.5 GB input',
        ratio: b.peak / a.peak,
        target: '<= 1.2',
        details: {
          peak_mib_0_5gb: mib(a.peak),
          peak_mib_1gb: mib(b.peak),
          docs_0_5gb: a.docsIn,
          docs_1gb: b.docsIn,
          kept_1gb: b.docsOut,
          mb_per_s_1gb: Number((b.bytes / 2 ** 20 / b.seconds).toFixed(1)),
        },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

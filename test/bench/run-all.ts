/**
 * `npm run bench`: benchmarks that print ratios measured side by side in one run, and write them
 * as JSON to `.bench/results.json`. Pass names to run a subset: engine, autoscaler, startup, threads,
 * backends, raydata, history.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printRow, type BenchRow } from './harness.js';
import { engineEfficiency } from './engine-efficiency.js';
import { autoscalerEfficiency } from './autoscaler.js';
import { timeToFirstTask } from './startup.js';
import { threadsSpeedup } from './threads.js';
import { backendRows, rayDataAutoscaling } from './backends.js';
import { historyRows } from './history.js';
import { minhashRows } from './minhash.js';
import { langIdRows } from './langid.js';
import { memoryRows } from './memory.js';
import { filterRows } from './filters.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const all: Record<string, () => Promise<BenchRow | BenchRow[]>> = {
  engine: () => engineEfficiency(),
  autoscaler: () => autoscalerEfficiency(),
  startup: () => timeToFirstTask(),
  threads: () => threadsSpeedup(),
  backends: () => backendRows(),
  raydata: () => rayDataAutoscaling(),
  history: () => historyRows(),
  minhash: () => minhashRows(),
  langid: () => langIdRows(),
  memory: () => memoryRows(),
  filters: () => filterRows(),
};

const picked = process.argv.slice(2).filter((a) => a in all);
const names = picked.length ? picked : Object.keys(all);
const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Curator Desktop benchmarks on ${machine}`);
const rows: BenchRow[] = [];
for (const n of names) {
  const got = await (all[n] as () => Promise<BenchRow | BenchRow[]>)();
  for (const row of Array.isArray(got) ? got : [got]) {
    printRow(row);
    rows.push(row);
  }
}
mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
const file = path.join(ROOT, '.bench', 'results.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2) + '\n');
console.log(`results written to ${path.relative(process.cwd(), file) || file}`);

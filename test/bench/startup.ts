import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type BenchRow } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** (c) Time from starting `curator run` (a fresh process) to the first processed task, median of n runs. */
export async function timeToFirstTask(n = 5): Promise<BenchRow> {
  const times: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/curator.js'), 'run', path.join(ROOT, 'resources/templates/quickstart.yaml'), '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let s = '';
      child.stdout.on('data', (d: Buffer) => (s += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(s));
    });
    totals.push((performance.now() - t0) / 1000);
    const summary = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { first_task_s?: number };
    if (typeof summary.first_task_s === 'number') times.push(summary.first_task_s);
  }
  const m = median(times);
  return { name: 'time to first processed task (s)', ratio: m, target: '< 1.0', details: { runs: n, min_s: Math.min(...times), max_s: Math.max(...times), median_whole_run_s: median(totals) } };
}

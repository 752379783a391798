import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, alive, readOutput, runCli, startCli, tempDir, waitFor, writePipeline } from './helpers.js';

const ECHO = path.join(ROOT, 'resources/workers/echo_worker.py');

let tmp: { dir: string; cleanup: () => void };
/** The corpus: 4 files of 10 documents, every fifth one blank. */
const texts: Record<string, string> = {};
beforeAll(() => {
  tmp = tempDir('curator-command-');
  mkdirSync(path.join(tmp.dir, 'in'));
  mkdirSync(path.join(tmp.dir, 'workers'));
  copyFileSync(ECHO, path.join(tmp.dir, 'workers/echo_worker.py'));
  for (let f = 0; f < 4; f++) {
    const lines: string[] = [];
    for (let d = 0; d < 10; d++) {
      const id = `f${f}-d${d}`;
      texts[id] = d % 5 === 4 ? ' ' : `Document ${d} of file ${f}, ünïcode ✓`;
      lines.push(JSON.stringify({ id, text: texts[id] }));
    }
    writeFileSync(path.join(tmp.dir, 'in', `part-${f}.jsonl`), lines.join('\n') + '\n');
  }
});
afterAll(() => tmp.cleanup());

/** A pipeline reading ./in, running `command` on it, writing ./out-<name>. */
function pipeline(name: string, command: Record<string, unknown>, executor: Record<string, unknown> = {}): string {
  return writePipeline(path.join(tmp.dir, `${name}.yaml`), {
    name,
    stages: [
      { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 1 } },
      { stage: 'CommandStage', name: 'echo', ...command },
      { stage: 'JsonlWriter', params: { path: `./out-${name}` } },
    ],
    executor,
  });
}

/** Lines the echo worker logs at startup (with --verbose): worker id → CUDA_VISIBLE_DEVICES. */
function devicesSeen(stderr: string): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const m of stderr.matchAll(/\[echo_worker\.py\] echo_worker (\S+): CUDA_VISIBLE_DEVICES=(\S*)/g)) seen[m[1] as string] = m[2] as string;
  return seen;
}

describe('CommandStage through `curator run`', () => {
  for (const backend of ['xenna', 'ray_data', 'ray_actor_pool'] as const) {
    it(`runs the Python example on every batch on the ${backend} backend`, async () => {
      const file = pipeline(backend, { params: { command: ['python3', 'workers/echo_worker.py'], params: { uppercase: true, drop_empty: true } } }, { backend });
      const r = await runCli(['run', file, '--json', '--cpus', '4']);
      expect(r.code, r.stderr).toBe(0);
      const at = r.stderr.indexOf('This pipeline runs external commands:\n');
      expect(at, r.stderr).toBeGreaterThanOrEqual(0);
      expect(r.stderr.slice(at).split('\n')[1]).toBe(`  echo (CommandStage): python3 workers/echo_worker.py  [in ${tmp.dir}]`);
      expect(at).toBeLessThan(r.stderr.indexOf('run '));
      const s = r.json as { status: string; stages: Array<{ name: string; items_in: number; items_out: number }> };
      expect(s.status).toBe('succeeded');
      expect(s.stages.find((x) => x.name === 'echo')).toMatchObject({ items_in: 40, items_out: 32 });
      expect(JSON.stringify(s)).toContain('EmptyText');
      const out = readOutput(path.join(tmp.dir, `out-${backend}`)).records;
      expect(out).toHaveLength(32);
      for (const rec of out) {
        const original = texts[rec.id as string] as string;
        expect(rec).toEqual({ id: rec.id, text: original.toUpperCase(), length: original.length });
      }
      expect(out.map((x) => x.id).sort()).toEqual(Object.keys(texts).filter((k) => texts[k] !== ' ').sort());
    });
  }

  it('gives each worker with resources {gpus: 1} its own (fake) GPU in CUDA_VISIBLE_DEVICES', async () => {
    const file = pipeline('gpu1', { params: { command: 'python3 workers/echo_worker.py', params: { report_env: true } }, resources: { gpus: 1 }, num_workers: 2 });
    const r = await runCli(['run', file, '--json', '--verbose', '--cpus', '4'], { CURATOR_FAKE_GPUS: '[{"name":"H100","memory_gb":80},{"name":"A10","memory_gb":24}]' });
    expect(r.code, r.stderr).toBe(0);
    const seen = devicesSeen(r.stderr);
    expect(Object.keys(seen).sort()).toEqual(['echo#0', 'echo#1']);
    expect(Object.values(seen).sort()).toEqual(['GPU-fake-0000-0', 'GPU-fake-0000-1']);
    const out = readOutput(path.join(tmp.dir, 'out-gpu1')).records;
    expect(out).toHaveLength(40);
    for (const rec of out) {
      const w = rec.worker as { id: string; cuda_visible_devices: string };
      expect(w.cuda_visible_devices).toBe(seen[w.id]);
    }
  });

  it('lets two workers with resources {gpus: 0.5} share one (fake) GPU', async () => {
    const file = pipeline('gpuhalf', { params: { command: ['python3', 'workers/echo_worker.py'], params: { report_env: true } }, resources: { gpus: 0.5 }, num_workers: 2 });
    const r = await runCli(['run', file, '--json', '--verbose', '--cpus', '4'], { CURATOR_FAKE_GPUS: '[{"name":"H100","memory_gb":80}]' });
    expect(r.code, r.stderr).toBe(0);
    expect(devicesSeen(r.stderr)).toEqual({ 'echo#0': 'GPU-fake-0000-0', 'echo#1': 'GPU-fake-0000-0' });
    for (const rec of readOutput(path.join(tmp.dir, 'out-gpuhalf')).records) expect((rec.worker as { cuda_visible_devices: string }).cuda_visible_devices).toBe('GPU-fake-0000-0');
  });

  it('fails the run naming the command when the program is missing, before any worker starts', async () => {
    const file = pipeline('missing', { params: { command: ['python3', 'workers/nope.py'] } });
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('script workers/nope.py of `python3 workers/nope.py` does not exist in');
  });

  it('fails the run with the exit code and stderr of a program that crashes mid-batch', async () => {
    const code = 'import json,sys\nh=sys.stdin.readline()\nprint(json.dumps({"type":"ready"}),flush=True)\nsys.stdin.readline()\nprint("RuntimeError: CUDA error: device-side assert", file=sys.stderr)\nsys.exit(7)';
    const file = pipeline('crash', { params: { command: ['python3', '-c', code] } });
    const r = await runCli(['run', file, '--json']);
    expect(r.code).toBe(1);
    const s = r.json as { status: string; error: { stage: string; message: string } };
    expect(s.status).toBe('failed');
    expect(s.error.stage).toBe('echo');
    expect(s.error.message).toMatch(/command `python3 -c .*` exited before answering batch 1 .*\(exit code 7\); its last standard error lines:\n {4}RuntimeError: CUDA error: device-side assert/s);
  });
});

/** The parent process id of a process (Linux /proc), or null. */
function ppidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Kills a program a failing test would otherwise leave behind. */
function stray(pid: number): void {
  try {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('an external program never outlives its worker', () => {
  // Says its pid on stderr, then blocks on its first batch without reading standard input.
  const blocking = 'import json,os,sys,time\nsys.stdin.readline()\nprint("pid", os.getpid(), file=sys.stderr, flush=True)\nprint(json.dumps({"type":"ready"}),flush=True)\nsys.stdin.readline()\ntime.sleep(120)';

  async function startBlocked(name: string): Promise<{ cli: ReturnType<typeof startCli>; pid: number }> {
    const file = pipeline(name, { params: { command: ['python3', '-c', blocking] } });
    const cli = startCli(['run', file, '--verbose']);
    let err = '';
    cli.child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    let pid = 0;
    await waitFor(() => {
      pid = Number(/\[python3\] pid (\d+)/.exec(err)?.[1] ?? 0);
      return pid > 0;
    }, 30_000);
    if (pid === 0) {
      cli.child.kill('SIGKILL');
      await cli.done;
    }
    expect(pid, err).toBeGreaterThan(0);
    return { cli, pid };
  }

  it('is killed when its worker process is killed with SIGKILL', async () => {
    const { cli, pid } = await startBlocked('kill-worker');
    try {
      const workerPid = ppidOf(pid) as number;
      expect(workerPid).toBeGreaterThan(0);
      process.kill(workerPid, 'SIGKILL');
      expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
    } finally {
      cli.child.kill('SIGKILL');
      await cli.done;
      stray(pid);
    }
  });

  it('is killed when the engine is killed with SIGKILL', async () => {
    const { cli, pid } = await startBlocked('kill-engine');
    cli.child.kill('SIGKILL');
    await cli.done;
    try {
      expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
    } finally {
      stray(pid);
    }
  });
});

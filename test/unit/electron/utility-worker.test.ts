import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SHIM = path.join(ROOT, 'dist/electron/utility-worker.js');
const ENTRY = path.join(ROOT, 'dist/runner/engine/worker-main.js');

// Electron's `process.parentPort`, faked over stdio: stdin lines become `{data}` messages, and
// postMessage writes a "PORT <json>" line.
const FAKE_PORT = `
import { createInterface } from 'node:readline';
const listeners = [];
process.parentPort = {
  on(event, l) { if (event === 'message') listeners.push(l); },
  postMessage(m) { process.stdout.write('PORT ' + JSON.stringify(m) + '\\n'); },
};
createInterface({ input: process.stdin }).on('line', (line) => { for (const l of listeners) l({ data: JSON.parse(line) }); });
`;

describe('utility-worker shim', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | null = null;

  beforeAll(() => {
    if (!existsSync(SHIM) || !existsSync(ENTRY)) throw new Error('the compiled shim and worker entry are missing: run `npm run build` first');
    dir = mkdtempSync(path.join(tmpdir(), 'curator-shim-'));
    writeFileSync(path.join(dir, 'fake-port.mjs'), FAKE_PORT);
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the real worker entry over parentPort: hello, then answers requests', async () => {
    child = spawn(process.execPath, ['--import', path.join(dir, 'fake-port.mjs'), SHIM], {
      env: { PATH: process.env.PATH ?? '', CURATOR_WORKER_ENTRY: ENTRY },
      stdio: 'pipe',
    });
    const replies: Array<Record<string, unknown>> = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('PORT ')) return;
      replies.push(JSON.parse(line.slice(5)) as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const next = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while (replies.length < n) {
        if (Date.now() > deadline) throw new Error(`no reply ${n}; stderr: ${stderr}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return replies[n - 1];
    };

    expect(await next(1)).toEqual({ kind: 'hello', pid: child.pid });
    child.stdin.write(`${JSON.stringify({ seq: 1, kind: 'process', payload: { tasks: [] } })}\n`);
    expect(await next(2)).toMatchObject({ seq: 1, ok: false, error: { message: expect.stringContaining('process before init') } });
    child.stdin.write(`${JSON.stringify({ seq: 2, kind: 'teardown', payload: null })}\n`);
    expect(await next(3)).toEqual({ seq: 2, ok: true, value: null });
    expect(stderr).toBe('');
  });

  it('refuses to start outside a utility process', () => {
    const r = spawnSync(process.execPath, [SHIM], { env: { PATH: process.env.PATH ?? '', CURATOR_WORKER_ENTRY: ENTRY }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/must be started by Curator Desktop as a utility process/);
  });
});

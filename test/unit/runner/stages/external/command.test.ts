import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildProcessing, check, makeTempDir, writeText, worker } from '../helpers.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import type { CommandStage } from '../../../../../runner/stages/external/command.js';
import { getStage } from '../../../../../runner/stages/registry.js';

const ECHO = fileURLToPath(new URL('../../../../../resources/workers/echo_worker.py', import.meta.url));

/** A Python program given inline: the protocol's first steps, then `body`. */
function py(body: string): string[] {
  const prelude = [
    'import json, os, sys, time, signal, subprocess',
    'def send(m):',
    '    sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()',
    'hello = json.loads(sys.stdin.readline())',
  ].join('\n');
  return ['python3', '-c', `${prelude}\n${body}`];
}

/** A program that answers every batch with its documents, after `before` (Python, per batch, `b` is the batch). */
function loop(before = '', ready = 'send({"type": "ready"})'): string[] {
  return py(`${ready}\nfor line in sys.stdin:\n    b = json.loads(line)\n${before.split('\n').map((l) => '    ' + l).join('\n')}\n    send({"type": "result", "id": b["id"], "documents": b["documents"]})`);
}

function batch(texts: string[], id = 't0'): DocumentBatch {
  return new DocumentBatch({ task_id: id, dataset_name: 'd', data: texts.map((text, i) => ({ id: i, text })) });
}

/** True while a process exists and is not a zombie (Linux /proc). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function gone(pid: number, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await alive(pid))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !(await alive(pid));
}

let tmp: { dir: string; cleanup: () => Promise<void> };
const started: CommandStage[] = [];
beforeAll(async () => (tmp = await makeTempDir('curator-command-')));
afterAll(() => tmp.cleanup());
afterEach(async () => {
  for (const s of started.splice(0)) await s.teardown();
});

function stage(raw: Record<string, unknown>) {
  const b = buildProcessing<CommandStage>('CommandStage', raw, tmp.dir);
  started.push(b.stage);
  return b;
}

describe('CommandStage with the shipped Python example', () => {
  it('adds lengths, uppercases, drops blank documents and reports them as removed', async () => {
    const { stage: s, removed, logs } = stage({ command: ['python3', ECHO], params: { uppercase: true, drop_empty: true } });
    await s.setup(worker);
    const out = await s.process(batch(['hello', '  ', 'Grüße, 世界']));
    expect(out.task_id).toBe('t0');
    expect(out.data).toEqual([
      { id: 0, text: 'HELLO', length: 5 },
      { id: 2, text: 'GRÜSSE, 世界', length: 9 },
    ]);
    expect(removed).toEqual([{ doc: { id: 1, text: '  ' }, reason: 'EmptyText' }]);
    const second = await s.process(batch(['again'], 't1'));
    expect(second.data).toEqual([{ id: 0, text: 'AGAIN', length: 5 }]);
    expect(logs).toContainEqual(['info', `[echo_worker.py] echo_worker w0: CUDA_VISIBLE_DEVICES=${process.env.CUDA_VISIBLE_DEVICES ?? '(unset)'}`]);
    expect(logs.some(([l, m]) => l === 'info' && /^\[echo_worker\.py\] ready after [\d.]+ s \(pid \d+\) \{"model":"echo"\}$/.test(m))).toBe(true);
  });

  it('passes empty batches on without asking the program', async () => {
    const { stage: s } = stage({ command: ['python3', ECHO] });
    await s.setup(worker);
    const empty = batch([]);
    expect(await s.process(empty)).toBe(empty);
  });

  it('lets the program exit on its own when its standard input closes', async () => {
    const { stage: s } = stage({ command: ['python3', ECHO] });
    await s.setup(worker);
    const pid = s.programPid as number;
    const t0 = Date.now();
    await s.teardown();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await alive(pid)).toBe(false);
  });
});

describe('what the program is given', () => {
  it('sends hello with the stage, worker, resources, GPUs, text field and params, in cwd with env', async () => {
    const program = loop('b["documents"] = [{"hello": hello, "cwd": os.getcwd(), "env": os.environ.get("MY_FLAG"), "unbuffered": os.environ.get("PYTHONUNBUFFERED")}]');
    const built = stage({ command: program, cwd: '.', env: { MY_FLAG: 42 }, params: { model: 'tiny', threshold: 0.5 }, text_field: 'content' });
    const s = built.stage.with_({ name: 'embed', resources: { gpus: 0.5 } });
    started.push(s);
    await s.setup({ worker_id: 'embed#3', stage_name: 'embed', allocation: { cpus: 1, gpu_devices: ['GPU-fake-0000-1'], gpu_fraction: 0.5 } });
    const out = await s.process(batch(['x']));
    expect(out.data).toEqual([
      {
        hello: { type: 'hello', protocol: 1, stage: 'embed', worker_id: 'embed#3', text_field: 'content', resources: { cpus: 1, gpus: 0.5, gpu_memory_gb: 0 }, gpu_devices: ['GPU-fake-0000-1'], gpu_fraction: 0.5, params: { model: 'tiny', threshold: 0.5 } },
        cwd: tmp.dir,
        env: '42',
        unbuffered: '1',
      },
    ]);
  });

  it('sends standard error to the log with the script name, warnings as warnings', async () => {
    const { stage: s, logs } = stage({ command: py('print("loading weights", file=sys.stderr)\nprint("WARNING: slow path", file=sys.stderr)\nsend({"type": "ready"})\nsys.stdin.read()') });
    await s.setup(worker);
    expect(logs).toContainEqual(['info', '[python3] loading weights']);
    expect(logs).toContainEqual(['warn', '[python3] WARNING: slow path']);
  });

  it('refuses CUDA_VISIBLE_DEVICES in env: the engine sets it from resources', () => {
    const r = getStage('CommandStage').params.safeParse({ command: ['python3', 'x.py'], env: { CUDA_VISIBLE_DEVICES: '0' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/set by the engine from the stage's resources/);
  });
});

describe('plan-time checks', () => {
  it('finds the program on PATH and the script in the pipeline folder', async () => {
    await writeText(path.join(tmp.dir, 'model.py'), 'pass\n');
    expect(await check('CommandStage', { command: 'python3 -u model.py --fp16' }, tmp.dir)).toEqual([]);
    expect(await check('CommandStage', { command: ['python3', '-c', 'pass'] }, tmp.dir)).toEqual([]);
  });

  it('names a program that is not on PATH, a missing script, program path or folder', async () => {
    expect(await check('CommandStage', { command: ['no-such-program-xyz', 'a'] }, tmp.dir)).toEqual([expect.stringMatching(/program "no-such-program-xyz" of `no-such-program-xyz a` was not found on PATH/)]);
    expect(await check('CommandStage', { command: ['python3', 'missing.py'] }, tmp.dir)).toEqual([expect.stringMatching(/script missing\.py of `python3 missing\.py` does not exist in /)]);
    expect(await check('CommandStage', { command: ['./tools/run.sh'] }, tmp.dir)).toEqual([`command: program ${path.join(tmp.dir, 'tools/run.sh')} does not exist (a relative program path is relative to the pipeline file's folder)`]);
    expect(await check('CommandStage', { command: ['python3', '-c', 'pass'], cwd: 'nowhere' }, tmp.dir)).toEqual([expect.stringMatching(/cwd: the working folder .*nowhere of `python3 -c pass` does not exist/)]);
  });

  it('names a program file that is not executable, and setup says so too', async () => {
    const file = await writeText(path.join(tmp.dir, 'tool.py'), '#!/usr/bin/env python3\n');
    await chmod(file, 0o644);
    expect(await check('CommandStage', { command: ['./tool.py'] }, tmp.dir)).toEqual([expect.stringMatching(/tool\.py is not an executable file \(chmod \+x it, or name its interpreter first/)]);
    const { stage: s } = stage({ command: ['./tool.py'] });
    await expect(s.setup(worker)).rejects.toThrow(/could not be started: ".*tool\.py" is not executable/);
  });

  it('fails setup naming a program that is not found', async () => {
    const { stage: s } = stage({ command: ['no-such-program-xyz'] });
    await expect(s.setup(worker)).rejects.toThrow('command `no-such-program-xyz` could not be started: "no-such-program-xyz" was not found');
  });
});

describe('a misbehaving program', () => {
  it('that exits during startup fails setup with its exit code and last stderr lines', async () => {
    const { stage: s } = stage({ command: py('print("Traceback: no such model", file=sys.stderr)\nsys.exit(3)') });
    const err = await s.setup(worker).then(() => null, (e: unknown) => e as Error & { failure?: string });
    expect(err?.name).toBe('ExternalCommandError');
    expect(err?.failure).toBe('exited');
    expect(err?.message).toMatch(/^command `python3 -c .*` exited before answering hello \(exit code 3\); its last standard error lines:\n {4}Traceback: no such model$/s);
  });

  it('that does not say ready in time is killed', async () => {
    const { stage: s } = stage({ command: py('time.sleep(60)'), startup_timeout_s: 0.3 });
    await expect(s.setup(worker)).rejects.toThrow(/did not answer hello within 0\.3 s and was stopped/);
    expect(await gone(s.programPid as number)).toBe(true);
  });

  it('that prints before ready breaks the protocol', async () => {
    const { stage: s } = stage({ command: py('print("Loading checkpoint shards")\nsend({"type": "ready"})') });
    await expect(s.setup(worker)).rejects.toThrow(/wrote a line that is not JSON: "Loading checkpoint shards"/);
  });

  it('that exits mid-batch fails that batch, and is started again for the next', async () => {
    const marker = path.join(tmp.dir, 'crashed-once');
    const { stage: s, logs } = stage({ command: loop(`if not os.path.exists(${JSON.stringify(marker)}):\n    open(${JSON.stringify(marker)}, "w").close()\n    print("segfault in kernel", file=sys.stderr)\n    os._exit(5)`) });
    await s.setup(worker);
    const first = s.programPid as number;
    await expect(s.process(batch(['a'], 'task-a'))).rejects.toThrow(/exited before answering batch 1 \(task task-a, 1 documents\) \(exit code 5\); its last standard error lines:\n {4}segfault in kernel/);
    const out = await s.process(batch(['b']));
    expect(out.data).toEqual([{ id: 0, text: 'b' }]);
    expect(s.programPid).not.toBe(first);
    expect(logs.some(([l, m]) => l === 'warn' && m.startsWith('[python3] starting the command again (command `python3 -c'))).toBe(true);
  });

  it('that writes garbage or answers the wrong id fails the batch and is restarted', async () => {
    const { stage: s } = stage({ command: loop('if b["documents"][0]["text"] == "garbage":\n    print("oops")\nif b["documents"][0]["text"] == "wrong":\n    b["id"] += 10') });
    await s.setup(worker);
    const pid = s.programPid as number;
    await expect(s.process(batch(['garbage']))).rejects.toThrow(/wrote a line that is not JSON: "oops"/);
    expect(await gone(pid)).toBe(true);
    await expect(s.process(batch(['wrong']))).rejects.toThrow(/answered batch 2 with a "result" for id 12/);
    expect((await s.process(batch(['fine']))).data).toEqual([{ id: 0, text: 'fine' }]);
  });

  it('that takes too long on a batch is killed, with its process group', async () => {
    const { stage: s, logs } = stage({ command: loop('child = subprocess.Popen(["sleep", "60"])\nprint("child", child.pid, file=sys.stderr)\ntime.sleep(60)'), timeout_s: 0.5 });
    await s.setup(worker);
    const pid = s.programPid as number;
    await expect(s.process(batch(['slow']))).rejects.toThrow(/did not answer batch 1 \(task t0, 1 documents\) within 0\.5 s and was stopped \(raise the stage's timeout/);
    expect(await gone(pid)).toBe(true);
    const line = logs.find(([, m]) => m.startsWith('[python3] child '));
    const grandchild = Number(line?.[1].split(' ')[2]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild)).toBe(true);
  });

  it('that answers with an error line fails only that batch and keeps running', async () => {
    const { stage: s } = stage({ command: py('send({"type": "ready"})\nfor line in sys.stdin:\n    b = json.loads(line)\n    if b["documents"][0]["text"] == "bad":\n        send({"type": "error", "id": b["id"], "message": "CUDA out of memory"})\n    else:\n        send({"type": "result", "id": b["id"], "documents": b["documents"]})') });
    await s.setup(worker);
    const pid = s.programPid;
    const err = await s.process(batch(['bad'], 'task-9')).then(() => null, (e: unknown) => e as Error & { failure?: string });
    expect(err?.message).toMatch(/^command `python3 -c .*` could not process batch 1 \(task task-9\): CUDA out of memory$/s);
    expect(err?.failure).toBe('program_error');
    expect((await s.process(batch(['good']))).data).toEqual([{ id: 0, text: 'good' }]);
    expect(s.programPid).toBe(pid);
  });

  it('that ignores its closed standard input and SIGTERM is killed at teardown', async () => {
    const { stage: s } = stage({ command: py('signal.signal(signal.SIGTERM, signal.SIG_IGN)\nsend({"type": "ready"})\nwhile True:\n    time.sleep(1)') });
    await s.setup(worker);
    const pid = s.programPid as number;
    started.length = 0;
    const t0 = Date.now();
    await s.teardown();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3900);
    expect(await alive(pid)).toBe(false);
  }, 10_000);
});

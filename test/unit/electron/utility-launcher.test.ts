import { EventEmitter } from 'node:events';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { WorkerExit } from '../../../runner/engine/launcher.js';
import { unpackedPath } from '../../../electron/app-paths.js';
import { exitOfGone, UtilityWorkerLauncher, type GoneDetails, type UtilityChild } from '../../../electron/utility-launcher.js';

/** A utility process as Electron's `fork` returns it, driven by the test. */
class FakeChild extends EventEmitter implements UtilityChild {
  static nextPid = 4000;
  readonly pid = FakeChild.nextPid++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  kills = 0;
  constructor(readonly exitOnKill: boolean) {
    super();
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    if (this.exitOnKill) setImmediate(() => this.emit('exit', 0));
    return true;
  }
}

function setup(exitOnKill = true) {
  const gone = new EventEmitter();
  const children: FakeChild[] = [];
  const forks: Array<{ modulePath: string; options: { serviceName: string; env: Record<string, string>; stdio: string } }> = [];
  const killPid = vi.fn((pid: number, _signal: NodeJS.Signals) => {
    const c = children.find((ch) => ch.pid === pid);
    if (c) setImmediate(() => gone.emit('gone', { type: 'Utility', reason: 'killed', exitCode: 9, name: forks[children.indexOf(c)]?.options.serviceName }));
  });
  const launcher = new UtilityWorkerLauncher({
    fork: (modulePath, _args, options) => {
      const c = new FakeChild(exitOnKill);
      children.push(c);
      forks.push({ modulePath, options });
      return c;
    },
    shimPath: '/app/dist/electron/utility-worker.js',
    onChildGone: (l) => gone.on('gone', l),
    killPid,
    exists: () => false,
  });
  const launch = (name = 'reader#0') => launcher.launch({ serviceName: name, entry: '/app/dist/runner/engine/worker-main.js', env: { PATH: '/bin', CURATOR_RUN_ID: 'r1', 'BAD KEY': 'x', 'ProgramFiles(x86)': 'y' } });
  const goneWith = (d: Partial<GoneDetails> & { name: string }) => gone.emit('gone', { type: 'Utility', reason: 'crashed', exitCode: 1, ...d });
  return { launcher, launch, children, forks, killPid, goneWith };
}

describe('UtilityWorkerLauncher', () => {
  it('forks the shim with a service name per worker, the entry and a clean environment', () => {
    const t = setup();
    const w = t.launch();
    expect(w.pid).toBe(t.children[0]?.pid);
    expect(t.forks[0]?.modulePath).toBe('/app/dist/electron/utility-worker.js');
    expect(t.forks[0]?.options).toMatchObject({ serviceName: 'curator-worker reader#0', stdio: 'pipe' });
    expect(t.forks[0]?.options.env).toEqual({ PATH: '/bin', CURATOR_RUN_ID: 'r1', CURATOR_WORKER_ENTRY: '/app/dist/runner/engine/worker-main.js' });
    // A second run's worker of the same name still gets a name of its own.
    t.launch();
    expect(t.forks[1]?.options.serviceName).toBe('curator-worker reader#0 (1)');
  });

  it('sends with postMessage and passes messages and output lines on', async () => {
    const t = setup();
    const w = t.launch();
    const got: unknown[] = [];
    const lines: string[] = [];
    w.onMessage((m) => got.push(m));
    w.onOutput((s, l) => lines.push(`${s}:${l}`));
    w.send({ seq: 1, kind: 'teardown', payload: null });
    expect(t.children[0]?.posted).toEqual([{ seq: 1, kind: 'teardown', payload: null }]);
    t.children[0]?.emit('message', { kind: 'hello', pid: 1 });
    t.children[0]?.stderr.write('warning one\nwarning two\n');
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([{ kind: 'hello', pid: 1 }]);
    expect(lines).toEqual(['stderr:warning one', 'stderr:warning two']);
  });

  it('reports a crash once, from child-process-gone, even when exit follows', () => {
    const t = setup();
    const w = t.launch();
    const exits: WorkerExit[] = [];
    w.onExit((e) => exits.push(e));
    t.goneWith({ name: 'curator-worker other#3', reason: 'crashed' });
    t.goneWith({ name: 'curator-worker reader#0', type: 'GPU' });
    expect(exits).toEqual([]);
    t.goneWith({ name: 'curator-worker reader#0', reason: 'oom', exitCode: 137 });
    t.children[0]?.emit('exit', 137);
    expect(exits).toEqual([{ code: 137, signal: null }]);
    // A late listener still hears it; sends after the end go nowhere.
    w.onExit((e) => exits.push(e));
    w.send('late');
    expect(exits).toHaveLength(2);
    expect(t.children[0]?.posted).toEqual([]);
    expect(t.launcher.liveCount).toBe(0);
  });

  it('maps the reasons of child-process-gone', () => {
    expect(exitOfGone({ type: 'Utility', reason: 'killed', exitCode: 9 })).toEqual({ code: 9, signal: 'SIGKILL' });
    for (const reason of ['crashed', 'oom', 'launch-failed', 'abnormal-exit']) expect(exitOfGone({ type: 'Utility', reason, exitCode: 3 })).toEqual({ code: 3, signal: null });
  });

  it('SIGKILL goes to the process id; other signals use kill()', async () => {
    const t = setup();
    const w = t.launch();
    const exits: WorkerExit[] = [];
    w.onExit((e) => exits.push(e));
    w.kill('SIGKILL');
    expect(t.killPid).toHaveBeenCalledWith(t.children[0]?.pid, 'SIGKILL');
    expect(t.children[0]?.kills).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([{ code: 9, signal: 'SIGKILL' }]);

    const w2 = t.launch('writer#0');
    const exits2: WorkerExit[] = [];
    w2.onExit((e) => exits2.push(e));
    w2.kill();
    expect(t.children[1]?.kills).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(exits2).toEqual([{ code: 0, signal: 'SIGTERM' }]);
  });

  it('killAll stops every worker: gracefully, then SIGKILL for those that stay', async () => {
    const t = setup(false);
    t.launch('a#0');
    t.launch('b#0');
    expect(t.launcher.liveCount).toBe(2);
    const t0 = Date.now();
    await t.launcher.killAll(100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(t.children.map((c) => c.kills)).toEqual([1, 1]);
    expect(t.killPid.mock.calls.map((c) => c[1])).toEqual(['SIGKILL', 'SIGKILL']);
    expect(t.launcher.liveCount).toBe(0);
    await t.launcher.killAll(100);
  });

  it('starts workers from app.asar.unpacked when the unpacked copy exists', () => {
    const packed = path.join('/opt/Curator Desktop/resources/app.asar/dist/runner/engine/worker-main.js');
    const unpacked = path.join('/opt/Curator Desktop/resources/app.asar.unpacked/dist/runner/engine/worker-main.js');
    expect(unpackedPath(packed, (p) => p === unpacked)).toBe(unpacked);
    expect(unpackedPath(packed, () => false)).toBe(packed);
    expect(unpackedPath('/project/dist/runner/engine/worker-main.js', () => true)).toBe('/project/dist/runner/engine/worker-main.js');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiHost } from '../../../electron/api-host.js';
import { API_METHOD_NAMES } from '../../../runner/service/method-names.js';
import { createBridge, createShellBridge, type BridgeIpc } from '../../../electron/bridge.js';
import { CHANNELS } from '../../../electron/channels.js';
import { HistoryStore } from '../../../runner/history/store.js';
import type { CuratorClient } from '../../../runner/service/contract.js';
import { API_METHODS } from '../../../runner/service/schemas.js';
import { createCuratorService, type CuratorService } from '../../../runner/service/service.js';

/** ipcRenderer and ipcMain joined in one process: what the preload and ipc.ts do, minus Electron. */
function fakeIpc(host: () => ApiHost) {
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const invokes: Array<{ channel: string; args: unknown[] }> = [];
  const ipc: BridgeIpc = {
    invoke: async (channel, ...args) => {
      invokes.push({ channel, args });
      // Like IPC, arguments and answers are copies.
      const a = structuredClone(args);
      if (channel === CHANNELS.call) return structuredClone(await host().call(a[0], a[1]));
      if (channel === CHANNELS.subscribe) return host().feed(a[0], a[1]);
      throw new Error(`no handler for ${channel}`);
    },
    on: (channel, listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(structuredClone(payload)));
  return { ipc, invokes, emit, listeners };
}

describe('the preload bridge over a real service', () => {
  let dir: string;
  let history: HistoryStore;
  let service: CuratorService;
  let host: ApiHost;
  let fake: ReturnType<typeof fakeIpc>;
  let curator: CuratorClient;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'curator-bridge-'));
    history = HistoryStore.open({ home: dir });
    service = createCuratorService({ history, home: dir, locationFile: null, log: () => undefined });
    fake = fakeIpc(() => host);
    host = new ApiHost(service, (key, event) => fake.emit(CHANNELS.event, { key, event }));
    curator = createBridge(fake.ipc);
  });
  afterAll(async () => {
    host.clear();
    await service.close();
    history.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exposes exactly the API methods plus subscribe, all functions', () => {
    expect(Object.keys(curator).sort()).toEqual([...API_METHODS, 'subscribe'].sort());
    expect([...API_METHOD_NAMES].sort()).toEqual([...API_METHODS].sort());
    for (const [k, v] of Object.entries(curator)) expect(typeof v, k).toBe('function');
  });

  it('holds no channel name the page could read', () => {
    const seen = JSON.stringify(curator, (_k, v: unknown) => (typeof v === 'function' ? 'fn' : v));
    for (const channel of Object.values(CHANNELS)) expect(seen).not.toContain(channel);
    expect(Object.getOwnPropertyNames(curator).some((k) => k.includes(':'))).toBe(false);
    const shell = createShellBridge(fake.ipc, () => '/x');
    expect(Object.keys(shell).sort()).toEqual(['kind', 'openExternal', 'openText', 'pathForFile', 'pickPath', 'saveText']);
    expect(Object.values(shell).filter((v) => typeof v === 'string')).toEqual(['electron']);
  });

  it('answers calls with the service’s results', async () => {
    const catalog = await curator.catalog();
    expect(catalog.stages.length).toBeGreaterThan(5);
    expect((await curator.listRuns({ limit: 5 })).total).toBe(0);
    expect(fake.invokes.at(-1)).toEqual({ channel: CHANNELS.call, args: ['listRuns', { limit: 5 }] });
  });

  it('rejects with plain {code, message, problems} objects', async () => {
    const notFound: unknown = await curator.getRun({ run_id: 'no-such-run' }).catch((e: unknown) => e);
    expect(notFound).not.toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(notFound)).toBe(Object.prototype);
    expect(notFound).toMatchObject({ code: 'not_found', message: expect.stringContaining('no-such-run') });

    const bad: unknown = await curator.listRuns({ limit: -1, bogus: 1 } as never).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_argument' });
    expect(Object.keys(bad as object).sort()).toEqual(['code', 'message', 'problems']);
    expect((bad as { problems: string[] }).problems.length).toBeGreaterThanOrEqual(2);
  });

  it('reference-counts subscriptions per run over one feed and delivers each event once', async () => {
    const before = fake.invokes.length;
    const a: unknown[] = [];
    const b: unknown[] = [];
    const all: unknown[] = [];
    const offA = curator.subscribe('run-1', (e) => a.push(e));
    const offB = curator.subscribe('run-1', (e) => b.push(e));
    const offAll = curator.subscribe(null, (e) => all.push(e));
    await new Promise((r) => setTimeout(r, 10));
    const subs = () => fake.invokes.slice(before).filter((i) => i.channel === CHANNELS.subscribe).map((i) => i.args);
    expect(subs()).toEqual([['run-1', true], ['*', true]]);
    expect(host.keys.sort()).toEqual(['*', 'run-1']);

    // The main process sends one message per subscribed key.
    fake.emit(CHANNELS.event, { key: 'run-1', event: { type: 'run_started', run_id: 'run-1' } });
    fake.emit(CHANNELS.event, { key: '*', event: { type: 'run_started', run_id: 'run-1' } });
    expect([a.length, b.length, all.length]).toEqual([1, 1, 1]);

    offA();
    offA();
    await new Promise((r) => setTimeout(r, 10));
    expect(subs()).toHaveLength(2);
    offB();
    offAll();
    await new Promise((r) => setTimeout(r, 10));
    expect(subs()).toEqual([['run-1', true], ['*', true], ['run-1', false], ['*', false]]);
    expect(host.keys).toEqual([]);
    fake.emit(CHANNELS.event, { key: 'run-1', event: {} });
    expect(a.length + b.length).toBe(2);
  });

  it('refuses bad subscribe arguments in the page and in the main process', () => {
    expect(() => curator.subscribe('*', () => undefined)).toThrow(TypeError);
    expect(() => curator.subscribe('r', 'nope' as never)).toThrow(TypeError);
    expect(host.feed(42, true)).toMatchObject({ error: { code: 'invalid_argument' } });
  });

  it('the shell bridge opens only http(s) links and survives a failing path lookup', async () => {
    const shell = createShellBridge<string>(fake.ipc, (f) => {
      if (f === 'bad') throw new Error('not a file');
      return `/data/${f}`;
    });
    expect(shell.kind).toBe('electron');
    expect(shell.pathForFile('a.jsonl')).toBe('/data/a.jsonl');
    expect(shell.pathForFile('bad')).toBeNull();
    await expect(shell.openExternal('file:///etc/passwd')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

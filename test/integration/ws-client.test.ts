import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { HistoryStore } from '../../dist/runner/history/store.js';
import { startServer, type CuratorServer } from '../../dist/runner/host/server.js';
import { createCuratorService, type CuratorService } from '../../dist/runner/service/service.js';
import type { ApiErrorInfo, CuratorClient, CuratorEvent } from '../../dist/runner/service/contract.js';
import { ROOT, tempDir } from './helpers.js';

// The renderer's WebSocket client against the real host and service (built files, real worker
// processes), over the `ws` package since Node has no global WebSocket. A TCP relay in between
// lets the test cut the connection the way a server restart or a network drop would.

type TestClient = CuratorClient & { close(): void; onStatus(fn: (s: string) => void): () => void; readonly status: string };
interface WsClientModule {
  createWsClient(o: { url: string; WebSocket: unknown; retryMs?: number; maxRetryMs?: number }): TestClient;
}
// Loaded by path: the client is renderer code (browser resolution), outside this project's tsconfig.
const CLIENT_MODULE = path.join(ROOT, 'renderer/src/api/ws-client.ts');
const ERRORS_MODULE = path.join(ROOT, 'renderer/src/api/errors.ts');

/** A TCP relay to the server that can hold the client's bytes and cut every connection. */
function relay(targetPort: number): Promise<{ port: number; hold: (on: boolean) => void; cut: () => void; close: () => void }> {
  const sockets = new Set<net.Socket>();
  let held = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => void (held ? undefined : upstream.write(d)));
    upstream.on('data', (d) => void client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        hold: (on) => void (held = on),
        cut: () => sockets.forEach((s) => s.destroy()),
        close: () => {
          sockets.forEach((s) => s.destroy());
          server.close();
        },
      });
    });
  });
}

/** Resolves when `pred` holds, polling; fails naming what was awaited. */
async function until(what: string, pred: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What a call rejected with; fails the test when it resolves. */
async function rejection(call: Promise<unknown>): Promise<Error & ApiErrorInfo> {
  const outcome = await call.then((value) => ({ value }), (err: unknown) => ({ err }));
  if ('value' in outcome) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.value)}`);
  return outcome.err as Error & ApiErrorInfo;
}

const lifecycle = (events: CuratorEvent[], runId: string) => events.filter((e) => e.run_id === runId && e.type !== 'task_processed' && e.type !== 'log' && e.type !== 'hardware_sample').map((e) => `${e.type}@${e.t}`);

describe('renderer WebSocket client against curator serve', () => {
  const tmp = tempDir('curator-ws-client-');
  const home = path.join(tmp.dir, 'data');
  let history: HistoryStore;
  let service: CuratorService;
  let server: CuratorServer;
  let mod: WsClientModule;
  let errors: { CuratorClientError: new (info: ApiErrorInfo) => Error & ApiErrorInfo; apiErrorOf(e: unknown): ApiErrorInfo };
  let url = '';
  /** Every event the service published, straight from the service: the reference. */
  const published: CuratorEvent[] = [];

  // The server checks Host, so a client going through the relay names the server's own address.
  const viaRelay = (serverPort: number) =>
    class extends WebSocket {
      constructor(u: string) {
        super(u, { headers: { Host: `127.0.0.1:${serverPort}` } });
      }
    };

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    history = HistoryStore.open({ home });
    service = createCuratorService({ history, home, locationFile: path.join(tmp.dir, 'appdata', 'location.json'), log: () => undefined });
    service.subscribe(null, (e) => published.push(e));
    server = await startServer({ service, rendererDir: null, log: () => undefined });
    url = `ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`;
    mod = (await import(CLIENT_MODULE)) as WsClientModule;
    errors = (await import(ERRORS_MODULE)) as typeof errors;
  });

  afterAll(async () => {
    await service.close();
    await server.close();
    history.close();
    tmp.cleanup();
  });

  it('calls methods and answers their results, settings included', async () => {
    const client = mod.createWsClient({ url, WebSocket });
    try {
      const catalog = await client.catalog();
      expect(catalog.templates.map((t) => t.id)).toContain('quickstart');
      expect(client.status).toBe('connected');
      const [hw, runs, valid] = await Promise.all([client.hardware(), client.listRuns({ limit: 5 }), client.validatePipeline({ pipeline: { name: 'v', stages: [{ stage: 'SyntheticDocuments', params: {} }] } })]);
      expect(hw.inventory.cpus).toBeGreaterThan(0);
      expect(runs.total).toBeGreaterThanOrEqual(0);
      expect(valid.valid).toBe(true);
      expect(await client.settings()).toEqual({ max_concurrent_runs: 1, gpu_allow_list: null, output_dir: path.join(home, 'outputs'), data_dir: home, pending_data_dir: null });
      expect((await client.updateSettings({ max_concurrent_runs: 2 })).max_concurrent_runs).toBe(2);
      expect((await client.settings()).max_concurrent_runs).toBe(2);
      await client.updateSettings({ max_concurrent_runs: 1 });
    } finally {
      client.close();
    }
  });

  it('rejects with a typed CuratorClientError carrying code and problems', async () => {
    const client = mod.createWsClient({ url, WebSocket });
    try {
      const missing = await rejection(client.getRun({ run_id: 'no-such-run' }));
      expect(missing).toBeInstanceOf(errors.CuratorClientError);
      expect(missing).toBeInstanceOf(Error);
      expect(errors.apiErrorOf(missing)).toMatchObject({ code: 'not_found', message: expect.stringContaining('no-such-run') });
      const bad = await rejection(client.updateSettings({ max_concurrent_runs: 0 }));
      expect(bad.code).toBe('invalid_argument');
      expect(bad.message).toMatch(/max_concurrent_runs/);
      expect(bad.problems?.[0]).toMatch(/^updateSettings: max_concurrent_runs: /);
      const invalid = await rejection(client.startRun({ pipeline: 'name: x\nstages:\n  - stage: Nope\n' }));
      expect(invalid.code).toBe('invalid_pipeline');
    } finally {
      client.close();
    }
  });

  it('previews an input from an offset: a file:line reference is offset line - 1', async () => {
    const dir = path.join(tmp.dir, 'corpus');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'a.jsonl');
    writeFileSync(file, [JSON.stringify({ id: 'l1' }), '', JSON.stringify({ id: 'l3' }), '{broken', JSON.stringify({ id: 'l5' })].join('\n') + '\n');
    writeFileSync(path.join(dir, 'b.jsonl'), [{ id: 'b1' }, { id: 'b2' }].map((d) => JSON.stringify(d)).join('\n') + '\n');
    const client = mod.createWsClient({ url, WebSocket });
    try {
      const at3 = await client.previewInput({ path: file, offset: 2, limit: 1 });
      expect(at3.documents).toEqual([{ id: 'l3' }]);
      expect(at3.truncated).toBe(true);
      expect((await client.previewInput({ path: file, offset: 4, limit: 1 })).documents).toEqual([{ id: 'l5' }]);
      expect((await client.previewInput({ path: 'a.jsonl', base_dir: dir, offset: 0, limit: 1 })).documents).toEqual([{ id: 'l1' }]);
      // A folder skips documents, across its files in order.
      expect((await client.previewInput({ path: dir, offset: 2, limit: 2 })).documents).toEqual([{ id: 'l5' }, { id: 'b1' }]);
      expect((await client.previewInput({ path: file, offset: 99 })).documents).toEqual([]);
      expect((await rejection(client.previewInput({ path: file, offset: -1 }))).code).toBe('invalid_argument');
    } finally {
      client.close();
    }
  });

  it("delivers a run's events once each with both an all-runs and a run subscription, replay included", async () => {
    const client = mod.createWsClient({ url, WebSocket });
    try {
      const all: CuratorEvent[] = [];
      const own: CuratorEvent[] = [];
      const offAll = client.subscribe(null, (e) => all.push(e));
      await client.catalog(); // the subscription is in place once a later call is answered
      const pipeline = { name: 'ws events', stages: [{ stage: 'SyntheticDocuments', params: { num_tasks: 4, docs_per_task: 3 } }, { stage: 'BusyStage', params: { sleep_ms_per_task: 50 } }], executor: { backend: 'xenna', config: { logging_interval: 1 } } };
      const { run_id } = await client.startRun({ pipeline });
      const offOwn = client.subscribe(run_id, (e) => own.push(e));
      await until('run_finished on the run subscription', () => own.some((e) => e.type === 'run_finished'));
      await until('run_finished on the all-runs subscription', () => all.some((e) => e.run_id === run_id && e.type === 'run_finished'));
      await new Promise((r) => setTimeout(r, 200));

      // The all-runs listener saw exactly what the service published for the run, in order.
      const reference = published.filter((e) => e.run_id === run_id);
      expect(all.filter((e) => e.run_id === run_id).map((e) => `${e.type}@${e.t}`)).toEqual(reference.map((e) => `${e.type}@${e.t}`));
      // The run listener: the replay of what it missed, then live events, nothing twice.
      const mine = lifecycle(own, run_id);
      expect(new Set(mine).size).toBe(mine.length);
      expect(own.filter((e) => e.type === 'run_finished')).toHaveLength(1);
      expect(own.some((e) => e.type === 'run_queued' || e.type === 'run_started')).toBe(true);
      expect(own.at(-1)?.type).toBe('run_finished');

      // A second listener on the same run (no new server subscription) gets the replay too.
      const late: CuratorEvent[] = [];
      const offLate = client.subscribe(run_id, (e) => late.push(e));
      await until('the late listener replay', () => late.some((e) => e.type === 'run_finished'));
      const hadStatus = own.some((e) => e.type === 'stage_status');
      expect(late.map((e) => e.type)).toEqual(['run_started', ...(hadStatus ? ['stage_status'] : []), 'run_finished']);
      offLate();
      offOwn();
      offAll();

      // A new client subscribing after the end gets the server's replay.
      const other = mod.createWsClient({ url, WebSocket });
      const replay: CuratorEvent[] = [];
      other.subscribe(run_id, (e) => replay.push(e));
      await until('the server replay', () => replay.some((e) => e.type === 'run_finished'));
      expect(replay.map((e) => `${e.type}@${e.t}`)).toEqual(late.map((e) => `${e.type}@${e.t}`));
      other.close();
    } finally {
      client.close();
    }
  });

  it('rejects calls in flight when the connection drops, reconnects and subscribes again', async () => {
    const r = await relay(server.port);
    const client = mod.createWsClient({ url: `ws://127.0.0.1:${r.port}/api/ws?token=${server.token}`, WebSocket: viaRelay(server.port), retryMs: 100, maxRetryMs: 400 });
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    try {
      await client.settings();
      const all: CuratorEvent[] = [];
      const first = await client.startRun({ pipeline: { name: 'before the drop', stages: [{ stage: 'SyntheticDocuments', params: { num_tasks: 1 } }] } });
      const own: CuratorEvent[] = [];
      client.subscribe(first.run_id, (e) => own.push(e));
      client.subscribe(null, (e) => all.push(e));
      await until('the first run to finish', () => own.some((e) => e.type === 'run_finished'));

      r.hold(true);
      const inFlight = rejection(client.catalog());
      await new Promise((res) => setTimeout(res, 100));
      r.cut();
      r.hold(false);
      const lost = await inFlight;
      expect(lost).toBeInstanceOf(errors.CuratorClientError);
      expect({ code: lost.code, message: lost.message }).toEqual({ code: 'internal', message: 'lost the connection to the Curator service' });
      await until('the reconnect', () => client.status === 'connected' && statuses.includes('reconnecting'), 10_000);
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);

      // Calls work again, and the all-runs subscription was sent again.
      const second = await client.startRun({ pipeline: { name: 'after the drop', stages: [{ stage: 'SyntheticDocuments', params: { num_tasks: 1 } }] } });
      await until('events of a run started after the reconnect', () => all.some((e) => e.run_id === second.run_id && e.type === 'run_finished'));
      // The run subscription's replay after the reconnect repeated nothing its listener had.
      expect(own.filter((e) => e.type === 'run_finished')).toHaveLength(1);
      expect(new Set(lifecycle(own, first.run_id)).size).toBe(lifecycle(own, first.run_id).length);
    } finally {
      client.close();
      r.close();
    }
  });
});

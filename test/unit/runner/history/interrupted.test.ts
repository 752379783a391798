import { spawnSync } from 'node:child_process';
import os from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../runner/history/store.js';
import { FOREIGN_HEARTBEAT_TIMEOUT_MS, ownerIsGone, type ProcessProbe, type StoredOwner } from '../../../../runner/history/owner.js';
import { ev, runStart, tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
beforeEach(() => (tmp = tempHome()));
afterEach(() => tmp.cleanup());

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return r.pid as number;
}

/** Changes a stored run behind the store's back, as another process would. */
function patchRun(file: string, runId: string, set: Record<string, unknown>): void {
  const db = new Database(file);
  const cols = Object.keys(set);
  db.prepare(`UPDATE runs SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE run_id = @run_id`).run({ ...set, run_id: runId });
  db.close();
}

describe('ownerIsGone', () => {
  const probe: ProcessProbe = { host: 'here', now: Date.parse('2025-01-01T12:00:00Z'), alive: (pid) => pid === 100, startedMs: (pid) => (pid === 100 ? 5_000 : null) };
  const owner = (o: Partial<StoredOwner>): StoredOwner => ({ pid: 100, host: 'here', startedMs: 5_000, heartbeatAt: null, createdAt: '2025-01-01T11:00:00Z', ...o });

  it('keeps a run whose process is alive and is the same process', () => {
    expect(ownerIsGone(owner({}), probe)).toBe(false);
    expect(ownerIsGone(owner({ startedMs: 6_500 }), probe)).toBe(false);
  });

  it('gives up a run whose pid is dead, or reused by a later process', () => {
    expect(ownerIsGone(owner({ pid: 101 }), probe)).toBe(true);
    expect(ownerIsGone(owner({ startedMs: 60_000 }), probe)).toBe(true);
    expect(ownerIsGone(owner({ pid: null }), probe)).toBe(true);
  });

  it('judges a run of another host by its heartbeat', () => {
    const recent = new Date(probe.now - 60_000).toISOString();
    const old = new Date(probe.now - FOREIGN_HEARTBEAT_TIMEOUT_MS - 1).toISOString();
    expect(ownerIsGone(owner({ host: 'there', heartbeatAt: recent }), probe)).toBe(false);
    expect(ownerIsGone(owner({ host: 'there', heartbeatAt: old }), probe)).toBe(true);
  });
});

describe('interrupted runs', () => {
  it('marks a running run whose process died as interrupted at the next open, ended at its last heartbeat', () => {
    let store = HistoryStore.open({ home: tmp.home });
    const s = runStart();
    store.createRun(s);
    const rec = store.recorder(s.run_id);
    rec.record(ev.log(s.run_id, 'working'));
    rec.flush();
    const pid = deadPid();
    patchRun(store.path, s.run_id, { owner_pid: pid, heartbeat_at: '2030-01-01T00:00:05.000Z', started_at: '2030-01-01T00:00:00.000Z' });
    rec.close();
    store.close();

    store = HistoryStore.open({ home: tmp.home });
    const r = store.getRun(s.run_id);
    expect(r).toMatchObject({ status: 'interrupted', ended_at: '2030-01-01T00:00:05.000Z', duration_s: 5, log_count: 1 });
    expect(r?.error?.message).toContain(`pid ${pid}`);
    expect(store.listRuns({ status: ['interrupted'] }).total).toBe(1);
    expect(store.markInterrupted()).toBe(0);
    store.close();
  });

  it('marks queued runs of a dead process too, and leaves runs of live processes alone', () => {
    const store = HistoryStore.open({ home: tmp.home });
    const live = runStart();
    const queued = runStart({ status: 'queued' });
    store.createRun(live);
    store.createRun(queued);
    patchRun(store.path, queued.run_id, { owner_pid: deadPid() });
    expect(store.markInterrupted()).toBe(1);
    expect(store.getRun(queued.run_id)?.status).toBe('interrupted');
    expect(store.getRun(live.run_id)?.status).toBe('running');
    store.close();
  });

  it.runIf(process.platform === 'linux')('treats a reused pid (same pid, other start time) as a dead owner', () => {
    const store = HistoryStore.open({ home: tmp.home });
    const s = runStart();
    store.createRun(s);
    patchRun(store.path, s.run_id, { owner_started_ms: 1_000 });
    expect(store.markInterrupted()).toBe(1);
    store.close();
  });

  it('gives up a run of another host only after its heartbeat is old', () => {
    const store = HistoryStore.open({ home: tmp.home });
    const fresh = runStart();
    const stale = runStart();
    store.createRun(fresh);
    store.createRun(stale);
    patchRun(store.path, fresh.run_id, { owner_host: `not-${os.hostname()}`, heartbeat_at: new Date().toISOString() });
    patchRun(store.path, stale.run_id, { owner_host: `not-${os.hostname()}`, heartbeat_at: new Date(Date.now() - FOREIGN_HEARTBEAT_TIMEOUT_MS - 60_000).toISOString() });
    expect(store.markInterrupted()).toBe(1);
    expect(store.getRun(stale.run_id)?.status).toBe('interrupted');
    expect(store.getRun(fresh.run_id)?.status).toBe('running');
    store.close();
  });
});

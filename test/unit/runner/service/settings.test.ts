import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCuratorService, type CuratorService, type CuratorServiceOptions } from '../../../../runner/service/service.js';
import { curatorHome, defaultAppDataDir, locationFile as defaultLocationFile } from '../../../../runner/history/paths.js';
import { SETTINGS_FILE } from '../../../../runner/service/settings.js';
import { MemoryHistory } from './memory-history.js';
import { apiError, builtWorkers, finished, started, synthetic, tempDir } from './helpers.js';

describe('CuratorService: settings', () => {
  let service: CuratorService | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await service?.close();
    service = null;
    for (const c of cleanups.splice(0)) await c();
  });

  /** A service over a fresh data folder, with its own location.json. */
  async function make(o: Partial<CuratorServiceOptions> = {}): Promise<{ svc: CuratorService; home: string; locationFile: string; dir: string }> {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const home = path.join(t.dir, 'data');
    const locationFile = path.join(t.dir, 'appdata', 'location.json');
    service = createCuratorService({ history: new MemoryHistory(), home, locationFile, resourcesDir: null, log: () => undefined, ...o });
    return { svc: service, home, locationFile, dir: t.dir };
  }

  it('answers the defaults for a new data folder', async () => {
    const { svc, home } = await make();
    expect(await svc.settings()).toEqual({ max_concurrent_runs: 1, gpu_allow_list: null, output_dir: path.join(home, 'outputs'), data_dir: home, pending_data_dir: null });
    expect(existsSync(path.join(home, SETTINGS_FILE))).toBe(false);
  });

  it('writes changes to settings.json atomically and reads them at the next start', async () => {
    const { svc, home, dir } = await make();
    const out = path.join(dir, 'my outputs');
    const next = await svc.updateSettings({ max_concurrent_runs: 3, gpu_allow_list: [], output_dir: out });
    expect(next).toMatchObject({ max_concurrent_runs: 3, gpu_allow_list: [], output_dir: out, data_dir: home });
    expect(JSON.parse(readFileSync(path.join(home, SETTINGS_FILE), 'utf8'))).toEqual({ max_concurrent_runs: 3, gpu_allow_list: [], output_dir: out });
    expect(readdirSync(home)).toEqual([SETTINGS_FILE]);
    await svc.updateSettings({ gpu_allow_list: null });
    await svc.close();

    const again = createCuratorService({ history: new MemoryHistory(), home, locationFile: null, resourcesDir: null, log: () => undefined });
    expect(await again.settings()).toMatchObject({ max_concurrent_runs: 3, gpu_allow_list: null, output_dir: out });
    // A host's command-line option wins for its own process, until the setting is changed.
    const flagged = createCuratorService({ history: new MemoryHistory(), home, locationFile: null, resourcesDir: null, maxConcurrentRuns: 2, log: () => undefined });
    expect((await flagged.settings()).max_concurrent_runs).toBe(2);
    expect((await flagged.updateSettings({ max_concurrent_runs: 4 })).max_concurrent_runs).toBe(4);
    await Promise.all([again.close(), flagged.close()]);
  });

  it('refuses bad values with invalid_argument naming the setting', async () => {
    const { svc, dir } = await make();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ max_concurrent_runs: 0 }, /max_concurrent_runs/],
      [{ max_concurrent_runs: 1.5 }, /max_concurrent_runs/],
      [{ output_dir: 'relative/folder' }, /output_dir: expected an absolute folder path/],
      [{ output_dir: file }, /output_dir: .*is not a folder/],
      [{ data_dir: file }, /data_dir: .*is not a folder/],
      [{ gpu_allow_list: 'all' }, /gpu_allow_list/],
      [{ gpu_allow_list: ['57'] }, /gpu_allow_list: no GPU "57" on this machine/],
      [{ theme: 'dark' }, /unknown argument "theme"/],
    ];
    for (const [args, message] of cases) {
      const err = await apiError(svc.updateSettings(args as never));
      expect(err.code, JSON.stringify(args)).toBe('invalid_argument');
      expect(err.message, JSON.stringify(args)).toMatch(message);
    }
    expect((await svc.settings()).max_concurrent_runs).toBe(1);
  });

  it('records a new data folder in location.json; it is used from the next start', async () => {
    const { svc, home, locationFile, dir } = await make();
    const moved = path.join(dir, 'moved data');
    const next = await svc.updateSettings({ data_dir: moved });
    expect(next).toMatchObject({ data_dir: home, pending_data_dir: moved });
    expect(existsSync(moved)).toBe(true);
    expect(JSON.parse(readFileSync(locationFile, 'utf8'))).toEqual({ data_dir: moved });
    // Choosing the folder in use again clears the pending change.
    expect((await svc.updateSettings({ data_dir: home })).pending_data_dir).toBeNull();

    // At start: CURATOR_HOME wins; else the folder location.json names; else the app-data folder.
    const env = { HOME: path.join(dir, 'user'), XDG_CONFIG_HOME: path.join(dir, 'config') };
    const appData = defaultAppDataDir(env);
    expect(defaultLocationFile(env)).toBe(path.join(appData, 'location.json'));
    expect(curatorHome(env)).toBe(appData);
    const other = createCuratorService({ history: new MemoryHistory(), home: appData, locationFile: defaultLocationFile(env), resourcesDir: null, log: () => undefined });
    await other.updateSettings({ data_dir: moved });
    await other.close();
    expect(curatorHome(env)).toBe(moved);
    expect(curatorHome({ ...env, CURATOR_HOME: path.join(dir, 'forced') })).toBe(path.join(dir, 'forced'));
    expect(defaultLocationFile({ ...env, CURATOR_HOME: path.join(dir, 'forced') })).toBeNull();
  });

  it('refuses a data folder change while CURATOR_HOME chooses the folder', async () => {
    const { svc, dir } = await make({ locationFile: null });
    const err = await apiError(svc.updateSettings({ data_dir: path.join(dir, 'x') }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/^data_dir: .*CURATOR_HOME/);
  });

  it('ignores an unreadable settings.json (defaults, and the problem logged)', async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(path.join(t.dir, SETTINGS_FILE), '{"max_concurrent_runs": "many"');
    const logged: string[] = [];
    service = createCuratorService({ history: new MemoryHistory(), home: t.dir, locationFile: null, resourcesDir: null, log: (m) => logged.push(m) });
    expect((await service.settings()).max_concurrent_runs).toBe(1);
    expect(logged.join('\n')).toContain(SETTINGS_FILE);
  });

  it('applies runs at once immediately: a queued run starts when the limit is raised', async () => {
    const { svc } = await make({ launcher: builtWorkers() });
    const order: string[] = [];
    svc.subscribe(null, (e) => {
      if (e.type === 'run_started' || e.type === 'run_finished') order.push(`${e.type} ${e.run_id === slow.run_id ? 'slow' : 'next'}`);
    });
    // One CPU each, so that two runs fit the machine side by side.
    const slow = await svc.startRun({ pipeline: synthetic('slow', { tasks: 30, docs: 1, sleepMs: 100 }), cpus: 1 });
    const next = await svc.startRun({ pipeline: synthetic('next'), cpus: 1 });
    expect([slow.status, next.status]).toEqual(['running', 'queued']);
    await started(svc, slow.run_id);
    await svc.updateSettings({ max_concurrent_runs: 2 });
    expect((await finished(svc, next.run_id)).status).toBe('succeeded');
    expect((await finished(svc, slow.run_id)).status).toBe('succeeded');
    expect(order.indexOf('run_started next')).toBeLessThan(order.indexOf('run_finished slow'));
  });

  it('gives a run that names no GPUs the GPU allow-list of the settings', async () => {
    const { svc, home } = await make({ launcher: builtWorkers() });
    // Written by hand: updateSettings would refuse a GPU this machine does not have.
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, SETTINGS_FILE), JSON.stringify({ gpu_allow_list: ['57'] }));
    await svc.close();
    service = createCuratorService({ history: new MemoryHistory(), home, locationFile: null, resourcesDir: null, launcher: builtWorkers(), log: () => undefined });
    const err = await apiError(service.startRun({ pipeline: synthetic('gpus') }));
    expect(err.message).toMatch(/57/);
    // A run's own list wins over the setting.
    const ok = await service.startRun({ pipeline: synthetic('own list'), gpus: [] });
    expect((await finished(service, ok.run_id)).status).toBe('succeeded');
  });
});

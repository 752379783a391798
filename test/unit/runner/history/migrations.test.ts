import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryError, HistoryStore, historyDbPath } from '../../../../runner/history/store.js';
import { LATEST_VERSION, MIGRATIONS, migrate, migrationHash } from '../../../../runner/history/migrations/index.js';
import { runStart, tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
beforeEach(() => (tmp = tempHome()));
afterEach(() => tmp.cleanup());

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

describe('history migrations', () => {
  it('creates the whole schema in an empty database, on a real file, in WAL mode', () => {
    const store = HistoryStore.open({ home: tmp.home });
    expect(store.path).toBe(historyDbPath(tmp.home));
    store.close();
    const db = new Database(historyDbPath(tmp.home));
    expect(tables(db)).toEqual(expect.arrayContaining(['runs', 'run_stages', 'run_inputs', 'run_logs', 'run_metrics', 'run_outputs', 'run_output_docs', 'run_removals', 'run_removed_samples', 'schema_migrations']));
    const ledger = db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all();
    expect(ledger).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, hash: migrationHash(m.sql) })));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('upgrades a database at the first schema version and keeps its runs', () => {
    const file = historyDbPath(tmp.home);
    const db = new Database(file);
    expect(migrate(db, file, 1)).toEqual([1]);
    db.prepare(
      `INSERT INTO runs (run_id, name, status, source, backend, pipeline_json, config_json, created_at, started_at, ended_at, duration_s)
       VALUES ('old-run', 'from v1', 'succeeded', 'cli', 'xenna', '{"name":"from v1"}', '{}', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:02.000Z', 2)`,
    ).run();
    db.prepare("INSERT INTO run_stages (run_id, position, name, items_in, items_out) VALUES ('old-run', 0, 'busy', 5, 4)").run();
    expect(tables(db)).not.toContain('run_outputs');
    db.close();

    const store = HistoryStore.open({ home: tmp.home });
    const run = store.getRun('old-run');
    expect(run).toMatchObject({ name: 'from v1', status: 'succeeded', duration_s: 2, outputs: [], removals: [] });
    expect(run?.stages[0]).toMatchObject({ name: 'busy', items_in: 5, items_out: 4 });
    expect(store.listRuns({ sort: 'duration' }).runs.map((r) => r.run_id)).toEqual(['old-run']);
    store.close();
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(tables(again)).toContain('run_outputs');
    again.close();
  });

  it('applies nothing twice when opened again', () => {
    HistoryStore.open({ home: tmp.home }).close();
    const file = historyDbPath(tmp.home);
    const db = new Database(file);
    expect(migrate(db, file)).toEqual([]);
    db.close();
  });

  it('refuses a database whose applied migration was edited, naming the file and the migration', () => {
    HistoryStore.open({ home: tmp.home }).close();
    const file = historyDbPath(tmp.home);
    const db = new Database(file);
    db.prepare("UPDATE schema_migrations SET hash = 'edited' WHERE version = 1").run();
    db.close();
    let err: unknown;
    try {
      HistoryStore.open({ home: tmp.home });
    } catch (e: unknown) {
      err = e;
    }
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as HistoryError).message).toContain(file);
    expect((err as HistoryError).message).toContain('001-initial');
    expect((err as HistoryError).file).toBe(file);
  });

  it('refuses a migration list whose applied step changed in the code', () => {
    const file = historyDbPath(tmp.home);
    const db = new Database(file);
    migrate(db, file);
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- changed' } : m));
    expect(() => migrate(db, file, LATEST_VERSION, edited)).toThrow(/edited/);
    db.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    HistoryStore.open({ home: tmp.home }).close();
    const file = historyDbPath(tmp.home);
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, 'future', 'x', '2099-01-01')").run(LATEST_VERSION + 1);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => HistoryStore.open({ home: tmp.home })).toThrow(HistoryError);
    expect(() => HistoryStore.open({ home: tmp.home })).toThrow(new RegExp(`newer Curator Desktop \\(schema version ${LATEST_VERSION + 1}; this version knows up to ${LATEST_VERSION}\\)`));
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    expect((after.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(LATEST_VERSION + 1);
    after.close();
  });

  it('refuses a newer database seen only through user_version', () => {
    const db = new Database(historyDbPath(tmp.home));
    db.pragma('user_version = 99');
    db.close();
    expect(() => HistoryStore.open({ home: tmp.home })).toThrow(/schema version 99/);
  });

  it('reports a file that is not a database with its path and a way out', () => {
    writeFileSync(historyDbPath(tmp.home), 'this is not a database, just text that is long enough to have a header '.repeat(20));
    let err: unknown;
    try {
      HistoryStore.open({ home: tmp.home });
    } catch (e: unknown) {
      err = e;
    }
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as Error).message).toContain(historyDbPath(tmp.home));
    expect((err as Error).message).toMatch(/move it aside/);
  });

  it('reports a home folder that cannot be created, naming it', () => {
    const file = path.join(tmp.home, 'a-file');
    writeFileSync(file, '');
    expect(() => HistoryStore.open({ home: path.join(file, 'home') })).toThrow(/cannot create the Curator home folder .*a-file.*CURATOR_HOME/);
    if (process.platform === 'linux') expect(() => HistoryStore.open({ home: '/proc/curator-history-test' })).toThrow(HistoryError);
  });

  it('opens read-only only at the current version, and says so for a missing database', () => {
    expect(() => HistoryStore.open({ home: path.join(tmp.home, 'none'), readonly: true })).toThrow(/no run history at .*none/);
    const rw = HistoryStore.open({ home: tmp.home });
    rw.createRun(runStart({ run_id: 'r1' }));
    rw.close();
    const ro = HistoryStore.open({ home: tmp.home, readonly: true });
    expect(ro.getRun('r1')?.run_id).toBe('r1');
    expect(ro.markInterrupted()).toBe(0);
    ro.close();
  });
});

/**
 * Numbered schema migrations, applied in order, each in its own immediate transaction and recorded
 * with the SHA-256 of its SQL (as Bruno does): an edited, already applied migration and a database
 * from a newer version are refused with a HistoryError before anything is written.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { HistoryError } from '../errors.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-outputs-and-removals.js';
import * as m003 from './003-stage-counters.js';

/** One schema step. `file` names its module, for messages. */
export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
}

/** Every migration this version knows, in order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: m001.name, file: '001-initial', sql: m001.sql },
  { version: 2, name: m002.name, file: '002-outputs-and-removals', sql: m002.sql },
  { version: 3, name: m003.name, file: '003-stage-counters', sql: m003.sql },
];

/** The schema version this build writes. */
export const LATEST_VERSION = MIGRATIONS.length;

/** The hash stored with an applied migration. */
export function migrationHash(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  hash: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

/** The migrations recorded in a database (empty when it has no ledger yet). */
export function appliedMigrations(db: Database.Database): AppliedRow[] {
  const ledger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!ledger) return [];
  return db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

/**
 * Refuses a database this build must not touch: one written by a newer version (its ledger or
 * `user_version` goes past LATEST_VERSION), or one whose applied migration differs from ours.
 */
export function checkApplied(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): AppliedRow[] {
  const applied = appliedMigrations(db);
  const latest = migrations.length;
  const newest = Math.max(0, Number(db.pragma('user_version', { simple: true })), ...applied.map((r) => r.version));
  if (newest > latest) {
    throw new HistoryError(
      `the run history ${file} was written by a newer Curator Desktop (schema version ${newest}; this version knows up to ${latest}). ` +
        'Update Curator Desktop, or set CURATOR_HOME to another folder to use a separate history; the database was left untouched.',
      { file },
    );
  }
  for (const row of applied) {
    const m = migrations[row.version - 1];
    if (m && migrationHash(m.sql) !== row.hash) {
      throw new HistoryError(
        `the run history ${file} has migration ${m.file} applied with different contents than this version ships ` +
          '(an applied migration was edited). Restore the migration as released and add a new numbered one instead; ' +
          'to start over, move the database aside (it is not modified).',
        { file },
      );
    }
  }
  return applied;
}

/**
 * Brings a database up to `upTo` (the latest by default). Each step runs in BEGIN IMMEDIATE, so two
 * processes opening the same new database at once apply each migration exactly once.
 */
export function migrate(db: Database.Database, file: string, upTo: number = LATEST_VERSION, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkApplied(db, file, migrations);
  db.exec(LEDGER);
  const done: number[] = [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of migrations) {
    if (m.version > upTo) break;
    const step = db.transaction(() => {
      if (isApplied.get(m.version)) return false;
      db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m.sql), new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    try {
      if (step.immediate()) done.push(m.version);
    } catch (e: unknown) {
      throw new HistoryError(`migration ${m.file} failed on the run history ${file}: ${(e as Error).message}; the database was left at its previous version`, { file, cause: e });
    }
  }
  return done;
}

/**
 * The run list's SQL, built from a query object: filters become bound parameters, sort keys come
 * from a fixed map, and the page is clamped. Pure, so that every filter is tested without a database.
 */
import { HistoryError } from './errors.js';
import type { RunListQuery } from './types.js';

/** Rows per page when the query names none, and the most one page may hold. */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/** The columns of a run list row. */
export const LIST_COLUMNS =
  'run_id, name, status, backend, execution_mode, source, created_at, started_at, ended_at, duration_s, docs_in, docs_out, error_message';

const SORT_SQL: Record<NonNullable<RunListQuery['sort']>, string> = {
  started_at: 'coalesce(started_at, created_at)',
  duration: 'duration_s',
  name: 'name COLLATE NOCASE',
  status: 'status',
};

/** A `LIKE` pattern matching `s` anywhere, with `%`, `_` and `\` taken literally (ESCAPE '\'). */
export function likeContains(s: string): string {
  return `%${likeEscape(s)}%`;
}

/** `s` with LIKE's wildcards escaped for ESCAPE '\'. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A date bound as ISO (UTC), or a HistoryError naming the parameter. */
function isoBound(what: 'from' | 'to', v: string): string {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new HistoryError(`"${what}" must be a date or time (ISO 8601, e.g. 2025-01-31 or 2025-01-31T12:00:00Z), got "${v}"`);
  return new Date(ms).toISOString();
}

/** The WHERE clause, its parameters, ORDER BY and the page of a list query. */
export function buildListQuery(q: RunListQuery = {}): { where: string; params: unknown[]; orderBy: string; limit: number; offset: number } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const inList = (col: string, values: string[] | undefined) => {
    const vs = (values ?? []).filter((v) => v !== '');
    if (!vs.length) return;
    conds.push(`${col} IN (${vs.map(() => '?').join(', ')})`);
    params.push(...vs);
  };
  inList('status', q.status);
  inList('backend', q.backend);
  if (q.name) {
    conds.push("name LIKE ? ESCAPE '\\'");
    params.push(likeContains(q.name));
  }
  if (q.text) {
    conds.push("(name LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\' OR run_id LIKE ? ESCAPE '\\')");
    params.push(likeContains(q.text), likeContains(q.text), `${likeEscape(q.text)}%`);
  }
  if (q.from) {
    conds.push('coalesce(started_at, created_at) >= ?');
    params.push(isoBound('from', q.from));
  }
  if (q.to) {
    conds.push('coalesce(started_at, created_at) <= ?');
    params.push(isoBound('to', q.to));
  }
  const sort = q.sort ?? 'started_at';
  const col = SORT_SQL[sort];
  if (!col) throw new HistoryError(`unknown sort "${String(sort)}"; use one of ${Object.keys(SORT_SQL).join(', ')}`);
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  // Runs without a value (a duration while running) go last either way; ties keep creation order.
  const orderBy = `${col} ${dir} NULLS LAST, created_at ${dir}, run_id ${dir}`;
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number.isFinite(q.limit) ? (q.limit as number) : DEFAULT_PAGE)));
  const offset = Math.max(0, Math.floor(Number.isFinite(q.offset) ? (q.offset as number) : 0));
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params, orderBy, limit, offset };
}

import type { DocumentRecord } from '../../pipeline/tasks.js';

/**
 * A document's place in the input: its source file, then its position in that file (the readers'
 * `_curator_origin`, "<path>:<n>"). Documents without an origin (made by a stage, not read from a
 * file) sort after every file, by task id then position in the task, which is still the same on
 * every backend and in every run.
 */
export interface DocPosition {
  path: string;
  position: number;
  /** What a person is shown: the origin, or "task <id> #<row>". */
  label: string;
}

/** Parses "<path>:<n>" or "<path>@<n>" (the number after the last ":" or "@"); null when there is none. */
export function parseOriginString(origin: string): { path: string; position: number } | null {
  const m = /^(.*)[:@](\d+)$/s.exec(origin);
  if (!m) return null;
  return { path: m[1] as string, position: Number(m[2]) };
}

/** The position of row `row` of task `taskId`. */
export function positionOf(doc: DocumentRecord, taskId: string, row: number): DocPosition {
  const origin = doc['_curator_origin'];
  if (typeof origin === 'string') {
    const p = parseOriginString(origin);
    if (p) return { ...p, label: origin };
  }
  return { path: `\uffff${taskId}`, position: row, label: `task ${taskId} #${row + 1}` };
}

/** Input order: path (code-unit order, as the partitioner sorts files), then position. */
export function comparePositions(a: { path: string; position: number }, b: { path: string; position: number }): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.position - b.position;
}

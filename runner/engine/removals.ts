import { join } from 'node:path';
import { writeFileAtomically } from './atomic-write.js';
import type { DocumentRecord } from '../pipeline/tasks.js';
import type { RemovedDocument } from '../pipeline/stage.js';

/** How many removed documents per reason a stage keeps as a sample for the run summary. */
export const SAMPLES_PER_REASON = 10;
/** String fields of a sampled document are cut to this many characters. */
export const SAMPLE_TEXT_CHARS = 2000;

/** One removed document as the run summary shows it. */
export interface RemovedSample {
  reason: string;
  detail: Record<string, unknown>;
  doc: DocumentRecord;
}

/** What a stage removed during a batch or a run: counts per reason and a bounded sample per reason. */
export interface RemovalReport {
  reasons: Record<string, number>;
  samples: RemovedSample[];
}

/** An empty report. */
export function emptyReport(): RemovalReport {
  return { reasons: {}, samples: [] };
}

/** A copy of a document small enough for a summary: long strings are cut (and say so). */
export function sampleOf(doc: DocumentRecord): DocumentRecord {
  const out: DocumentRecord = {};
  for (const [k, v] of Object.entries(doc)) {
    out[k] = typeof v === 'string' && v.length > SAMPLE_TEXT_CHARS ? `${v.slice(0, SAMPLE_TEXT_CHARS)}… [${v.length - SAMPLE_TEXT_CHARS} more characters]` : v;
  }
  return out;
}

/** Adds one removal to a report, keeping at most `perReason` samples of each reason. */
export function addRemoval(report: RemovalReport, r: RemovedDocument, perReason = SAMPLES_PER_REASON): void {
  const n = report.reasons[r.reason] ?? 0;
  report.reasons[r.reason] = n + 1;
  if (n < perReason) report.samples.push({ reason: r.reason, detail: r.detail ?? {}, doc: sampleOf(r.doc) });
}

/** Merges `b` into `a` (counts add up; samples fill up to `perReason` per reason, in arrival order). */
export function mergeReports(a: RemovalReport, b: RemovalReport, perReason = SAMPLES_PER_REASON): void {
  const had: Record<string, number> = {};
  for (const s of a.samples) had[s.reason] = (had[s.reason] ?? 0) + 1;
  for (const s of b.samples) {
    const n = had[s.reason] ?? 0;
    if (n < perReason) {
      a.samples.push(s);
      had[s.reason] = n + 1;
    }
  }
  for (const [reason, n] of Object.entries(b.reasons)) a.reasons[reason] = (a.reasons[reason] ?? 0) + n;
}

/** Adds counters of `b` into `a`. */
export function addCounters(a: Record<string, number>, b: Record<string, number> | undefined): void {
  if (!b) return;
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
}

/** A file name safe on every platform, from a stage name and a task id. */
function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 180);
}

/**
 * Writes the documents a stage removed from one input task to `<folder>/<stage>-<task>.jsonl`:
 * each document as it was, plus `_curator_removed: { stage, reason, ...detail }`. The file is
 * written under a temporary name and renamed, so a crash never leaves a partial file; a retried
 * task overwrites its own file, so no document is listed twice.
 */
export async function writeRemovedFile(folder: string, stage: string, taskId: string, removed: RemovedDocument[]): Promise<string | null> {
  if (!removed.length) return null;
  const lines = removed.map((r) => JSON.stringify({ ...r.doc, _curator_removed: { stage, reason: r.reason, ...(r.detail ?? {}) } }));
  return writeFileAtomically(join(folder, `${safeName(stage)}-${safeName(taskId)}.jsonl`), `${lines.join('\n')}\n`);
}

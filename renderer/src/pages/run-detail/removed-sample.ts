// Reading a removed-document sample: the document itself, why it went, and for a duplicate where its kept copy is.

/** What the history keeps of one removed document, split into its parts. */
export interface RemovedView {
  /** The document's own fields (without the `_curator_*` bookkeeping). */
  fields: Record<string, unknown>;
  /** Why it was removed: score, filter, duplicate_of, jaccard... (without stage and reason). */
  detail: Record<string, unknown>;
  /** Where the document came from, "file:line", when known. */
  origin: string | null;
  /** For a duplicate: the kept document's file and 1-based line. */
  keptAt: { file: string; line: number } | null;
}

/** Splits "file:line" at its last colon; null when it is not of that form. */
export function parseFileLine(text: unknown): { file: string; line: number } | null {
  if (typeof text !== 'string') return null;
  const m = /^(.*):(\d+)$/.exec(text);
  if (!m || !m[1]) return null;
  const line = Number(m[2]);
  return line >= 1 ? { file: m[1], line } : null;
}

export function viewOfSample(document: unknown): RemovedView {
  const doc = document && typeof document === 'object' && !Array.isArray(document) ? (document as Record<string, unknown>) : { value: document };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_curator_')) fields[k] = v;
  const removed = doc['_curator_removed'];
  const detail: Record<string, unknown> = {};
  if (removed && typeof removed === 'object') {
    for (const [k, v] of Object.entries(removed as Record<string, unknown>)) if (k !== 'stage' && k !== 'reason') detail[k] = v;
  }
  const origin = typeof doc['_curator_origin'] === 'string' ? doc['_curator_origin'] : null;
  return { fields, detail, origin, keptAt: parseFileLine(detail['duplicate_of']) };
}

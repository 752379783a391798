import type { DocumentRecord } from '../../pipeline/tasks.js';

/** Where a document came from, as the readers record it ("<file>:<line>"), or null. */
export function originOf(doc: DocumentRecord): string | null {
  const o = doc['_curator_origin'];
  return typeof o === 'string' ? o : null;
}

/** A document's text field; an error (telling the user which parameter, `param`, names the field) naming the stage, the field and the document's file and line when it is missing or not a string. */
export function textOf(doc: DocumentRecord, field: string, stage: string, taskId?: string, param = 'text_field'): string {
  const v = doc[field];
  if (typeof v === 'string') return v;
  const origin = originOf(doc);
  const where = origin ? `the document at ${origin}` : `a document of task ${taskId ?? '?'}`;
  const what = v === undefined ? 'missing' : `not a string (${v === null ? 'null' : typeof v})`;
  throw new Error(`${stage}: text field "${field}" is ${what} in ${where}; set ${param} to the field that holds the text`);
}

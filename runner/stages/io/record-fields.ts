import { z } from 'zod';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { INTERNAL_FIELD_PREFIX } from './origin.js';

/** `fields`: a column selection shared by readers and writers. */
export const fieldsParam = z.array(z.string().min(1)).min(1).optional().describe('Keep only these fields of each record (a record without one simply lacks it). Leave out for all fields.');

/** `fields` of a writer: as the readers', and the engine's own `_curator_` fields are dropped unless named. */
export const writerFieldsParam = z
  .array(z.string().min(1))
  .min(1)
  .optional()
  .describe(
    'Write only these fields of each record (in JSON lines a record without one lacks it; in Parquet its column holds null). Leave out for all fields except the engine\u2019s own (names starting with "_curator_", such as _curator_origin), which are written only when named here.',
  );

/** Keeps only the selected fields, in the selection's order; missing fields are left out. */
export function selectFields(record: DocumentRecord, fields: readonly string[] | undefined): DocumentRecord {
  if (!fields) return record;
  const out: DocumentRecord = {};
  for (const f of fields) if (Object.prototype.hasOwnProperty.call(record, f)) out[f] = record[f];
  return out;
}

/** True for the engine's own fields (`_curator_origin`, `_curator_dedup_id`, ...). */
export function isInternalField(name: string): boolean {
  return name.startsWith(INTERNAL_FIELD_PREFIX);
}

/**
 * What a writer writes of a record: the `fields` selection when one is given (a `_curator_` field
 * named there is kept), else every field except the engine's own `_curator_` fields. Returns the
 * record itself when nothing is dropped, so the common case allocates nothing.
 */
export function outputRecord(record: DocumentRecord, fields: readonly string[] | undefined): DocumentRecord {
  if (fields) return selectFields(record, fields);
  const keys = Object.keys(record);
  if (!keys.some(isInternalField)) return record;
  const out: DocumentRecord = {};
  for (const k of keys) if (!isInternalField(k)) out[k] = record[k];
  return out;
}

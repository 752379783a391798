import type { BasicType, ColumnSource } from 'hyparquet-writer';
import type { DocumentRecord } from '../../pipeline/tasks.js';

/**
 * From documents to Parquet columns: one column per field (the union over the batch, in
 * first-seen order), its type decided from every value of the batch, not a sample, so a late value
 * of another type never breaks the write. A record without a field gets null in its column (it
 * reads back as null, as pandas reads it).
 *
 * | values (nulls aside)                        | Parquet type                              |
 * |---------------------------------------------|-------------------------------------------|
 * | booleans                                    | BOOLEAN                                   |
 * | whole numbers within ±2^53 (or bigints)     | INT64                                     |
 * | numbers, some fractional                    | DOUBLE                                    |
 * | strings                                     | STRING (UTF-8 byte array)                 |
 * | Dates                                       | TIMESTAMP (milliseconds)                  |
 * | byte arrays                                 | BYTE_ARRAY                                |
 * | objects, arrays, or a mix of kinds          | JSON (UTF-8 JSON text, read back as values)|
 * | only nulls                                  | STRING, all null                          |
 */

/** The kinds of value a column may hold. */
type Kind = 'boolean' | 'int' | 'float' | 'string' | 'date' | 'bytes' | 'other';

function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isSafeInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    default:
      return v instanceof Date ? 'date' : v instanceof Uint8Array ? 'bytes' : 'other';
  }
}

/** The Parquet type of a column holding values of these kinds. */
export function columnType(kinds: ReadonlySet<Kind>): BasicType {
  if (kinds.size === 0) return 'STRING';
  if (kinds.size === 2 && kinds.has('int') && kinds.has('float')) return 'DOUBLE';
  if (kinds.size > 1) return 'JSON';
  const [only] = kinds;
  switch (only) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'INT64';
    case 'float':
      return 'DOUBLE';
    case 'string':
      return 'STRING';
    case 'date':
      return 'TIMESTAMP';
    case 'bytes':
      return 'BYTE_ARRAY';
    default:
      return 'JSON';
  }
}

/** A column's name and type, fixed for the whole file. */
export interface ColumnPlan {
  name: string;
  type: BasicType;
}

/** The columns of a batch: the fields to write (`names`) with the type of each over every record. */
export function planColumns(records: readonly DocumentRecord[], names: readonly string[]): ColumnPlan[] {
  const kinds = new Map<string, Set<Kind>>(names.map((n) => [n, new Set<Kind>()]));
  for (const r of records) {
    for (const [name, set] of kinds) {
      const v = r[name];
      if (v !== null && v !== undefined) set.add(kindOf(v));
    }
  }
  return names.map((name) => ({ name, type: columnType(kinds.get(name) ?? new Set()) }));
}

/** Field names over the records in first-seen order, keeping those `keep` accepts. */
export function fieldNames(records: readonly DocumentRecord[], keep: (name: string) => boolean): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (!seen.has(k) && keep(k)) seen.add(k);
  return [...seen];
}

/** The values of one column for records `[from, to)`, converted to what its Parquet type takes. */
export function columnData(records: readonly DocumentRecord[], from: number, to: number, plan: ColumnPlan): ColumnSource {
  const data: unknown[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    const v = (records[i] as DocumentRecord)[plan.name];
    data[i - from] = v === undefined || v === null ? null : plan.type === 'INT64' ? BigInt(v as number | bigint) : v;
  }
  return { name: plan.name, type: plan.type, nullable: true, data };
}

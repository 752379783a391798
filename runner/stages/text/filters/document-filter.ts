import type { z } from 'zod';
import { ValidationError } from '../../../pipeline/errors.js';
import { closest } from '../../registry.js';

/** NeMo Curator's `DocumentFilter`: scores one document's text and decides from the score whether to keep it. */
export interface DocumentFilter {
  name: string;
  score_document(text: string): number;
  keep_document(score: number): boolean;
}

/** One filter type: its parameter schema (NeMo Curator's constructor parameters) and how to build it. */
export interface FilterDefinition<P extends z.ZodObject = z.ZodObject> {
  type: string;
  description: string;
  params: P;
  create(params: z.output<P>): DocumentFilter;
}

const filters = new Map<string, FilterDefinition>();

/** Adds a filter type. Registering the same type twice is a programming error. */
export function defineFilter<P extends z.ZodObject>(def: FilterDefinition<P>): FilterDefinition<P> {
  if (filters.has(def.type) && filters.get(def.type) !== (def as unknown)) throw new Error(`filter type "${def.type}" is registered twice`);
  filters.set(def.type, def as unknown as FilterDefinition);
  return def;
}

/** The definition of a filter type; a ValidationError naming the type (and a close match) when it is unknown. */
export function getFilter(type: string): FilterDefinition {
  const def = filters.get(type);
  if (!def) {
    const near = closest(type, [...filters.keys()]);
    throw new ValidationError([`unknown filter type "${type}"${near ? ` (did you mean "${near}"?)` : ''}`]);
  }
  return def;
}

/** Every filter definition, sorted by type. */
export function listFilters(): FilterDefinition[] {
  return [...filters.values()].sort((a, b) => a.type.localeCompare(b.type));
}

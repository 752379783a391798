import type { z } from 'zod';
import { ValidationError } from '../../../pipeline/errors.js';
import { closest, type CreateContext } from '../../registry.js';

/** A filter's score: a number, or a string for filters whose NeMo Curator score is one (FastTextLangId's "[0.98, 'en']"). */
export type FilterScore = number | string;

/** NeMo Curator's `DocumentFilter`: scores one document's text and decides from the score whether to keep it. */
export interface DocumentFilter<S extends FilterScore = FilterScore> {
  name: string;
  /** Loads what the filter needs (a model) once per worker, before the first score_document. */
  setup?(): Promise<void>;
  score_document(text: string): S;
  keep_document(score: S): boolean;
}

/** One filter type: its parameter schema (NeMo Curator's constructor parameters) and how to build it. */
export interface FilterDefinition<P extends z.ZodObject = z.ZodObject, S extends FilterScore = FilterScore> {
  type: string;
  description: string;
  params: P;
  /** Parameters that hold file paths, resolved against the pipeline file's folder before create(). */
  pathParams?: readonly string[];
  /** Plan-time checks that need the file system (the model file exists); one message per problem. */
  check?(params: z.output<P>): string[] | Promise<string[]>;
  /**
   * What score_document returns. The Filter stage, which reads scores already in the documents,
   * checks a stored score against it; when absent, both kinds are passed on and keep_document judges.
   */
  scoreType?: 'number' | 'string';
  create(params: z.output<P>): DocumentFilter<S>;
}

/** A filter spec's parameters with its path parameters resolved through ctx (absolute stays absolute). */
export function resolveFilterPaths(def: FilterDefinition, params: Record<string, unknown>, ctx: CreateContext): Record<string, unknown> {
  const out = { ...params };
  for (const k of def.pathParams ?? []) if (typeof out[k] === 'string') out[k] = ctx.resolvePath(out[k]);
  return out;
}

const filters = new Map<string, FilterDefinition>();

/** Adds a filter type. Registering the same type twice is a programming error. */
export function defineFilter<P extends z.ZodObject, S extends FilterScore = number>(def: FilterDefinition<P, S>): FilterDefinition<P, S> {
  if (filters.has(def.type) && filters.get(def.type) !== (def as unknown)) throw new Error(`filter type "${def.type}" is registered twice`);
  filters.set(def.type, def as unknown as FilterDefinition);
  return def;
}

/** Adds a filter type whose score is a number (every heuristic filter). */
export function defineNumericFilter<P extends z.ZodObject>(def: Omit<FilterDefinition<P, number>, 'scoreType'>): FilterDefinition<P, number> {
  return defineFilter<P, number>({ ...def, scoreType: 'number' });
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

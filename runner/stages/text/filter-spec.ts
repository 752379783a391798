import type { z } from 'zod';
import type { CreateContext } from '../registry.js';
import { getFilter, resolveFilterPaths, type DocumentFilter, type FilterDefinition } from './filters/document-filter.js';
import { specList, typedSpecParam, type TypedSpec } from './typed-spec.js';
import './filters/heuristic/string.js';
import './filters/heuristic/repetition.js';
import './filters/heuristic/boilerplate.js';
import './filters/token-count.js';
import './filters/fasttext/index.js';

/**
 * What ScoreFilter, Score and Filter share: the `filter` parameter (one filter or a list, each
 * checked against its own schema), per-filter field lists with NeMo Curator's rules
 * (`_validate_and_normalize_filters`), building the filters, and loading their models once.
 */

/** One filter as written in a pipeline file: `{ type, ...params }`. */
export type FilterSpec = TypedSpec;

/** The `filter` parameter: one filter spec or a non-empty list, parsed with each filter's defaults filled. */
export const filterParam = typedSpecParam({ noun: 'filter', example: 'WordCountFilter', lookup: getFilter });

export { specList } from './typed-spec.js';

/**
 * NeMo Curator's rule for a per-filter parameter (text_field, score_field, filter_field, invert):
 * a single value applies to every filter, or a list gives one per filter. `perFilter` (score_field,
 * filter_field) demands a list of exactly one per filter when there are several filters. Returns
 * the problem, or null.
 */
export function fieldListProblem(name: string, value: unknown, count: number, perFilter = false): string | null {
  if (!Array.isArray(value)) return perFilter && count > 1 ? `${name} must be a list of ${count} (one per filter) when there are ${count} filters` : null;
  if (count === 1) return value.length === 1 ? null : `${name} lists ${value.length} values but there is 1 filter`;
  if (value.length === count || (!perFilter && value.length === 1)) return null;
  return `${name} lists ${value.length} value(s) but there are ${count} filters; give one per filter${perFilter ? '' : ' or a single value for all'}`;
}

/** Adds a zod issue at `name` when `fieldListProblem` finds one. */
export function checkFieldList(ctx: z.RefinementCtx, name: string, value: unknown, count: number, perFilter = false): void {
  const problem = fieldListProblem(name, value, count, perFilter);
  if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
}

/** A per-filter parameter spread to one value per filter (after its checks passed). */
export function spread<T>(value: T | T[], count: number): T[] {
  if (!Array.isArray(value)) return Array.from({ length: count }, () => value);
  return value.length === 1 ? Array.from({ length: count }, () => value[0] as T) : value;
}

/** One built filter: its class name (the removal reason), its definition and the filter. */
export interface BuiltFilter {
  type: string;
  def: FilterDefinition;
  filter: DocumentFilter;
}

/** Builds the filters of a parsed `filter` parameter, in order. */
export function buildFilters(v: FilterSpec | FilterSpec[]): BuiltFilter[] {
  return specList(v).map(({ type, ...rest }) => {
    const def = getFilter(type);
    return { type, def, filter: def.create(def.params.parse(rest)) };
  });
}

/**
 * The reason reported for a removed document: the class name of the filter that removed it, with
 * " (inverted)" when that filter's decision was inverted (it removed the document for passing).
 */
export function removalReason(type: string, inverted: boolean): string {
  return inverted ? `${type} (inverted)` : type;
}

/** The stage name NeMo Curator gives: the filter's name, or `<prefix>_chain_of_<a>_<b>...`. */
export function chainName(prefix: string, filters: BuiltFilter[]): string {
  return filters.length === 1 ? (filters[0] as BuiltFilter).filter.name : `${prefix}_chain_of_${filters.map((f) => f.filter.name).join('_')}`;
}

/** The `filter` parameter with each filter's path parameters (model files) resolved against the pipeline file. */
export function resolveSpecs(v: FilterSpec | FilterSpec[], ctx: CreateContext): FilterSpec | FilterSpec[] {
  const resolve = (s: FilterSpec): FilterSpec => ({ ...resolveFilterPaths(getFilter(s.type), s, ctx), type: s.type });
  return Array.isArray(v) ? v.map(resolve) : resolve(v);
}

/** Plan-time checks of every filter (model files exist), one message per problem. */
export async function checkSpecs(v: FilterSpec | FilterSpec[], ctx: CreateContext): Promise<string[]> {
  const problems: string[] = [];
  for (const { type, ...rest } of specList(v)) {
    const def = getFilter(type);
    if (def.check) problems.push(...(await def.check(resolveFilterPaths(def, def.params.parse(rest), ctx))));
  }
  return problems;
}

/**
 * Runs each filter's setup() (model loading) once: from the stage's setup() in a worker, or on the
 * first batch when a stage is used without one (programmatic use, unit tests).
 */
export class FilterSetup {
  private pending: Promise<void> | null = null;
  /** True once every filter's setup() has finished. */
  done = false;

  constructor(private readonly filters: BuiltFilter[]) {
    this.done = filters.every((f) => !f.filter.setup);
  }

  /** Resolves when every filter is set up; concurrent callers share one run. */
  ensure(): Promise<void> {
    this.pending ??= (async () => {
      for (const f of this.filters) await f.filter.setup?.();
      this.done = true;
    })();
    return this.pending;
  }
}

import { type z } from 'zod';
import type { AnyStage } from '../pipeline/stage.js';
import { ValidationError } from '../pipeline/errors.js';

/** Catalog groups, as the UI and `curator stages` show them. */
export type StageCategory = 'io' | 'text' | 'dedup' | 'external' | 'diagnostic';

/** What a stage definition gets when it builds a stage from a pipeline file. */
export interface CreateContext {
  /** Resolves a path written in a pipeline file against the file's own folder (absolute stays absolute). */
  resolvePath(p: string): string;
}

/**
 * One stage type: its parameter schema (the single source for validation, JSON Schema, the UI form
 * and the catalog), its description, and how to build it. Parameter names are NeMo Curator's.
 */
export interface StageDefinition<P extends z.ZodObject = z.ZodObject> {
  type: string;
  category: StageCategory;
  description: string;
  params: P;
  /** Builds the stage. Paths in params are resolved through ctx here, so the stage stores absolute paths. */
  create(params: z.output<P>, ctx: CreateContext): AnyStage;
  /** Plan-time checks that need the file system (input paths exist and so on); one message per problem. */
  check?(params: z.output<P>, ctx: CreateContext): string[] | Promise<string[]>;
  /** A module that registers this type, for stages outside the built-in catalog (workers import it). */
  module?: string;
  /** Sub-stages of composites: runnable in workers, not listed in the catalog. */
  internal?: boolean;
}

const registry = new Map<string, StageDefinition>();

/** Adds a stage type to the catalog. Registering the same type twice is a programming error. */
export function registerStage<P extends z.ZodObject>(def: StageDefinition<P>): StageDefinition<P> {
  if (registry.has(def.type) && registry.get(def.type) !== (def as unknown)) throw new Error(`stage type "${def.type}" is registered twice`);
  if (def.module) {
    // Stages built from an external definition remember its module, so workers can import it.
    const create = def.create.bind(def);
    const module = def.module;
    def = { ...def, create: (p, ctx) => Object.assign(create(p, ctx), { module }) };
  }
  registry.set(def.type, def as unknown as StageDefinition);
  return def;
}

/** The definition of a type, or undefined. */
export function findStage(type: string): StageDefinition | undefined {
  return registry.get(type);
}

/** The definition of a type; a ValidationError naming the known types when it is missing. */
export function getStage(type: string): StageDefinition {
  const def = registry.get(type);
  if (!def) {
    const near = closest(type, [...registry.keys()].filter((k) => !registry.get(k)?.internal));
    throw new ValidationError([`unknown stage type "${type}"${near ? ` (did you mean "${near}"?)` : ''}`]);
  }
  return def;
}

/** Every public stage definition, sorted by category then type. */
export function listStages(includeInternal = false): StageDefinition[] {
  return [...registry.values()]
    .filter((d) => includeInternal || !d.internal)
    .sort((a, b) => a.category.localeCompare(b.category) || a.type.localeCompare(b.type));
}

/** The closest known name by edit distance, for "did you mean" hints. */
export function closest(name: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

import type { z } from 'zod';
import { ValidationError } from '../../../pipeline/errors.js';
import { closest } from '../../registry.js';

/**
 * NeMo Curator's `DocumentModifier`: turns one document's text into new text. `name` names the
 * Modify stage that runs it (NeMo Curator's `_name`, usually the class name).
 */
export interface DocumentModifier {
  name: string;
  modify_document(text: string): string;
  /**
   * Named counts of what the modifier changed since the last call, which then start again from
   * zero (PiiModifier reports `pii_email_address` and so on). The Modify stage adds them to the
   * run summary after each batch. Absent on modifiers that count nothing.
   */
  takeCounts?(): Record<string, number>;
}

/** One modifier type: its parameter schema (NeMo Curator's constructor parameters) and how to build it. */
export interface ModifierDefinition<P extends z.ZodObject = z.ZodObject> {
  type: string;
  description: string;
  params: P;
  create(params: z.output<P>): DocumentModifier;
}

const modifiers = new Map<string, ModifierDefinition>();

/** Adds a modifier type. Registering the same type twice is a programming error. */
export function defineModifier<P extends z.ZodObject>(def: ModifierDefinition<P>): ModifierDefinition<P> {
  if (modifiers.has(def.type) && modifiers.get(def.type) !== (def as unknown)) throw new Error(`modifier type "${def.type}" is registered twice`);
  modifiers.set(def.type, def as unknown as ModifierDefinition);
  return def;
}

/** The definition of a modifier type; a ValidationError naming the type (and a close match) when it is unknown. */
export function getModifier(type: string): ModifierDefinition {
  const def = modifiers.get(type);
  if (!def) {
    const near = closest(type, [...modifiers.keys()]);
    throw new ValidationError([`unknown modifier type "${type}"${near ? ` (did you mean "${near}"?)` : ''}; known types: ${[...modifiers.keys()].sort().join(', ')}`]);
  }
  return def;
}

/** Every modifier definition, sorted by type. */
export function listModifiers(): ModifierDefinition[] {
  return [...modifiers.values()].sort((a, b) => a.type.localeCompare(b.type));
}

/** Builds a modifier from a spec `{ type, ...params }`, filling defaults (throws on invalid params). */
export function buildModifier(spec: { type: string } & Record<string, unknown>): DocumentModifier {
  const { type, ...rest } = spec;
  const def = getModifier(type);
  return def.create(def.params.parse(rest));
}

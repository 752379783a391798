import { z } from 'zod';

/**
 * The `{ type, ...params }` parameters of the text stages: ScoreFilter, Score and Filter take a
 * `filter`, Modify takes a `modifier`, each one spec or a non-empty list, and each spec is checked
 * against the schema of its own type (NeMo Curator passes filter and modifier objects).
 */

/** One filter or modifier as written in a pipeline file: `{ type, ...params }`. */
export type TypedSpec = { type: string } & Record<string, unknown>;

/** What a kind of spec (filters, modifiers) needs to be checked. */
export interface SpecKind {
  /** The parameter name, also the noun in messages: 'filter' or 'modifier'. */
  noun: string;
  /** A class name of this kind, given as the example in the `type` description. */
  example: string;
  /** The definition of a type; throws an error naming the type (and a close match) when it is unknown. */
  lookup(type: string): { params: z.ZodType };
}

/** Checks one spec against its own schema; the parsed spec (defaults filled), or null after reporting problems. */
function checkSpec(kind: SpecKind, v: TypedSpec, where: string, ctx: z.RefinementCtx): TypedSpec | null {
  const { type, ...rest } = v;
  let def;
  try {
    def = kind.lookup(type);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `${where}: ${(e as Error).message}` });
    return null;
  }
  const r = def.params.safeParse(rest);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')})` : '';
      ctx.addIssue({ code: 'custom', message: `${where}: ${kind.noun} ${type}: ${issue.message}${keys}${issue.path.length ? ` at "${issue.path.join('.')}"` : ''}` });
    }
    return null;
  }
  return { ...(r.data as Record<string, unknown>), type };
}

/**
 * The schema builder for one kind's parameter: one spec or a non-empty list, parsed with each spec's
 * defaults filled (a list stays a list). The raw spec schema is made once per kind, so every stage
 * that takes the parameter shares it.
 */
export function typedSpecParam(kind: SpecKind) {
  const { noun } = kind;
  const rawSpec = z
    .looseObject({ type: z.string().describe(`The ${noun} class name, e.g. ${kind.example}.`) })
    .describe(`A ${noun}: { type: <${noun} class name>, ...its parameters }.`);
  return (description: string) =>
    z
      .union([rawSpec, z.array(rawSpec).min(1)])
      .transform((v, ctx) => {
        const list = Array.isArray(v) ? v : [v];
        const out = list.map((s, i) => checkSpec(kind, s, Array.isArray(v) ? `${noun}[${i}]` : noun, ctx));
        if (out.some((s) => s === null)) return z.NEVER;
        const specs = out as TypedSpec[];
        return Array.isArray(v) ? specs : (specs[0] as TypedSpec);
      })
      .describe(description);
}

/** A parsed spec parameter as a list. */
export function specList(v: TypedSpec | TypedSpec[]): TypedSpec[] {
  return Array.isArray(v) ? v : [v];
}

import { z } from 'zod';
import { listStages, type StageCategory, type StageDefinition } from './registry.js';
import { listFilters } from './text/filters/document-filter.js';
import { listModifiers } from './text/modifiers/document-modifier.js';
import './index.js';

/** One parameter as the catalog, the CLI and the UI show it. */
export interface ParameterInfo {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
  /** The parameter's JSON Schema, for forms and editors. */
  schema: Record<string, unknown>;
}

/** One stage type of the catalog. */
export interface StageInfo {
  type: string;
  category: StageCategory;
  description: string;
  parameters: ParameterInfo[];
  /**
   * For stages that take filters (ScoreFilter, Score, Filter) or modifiers (Modify): every filter or
   * modifier type they accept, each with its own parameters, written `{ type: <name>, ...params }`.
   */
  components?: { kind: 'filter' | 'modifier'; types: ComponentInfo[] };
}

/** One filter or modifier type (NeMo Curator's DocumentFilter / DocumentModifier classes). */
export interface ComponentInfo {
  type: string;
  description: string;
  parameters: ParameterInfo[];
}

/** Stages whose parameters hold filter or modifier specs. */
const COMPONENT_KIND: Record<string, 'filter' | 'modifier'> = { ScoreFilter: 'filter', Score: 'filter', Filter: 'filter', Modify: 'modifier' };

/** The JSON Schema of a stage's params (input side: defaults make fields optional). */
export function paramsJsonSchema(def: StageDefinition): Record<string, unknown> {
  return z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** Describes every public stage type from its one parameter schema. */
export function stageCatalog(): StageInfo[] {
  const filters = listFilters().map((d) => ({ type: d.type, description: d.description, parameters: parametersOf(d.params) }));
  const modifiers = listModifiers().map((d) => ({ type: d.type, description: d.description, parameters: parametersOf(d.params) }));
  return listStages().map((def) => {
    const kind = COMPONENT_KIND[def.type];
    return {
      type: def.type,
      category: def.category,
      description: def.description,
      parameters: parametersOf(def.params),
      ...(kind ? { components: { kind, types: kind === 'filter' ? filters : modifiers } } : {}),
    };
  });
}

/** The parameters of a zod object schema, from its JSON Schema. */
function parametersOf(params: z.ZodObject): ParameterInfo[] {
  const schema = z.toJSONSchema(params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeName(p),
    required: required.has(name),
    ...(p.default !== undefined ? { default: p.default } : {}),
    description: typeof p.description === 'string' ? p.description : '',
    schema: p,
  }));
}

/** A short type name from a JSON Schema fragment: "number", "string | string[]", "'a' | 'b'". */
export function typeName(s: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = (s.anyOf ?? s.oneOf) as Array<Record<string, unknown>> | undefined;
  if (alts) return [...new Set(alts.map(typeName))].join(' | ');
  if (s.type === 'array') return `${typeName((s.items as Record<string, unknown>) ?? {})}[]`;
  if (s.type === 'integer') return 'integer';
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return 'any';
}

/**
 * The per-stage overrides (resources, batch size, worker count) as form fields, described by the
 * pipeline file's own JSON Schema from the catalog, so that their help text is written once.
 */
import type { FieldSpec } from '../forms/ParamField';

type Schema = Record<string, unknown>;

function obj(v: unknown): Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {};
}

function spec(name: string, schema: Schema): FieldSpec {
  return { name, required: false, description: typeof schema.description === 'string' ? schema.description : '', schema };
}

/** The fields of a stage entry's overrides: `resources.{cpus,gpus,gpu_memory_gb}`, then `batch_size` and `num_workers`. */
export function overrideFields(pipelineSchema: Schema): { resources: FieldSpec[]; entry: FieldSpec[] } {
  const items = obj(obj(obj(pipelineSchema.properties).stages).items);
  const variants = (items.anyOf ?? items.oneOf) as Schema[] | undefined;
  const entry = obj(Array.isArray(variants) ? variants[0] : items);
  const props = obj(entry.properties);
  const res = obj(obj(props.resources).properties);
  const fallback: Schema = { type: 'number', minimum: 0 };
  return {
    resources: ['cpus', 'gpus', 'gpu_memory_gb'].map((k) => spec(k, Object.keys(res).length ? obj(res[k]) : fallback)),
    entry: ['batch_size', 'num_workers'].map((k) => spec(k, props[k] ? obj(props[k]) : { type: 'integer', minimum: 1 })),
  };
}

/** The fields of a backend's `executor.config`, from its JSON Schema. */
export function configFields(configSchema: Schema | null): FieldSpec[] {
  if (!configSchema) return [];
  const required = new Set(Array.isArray(configSchema.required) ? (configSchema.required as string[]) : []);
  return Object.entries(obj(configSchema.properties)).map(([name, s]) => {
    const schema = obj(s);
    return { name, required: required.has(name), ...(schema.default !== undefined ? { default: schema.default } : {}), description: typeof schema.description === 'string' ? schema.description : '', schema };
  });
}

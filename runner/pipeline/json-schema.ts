import { z } from 'zod';
import { listStages } from '../stages/registry.js';
import { paramsJsonSchema } from '../stages/catalog.js';
import { BACKENDS, BACKEND_NAMES } from '../backends/index.js';
import { PipelineFileSchema, StageEntryFields } from './pipeline-file.js';

/**
 * The JSON Schema of the whole pipeline file, generated from the same zod schemas that validate
 * it: one alternative per stage type (`stage` fixes the type, `params` is that type's schema) and
 * one per backend for `executor`. Shipped as `resources/pipeline.schema.json` for editors.
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  const base = z.toJSONSchema(PipelineFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const entryCommon = z.toJSONSchema(z.object(StageEntryFields).omit({ stage: true }), { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
  const stageAlternatives = listStages().map((def) => {
    const params = paramsJsonSchema(def);
    delete params.$schema;
    return {
      type: 'object',
      title: def.type,
      description: def.description,
      properties: { stage: { const: def.type }, params, ...entryCommon.properties },
      required: ['stage'],
      additionalProperties: false,
    };
  });
  const executorAlternatives = BACKEND_NAMES.map((name) => {
    const def = BACKENDS[name];
    const config = def.config ? (z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) : { type: 'object' };
    delete config.$schema;
    return { type: 'object', title: def.title, properties: { backend: { const: name }, config }, required: ['backend'], additionalProperties: false };
  });
  const props = base.properties as Record<string, unknown>;
  props.stages = { type: 'array', minItems: 1, items: { anyOf: stageAlternatives } };
  props.executor = { anyOf: executorAlternatives };
  return { ...base, title: 'Curator Desktop pipeline file' };
}

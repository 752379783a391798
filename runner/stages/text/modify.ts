import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { DocumentBatch } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { buildModifier, getModifier, listModifiers, type DocumentModifier } from './modifiers/document-modifier.js';
import { textOf } from './text-field.js';
import { specList, typedSpecParam } from './typed-spec.js';
import './modifiers/string.js';
import './modifiers/boilerplate.js';
import './modifiers/unicode/reformatter.js';
import './modifiers/pii/pii-modifier.js';

/** The `modifier` parameter: one modifier spec or a non-empty list, parsed with each modifier's defaults filled. */
const modifierParam = typedSpecParam({ noun: 'modifier', example: 'UnicodeReformatter', lookup: getModifier });

const params = z
  .object({
    modifier: modifierParam(`A modifier, or a list applied in order. Types: ${listModifiers().map((d) => d.type).join(', ')}.`),
    input_fields: z
      .union([z.string(), z.array(z.string()).min(1)])
      .default('text')
      .describe('The field each modifier reads: one for all, or a list with one per modifier.'),
    output_fields: z
      .union([z.string(), z.array(z.string()).min(1)])
      .nullable()
      .default(null)
      .describe('Where each modifier writes: null to modify in place, one field for all, or a list with one per modifier (a modifier writing to its input field modifies in place).'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const count = Array.isArray(p.modifier) ? p.modifier.length : 1;
    for (const key of ['input_fields', 'output_fields'] as const) {
      const v = p[key];
      if (Array.isArray(v) && v.length !== 1 && v.length !== count) ctx.addIssue({ code: 'custom', path: [key], message: `${key} names ${v.length} fields but there are ${count} modifier(s); give one field, or one per modifier` });
    }
  });

/** Parameters of Modify. */
export type ModifyParams = z.output<typeof params>;

/** The field modifier i of n reads and the one it writes (NeMo Curator's `_normalize_input_fields` / `_normalize_output_fields`). */
export function resolveFields(p: Pick<ModifyParams, 'input_fields' | 'output_fields'>, n: number): Array<{ read: string; write: string }> {
  const pick = <T>(v: T | T[], i: number): T => (Array.isArray(v) ? ((v.length === 1 ? v[0] : v[i]) as T) : v);
  const fields = Array.from({ length: n }, (_, i) => {
    const input = pick(p.input_fields, i);
    return { input, write: p.output_fields === null ? input : pick(p.output_fields, i) };
  });
  // Deliberate difference: NeMo Curator gives every modifier the original input field, so a chain
  // writing one new field keeps only the last modifier's result. Here a modifier with the same input
  // and output fields as the one before it reads that one's result, so such a chain composes.
  return fields.map((f, i) => {
    const prev = fields[i - 1];
    return { read: prev && prev.input === f.input && prev.write === f.write ? prev.write : f.input, write: f.write };
  });
}

/**
 * NeMo Curator's `Modify`: runs each document's text through one modifier, or a list in order,
 * writing the result in place or to output fields. The stage is named after the modifier, or
 * `modifier_chain_of_<a>_<b>`. Counts `documents_modified` and what the modifiers report (such as
 * `pii_email_address`) in the run summary.
 */
export class Modify extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'Modify';
  private readonly modifiers: DocumentModifier[];
  private readonly fields: Array<{ read: string; write: string }>;

  constructor(p: ModifyParams) {
    const modifiers = specList(p.modifier).map((s) => buildModifier(s));
    super(p, modifiers.length === 1 ? modifiers[0]?.name : `modifier_chain_of_${modifiers.map((m) => m.name).join('_')}`);
    this.modifiers = modifiers;
    this.fields = resolveFields(p, modifiers.length);
  }

  override outputs(): [string[], string[]] {
    return [['data'], [...new Set(this.fields.map((f) => f.write))].sort()];
  }

  process(task: DocumentBatch): DocumentBatch {
    for (const m of this.modifiers) m.takeCounts?.(); // drop what a failed earlier batch left behind
    let modified = 0;
    const data = task.data.map((row) => {
      const copy: Record<string, unknown> = { ...row };
      let changed = false;
      for (let i = 0; i < this.modifiers.length; i++) {
        const { read, write } = this.fields[i] as { read: string; write: string };
        const text = textOf(copy, read, this.name, task.task_id, 'input_fields');
        const result = (this.modifiers[i] as DocumentModifier).modify_document(text);
        if (result !== text) changed = true;
        copy[write] = result;
      }
      if (changed) modified++;
      return copy;
    });
    if (modified > 0) this.addCount('documents_modified', modified);
    for (const m of this.modifiers) {
      for (const [name, n] of Object.entries(m.takeCounts?.() ?? {})) if (n > 0) this.addCount(name, n);
    }
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data, _metadata: task._metadata, _stage_perf: task._stage_perf });
  }
}

registerStage({
  type: 'Modify',
  category: 'text',
  description:
    "Rewrites a text field of every document with NeMo Curator's modifiers (Unicode repair, PII anonymization, URL, Markdown, boilerplate and line removal, slicing, newline and quotation clean-up), one or a list in order, in place or into new fields. Documents are never removed.",
  params,
  create: (p) => new Modify(p),
});

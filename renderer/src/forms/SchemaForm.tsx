/**
 * A parameter form generated from the catalog's schemas: one field per parameter, with defaults,
 * help text and inline errors; filter and modifier lists (ScoreFilter, Modify, ...) get a list
 * editor with each component's own form. Edits are reported as paths relative to the edited
 * object, so the pipeline's YAML is changed in place and keeps its comments.
 */
import { Stack } from '@mantine/core';
import type { StageInfo } from '../../../runner/service/contract';
import type { YamlPath } from '../pipeline/yaml-sync';
import { ComponentListEditor } from './ComponentListEditor';
import { ParamField, type FieldSpec } from './ParamField';

/** Edits of the object a form shows, by path relative to it. */
export interface FormEdits {
  /** `undefined` removes the key. */
  set(path: YamlPath, value: unknown): void;
  append(path: YamlPath, value: unknown): void;
  remove(path: YamlPath, index: number): void;
}

export interface SchemaFormProps {
  fields: readonly FieldSpec[];
  values: Record<string, unknown>;
  edits: FormEdits;
  /** The service's problems by field name. */
  problems?: Record<string, readonly string[]>;
  /** Filter or modifier types, for the stages that take them. */
  components?: StageInfo['components'];
  disabled?: boolean;
}

/** The form for an object described by field specs. */
export function SchemaForm({ fields, values, edits, problems, components, disabled }: SchemaFormProps) {
  return (
    <Stack gap="sm">
      {fields.map((f) =>
        components && (f.name === components.kind || (components.kind === 'filter' && f.name === 'filter')) ? (
          <ComponentListEditor
            key={f.name}
            spec={f}
            kind={components.kind}
            types={components.types}
            value={values[f.name]}
            edits={{
              set: (p, v) => edits.set([f.name, ...p], v),
              append: (p, v) => edits.append([f.name, ...p], v),
              remove: (p, i) => edits.remove([f.name, ...p], i),
            }}
            serverErrors={problems?.[f.name]}
            disabled={disabled}
          />
        ) : (
          <ParamField key={f.name} spec={f} value={values[f.name]} onChange={(v) => edits.set([f.name], v)} serverErrors={problems?.[f.name]} disabled={disabled} />
        ),
      )}
    </Stack>
  );
}

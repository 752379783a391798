/**
 * Edits a stage's filter or modifier spec: one component `{ type, ...params }` or a list applied in
 * order. Each item has a type select and the form of that type's own parameters.
 */
import { Button, Fieldset, Group, NativeSelect, Stack, Text } from '@mantine/core';
import type { StageInfo } from '../../../runner/service/contract';
import { ParamField, type FieldSpec } from './ParamField';
import type { FormEdits } from './SchemaForm';

type ComponentTypes = NonNullable<StageInfo['components']>['types'];

export interface ComponentListEditorProps {
  spec: FieldSpec;
  kind: 'filter' | 'modifier';
  types: ComponentTypes;
  value: unknown;
  edits: FormEdits;
  serverErrors?: readonly string[];
  disabled?: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The list editor; a value that is not a component or a list of them is shown as YAML instead. */
export function ComponentListEditor({ spec, kind, types, value, edits, serverErrors, disabled }: ComponentListEditorProps) {
  const isList = Array.isArray(value);
  const items = isList ? value : value === undefined ? [] : [value];
  if (!items.every(isRecord)) {
    return <ParamField spec={spec} value={value} onChange={(v) => edits.set([], v)} serverErrors={serverErrors} disabled={disabled} />;
  }
  const Kind = kind === 'filter' ? 'Filter' : 'Modifier';
  const at = (j: number): Array<string | number> => (isList ? [j] : []);
  const first = types[0]?.type ?? '';
  const add = (): void => {
    if (isList) edits.append([], { type: first });
    else if (items.length) edits.set([], [items[0], { type: first }]);
    else edits.set([], { type: first });
  };
  const remove = (j: number): void => {
    if (isList) edits.remove([], j);
    else edits.set([], undefined);
  };
  return (
    <Fieldset legend={`${spec.name}${spec.required ? ' *' : ''}`} disabled={disabled}>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {spec.description}
        </Text>
        {items.map((item, j) => {
          const type = typeof item.type === 'string' ? item.type : '';
          const info = types.find((t) => t.type === type);
          return (
            <Fieldset key={j} variant="filled" legend={`${Kind} ${j + 1}`}>
              <Stack gap="xs">
                <Group align="flex-end" wrap="nowrap">
                  <NativeSelect
                    style={{ flex: 1 }}
                    label={`${Kind} ${j + 1} type`}
                    description={info?.description}
                    data={[...(info ? [] : [{ value: type, label: type || 'Choose a type' }]), ...types.map((t) => t.type)]}
                    value={type}
                    onChange={(e) => edits.set(at(j), { type: e.currentTarget.value })}
                  />
                  <Button variant="subtle" color="red" onClick={() => remove(j)} aria-label={`Remove ${kind} ${j + 1}`}>
                    Remove
                  </Button>
                </Group>
                {(info?.parameters ?? []).map((p) => (
                  <ParamField key={p.name} spec={p} value={item[p.name]} onChange={(v) => edits.set([...at(j), p.name], v)} disabled={disabled} />
                ))}
              </Stack>
            </Fieldset>
          );
        })}
        {serverErrors?.length ? (
          <Text size="sm" c="red" role="alert">
            {serverErrors.join(' · ')}
          </Text>
        ) : items.length === 0 && spec.required ? (
          <Text size="sm" c="red">
            Required: add a {kind}.
          </Text>
        ) : null}
        <Group>
          <Button variant="light" size="xs" onClick={add} disabled={disabled || !first}>
            Add {kind}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

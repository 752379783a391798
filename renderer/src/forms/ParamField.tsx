/**
 * One parameter's input, chosen from its JSON Schema: a select for enums, a switch for booleans,
 * a number input, a text input, a one-per-line list, or YAML text for anything else. Its label is
 * the parameter's name, its help text the schema's description and default, and its error the
 * inline check or the service's problem for this field.
 */
import { NativeSelect, NumberInput, Switch, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { fieldKindOf, formatDefault, valueFitsKind, type JsonSchema } from './schema';
import { validateValue } from './schema-validate';

/** What a field needs to know about its parameter (a catalog ParameterInfo fits). */
export interface FieldSpec {
  name: string;
  required: boolean;
  default?: unknown;
  description: string;
  schema: JsonSchema;
}

export interface ParamFieldProps {
  spec: FieldSpec;
  value: unknown;
  /** `undefined` removes the key (the default applies). */
  onChange: (value: unknown) => void;
  /** The service's problems for this field. */
  serverErrors?: readonly string[];
  disabled?: boolean;
}

function helpText(spec: FieldSpec, extra?: string): string {
  const desc = spec.description.trim();
  const parts = [desc && !/[.!?)]$/.test(desc) ? `${desc}.` : desc];
  if (extra) parts.push(extra);
  if (spec.default !== undefined) parts.push(`Default: ${formatDefault(spec.default) || '""'}.`);
  return parts.filter(Boolean).join(' ');
}

/**
 * A text area edited freely and committed on blur (lists and YAML must not be reparsed per key). It
 * grows with its lines itself (Mantine's autosize needs `document.fonts`, which jsdom lacks).
 */
function CommitTextarea(props: { label: string; description: string; text: string; error: string | null; disabled?: boolean; withAsterisk?: boolean; placeholder?: string; onCommit: (text: string) => string | null }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <Textarea
      label={props.label}
      description={props.description}
      withAsterisk={props.withAsterisk}
      placeholder={props.placeholder}
      rows={Math.min(12, Math.max(1, (draft ?? props.text).split('\n').length))}
      disabled={props.disabled}
      value={draft ?? props.text}
      error={parseError ?? props.error}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => {
        if (draft === null) return;
        setParseError(draft === props.text ? null : props.onCommit(draft));
        setDraft(null);
      }}
    />
  );
}

function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The input for one parameter. */
export function ParamField({ spec, value, onChange, serverErrors, disabled }: ParamFieldProps) {
  const declared = fieldKindOf(spec.schema);
  const kind = valueFitsKind(declared, value) ? declared : ({ kind: 'yaml' } as const);
  const local = validateValue(spec.schema, value, spec.required);
  const error = local ?? (serverErrors?.length ? serverErrors.join(' · ') : null);
  const placeholder = spec.default !== undefined && spec.default !== null ? `Default: ${formatDefault(spec.default)}` : undefined;
  const common = { label: spec.name, withAsterisk: spec.required, disabled, error };

  switch (kind.kind) {
    case 'enum': {
      const shown = typeof value === 'string' ? value : typeof spec.default === 'string' ? spec.default : '';
      const data = [
        ...(spec.default === undefined ? [{ value: '', label: 'Not set' }] : []),
        ...kind.options.map((o) => ({ value: o, label: o === spec.default ? `${o} (default)` : o })),
      ];
      return <NativeSelect {...common} description={helpText(spec)} data={data} value={shown} onChange={(e) => onChange(e.currentTarget.value || undefined)} />;
    }
    case 'boolean': {
      const checked = typeof value === 'boolean' ? value : spec.default === true;
      return <Switch label={spec.name} aria-label={spec.name} description={helpText(spec)} disabled={disabled} error={error} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />;
    }
    case 'number':
      return (
        <NumberInput
          {...common}
          description={helpText(spec)}
          placeholder={placeholder}
          allowDecimal={!kind.integer}
          clampBehavior="none"
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => {
            if (v === '') onChange(undefined);
            else if (typeof v === 'number') onChange(v);
            else if (v.trim() !== '' && !Number.isNaN(Number(v))) onChange(Number(v));
          }}
        />
      );
    case 'string':
      return (
        <TextInput {...common} description={helpText(spec)} placeholder={placeholder} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)} />
      );
    case 'number-or-string':
      return (
        <TextInput
          {...common}
          description={helpText(spec)}
          placeholder={placeholder}
          value={value === undefined || value === null ? '' : String(value)}
          onChange={(e) => {
            const t = e.currentTarget.value;
            onChange(t.trim() === '' ? undefined : /^-?\d+(\.\d+)?$/.test(t.trim()) ? Number(t) : t);
          }}
        />
      );
    case 'list':
    case 'string-or-list': {
      const text = Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : '';
      return (
        <CommitTextarea
          {...common}
          description={helpText(spec, 'One per line.')}
          placeholder={placeholder}
          text={text}
          onCommit={(t) => {
            const lines = linesOf(t);
            if (!lines.length) onChange(undefined);
            else if (kind.kind === 'string-or-list' && lines.length === 1) onChange(lines[0]);
            else onChange(lines);
            return null;
          }}
        />
      );
    }
    case 'yaml': {
      const text = value === undefined ? '' : stringifyYaml(value, { flowCollectionPadding: true }).trimEnd();
      return (
        <CommitTextarea
          {...common}
          description={helpText(spec, 'Written as YAML.')}
          placeholder={placeholder}
          text={text}
          onCommit={(t) => {
            if (!t.trim()) {
              onChange(undefined);
              return null;
            }
            try {
              onChange(parseYaml(t) as unknown);
              return null;
            } catch (e: unknown) {
              return `Not valid YAML: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`;
            }
          }}
        />
      );
    }
  }
}

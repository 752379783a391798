/**
 * Reads the JSON Schema fragments of the catalog (one per stage parameter, backend config key or
 * filter parameter) into the kind of input that edits them. One schema per parameter: the form,
 * the pipeline file check and the catalog all come from it.
 */

/** A JSON Schema fragment as the catalog gives it. */
export type JsonSchema = Record<string, unknown>;

/** The input a value is edited with. */
export type FieldKind =
  | { kind: 'enum'; options: string[] }
  | { kind: 'boolean' }
  | { kind: 'number'; integer: boolean }
  | { kind: 'string' }
  /** A list of strings, one per line. */
  | { kind: 'list' }
  /** One string, or a list of them (one per line; a single line is written as a string). */
  | { kind: 'string-or-list' }
  /** A number, or a string such as "256MB". */
  | { kind: 'number-or-string' }
  /** Anything else, edited as YAML text. */
  | { kind: 'yaml' };

function alternatives(s: JsonSchema): JsonSchema[] {
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) return alts.flatMap(alternatives);
  if (Array.isArray(s.type)) return s.type.map((t) => ({ ...s, type: t }));
  return [s];
}

function simpleType(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return 'enum';
  if (s.type === 'array') {
    const items = (s.items ?? {}) as JsonSchema;
    return items.type === 'string' ? 'string[]' : 'array';
  }
  return typeof s.type === 'string' ? s.type : 'any';
}

/** The input for a schema: enums become selects, numbers number inputs, string lists one per line. */
export function fieldKindOf(schema: JsonSchema): FieldKind {
  const alts = alternatives(schema).filter((a) => a.type !== 'null');
  const types = new Set(alts.map(simpleType));
  if (types.size === 1) {
    const only = alts[0] ?? {};
    switch ([...types][0]) {
      case 'enum':
        if ((only.enum as unknown[]).every((v) => typeof v === 'string')) return { kind: 'enum', options: only.enum as string[] };
        return { kind: 'yaml' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'integer':
        return { kind: 'number', integer: true };
      case 'number':
        return { kind: 'number', integer: false };
      case 'string':
        return { kind: 'string' };
      case 'string[]':
        return { kind: 'list' };
      default:
        return { kind: 'yaml' };
    }
  }
  if (types.size === 2 && types.has('string') && types.has('string[]')) return { kind: 'string-or-list' };
  // "boolean | boolean[]" (one flag, or one per filter): a switch; a list written in YAML shows as YAML.
  if (types.size === 2 && types.has('boolean') && types.has('array')) return { kind: 'boolean' };
  if (types.size === 2 && types.has('string') && (types.has('integer') || types.has('number'))) return { kind: 'number-or-string' };
  return { kind: 'yaml' };
}

/** Whether a value fits the input (a YAML edit can put anything in a field). */
export function valueFitsKind(kind: FieldKind, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (kind.kind) {
    case 'enum':
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'string-or-list':
      return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'number-or-string':
      return typeof value === 'string' || typeof value === 'number';
    case 'yaml':
      return true;
  }
}

/** The bounds of a number schema (or of its number alternative). */
export function numberBounds(schema: JsonSchema): { min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number } {
  const s = alternatives(schema).find((a) => a.type === 'number' || a.type === 'integer') ?? schema;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  return { min: num(s.minimum), max: num(s.maximum), exclusiveMin: num(s.exclusiveMinimum), exclusiveMax: num(s.exclusiveMaximum) };
}

/** A default value as the form shows it: `24`, `"text"`, `[".jsonl", ".json"]`. */
export function formatDefault(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

/**
 * Inline checks of one value against its JSON Schema fragment: required, type, minimum and maximum,
 * length, pattern, enum and list size. The service's validation stays the judge; these give the
 * user the same answer while typing.
 */
import { numberBounds, type JsonSchema } from './schema';

function checkOne(s: JsonSchema, value: unknown): string | null {
  if (Array.isArray(s.enum)) return s.enum.includes(value) ? null : `Must be one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return value === s.const ? null : `Must be ${JSON.stringify(s.const)}`;
  switch (s.type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number';
      if (s.type === 'integer' && !Number.isInteger(value)) return 'Enter a whole number';
      const b = numberBounds(s);
      if (b.min !== undefined && value < b.min) return `Too small: must be at least ${b.min}`;
      if (b.exclusiveMin !== undefined && value <= b.exclusiveMin) return `Too small: must be more than ${b.exclusiveMin}`;
      if (b.max !== undefined && value > b.max) return `Too big: must be at most ${b.max}`;
      if (b.exclusiveMax !== undefined && value >= b.exclusiveMax) return `Too big: must be less than ${b.exclusiveMax}`;
      return null;
    }
    case 'string': {
      if (typeof value !== 'string') return 'Enter text';
      if (typeof s.minLength === 'number' && value.length < s.minLength) return s.minLength === 1 ? 'Must not be empty' : `Must be at least ${s.minLength} characters`;
      if (typeof s.maxLength === 'number' && value.length > s.maxLength) return `Must be at most ${s.maxLength} characters`;
      if (typeof s.pattern === 'string') {
        try {
          if (!new RegExp(s.pattern, 'u').test(value)) return `Must match ${s.pattern}`;
        } catch {
          return null;
        }
      }
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Must be true or false';
    case 'array': {
      if (!Array.isArray(value)) return 'Must be a list';
      if (typeof s.minItems === 'number' && value.length < s.minItems) return `Needs at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`;
      const items = s.items as JsonSchema | undefined;
      if (items) {
        for (const [i, v] of value.entries()) {
          const e = checkValue(items, v);
          if (e) return `Item ${i + 1}: ${e}`;
        }
      }
      return null;
    }
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : 'Must be a mapping (key: value)';
    case 'null':
      return value === null ? null : 'Must be null';
    default:
      return null;
  }
}

function checkValue(schema: JsonSchema, value: unknown): string | null {
  const alts = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) {
    const errors = alts.map((a) => checkValue(a, value));
    return errors.includes(null) ? null : (errors.find((e) => e !== 'Enter text' && e !== 'Must be a list') ?? errors[0] ?? null);
  }
  if (Array.isArray(schema.type)) {
    const errors = schema.type.map((t) => checkOne({ ...schema, type: t }, value));
    return errors.includes(null) ? null : (errors[0] ?? null);
  }
  return checkOne(schema, value);
}

/** The first problem of a value (undefined: not set), or null when it is fine. */
export function validateValue(schema: JsonSchema, value: unknown, required: boolean): string | null {
  if (value === undefined) return required ? 'Required: enter a value' : null;
  return checkValue(schema, value);
}

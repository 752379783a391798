import type { z } from 'zod';
import { ValidationError } from '../pipeline/errors.js';

/** Validates an executor's configuration against its schema; a ValidationError names every bad key. */
export function parseExecutorConfig<S extends z.ZodObject>(schema: S, config: unknown, backend: string): z.output<S> {
  const r = schema.safeParse(config ?? {});
  if (!r.success) throw new ValidationError(r.error.issues.map((i) => `${backend} executor config${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`));
  return r.data;
}

/**
 * The service's typed error: every failed call, whatever went wrong, reaches a host as one
 * `ApiErrorInfo` (`{ code, message, problems? }`), never as a crash.
 */
import { ValidationError } from '../pipeline/errors.js';
import type { ApiErrorCode, ApiErrorInfo } from './contract.js';

/** A failed API call with its code; `toJSON()` is the wire shape. */
export class CuratorApiError extends Error {
  override name = 'CuratorApiError';
  readonly code: ApiErrorCode;
  readonly problems: string[] | undefined;

  constructor(code: ApiErrorCode, message: string, problems?: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.problems = problems;
  }

  toJSON(): ApiErrorInfo {
    return { code: this.code, message: this.message, ...(this.problems?.length ? { problems: this.problems } : {}) };
  }
}

/** A run that does not exist. */
export function runNotFound(runId: string): CuratorApiError {
  return new CuratorApiError('not_found', `no run with id "${runId}"; listRuns shows the recorded runs`);
}

/**
 * Any thrown value as the wire error: typed errors keep their code, a ValidationError (a pipeline
 * or plan problem) becomes `invalid_pipeline`, anything else `internal` with its message only
 * (no stack: the caller may be a browser tab).
 */
export function toApiError(err: unknown): ApiErrorInfo {
  if (err instanceof CuratorApiError) return err.toJSON();
  if (err instanceof ValidationError) return { code: 'invalid_pipeline', message: err.problems.length === 1 ? (err.problems[0] ?? err.message) : `${err.problems.length} problems in the pipeline`, problems: err.problems };
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  return { code: 'internal', message: `internal error: ${message}` };
}

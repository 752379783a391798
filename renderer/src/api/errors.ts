/**
 * Errors as the UI sees them. Both hosts reject a failed call with the service's `ApiErrorInfo`
 * shape: the WebSocket client as a `CuratorClientError`, the Electron preload as a plain object
 * (an Error subclass loses its fields crossing the context bridge). `apiErrorOf` reads either.
 */
import type { ApiErrorCode, ApiErrorInfo } from '../../../runner/service/contract';

const CODES: readonly ApiErrorCode[] = ['invalid_argument', 'not_found', 'invalid_pipeline', 'conflict', 'internal'];

/** A failed call of the WebSocket client: the service's typed error as an `Error`. */
export class CuratorClientError extends Error {
  override name = 'CuratorClientError';
  readonly code: ApiErrorCode;
  readonly problems: string[] | undefined;

  constructor(info: ApiErrorInfo) {
    super(info.message);
    this.code = info.code;
    this.problems = info.problems;
  }

  toJSON(): ApiErrorInfo {
    return { code: this.code, message: this.message, ...(this.problems?.length ? { problems: this.problems } : {}) };
  }
}

/** The message every call in flight rejects with when the WebSocket closes. */
export const CONNECTION_LOST = 'lost the connection to the Curator service';

/** Any rejection as `{code, message, problems?}`; anything unknown is an `internal` error with its text. */
export function apiErrorOf(err: unknown): ApiErrorInfo {
  if (err && typeof err === 'object') {
    const o = err as { code?: unknown; message?: unknown; problems?: unknown };
    const message = typeof o.message === 'string' && o.message ? o.message : String(err);
    const code: ApiErrorCode = typeof o.code === 'string' && (CODES as readonly string[]).includes(o.code) ? (o.code as ApiErrorCode) : 'internal';
    const problems = Array.isArray(o.problems) ? o.problems.filter((p): p is string => typeof p === 'string') : [];
    return { code, message, ...(problems.length ? { problems } : {}) };
  }
  return { code: 'internal', message: typeof err === 'string' && err ? err : 'unknown error' };
}

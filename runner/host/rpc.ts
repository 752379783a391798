/**
 * Calls into the API by method name, for hosts that receive calls as data (the WebSocket and
 * `POST /api/call`). Whatever arrives, the answer is a result or a typed error.
 */
import { z } from 'zod';
import type { ApiErrorInfo, CuratorApi } from '../service/contract.js';
import { CuratorApiError, toApiError } from '../service/errors.js';
import { API_METHODS, isApiMethod } from '../service/schemas.js';

/** A call as it arrives over the wire. */
export const WireRequestSchema = z.object({
  id: z.union([z.string().max(200), z.number()]),
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});

/** A parsed call. */
export type WireCall = z.output<typeof WireRequestSchema>;

/** The outcome of one call. */
export type CallOutcome = { result: unknown } | { error: ApiErrorInfo };

/** Calls `method` with `params`; an unknown method or any failure is a typed error. */
export async function callApi(api: CuratorApi, method: string, params: unknown): Promise<CallOutcome> {
  if (!isApiMethod(method)) {
    return { error: { code: 'invalid_argument', message: `unknown method "${method}"; the methods are ${API_METHODS.join(', ')}` } };
  }
  try {
    const fn = api[method] as (args: unknown) => Promise<unknown>;
    return { result: await fn.call(api, params) };
  } catch (e: unknown) {
    return { error: toApiError(e) };
  }
}

const CallBodySchema = z.object({ method: z.string().min(1).max(100), params: z.unknown().optional() }).strict();

/** Parses the body of `POST /api/call`: `{"method": string, "params"?: object}`. */
export function parseCallBody(text: string): { method: string; params: unknown } | { error: ApiErrorInfo } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e: unknown) {
    return { error: { code: 'invalid_argument', message: `the body is not JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
  const r = CallBodySchema.safeParse(raw);
  if (!r.success) return { error: { code: 'invalid_argument', message: 'expected a body {"method": string, "params"?: object}', problems: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) } };
  return { method: r.data.method, params: r.data.params };
}

/** Parses one message of the wire protocol; a bad message is an `invalid_argument` error. */
export function parseWireMessage(text: string): { call: WireCall } | { id: string | number | null; error: ApiErrorInfo } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e: unknown) {
    return { id: null, error: { code: 'invalid_argument', message: `the message is not JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
  const r = WireRequestSchema.safeParse(raw);
  if (r.success) return { call: r.data };
  const id = raw && typeof raw === 'object' && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number') ? raw.id : null;
  const err = new CuratorApiError(
    'invalid_argument',
    'expected a message {"id": string or number, "method": string, "params"?: object}',
    r.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`),
  );
  return { id, error: err.toJSON() };
}

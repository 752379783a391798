/**
 * The CommandStage protocol, version 1: JSON lines over the external program's standard input
 * and output. Pure functions only (building messages, checking replies); the process handling
 * lives in program.ts.
 *
 * Engine → program, one line each:
 *   {"type":"hello","protocol":1,"stage":"embed","worker_id":"embed#0","text_field":"text",
 *    "resources":{"cpus":1,"gpus":1,"gpu_memory_gb":0},"gpu_devices":["GPU-…"],"params":{…}}
 *   {"type":"batch","id":1,"documents":[{…},…]}
 * Program → engine, one line per engine line:
 *   {"type":"ready"}                                     (after hello; any other keys are logged)
 *   {"type":"result","id":1,"documents":[…],"removed":[{"document":{…},"reason":"…"}]}
 *   {"type":"error","id":1,"message":"…"}                (fails that batch; the program keeps running)
 * The program's standard error is the run log. The program exits when its standard input closes.
 */
import type { DocumentRecord } from '../../pipeline/tasks.js';

/** The protocol version this runner speaks. */
export const PROTOCOL_VERSION = 1;

/** The first line the program reads. */
export interface HelloMessage {
  type: 'hello';
  protocol: number;
  stage: string;
  worker_id: string;
  text_field: string;
  resources: { cpus: number; gpus: number; gpu_memory_gb: number };
  /** The GPUs this worker was given (UUIDs, as in CUDA_VISIBLE_DEVICES); empty for a CPU worker. */
  gpu_devices: string[];
  /** The fraction of each device this worker may use (1 for whole GPUs, 0 for none). */
  gpu_fraction: number;
  /** The stage's `params` parameter, as written in the pipeline file. */
  params: Record<string, unknown>;
}

/** One batch of documents. */
export interface BatchMessage {
  type: 'batch';
  id: number;
  documents: DocumentRecord[];
}

/** A document the program removed, and why. */
export interface RemovedEntry {
  document: DocumentRecord;
  reason: string;
  detail?: Record<string, unknown>;
}

/** The program's answer to hello; `info` holds whatever else it said (model name, device...). */
export interface ReadyReply {
  type: 'ready';
  info: Record<string, unknown>;
}

/** The program's answer to a batch: the documents that replace it. */
export interface ResultReply {
  type: 'result';
  id: number;
  documents: DocumentRecord[];
  removed: RemovedEntry[];
}

/** The program could not process a batch; it stays up for the next one. */
export interface ErrorReply {
  type: 'error';
  id: number;
  message: string;
}

/** A line that breaks the protocol (not JSON, a wrong type or id, a malformed field). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** What an external program did wrong, for the message and for deciding whether it must be restarted. */
export type CommandFailure = 'not_found' | 'not_executable' | 'exited' | 'protocol' | 'timeout' | 'program_error';

/**
 * A CommandStage batch or startup failed because of its program. The message names the command,
 * what happened and (when it ended) its last lines of standard error. Every kind but
 * `program_error` leaves the program stopped; the stage starts it again for the next batch.
 */
export class ExternalCommandError extends Error {
  override name = 'ExternalCommandError';
  constructor(
    readonly command: string,
    readonly failure: CommandFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The hello line for a worker. */
export function helloMessage(init: Omit<HelloMessage, 'type' | 'protocol'>): HelloMessage {
  return { type: 'hello', protocol: PROTOCOL_VERSION, ...init };
}

/** The line for one batch. */
export function batchMessage(id: number, documents: DocumentRecord[]): BatchMessage {
  return { type: 'batch', id, documents };
}

/** One message as a line (JSON plus "\n"). Throws a ProtocolError naming the batch when a value cannot be written as JSON. */
export function encodeLine(message: HelloMessage | BatchMessage): string {
  try {
    return JSON.stringify(message) + '\n';
  } catch (e: unknown) {
    const what = message.type === 'batch' ? `batch ${message.id}` : 'hello';
    throw new ProtocolError(`${what} cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** A line clipped for an error message. */
export function clip(line: string, max = 200): string {
  return line.length > max ? `${line.slice(0, max)}… (${line.length} characters)` : line;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one line of the program's output into an object with a string `type`. */
function parseObject(line: string): Record<string, unknown> & { type: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new ProtocolError(`wrote a line that is not JSON: ${JSON.stringify(clip(line))}; only protocol lines may go to standard output (print other text to standard error)`);
  }
  if (!isObject(v) || typeof v.type !== 'string') throw new ProtocolError(`wrote ${JSON.stringify(clip(line))}, which is not a message object with a "type"`);
  return v as Record<string, unknown> & { type: string };
}

/** Checks the answer to hello. */
export function parseReady(line: string): ReadyReply {
  const m = parseObject(line);
  if (m.type !== 'ready') throw new ProtocolError(`answered hello with a "${m.type}" message; the first line must be {"type":"ready"}`);
  const { type: _t, ...info } = m;
  if (info.protocol !== undefined && info.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(`speaks protocol ${JSON.stringify(info.protocol)}, this runner speaks protocol ${PROTOCOL_VERSION}`);
  }
  return { type: 'ready', info };
}

/** Checks the answer to batch `id`: a result or an error line with the same id. */
export function parseBatchReply(line: string, id: number): ResultReply | ErrorReply {
  const m = parseObject(line);
  if (m.type !== 'result' && m.type !== 'error') throw new ProtocolError(`answered batch ${id} with a "${m.type}" message; expected "result" or "error"`);
  if (m.id !== id) throw new ProtocolError(`answered batch ${id} with a "${m.type}" for id ${JSON.stringify(m.id)}`);
  if (m.type === 'error') {
    const message = typeof m.message === 'string' && m.message ? m.message : JSON.stringify(m.message ?? 'no message');
    return { type: 'error', id, message };
  }
  if (!Array.isArray(m.documents)) throw new ProtocolError(`result for batch ${id} has no "documents" list`);
  m.documents.forEach((d, i) => {
    if (!isObject(d)) throw new ProtocolError(`result for batch ${id}: documents[${i}] is not an object`);
  });
  return { type: 'result', id, documents: m.documents as DocumentRecord[], removed: parseRemoved(m.removed, id) };
}

function parseRemoved(raw: unknown, id: number): RemovedEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ProtocolError(`result for batch ${id}: "removed" must be a list of {"document": {...}, "reason": "..."}`);
  return raw.map((r, i) => {
    const where = `result for batch ${id}: removed[${i}]`;
    if (!isObject(r) || !isObject(r.document)) throw new ProtocolError(`${where} must be {"document": {...}, "reason": "..."}`);
    if (r.reason !== undefined && (typeof r.reason !== 'string' || !r.reason)) throw new ProtocolError(`${where}.reason must be a non-empty string`);
    if (r.detail !== undefined && !isObject(r.detail)) throw new ProtocolError(`${where}.detail must be an object`);
    const entry: RemovedEntry = { document: r.document, reason: typeof r.reason === 'string' ? r.reason : '' };
    if (isObject(r.detail)) entry.detail = r.detail;
    return entry;
  });
}

/**
 * A worker's environment, built explicitly (STYLE: the environment of every child process is
 * built, never inherited by accident), with the GPUs the allocator gave it and nothing else.
 */
import { CUDA_VISIBLE_DEVICES } from './visible-devices.js';

/** True for a name a child environment can carry: not empty, no '=' (Windows' hidden `=C:` entries), no NUL. */
function isValidKey(key: string): boolean {
  return key.length > 0 && !key.includes('=') && !key.includes('\0');
}

/** A value as an environment string; null for values that unset the key (undefined, null) or cannot be carried (NUL). */
function toEnvValue(value: unknown): string | null {
  let text: string;
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value) ?? '';
  return text.includes('\0') ? null : text;
}

/**
 * Builds a worker's environment:
 * 1. a copy of `base` without invalid keys, undefined values and values containing NUL
 *    (which `child_process` would reject);
 * 2. `extra` on top, numbers and booleans stringified, objects as JSON, `undefined`/`null`
 *    removing the key;
 * 3. `CUDA_VISIBLE_DEVICES` last, so nothing can override the allocator: the devices' UUIDs
 *    (the index where a UUID is missing), comma-joined, or the empty string for a CPU-only
 *    worker (`devices` null or empty), as Xenna does, so a CPU stage can never grab a GPU.
 *    Other spellings of the name (Windows treats names case-insensitively) are removed.
 * `base` and `extra` are never modified.
 */
export function workerEnv(
  base: NodeJS.ProcessEnv,
  devices: ReadonlyArray<{ uuid: string; index: number }> | null,
  extra: Record<string, unknown> = {},
): Record<string, string> {
  // A Map, not an object literal, so that even a key named "__proto__" is carried as data.
  const env = new Map<string, string>();
  for (const [key, value] of Object.entries(base)) {
    const text = toEnvValue(value);
    if (isValidKey(key) && text !== null) env.set(key, text);
  }
  for (const [key, value] of Object.entries(extra)) {
    if (!isValidKey(key)) continue;
    const text = toEnvValue(value);
    if (text === null) env.delete(key);
    else env.set(key, text);
  }
  for (const key of [...env.keys()]) {
    if (key.toUpperCase() === CUDA_VISIBLE_DEVICES) env.delete(key);
  }
  env.set(CUDA_VISIBLE_DEVICES, (devices ?? []).map((d) => (d.uuid ? d.uuid : String(d.index))).join(','));
  return Object.fromEntries(env);
}

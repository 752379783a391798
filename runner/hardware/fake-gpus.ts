/**
 * The one test seam for GPUs: `CURATOR_FAKE_GPUS` replaces the nvidia-smi probe with a declared
 * inventory, so allocation, planning and the UI can be exercised on machines without a GPU.
 */
import type { GpuDevice } from './types.js';

/** The environment variable that replaces the nvidia-smi probe with a declared list of GPUs. */
export const FAKE_GPUS_ENV = 'CURATOR_FAKE_GPUS';

/** The paragraph `curator gpus --help` prints about the seam. */
export const FAKE_GPUS_HELP =
  `Testing aid: set ${FAKE_GPUS_ENV} to a JSON array to pretend this machine has those NVIDIA GPUs ` +
  `instead of asking nvidia-smi, e.g. ${FAKE_GPUS_ENV}='[{"name":"H100","memory_gb":80},{"name":"A10","memory_gb":24}]'. ` +
  `Each entry takes "memory_gb" (required, > 0), "name" and "uuid" (optional; uuids default to GPU-fake-0000-<n>). ` +
  `CUDA_VISIBLE_DEVICES still applies on top, by index or uuid, and '[]' pretends there is no GPU. ` +
  `Fake GPUs are only bookkeeping: workers placed on them run without a real device, so use this to test ` +
  `planning and allocation, never for real GPU work.`;

/** `CURATOR_FAKE_GPUS` was set but is not a valid list of GPUs. The message says what was expected. */
export class FakeGpusError extends Error {
  override name = 'FakeGpusError';
}

const KNOWN_KEYS = new Set(['name', 'memory_gb', 'uuid']);

/** The uuid given to the fake GPU at `index` when the entry names none; stable across runs. */
export function fakeGpuUuid(index: number): string {
  return `GPU-fake-0000-${index}`;
}

/**
 * Reads `CURATOR_FAKE_GPUS`. Returns null when the variable is unset or blank (the real probe
 * runs), the declared devices otherwise. Throws `FakeGpusError` naming the variable, the entry
 * and what was expected when the value is malformed, so a typo never silently becomes "no GPU".
 */
export function parseFakeGpus(value: string | undefined): GpuDevice[] | null {
  if (value === undefined || value.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err: unknown) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new FakeGpusError(`${FAKE_GPUS_ENV} is not valid JSON (${detail}); expected an array such as [{"name":"H100","memory_gb":80}]`, {
      cause: err,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new FakeGpusError(`${FAKE_GPUS_ENV} must be a JSON array of GPUs such as [{"name":"H100","memory_gb":80}], got ${describe(parsed)}`);
  }
  const devices = parsed.map((entry: unknown, i) => toDevice(entry, i));
  const seen = new Set<string>();
  for (const d of devices) {
    const key = d.uuid.toLowerCase();
    if (seen.has(key)) throw new FakeGpusError(`${FAKE_GPUS_ENV}[${d.index}]: uuid "${d.uuid}" is used twice; each GPU needs its own`);
    seen.add(key);
  }
  return devices;
}

/** One declared entry as a device; memory in GB becomes MiB as nvidia-smi would report it. */
function toDevice(entry: unknown, index: number): GpuDevice {
  const where = `${FAKE_GPUS_ENV}[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new FakeGpusError(`${where} must be an object such as {"name":"H100","memory_gb":80}, got ${describe(entry)}`);
  }
  const record = entry as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) {
    throw new FakeGpusError(`${where} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; expected "name", "memory_gb" and optionally "uuid"`);
  }
  const memory = record['memory_gb'];
  if (typeof memory !== 'number' || !Number.isFinite(memory) || memory <= 0) {
    throw new FakeGpusError(`${where}.memory_gb must be a number of gigabytes > 0, got ${describe(memory)}`);
  }
  const name = record['name'] ?? `Fake GPU ${index}`;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new FakeGpusError(`${where}.name must be a non-empty string, got ${describe(name)}`);
  }
  const uuid = record['uuid'] ?? fakeGpuUuid(index);
  if (typeof uuid !== 'string' || uuid.trim() === '' || /[,\s]/.test(uuid)) {
    throw new FakeGpusError(`${where}.uuid must be a non-empty string without commas or spaces, got ${describe(uuid)}`);
  }
  return {
    index,
    uuid,
    name,
    memory_total_mb: Math.round(memory * 1024),
    memory_used_mb: 0,
    utilization_pct: 0,
  };
}

/** A short rendering of an unexpected JSON value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

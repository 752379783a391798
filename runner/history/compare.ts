/**
 * Comparing two runs: which configuration keys differ, and the funnels side by side. Pure functions
 * over two RunDetails; the output document diff is a query (see HistoryStore.compareRuns).
 */
import type { RunDetail, StageRow } from './types.js';

/**
 * Flattens a value into `prefix.key` / `prefix[i]` paths with leaf values; empty objects and arrays
 * are leaves, so that `{}` versus a missing key still shows.
 */
export function flatten(value: unknown, prefix: string, out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.length) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** What a run was asked to do, as comparable paths: backend, backend config, and the pipeline file without its executor section. */
function settings(r: RunDetail): Map<string, unknown> {
  const out = new Map<string, unknown>([['backend', r.backend]]);
  flatten(r.config, 'config', out);
  const pipeline = r.pipeline && typeof r.pipeline === 'object' ? { ...(r.pipeline as Record<string, unknown>) } : r.pipeline;
  if (pipeline && typeof pipeline === 'object') delete (pipeline as Record<string, unknown>).executor;
  flatten(pipeline, 'pipeline', out);
  return out;
}

/** Keys whose values differ between two runs (a key missing on one side shows as undefined there), in a's key order then b's. */
export function configDiff(a: RunDetail, b: RunDetail): Array<{ key: string; a: unknown; b: unknown }> {
  const sa = settings(a);
  const sb = settings(b);
  const keys = [...new Set([...sa.keys(), ...sb.keys()])];
  return keys.filter((k) => JSON.stringify(sa.get(k)) !== JSON.stringify(sb.get(k))).map((key) => ({ key, a: sa.get(key), b: sb.get(key) }));
}

/** The two funnels paired by stage name: a's stages in order, then stages only b has. */
export function pairStages(a: readonly StageRow[], b: readonly StageRow[]): Array<{ name: string; a: StageRow | null; b: StageRow | null }> {
  const byName = new Map(b.map((s) => [s.name, s]));
  const rows: Array<{ name: string; a: StageRow | null; b: StageRow | null }> = a.map((s) => ({ name: s.name, a: s, b: byName.get(s.name) ?? null }));
  const seen = new Set(a.map((s) => s.name));
  for (const s of b) if (!seen.has(s.name)) rows.push({ name: s.name, a: null, b: s });
  return rows;
}

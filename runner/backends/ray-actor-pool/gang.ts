import type { ProcessingStage } from '../../pipeline/stage.js';

/** True for a gang ("RAFT actor") stage: `ray_stage_spec.is_raft_actor`. */
export function isGangStage(stage: ProcessingStage): boolean {
  return stage.ray_stage_spec.is_raft_actor === true;
}

/** Splits a list into `n` consecutive groups whose sizes differ by at most one, larger first (numpy.array_split). */
export function arraySplit<T>(items: readonly T[], n: number): T[][] {
  const base = Math.floor(items.length / n);
  const extra = items.length % n;
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Gang stages need all their workers started together; only the ray_actor_pool backend does that. */
export function refuseGangStages(stages: ProcessingStage[], backend: string): string[] {
  return stages
    .filter(isGangStage)
    .map((s) => `stage "${s.name}" is a gang stage (ray_stage_spec.is_raft_actor) and runs only on the ray_actor_pool backend, not on ${backend}`);
}

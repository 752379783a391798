import { randomUUID } from 'node:crypto';

/**
 * NeMo Curator's task-id path rule (`BaseStageAdapter._post_process_task_ids`), as a pure function.
 *
 * - one parent, any number of outputs: `parent_<suffix(i)>`;
 * - M parents, M outputs (dropped outputs count as positions): output i is `parent[i]_<suffix>` with
 *   suffix 0;
 * - any other shape: `"r" + uuid hex`, which is not deterministic.
 *
 * At a source stage the suffix is the output's content id (`getDeterministicId()`) when it has one,
 * else its position. A stage that does not override `process_batch` is mapped parent by parent (the
 * engine calls `process` per task), so its ids are always deterministic.
 */
export function assignTaskIds(
  parentIds: readonly string[],
  outputs: ReadonlyArray<{ contentId: string | null } | null>,
  isSource: boolean,
): Array<string | null> {
  const suffix = (i: number, out: { contentId: string | null }): string => (isSource && out.contentId ? out.contentId : String(i));
  if (parentIds.length === 1) {
    const parent = parentIds[0] as string;
    return outputs.map((o, i) => (o ? `${parent}_${suffix(i, o)}` : null));
  }
  if (parentIds.length === outputs.length) {
    return outputs.map((o, i) => (o ? `${parentIds[i]}_${suffix(0, o)}` : null));
  }
  return outputs.map((o) => (o ? 'r' + randomUUID().replace(/-/g, '') : null));
}

/** Ids for user-supplied initial tasks: "0_0", "0_1", ... in order (an EmptyTask keeps "0"). */
export function rootTaskIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `0_${i}`);
}

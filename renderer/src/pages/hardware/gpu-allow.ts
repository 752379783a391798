// The GPU allow-list as switches: which GPUs a list admits, and the list after one switch flips.

/** The GPUs a run may use: `null` means every GPU; entries are indices or UUIDs. */
export function isAllowed(list: string[] | null, gpu: { index: number; uuid: string }): boolean {
  return list === null || list.includes(String(gpu.index)) || list.includes(gpu.uuid);
}

/** The list after allowing or barring one GPU; `null` again once every GPU is allowed. */
export function toggleAllowed(list: string[] | null, gpus: ReadonlyArray<{ index: number; uuid: string }>, gpu: { index: number; uuid: string }, allow: boolean): string[] | null {
  const next = gpus.filter((g) => (g.index === gpu.index ? allow : isAllowed(list, g))).map((g) => String(g.index));
  return next.length === gpus.length ? null : next;
}

/**
 * Per-batch performance record, NeMo Curator's `StagePerfStats`. One object is made per batch by the
 * stage adapter and attached to every output task of that batch.
 */
export interface StagePerfStats {
  stage_name: string;
  /** Wall seconds of the batch, including id and sentinel post-processing. */
  process_time: number;
  /** Seconds since this worker's previous batch finished; 0 on its first batch. */
  actor_idle_time: number;
  /** Estimated bytes of the batch's input, in MB (real bytes, unlike NeMo Curator's item-count quirk). */
  input_data_size_mb: number;
  /** Items in (rows, files), not items out. */
  num_items_processed: number;
  custom_metrics: Record<string, number>;
}

/** Sums perf records, as `sum()` over NeMo Curator's attrs class. */
export function addPerf(a: StagePerfStats, b: StagePerfStats): StagePerfStats {
  const custom: Record<string, number> = { ...a.custom_metrics };
  for (const [k, v] of Object.entries(b.custom_metrics)) custom[k] = (custom[k] ?? 0) + v;
  return {
    stage_name: a.stage_name || b.stage_name,
    process_time: a.process_time + b.process_time,
    actor_idle_time: a.actor_idle_time + b.actor_idle_time,
    input_data_size_mb: a.input_data_size_mb + b.input_data_size_mb,
    num_items_processed: a.num_items_processed + b.num_items_processed,
    custom_metrics: custom,
  };
}

/** Flattened view, with custom metrics as `custom.<key>` (NeMo Curator's `items()`). */
export function perfItems(p: StagePerfStats): Array<[string, number]> {
  const out: Array<[string, number]> = [
    ['process_time', p.process_time],
    ['actor_idle_time', p.actor_idle_time],
    ['input_data_size_mb', p.input_data_size_mb],
    ['num_items_processed', p.num_items_processed],
  ];
  for (const [k, v] of Object.entries(p.custom_metrics)) out.push([`custom.${k}`, v]);
  return out;
}

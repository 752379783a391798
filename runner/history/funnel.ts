/**
 * Documents in and out of a run, for the run list, from the per-stage funnel. Stage "items" count
 * what each task holds (files for file groups, documents for document batches), so the documents
 * a run read are what its leading source stages emitted, and the documents it kept are what its
 * trailing writers received.
 */
import type { StageStatus, StageSummary } from '../engine/events.js';

/** One stage's funnel row as history stores it. */
export type StageFunnel = StageSummary;

/** A funnel row from a live status row. */
export function funnelOfStatus(s: StageStatus): StageFunnel {
  return {
    name: s.name,
    tasks_in: s.tasks.in,
    tasks_out: s.tasks.out,
    items_in: s.items.in,
    items_out: s.items.out,
    returned_none: s.tasks.returned_none,
    failed_batches: s.tasks.failed,
    process_time_s: s.process_time_s,
    workers_max: s.workers_max,
  };
}

/** Stage types that produce documents from files or from nothing (the reader's partitioning included). */
const SOURCE_TYPE = /(reader|partitioning)/i;
/** Stage types that turn documents into files. */
const SINK_TYPE = /writer/i;

/**
 * `docs_in`: items out of the last leading source stage (a reader, its file partitioning, or a first
 * stage that starts from the empty task); the first stage's items in when there is none.
 * `docs_out`: items into the first trailing writer; the last stage's items out when there is none.
 * `types` are the stages' types by position, when known; the stage name stands in for a missing one.
 */
export function documentCounts(stages: readonly StageFunnel[], types: ReadonlyArray<string | null> = []): { docs_in: number | null; docs_out: number | null } {
  if (!stages.length) return { docs_in: null, docs_out: null };
  const typeAt = (i: number) => types[i] ?? stages[i]?.name ?? '';
  let sinkStart = stages.length;
  while (sinkStart > 1 && SINK_TYPE.test(typeAt(sinkStart - 1))) sinkStart--;
  let sources = 0;
  while (sources < sinkStart && (SOURCE_TYPE.test(typeAt(sources)) || (sources === 0 && (stages[0] as StageFunnel).items_in === 0))) sources++;
  const docsIn = sources > 0 ? (stages[sources - 1] as StageFunnel).items_out : (stages[0] as StageFunnel).items_in;
  const docsOut = sinkStart < stages.length ? (stages[sinkStart] as StageFunnel).items_in : (stages[stages.length - 1] as StageFunnel).items_out;
  return { docs_in: docsIn, docs_out: docsOut };
}

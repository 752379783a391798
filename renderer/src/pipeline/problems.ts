/**
 * Maps the service's validation problems onto the builder's fields. A problem reads
 * `pipeline:<line>: stages[<i>] (<Type>): params.<key>: <message>` (or `stages[<i>].resources.cpus:`,
 * `executor.config.<key>:`, or a bare message); the builder shows each under its field and the
 * rest in a list above the form.
 */

/** One problem, split into where it is and what it says. */
export interface PipelineProblem {
  /** The whole sentence, as the service wrote it. */
  text: string;
  line: number | null;
  /** The stage it is about, or null for the pipeline or the executor. */
  stageIndex: number | null;
  /**
   * The field inside the stage (`params.files_per_partition`, `resources.cpus`, `batch_size`) or
   * the executor (`executor.config.logging_interval`, `executor.backend`); null when it is about the whole.
   */
  field: string | null;
  /** The message without the location. */
  message: string;
}

const LOCATION = /^[^:\n]*:(\d+): ([\s\S]*)$/;
const STAGE = /^stages\[(\d+)\](?: \([^)]*\))?((?:\.[\w]+|\[\d+\])*): ([\s\S]*)$/;
const FIELD = /^((?:params|resources)(?:\.[\w]+)?|batch_size|num_workers|name|stage|ray_stage_spec|xenna_stage_spec)((?:\.[\w]+|\[\d+\])*): ([\s\S]*)$/;
const EXECUTOR = /^(executor(?:\.config)?(?:\.[\w]+)?|executor\.backend)((?:\.[\w]+|\[\d+\])*): ([\s\S]*)$/;

/** Splits one problem sentence into line, stage, field and message. */
export function parseProblem(text: string): PipelineProblem {
  let rest = text;
  let line: number | null = null;
  const loc = LOCATION.exec(text);
  if (loc) {
    line = Number(loc[1]);
    rest = loc[2] ?? '';
  }
  const stage = STAGE.exec(rest);
  if (stage) {
    const stageIndex = Number(stage[1]);
    const dotted = (stage[2] ?? '').replace(/^\./, '');
    let msg = stage[3] ?? '';
    let field: string | null = dotted ? topField(dotted) : null;
    if (!field) {
      const f = FIELD.exec(msg);
      if (f) {
        field = topField(`${f[1] ?? ''}${f[2] ?? ''}`);
        msg = f[3] ?? msg;
      }
    }
    return { text, line, stageIndex, field, message: msg };
  }
  const exec = EXECUTOR.exec(rest);
  if (exec) {
    const field = `${exec[1] ?? ''}`;
    return { text, line, stageIndex: null, field: field === 'executor' ? null : field, message: exec[3] ?? rest };
  }
  return { text, line, stageIndex: null, field: null, message: rest };
}

/** `params.filter[0].max_x` → `params.filter`; `resources.cpus` stays; `batch_size` stays. */
function topField(dotted: string): string {
  const parts = dotted.split(/[.[]/);
  const head = parts[0] ?? '';
  if ((head === 'params' || head === 'resources') && parts[1] && !parts[1].endsWith(']')) return `${head}.${parts[1]}`;
  return head;
}

/** Problems grouped for display: by stage and field, the executor's by config key, and the rest. */
export interface ProblemIndex {
  /** `stage index` → field (or '' for the stage as a whole) → messages. */
  stages: Map<number, Map<string, string[]>>;
  /** `executor.config.<key>` / `executor.backend` → messages; '' for the executor as a whole. */
  executor: Map<string, string[]>;
  /** Problems about the whole pipeline (or that name no stage). */
  general: PipelineProblem[];
  all: PipelineProblem[];
}

function push<K>(map: Map<K, string[]>, key: K, msg: string): void {
  const list = map.get(key);
  if (list) list.push(msg);
  else map.set(key, [msg]);
}

/** Indexes problem sentences by where they belong. */
export function indexProblems(problems: readonly string[]): ProblemIndex {
  const index: ProblemIndex = { stages: new Map(), executor: new Map(), general: [], all: [] };
  for (const text of problems) {
    const p = parseProblem(text);
    index.all.push(p);
    if (p.stageIndex !== null) {
      let fields = index.stages.get(p.stageIndex);
      if (!fields) index.stages.set(p.stageIndex, (fields = new Map()));
      push(fields, p.field ?? '', p.message);
    } else if (/^executor\b/.test(p.text.replace(LOCATION, '$2'))) {
      push(index.executor, p.field ?? '', p.message);
    } else {
      index.general.push(p);
    }
  }
  return index;
}

/** The messages of one stage's fields: `params.<key>` → messages, keyed by the parameter name. */
export function paramProblems(index: ProblemIndex, stageIndex: number, prefix = 'params.'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, msgs] of index.stages.get(stageIndex) ?? []) {
    if (field.startsWith(prefix)) out[field.slice(prefix.length)] = msgs;
  }
  return out;
}

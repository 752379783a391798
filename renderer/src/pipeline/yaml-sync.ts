/**
 * The pipeline editor's one source of truth is the YAML text. Reading gives a plain object for the
 * forms (or the first syntax error with its line); every form edit goes through the `yaml`
 * package's Document API, so comments, key order and flow style the user wrote survive.
 */
import { isNode, isSeq, LineCounter, parseDocument, type Document, type YAMLSeq } from 'yaml';

/** A path into the pipeline document: keys and list indices. */
export type YamlPath = ReadonlyArray<string | number>;

/** One stage entry of a pipeline file, as far as the forms need it. */
export interface StageEntry {
  stage: string;
  name?: string;
  params: Record<string, unknown>;
  resources?: Record<string, unknown>;
  batch_size?: unknown;
  num_workers?: unknown;
  [key: string]: unknown;
}

/** A pipeline file's content, read leniently: the server's validation judges the rest. */
export interface PipelineData {
  name: string;
  description: string | null;
  stages: StageEntry[];
  backend: string;
  config: Record<string, unknown>;
}

/** The first syntax error of YAML text, with its 1-based line and the character range. */
export interface YamlSyntaxError {
  line: number;
  column: number;
  message: string;
  from: number;
  to: number;
}

export type ParseResult = { ok: true; data: PipelineData } | { ok: false; error: YamlSyntaxError };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses pipeline text into the forms' view, or gives the first syntax error with its line. */
export function parsePipelineText(text: string): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const [from, to] = err.pos;
    const pos = lc.linePos(from);
    return { ok: false, error: { line: pos.line, column: pos.col, message: err.message.split('\n')[0] ?? err.message, from, to: Math.max(to, from) } };
  }
  const raw: unknown = doc.toJS();
  const top = isRecord(raw) ? raw : {};
  const stages = Array.isArray(top.stages) ? top.stages : [];
  const executor = isRecord(top.executor) ? top.executor : {};
  return {
    ok: true,
    data: {
      name: typeof top.name === 'string' ? top.name : '',
      description: typeof top.description === 'string' ? top.description : null,
      stages: stages.map((s) => {
        const entry = isRecord(s) ? s : {};
        return { ...entry, stage: typeof entry.stage === 'string' ? entry.stage : '', params: isRecord(entry.params) ? entry.params : {} };
      }),
      backend: typeof executor.backend === 'string' ? executor.backend : 'xenna',
      config: isRecord(executor.config) ? executor.config : {},
    },
  };
}

/** An edit of the document; it may call any Document method. */
export type DocumentEdit = (doc: Document) => void;

/**
 * Applies edits to pipeline text and gives the new text. Text with a syntax error is refused:
 * the caller shows the error and edits the last valid text instead.
 */
export function editPipelineText(text: string, ...edits: DocumentEdit[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`The pipeline YAML has an error: ${doc.errors[0]?.message ?? ''}`);
  for (const edit of edits) edit(doc);
  return doc.toString();
}

/** Sets a value; `undefined` removes the key (a missing key is left alone). */
export function setValue(path: YamlPath, value: unknown): DocumentEdit {
  return (doc) => {
    if (value === undefined) {
      if (doc.hasIn(path)) doc.deleteIn(path);
      return;
    }
    const node = typeof value === 'object' && value !== null ? doc.createNode(value) : value;
    doc.setIn(path, node);
  };
}

/** Appends an item to the list at `path` (creating the list when it is missing). */
export function appendItem(path: YamlPath, value: unknown): DocumentEdit {
  return (doc) => {
    const seq = doc.getIn(path, true);
    if (isSeq(seq)) seq.add(doc.createNode(value));
    else doc.setIn(path, doc.createNode([value]));
  };
}

/**
 * The parser gives the comment above a block list's first item to the list itself; hand it to the
 * item, so that it moves (or goes) with that item.
 */
function giveFirstCommentToItem(seq: YAMLSeq): void {
  const first = seq.items[0];
  if (seq.commentBefore && isNode(first) && !seq.flow) {
    first.commentBefore = first.commentBefore ? `${seq.commentBefore}\n${first.commentBefore}` : seq.commentBefore;
    seq.commentBefore = undefined;
  }
}

/** Moves an item of the list at `path` from one index to another (its comments move with it). */
export function moveItem(path: YamlPath, from: number, to: number): DocumentEdit {
  return (doc) => {
    const seq = doc.getIn(path, true);
    if (!isSeq(seq) || to < 0 || to >= seq.items.length || from === to) return;
    giveFirstCommentToItem(seq);
    const [item] = seq.items.splice(from, 1);
    seq.items.splice(to, 0, item);
  };
}

/** Removes an item of the list at `path`. */
export function removeItem(path: YamlPath, index: number): DocumentEdit {
  return (doc) => {
    const seq = doc.getIn(path, true);
    if (!isSeq(seq)) return;
    giveFirstCommentToItem(seq);
    seq.items.splice(index, 1);
  };
}

/** A new stage entry: its type and an empty parameter map (the form shows the defaults). */
export function newStageEntry(type: string): Record<string, unknown> {
  return { stage: type, params: {} };
}

/** The text of a new, empty pipeline. */
export const EMPTY_PIPELINE = `# A pipeline: stages run in order; the executor picks the backend.
name: my-pipeline
stages: []
executor:
  backend: xenna
  config: {}
`;

import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getFastTextModule } from 'fasttext.wasm.js';

/**
 * fastText models for the fastText filters, through the WebAssembly build in `fasttext.wasm.js`.
 * The WebAssembly module is instantiated once per process (per worker thread, as every thread has
 * its own module graph) and each model file is loaded once and cached by absolute path, so every
 * filter and stage of a worker that names the same model shares one copy. Prediction is synchronous
 * once a model is loaded.
 */

/** `[probability, label]` of one prediction, as fastText returns it (the label keeps `__label__`). */
export type Prediction = readonly [number, string];

/** The part of the embind vector type we use; every vector returned by the module must be deleted. */
interface WasmVector<T> {
  size(): number;
  get(i: number): T;
  delete(): void;
}

/** The surface of fastText's WebAssembly binding used here. */
interface WasmFastText {
  loadModel(file: string): void;
  predict(text: string, k: number, threshold: number): WasmVector<[number, string]>;
  getLabels(): [WasmVector<string>, WasmVector<number>];
  delete(): void;
}
interface WasmModule {
  FS: { writeFile(file: string, data: Uint8Array): void; unlink(file: string): void };
  HEAPU8: Uint8Array;
  FastText: new () => WasmFastText;
}

/** A model file could not be read or is not a fastText model. */
export class FastTextModelError extends Error {
  override name = 'FastTextModelError';
}

/** fastText's binary header: the int32 magic number and the newest file version it writes. */
const FASTTEXT_MAGIC = 793712314;
const FASTTEXT_MAX_VERSION = 12;

/** lid.176.ftz (176 languages, CC-BY-SA 3.0) as shipped inside the installed `fasttext.wasm.js`; never downloaded. */
export function defaultLangIdModelPath(): string {
  return createRequire(import.meta.url).resolve('fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz');
}

/** Why `bytes` is not a fastText model file, or null when its header looks right. */
function headerProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 8) return `it is ${bytes.length} bytes long, too short for a fastText model`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  if (view.getInt32(0, true) !== FASTTEXT_MAGIC) return 'it does not start with the fastText magic number (is it a .bin or .ftz file written by fastText?)';
  const version = view.getInt32(4, true);
  if (version > FASTTEXT_MAX_VERSION) return `it has fastText file version ${version}, newer than the supported ${FASTTEXT_MAX_VERSION}`;
  return null;
}

/**
 * Plan-time check of a model file: an empty list when it exists and has a fastText header, else one
 * message naming `who` (the filter) and the path. Reads only the file's first 8 bytes.
 */
export function checkModelFile(file: string, who: string): string[] {
  const head = new Uint8Array(8);
  let got: number;
  try {
    const fd = openSync(file, 'r');
    try {
      got = readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return [`${who}: cannot read the fastText model "${file}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); set model_path to a fastText .bin or .ftz file`];
  }
  const problem = headerProblem(head.subarray(0, got));
  return problem ? [`${who}: "${file}" is not a fastText model: ${problem}`] : [];
}

/** One loaded model. `predict1` is synchronous. */
export class FastTextModel {
  constructor(
    /** Absolute path of the model file. */
    readonly file: string,
    /** Size of the model file in bytes. */
    readonly fileBytes: number,
    /** Milliseconds spent reading and loading the file (the WebAssembly start-up excluded). */
    readonly loadMs: number,
    private readonly ft: WasmFastText,
  ) {}

  /**
   * The top prediction for one line of text, or null when fastText predicts nothing. fastText reads
   * only up to the first newline, so callers replace newlines first, as NeMo Curator does.
   */
  predict1(text: string): Prediction | null {
    const v = this.ft.predict(text, 1, 0);
    try {
      return v.size() > 0 ? v.get(0) : null;
    } finally {
      v.delete();
    }
  }

  /** Every label of the model, e.g. `__label__en`. */
  labels(): string[] {
    const [names, counts] = this.ft.getLabels();
    try {
      return Array.from({ length: names.size() }, (_, i) => names.get(i));
    } finally {
      names.delete();
      counts.delete();
    }
  }
}

let wasm: Promise<WasmModule> | null = null;
const models = new Map<string, Promise<FastTextModel>>();
let wasmFileSeq = 0;
/** The module's own console output (fastText's warnings), kept to explain a failed load. */
const wasmOutput: string[] = [];

function wasmModule(): Promise<WasmModule> {
  const keep = (line: string) => {
    wasmOutput.push(line);
    if (wasmOutput.length > 20) wasmOutput.shift();
  };
  // print/printErr keep fastText's console output off the worker's stdout (logs travel as messages).
  wasm ??= (getFastTextModule as (o: Record<string, unknown>) => Promise<unknown>)({ print: keep, printErr: keep }).then((m) => m as WasmModule);
  return wasm;
}

async function load(file: string, who: string): Promise<FastTextModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new FastTextModelError(`${who}: cannot read the fastText model "${file}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); set model_path to a fastText .bin or .ftz file`, { cause: e });
  }
  const problem = headerProblem(bytes);
  if (problem) throw new FastTextModelError(`${who}: "${file}" is not a fastText model: ${problem}`);
  const m = await wasmModule();
  const t0 = performance.now();
  const inFs = `/model-${++wasmFileSeq}.bin`;
  const ft = new m.FastText();
  m.FS.writeFile(inFs, bytes);
  try {
    ft.loadModel(inFs);
  } catch (e) {
    // fastText's C++ exceptions reach JavaScript as bare numbers; its own message went to printErr.
    ft.delete();
    const said = wasmOutput.length ? `: ${wasmOutput.slice(-3).join(' ')}` : '';
    throw new FastTextModelError(`${who}: fastText could not load "${file}"${said}`, { cause: e });
  } finally {
    m.FS.unlink(inFs);
  }
  return new FastTextModel(file, bytes.length, performance.now() - t0, ft);
}

/**
 * The model at `file` (resolved against the working folder when relative), loaded once per process
 * and shared; a failed load is not cached, so a later call retries. `who` names the filter in errors.
 */
export function loadFastTextModel(file: string, who: string): Promise<FastTextModel> {
  const abs = path.resolve(file);
  let p = models.get(abs);
  if (!p) {
    p = load(abs, who);
    models.set(abs, p);
    p.catch(() => models.delete(abs));
  }
  return p;
}

/** Bytes of WebAssembly memory in use by this process's fastText module (models, buffers), 0 before the first load. */
export async function fastTextMemoryBytes(): Promise<number> {
  return wasm ? (await wasm).HEAPU8.length : 0;
}

import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord, type EmptyTask } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';

const params = z
  .object({
    num_tasks: z.number().int().min(1).default(4).describe('Number of DocumentBatches to produce.'),
    docs_per_task: z.number().int().min(1).default(100).describe('Documents in each batch.'),
    chars_per_doc: z.number().int().min(1).default(500).describe('Approximate length of each document\'s "text", in characters.'),
    seed: z.number().int().default(42).describe('Seed of the generator; the same parameters always give byte-identical documents.'),
  })
  .strict();

/** Parameters of SyntheticDocuments. */
export type SyntheticDocumentsParams = z.output<typeof params>;

/** Common English words; a fixed list so that output never depends on the machine. */
const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'her she there been one all we their has would when if so no will more about up out them some could what into than its ' +
  'time only new other people two may first then do any like my now over such our man me even most made after also did ' +
  'many before must through back years where much your way well down should because each just those how too little state ' +
  'good very make world still own see men work long get here between both life being under never day same another know ' +
  'while last might us great old year off come since against go came right used take three water river table garden ' +
  'window market letter morning evening number question system program data record field value sample corpus filter ' +
  'quality language document pipeline stage worker batch file line text word sentence paragraph reader writer model'
).split(' ');

/**
 * A small, fast 32-bit PRNG (mulberry32). Integer arithmetic only, so every process and machine
 * draws the same sequence from the same seed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes several integers into one 32-bit seed (FNV-1a over their 32-bit words). */
function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p | 0;
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (v & 0xff), 0x01000193);
      v >>>= 8;
    }
  }
  return h >>> 0;
}

/**
 * About `chars` characters of pseudo-English: sentences of 4 to 15 words, capitalised, ending in
 * '.', with the occasional comma, line break or blank line between sentences.
 */
export function syntheticText(rand: () => number, chars: number): string {
  let text = '';
  while (text.length < chars) {
    const n = 4 + Math.floor(rand() * 12);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = WORDS[Math.floor(rand() * WORDS.length)] as string;
      if (i === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      if (i < n - 1 && rand() < 0.08) w += ',';
      words.push(w);
    }
    const r = rand();
    const sep = text === '' ? '' : r < 0.1 ? '\n\n' : r < 0.25 ? '\n' : ' ';
    const sentence = words.join(' ') + '.';
    const room = chars - text.length - sep.length;
    if (room >= sentence.length) {
      text += sep + sentence;
      continue;
    }
    // The last sentence is cut at a word boundary to land near the target instead of a whole sentence past it.
    const cut = sentence.lastIndexOf(' ', Math.max(room - 1, 0));
    if (cut > 0) text += sep + sentence.slice(0, cut).replace(/,$/, '') + '.';
    else if (text === '') text = (words[0] as string).replace(/,$/, '') + '.';
    break;
  }
  return text;
}

/**
 * A diagnostic source stage: `EmptyTask → DocumentBatch[]`, `num_tasks` batches of `docs_per_task`
 * records `{id: "<seed>-<task>-<doc>", text}`. Each batch is drawn from its own seeded generator,
 * so output is byte-identical across runs and processes for the same parameters.
 */
export class SyntheticDocuments extends ProcessingStage<EmptyTask, DocumentBatch> {
  readonly type = 'SyntheticDocuments';
  private readonly opts: SyntheticDocumentsParams;

  constructor(p: SyntheticDocumentsParams, name = 'synthetic_documents') {
    super(p, name);
    this.opts = p;
  }

  process(_task: EmptyTask): DocumentBatch[] {
    const { num_tasks, docs_per_task, chars_per_doc, seed } = this.opts;
    const out: DocumentBatch[] = [];
    for (let t = 0; t < num_tasks; t++) {
      const rand = mulberry32(mixSeed(seed, t));
      const data: DocumentRecord[] = [];
      for (let d = 0; d < docs_per_task; d++) data.push({ id: `${seed}-${t}-${d}`, text: syntheticText(rand, chars_per_doc) });
      out.push(new DocumentBatch({ dataset_name: 'synthetic', data, _metadata: { task_index: t, seed } }));
    }
    return out;
  }
}

registerStage({
  type: 'SyntheticDocuments',
  category: 'diagnostic',
  description: 'Generates deterministic pseudo-English documents (a source stage for tests and benchmarks).',
  params,
  create: (p) => new SyntheticDocuments(p),
});

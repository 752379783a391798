import { writeFile } from 'node:fs/promises';
import { getFastTextModule } from 'fasttext.wasm.js';

/** The part of the WebAssembly binding used to train (fastText's own `train`, single-threaded). */
interface Trainer {
  FS: { writeFile(f: string, d: string): void; readFile(f: string): Uint8Array };
  Args: new () => Record<string, unknown>;
  ModelName: Record<string, unknown>;
  LossName: Record<string, unknown>;
  FastText: new () => { train(args: unknown, progress: () => void): void; saveModel(f: string): void; delete(): void };
}

/** Sentences of well-edited prose and of spam, the two classes of the tiny quality model. */
const HQ = [
  'The committee reviewed the annual report and approved the research budget for the library.',
  'Researchers measured the rainfall in the valley over three decades and published the data.',
  'The museum restored the painting carefully, documenting every layer of varnish it removed.',
  'Students discussed the historical causes of the war and wrote essays on the peace treaty.',
];
const LQ = [
  'click here buy now cheap pills free casino win money lol',
  'best deals!!! free free free subscribe now hot singles click',
  'win big casino bonus click here now limited offer buy cheap',
  'lol omg click this link free gift card buy now now now',
];

/**
 * Trains a small supervised fastText model (labels `__label__hq` and `__label__lq`) with the same
 * WebAssembly build the filters use, and writes it to `file` as a fastText .bin.
 */
export async function trainQualityModel(file: string): Promise<void> {
  const m = (await (getFastTextModule as () => Promise<unknown>)()) as Trainer;
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    for (const s of HQ) lines.push(`__label__hq ${s}`);
    for (const s of LQ) lines.push(`__label__lq ${s}`);
  }
  m.FS.writeFile('/train.txt', lines.join('\n') + '\n');
  const args = new m.Args();
  Object.assign(args, { input: '/train.txt', output: '/quality', model: m.ModelName.supervised, loss: m.LossName.softmax });
  Object.assign(args, { epoch: 25, lr: 0.5, dim: 16, minCount: 1, bucket: 2000, thread: 1, verbose: 0, seed: 1 });
  const ft = new m.FastText();
  ft.train(args, () => {});
  ft.saveModel('/quality.bin');
  await writeFile(file, m.FS.readFile('/quality.bin'));
  ft.delete();
}

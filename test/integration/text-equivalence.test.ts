import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir, readOutput, writePipeline } from './helpers.js';

/**
 * The text library gives the same result on every backend: a pipeline of heuristic filters, a
 * modifier, exact and fuzzy dedup keeps byte-identical documents and removes the same documents for
 * the same reasons on Xenna (streaming and batch), Ray Data and Ray Actor Pool. Dedup keeps the
 * first copy in input order (file path order, then line), whichever batch reached it first.
 */
const BACKENDS: Array<{ label: string; args: string[] }> = [
  { label: 'xenna streaming', args: ['--backend', 'xenna'] },
  { label: 'xenna batch', args: ['--backend', 'xenna', '--config', '{"execution_mode":"batch"}'] },
  { label: 'ray_data', args: ['--backend', 'ray_data'] },
  { label: 'ray_actor_pool', args: ['--backend', 'ray_actor_pool'] },
];

/** A deterministic pseudo-random generator, so the corpus is the same in every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = 'river stone garden window market bread silver morning quiet yellow harbour engine letter forest candle winter summer orange table music paper travel doctor city bridge'.split(' ');

function sentence(r: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
}

let tmp: { dir: string; cleanup: () => void };
/** Every input line in input order (file name order, then line). */
const inputs: Array<{ file: string; line: number; id: string; text: string }> = [];

beforeAll(() => {
  tmp = tempDir('curator-texteq-');
  const r = rng(7);
  const base = Array.from({ length: 40 }, () => `${sentence(r, 60)}.\n\n${sentence(r, 50)}.`);
  mkdirSync(path.join(tmp.dir, 'in'));
  for (let f = 0; f < 4; f++) {
    const file = path.join(tmp.dir, 'in', `part-${f}.jsonl`);
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      const pick = Math.floor(r() * base.length);
      let text = base[pick] as string;
      const roll = r();
      if (roll < 0.15) text = text.replace(/ \w+ /, ' lorem ipsum ');
      else if (roll < 0.25) text = sentence(r, 3);
      else if (roll < 0.35) text = `${text} extra`;
      const id = `p${f}-${i}`;
      lines.push(JSON.stringify({ id, text }));
      inputs.push({ file, line: i + 1, id, text });
    }
    writeFileSync(file, lines.join('\n') + '\n');
  }
});
afterAll(() => tmp.cleanup());

function pipeline(label: string): string {
  const slug = label.replace(/ /g, '-');
  return writePipeline(path.join(tmp.dir, `${slug}.yaml`), {
    name: `text-eq-${slug}`,
    stages: [
      { stage: 'JsonlReader', params: { file_paths: './in', files_per_partition: 1 } },
      { stage: 'ScoreFilter', params: { filter: [{ type: 'WordCountFilter', min_words: 10 }, { type: 'MeanWordLengthFilter' }], score_field: ['word_count', 'mean_word_length'] } },
      { stage: 'AddId', params: { id_field: 'row_id', id_prefix: 'eq' } },
      { stage: 'Score', params: { filter: { type: 'TokenCountFilter', min_tokens: 1 }, score_field: 'tokens' } },
      { stage: 'Filter', params: { filter: { type: 'TokenCountFilter', min_tokens: 12 }, filter_field: 'tokens' } },
      { stage: 'Modify', params: { modifier: [{ type: 'UnicodeReformatter' }, { type: 'NewlineNormalizer' }] } },
      { stage: 'ScoreFilter', name: 'language', params: { filter: { type: 'FastTextLangId', lang: 'en', min_langid_score: 0.1 }, score_field: 'language' } },
      { stage: 'ExactDuplicates', params: { id_field: 'id', removed_path: `./removed-${slug}` } },
      { stage: 'FuzzyDuplicates', params: { id_field: 'id', removed_path: `./removed-${slug}`, jaccard_threshold: 0.5 } },
      { stage: 'JsonlWriter', params: { path: `./out-${slug}`, mode: 'overwrite' } },
    ],
  });
}

const results: Record<string, { docs: string[]; reasons: Record<string, Record<string, number>>; removed: Array<Record<string, unknown>> }> = {};

describe('the text library on every backend', () => {
  for (const b of BACKENDS) {
    it(`runs on ${b.label}`, async () => {
      const r = await runCli(['run', pipeline(b.label), '--json', '--cpus', '4', ...b.args]);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { status: string; stages: Array<{ name: string; removed?: { reasons: Record<string, number> } }> };
      expect(summary.status).toBe('succeeded');
      const slug = b.label.replace(/ /g, '-');
      const docs = readOutput(path.join(tmp.dir, `out-${slug}`)).records.map((d) => JSON.stringify(d)).sort();
      const reasons: Record<string, Record<string, number>> = {};
      for (const s of summary.stages) if (s.removed) reasons[s.name] = s.removed.reasons;
      const dir = path.join(tmp.dir, `removed-${slug}`);
      const removed = readdirSync(dir).flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>));
      results[b.label] = { docs, reasons, removed };
    });
  }

  it('keeps and removes the same documents for the same reasons everywhere', () => {
    const labels = Object.keys(results);
    expect(labels.length).toBe(BACKENDS.length);
    const first = results[labels[0] as string]!;
    expect(first.docs.length).toBeGreaterThan(10);
    expect(Object.keys(first.reasons).length).toBeGreaterThan(0);
    // The planted near-copies (a word changed, a word added) are caught by fuzzy dedup.
    expect(first.reasons['fuzzy_duplicates_remove']?.['fuzzy_duplicate']).toBeGreaterThan(3);
    for (const l of labels.slice(1)) {
      expect(results[l]!.docs, l).toEqual(first.docs);
      expect(results[l]!.reasons, l).toEqual(first.reasons);
    }
  });

  it('keeps the first copy in input order and names it in every removed document', () => {
    const run = results['xenna streaming']!;
    const dupRemoved = run.removed.filter((d) => (d['_curator_removed'] as { reason: string }).reason === 'exact_duplicate');
    expect(dupRemoved.length).toBeGreaterThan(5);
    const byId = new Map(inputs.map((x) => [x.id, x]));
    const removedExact = new Set(dupRemoved.map((d) => d['id'] as string));
    // Every document is either kept by exact dedup or removed by it (the fuzzy stage then sees the kept ones).
    const keptExact = new Set(inputs.map((x) => x.id).filter((id) => !removedExact.has(id)));
    for (const d of dupRemoved) {
      const info = d['_curator_removed'] as { duplicate_of: string; duplicate_of_id: string };
      const keptDoc = byId.get(info.duplicate_of_id)!;
      const me = byId.get(d['id'] as string)!;
      expect(keptDoc.text).toBe(me.text);
      expect(keptExact.has(info.duplicate_of_id)).toBe(true);
      expect(info.duplicate_of).toBe(`${keptDoc.file}:${keptDoc.line}`);
      // The kept copy comes first in input order.
      expect(keptDoc.file < me.file || (keptDoc.file === me.file && keptDoc.line < me.line)).toBe(true);
    }
  });
});

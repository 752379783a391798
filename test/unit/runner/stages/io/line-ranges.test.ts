import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { byteRanges, splitLines, type ByteRange } from '../../../../../runner/stages/io/line-ranges.js';
import { countLineFeeds, plainChunks } from '../../../../../runner/stages/io/byte-source.js';
import { useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d), { perFile: true });

/** A small deterministic random generator, so that a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Chunks of `bytes` from `from`, of random sizes (1 byte upwards), as a reader would deliver them. */
async function* chunksOf(bytes: Buffer, from: number, rand: () => number): AsyncGenerator<Buffer> {
  let pos = from;
  while (pos < bytes.length) {
    const n = 1 + Math.floor(rand() * 40);
    yield bytes.subarray(pos, pos + n);
    pos += n;
  }
}

/** Every line a range hands over: its text and offset. */
async function readRange(bytes: Buffer, range: ByteRange | null, rand: () => number): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  const from = range && range.start > 0 ? range.start - 1 : 0;
  await splitLines(chunksOf(bytes, from, rand), range, (buf, a, b, offset) => out.push([buf.toString('utf8', a, b), offset]));
  return out;
}

/** Random cut points over [0, size), sorted, always covering the whole file. */
function randomRanges(size: number, rand: () => number): ByteRange[] {
  const cuts = new Set<number>([0, size]);
  const n = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) cuts.add(Math.floor(rand() * (size + 1)));
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((start, i) => ({ start, end: sorted[i + 1] as number }));
}

const CASES: Record<string, string> = {
  'plain lines': '{"a":1}\n{"a":2}\n{"a":3}\n',
  'CRLF line ends': '{"a":1}\r\n{"a":2}\r\n\r\n{"a":3}\r\n',
  'no final newline': '{"a":1}\n{"a":2}\n{"a":3}',
  'byte-order mark': '\ufeff{"a":1}\n{"a":2}\n',
  'blank lines': '\n\n{"a":1}\n\n  \n{"a":2}\n\n',
  'multibyte characters everywhere': '{"t":"été ✓ 東京 😀"}\n{"t":"ü"}\n😀😀😀\n{"t":"ß"}',
  'one long line': 'x'.repeat(500) + '\n' + 'y'.repeat(3),
  'only newlines': '\n\n\n',
  empty: '',
};

describe('splitLines over byte ranges', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`reads every line exactly once across random ranges: ${name}`, async () => {
      const bytes = Buffer.from(text, 'utf8');
      const whole = await readRange(bytes, null, rng(1));
      // The whole-file reading is the reference: the lines split on LF, CR dropped before LF.
      const expected = text === '' ? [] : text.split('\n').map((l) => l.replace(/\r$/, ''));
      if (text.endsWith('\n')) expected.pop();
      expect(whole.map(([l]) => l)).toEqual(expected);
      for (let seed = 1; seed <= 60; seed++) {
        const rand = rng(seed);
        const ranges = randomRanges(bytes.length, rand);
        const pieces: Array<[string, number]> = [];
        for (const r of ranges) {
          const got = await readRange(bytes, r, rand);
          for (const [, offset] of got) {
            expect(offset, `seed ${seed}, range ${JSON.stringify(r)}`).toBeGreaterThanOrEqual(r.start);
            expect(offset, `seed ${seed}, range ${JSON.stringify(r)}`).toBeLessThan(r.end);
          }
          pieces.push(...got);
        }
        expect(pieces, `seed ${seed}, ranges ${JSON.stringify(ranges)}`).toEqual(whole);
      }
    });
  }

  it('gives each line the byte offset at which it starts', async () => {
    const text = 'ab\r\nécu\n\nz';
    const got = await readRange(Buffer.from(text), null, rng(3));
    expect(got).toEqual([
      ['ab', 0],
      ['écu', 4],
      ['', 9],
      ['z', 10],
    ]);
  });

  it('a range that ends inside a line still finishes it, and the next range skips it', async () => {
    const bytes = Buffer.from('aaaa\nbbbb\ncccc\n');
    expect(await readRange(bytes, { start: 0, end: 7 }, rng(1))).toEqual([
      ['aaaa', 0],
      ['bbbb', 5],
    ]);
    expect(await readRange(bytes, { start: 7, end: 15 }, rng(1))).toEqual([['cccc', 10]]);
    // A range starting exactly at a line start owns that line.
    expect(await readRange(bytes, { start: 5, end: 6 }, rng(1))).toEqual([['bbbb', 5]]);
    // A range inside one line owns nothing.
    expect(await readRange(bytes, { start: 6, end: 9 }, rng(1))).toEqual([]);
  });

  it('reads ranges of a real file through plainChunks', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, t: 'ü'.repeat(i % 13) }));
    const file = join(dir, 'real.jsonl');
    await writeFile(file, lines.join('\n') + '\n');
    const size = Buffer.byteLength(lines.join('\n') + '\n');
    const got: string[] = [];
    for (const r of byteRanges(size, 997)) {
      await splitLines(plainChunks(file, r.start > 0 ? r.start - 1 : 0, 64), r, (buf, a, b) => got.push(buf.toString('utf8', a, b)));
    }
    expect(got).toEqual(lines);
  });
});

describe('byteRanges', () => {
  it('covers [0, size) with about size/target ranges of nearly equal length', () => {
    for (const [size, target] of [
      [1000, 100],
      [1001, 100],
      [5, 100],
      [7, 1],
      [3 * 2 ** 30, 64 * 2 ** 20],
    ] as const) {
      const ranges = byteRanges(size, target);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(size);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.start).toBe(ranges[i - 1]?.end);
      expect(ranges.length).toBe(Math.ceil(size / target));
      const lengths = ranges.map((r) => r.end - r.start);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    }
  });
});

describe('countLineFeeds', () => {
  it('counts the line feeds before a byte offset', async () => {
    const file = join(dir, 'count.txt');
    await writeFile(file, 'a\nb\n\nc\nd');
    expect(await countLineFeeds(file, 0)).toBe(0);
    expect(await countLineFeeds(file, 2)).toBe(1);
    expect(await countLineFeeds(file, 5)).toBe(3);
    expect(await countLineFeeds(file, 100)).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_PIECE_BYTES, DEFAULT_SPLIT_THRESHOLD, planPartitions, rowGroupRuns, splitSizes, type FilePiece } from '../../../../../runner/stages/io/partition-plan.js';
import { byteRanges } from '../../../../../runner/stages/io/line-ranges.js';

const MiB = 2 ** 20;

/** Byte-range pieces of a file of `size` bytes at the given target, as the JSONL partitioner makes them. */
function rangesOf(size: number, target: number): FilePiece[] {
  return byteRanges(size, target).map((byte_range) => ({ byte_range }));
}

describe('splitSizes', () => {
  it('splits files over 16 MiB into ~8 MiB pieces by default, and files over blocksize into ~blocksize pieces', () => {
    expect(splitSizes(null)).toEqual({ threshold: 16 * MiB, target: 8 * MiB });
    expect([DEFAULT_SPLIT_THRESHOLD, DEFAULT_PIECE_BYTES]).toEqual([16 * MiB, 8 * MiB]);
    expect(splitSizes(1000)).toEqual({ threshold: 1000, target: 1000 });
    // A 3 GiB file by default: 384 ranges of 8 MiB.
    expect(rangesOf(3 * 1024 * MiB, splitSizes(null).target)).toHaveLength(384);
  });
});

describe('planPartitions', () => {
  const files = [
    { path: '/d/a.jsonl', size: 10 },
    { path: '/d/b.jsonl', size: 300 },
    { path: '/d/c.jsonl', size: 20 },
    { path: '/d/d.jsonl', size: 30 },
  ];
  const pieces = new Map([['/d/b.jsonl', rangesOf(300, 100)]]);

  it('count mode: slices of whole files in path order, a split file\u2019s pieces in its place', () => {
    const plan = planPartitions(files, pieces, { blocksize: null, filesPerPartition: 2 });
    expect(plan).toEqual([
      { files: ['/d/b.jsonl'], piece: { byte_range: { start: 0, end: 100 } } },
      { files: ['/d/b.jsonl'], piece: { byte_range: { start: 100, end: 200 } } },
      { files: ['/d/b.jsonl'], piece: { byte_range: { start: 200, end: 300 } } },
      { files: ['/d/a.jsonl', '/d/c.jsonl'] },
      { files: ['/d/d.jsonl'] },
    ]);
    expect(planPartitions(files, pieces, { blocksize: null, filesPerPartition: 1 }).map((p) => p.files[0])).toEqual(['/d/a.jsonl', '/d/b.jsonl', '/d/b.jsonl', '/d/b.jsonl', '/d/c.jsonl', '/d/d.jsonl']);
  });

  it('blocksize mode: whole files grouped greedily by size (NeMo Curator), then the pieces', () => {
    const plan = planPartitions(files, pieces, { blocksize: 40, filesPerPartition: 1 });
    expect(plan.map((p) => p.files)).toEqual([['/d/a.jsonl', '/d/c.jsonl'], ['/d/d.jsonl'], ['/d/b.jsonl'], ['/d/b.jsonl'], ['/d/b.jsonl']]);
  });

  it('a file with a single piece counts as whole', () => {
    const one = new Map([['/d/b.jsonl', rangesOf(300, 1000)]]);
    expect(planPartitions(files, one, { blocksize: null, filesPerPartition: 4 })).toEqual([{ files: files.map((f) => f.path) }]);
  });
});

describe('rowGroupRuns', () => {
  it('groups consecutive row groups up to the target, with their row span', () => {
    const groups = [
      { bytes: 40, rows: 4 },
      { bytes: 40, rows: 4 },
      { bytes: 40, rows: 4 },
      { bytes: 250, rows: 25 },
      { bytes: 10, rows: 1 },
    ];
    expect(rowGroupRuns(groups, 100)).toEqual([
      { start: 0, end: 2, row_start: 0, row_end: 8 },
      { start: 2, end: 3, row_start: 8, row_end: 12 },
      { start: 3, end: 4, row_start: 12, row_end: 37 },
      { start: 4, end: 5, row_start: 37, row_end: 38 },
    ]);
    expect(rowGroupRuns(groups, 10_000)).toEqual([{ start: 0, end: 5, row_start: 0, row_end: 38 }]);
    expect(rowGroupRuns([], 100)).toEqual([]);
  });
});

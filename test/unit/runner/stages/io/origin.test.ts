import { describe, expect, it } from 'vitest';
import { byteOrigin, lineOrigin, parseOrigin } from '../../../../../runner/stages/io/origin.js';

describe('parseOrigin', () => {
  it('splits every form the readers write into path and position', () => {
    expect(parseOrigin('/data/a.jsonl:12')).toEqual({ path: '/data/a.jsonl', position: 12 });
    expect(parseOrigin('/data/a.jsonl@4096')).toEqual({ path: '/data/a.jsonl', position: 4096 });
    expect(parseOrigin('/data/rows.parquet:1')).toEqual({ path: '/data/rows.parquet', position: 1 });
    expect(parseOrigin(lineOrigin('/x/y.jsonl', 7))).toEqual({ path: '/x/y.jsonl', position: 7 });
    expect(parseOrigin(byteOrigin('/x/y.jsonl', 0))).toEqual({ path: '/x/y.jsonl', position: 0 });
  });

  it('takes the last separator, so paths may hold ":" and "@"', () => {
    expect(parseOrigin('/data/user@host:9/file:name.jsonl:3')).toEqual({ path: '/data/user@host:9/file:name.jsonl', position: 3 });
    expect(parseOrigin('/a@b/c.jsonl@17')).toEqual({ path: '/a@b/c.jsonl', position: 17 });
  });

  it('returns null without a trailing number or path', () => {
    for (const bad of ['', '/data/a.jsonl', '/data/a.jsonl:', '/data/a.jsonl:x1', ':5', '@5', '/a:99999999999999999999']) expect(parseOrigin(bad), bad).toBeNull();
  });

  it('orders the documents of one file by position, in file order, for both forms', () => {
    const lines = ['/f.jsonl:10', '/f.jsonl:9', '/f.jsonl:100', '/f.jsonl:2'].map((o) => parseOrigin(o)?.position);
    expect([...lines].sort((a, b) => (a as number) - (b as number))).toEqual([2, 9, 10, 100]);
    const bytes = [byteOrigin('/f.jsonl', 70_000), byteOrigin('/f.jsonl', 9), byteOrigin('/f.jsonl', 800)].map((o) => parseOrigin(o)?.position);
    expect([...bytes].sort((a, b) => (a as number) - (b as number))).toEqual([9, 800, 70_000]);
  });
});

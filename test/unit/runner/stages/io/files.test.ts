import { describe, expect, it } from 'vitest';
import { matchesExtension, normalizeExtensions, parseByteSize } from '../../../../../runner/stages/io/files.js';

describe('parseByteSize', () => {
  it('reads decimal and binary units, case-insensitively', () => {
    expect(parseByteSize('256MB')).toBe(256_000_000);
    expect(parseByteSize('1GiB')).toBe(2 ** 30);
    expect(parseByteSize('1.5 kib')).toBe(1536);
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('2k')).toBe(2000);
    expect(parseByteSize(' 10 B ')).toBe(10);
    expect(parseByteSize(123.9)).toBe(123);
  });

  it('refuses what is not a size of at least one byte', () => {
    for (const bad of ['', 'MB', '12 parsecs', '-5MB', '0', '0.1b', '1e6']) expect(parseByteSize(bad)).toBeNull();
    expect(parseByteSize(0)).toBeNull();
    expect(parseByteSize(Number.NaN)).toBeNull();
  });
});

describe('matchesExtension', () => {
  it('matches directly and through .gz / .zst, ignoring case', () => {
    expect(matchesExtension('/d/a.jsonl', ['.jsonl'])).toBe(true);
    expect(matchesExtension('/d/a.JSONL.GZ', ['.jsonl'])).toBe(true);
    expect(matchesExtension('/d/a.json.zst', ['json'])).toBe(true);
    expect(matchesExtension('/d/a.txt.gz', ['.jsonl'])).toBe(false);
    expect(matchesExtension('/d/a.jsonl.bak', ['.jsonl'])).toBe(false);
    expect(matchesExtension('/d/a.gz', ['.gz'])).toBe(true);
    expect(matchesExtension('/d/anything', [])).toBe(true);
  });

  it('normalises extensions to lower case with a leading dot', () => {
    expect(normalizeExtensions(['JSONL', '.Json'])).toEqual(['.jsonl', '.json']);
  });
});

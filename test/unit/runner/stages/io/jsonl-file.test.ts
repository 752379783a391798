import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readJsonlFile, InvalidJsonLineError, type JsonlReadOptions } from '../../../../../runner/stages/io/jsonl-file.js';
import { byteRanges } from '../../../../../runner/stages/io/line-ranges.js';
import { zstdDecoder } from '../../../../../runner/stages/io/byte-source.js';
import type { DocumentRecord } from '../../../../../runner/pipeline/tasks.js';
import { jsonl, useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d));

/**
 * Two zstd frames made by the zstd command-line tool (level 19, real compressed blocks), holding
 * 40 lines `{"id":i,"text":"zstd line i ..."}`; concatenated frames, as `pzstd` and `cat` produce.
 */
const ZSTD_TWO_FRAMES =
  'KLUv/WRJAtUEAAKFERXAPf//zh5ZzoEpb63eZVmW1JyocVillPL//////////0+ePGNrKZVSQOgcY0oBWmzew3PhQ6RyBmgrFk3YG60Y3wSUIgcsqFHk7f8Z0GIqmAdRhIYwIzBGGWXAyx1ofnaKc2yqpskEZr9US70SlHtSJZmRhsyjOpqNYKwBSJiPaiCidTBC2DEw4wr2jzlsqorytIuuVQX8oPe6KLUv/WQNAjUEAAIGFBXAPf//zh5ZzoEpb63eZVnSlJ365VjkkMPYr6XUp/QI/fnz///mzZcvT548Y2YtpUJKAaFz/oEWm/fw3HPBmBCpnAHaikUT9kYrhjFNQClyJ6hBdH3/38AzdUEEDkM4I2ACxO1w1hdT+ahEd7p0obLPEGhRPPNAj4MPEedGIP6wYFcBrKCUMw==';

/** A zstd frame of raw (stored) blocks of at most 100 kB: valid zstd that any decoder must read. */
function zstdRawFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])]; // magic; no checksum; 128 KiB window
  const B = 100_000;
  for (let i = 0; i === 0 || i < data.length; i += B) {
    const block = data.subarray(i, i + B);
    const header = (i + B >= data.length ? 1 : 0) | (block.length << 3); // last flag, type 0 (raw), size
    parts.push(Buffer.from([header & 255, (header >> 8) & 255, (header >> 16) & 255]), block);
  }
  return Buffer.concat(parts);
}

async function read(file: string, opts: JsonlReadOptions = {}): Promise<{ records: DocumentRecord[]; stats: Awaited<ReturnType<typeof readJsonlFile>> }> {
  const records: DocumentRecord[] = [];
  const stats = await readJsonlFile(file, records, opts);
  return { records, stats };
}

describe('readJsonlFile: compressed input', () => {
  it(`reads multi-frame .zst made by the zstd tool (decoder here: ${zstdDecoder()})`, async () => {
    const f = join(dir, 'a.jsonl.zst');
    await writeFile(f, Buffer.from(ZSTD_TWO_FRAMES, 'base64'));
    const { records } = await read(f);
    expect(records.map((r) => r['id'])).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(records[39]?.['text']).toMatch(/^zstd line 40 .*✓$/);
    expect(records[0]?.['_curator_origin']).toBe(`${f}:1`);
  });

  it('reads a large .zst of many blocks and frames, lines spanning blocks, the same as the plain text', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => ({ i, t: `line ${i} ` + 'é'.repeat(i % 17) }));
    const text = Buffer.from(jsonl(lines));
    const half = text.indexOf(10, text.length >> 1) + 1;
    const f = join(dir, 'big.jsonl.zst');
    await writeFile(f, Buffer.concat([zstdRawFrame(text.subarray(0, half - 7)), zstdRawFrame(text.subarray(half - 7))]));
    const { records } = await read(f, { fields: ['i', 't'] });
    expect(records.map(({ _curator_origin: _o, ...r }) => r)).toEqual(lines);
    expect(records[19_999]?.['_curator_origin']).toBe(`${f}:20000`);
  });

  it('reads multi-member .gz and names the file of a corrupt one', async () => {
    const f = join(dir, 'a.jsonl.gz');
    await writeFile(f, Buffer.concat([gzipSync(jsonl([{ id: 1 }])), gzipSync(jsonl([{ id: 2 }]))]));
    expect((await read(f)).records.map((r) => r['id'])).toEqual([1, 2]);
    const bad = join(dir, 'bad.jsonl.zst');
    await writeFile(bad, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
    await expect(read(bad)).rejects.toThrow(bad);
  });

  it('refuses to read a compressed file by byte range', async () => {
    const f = join(dir, 'a.jsonl.gz');
    await writeFile(f, gzipSync(jsonl([{ id: 1 }])));
    await expect(read(f, { range: { start: 5, end: 10 } })).rejects.toThrow(/cannot be read from byte 4/);
  });
});

describe('readJsonlFile: malformed lines', () => {
  const body = ['{"id":1}', '{"id":2', '', '[1,2]', '{"id":3}', 'not json', '{"id":4}'].join('\n') + '\n';

  it('fails by default on the first malformed line, naming file and line', async () => {
    const f = join(dir, 'bad.jsonl');
    await writeFile(f, body);
    const err = await read(f).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidJsonLineError);
    expect((err as Error).message).toMatch(new RegExp(`^${escape(f)}:2: invalid JSON \\(.+\\)$`));
  });

  it('on_error skip leaves malformed lines out, counts them and describes the first few', async () => {
    const f = join(dir, 'bad.jsonl');
    await writeFile(f, body);
    const { records, stats } = await read(f, { onError: 'skip', maxSamples: 2 });
    expect(records.map((r) => r['id'])).toEqual([1, 3, 4]);
    expect(stats.invalidJsonLines).toBe(3);
    expect(stats.skippedSamples).toHaveLength(2);
    expect(stats.skippedSamples[0]).toMatch(new RegExp(`^${escape(f)}:2: `));
    expect(stats.skippedSamples[1]).toBe(`${f}:4: expected an object per line, got an array`);
    expect(records.map((r) => r['_curator_origin'])).toEqual([`${f}:1`, `${f}:5`, `${f}:7`]);
  });

  it('reports the true line number of a malformed line in a range that starts mid-file, with its byte offset', async () => {
    const good = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i }));
    good[876] = '{"broken": ';
    const f = join(dir, 'split.jsonl');
    await writeFile(f, good.join('\n') + '\n');
    const offset = Buffer.byteLength(good.slice(0, 876).join('\n') + '\n');
    const range = { start: offset - 30, end: offset + 100 };
    await expect(read(f, { range })).rejects.toThrow(`${f}:877 (byte offset ${offset}): invalid JSON (`);
    const skipped = await read(f, { range, onError: 'skip' });
    expect(skipped.stats.invalidJsonLines).toBe(1);
    expect(skipped.stats.skippedSamples[0]).toContain(`${f} at byte offset ${offset} (line number not counted in a split file)`);
  });

  it('replaces invalid UTF-8 with U+FFFD and counts the lines', async () => {
    const f = join(dir, 'latin1.jsonl');
    const bad = Buffer.concat([Buffer.from('{"t":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]); // Latin-1 é
    const cut = Buffer.concat([Buffer.from('{"t":"x'), Buffer.from([0xe2, 0x9c]), Buffer.from('"}\n')]); // truncated ✓
    await writeFile(f, Buffer.concat([Buffer.from('{"t":"ok ✓"}\n'), bad, cut, bad]));
    const { records, stats } = await read(f);
    expect(records.map((r) => r['t'])).toEqual(['ok ✓', 'caf\ufffd', 'x\ufffd', 'caf\ufffd']);
    expect(stats.invalidUtf8Lines).toBe(3);
  });
});

describe('readJsonlFile: origins', () => {
  it('whole files: <path>:<line>, counting blank lines, a BOM and CRLF', async () => {
    const f = join(dir, 'o.jsonl');
    await writeFile(f, '\ufeff{"a":1}\r\n\r\n{"a":2}\r\n   \n{"a":3}');
    const { records } = await read(f);
    expect(records).toEqual([
      { a: 1, _curator_origin: `${f}:1` },
      { a: 2, _curator_origin: `${f}:3` },
      { a: 3, _curator_origin: `${f}:5` },
    ]);
  });

  it('byte ranges: <path>@<offset of the line>, the same documents in the same order as the whole file', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ i, t: '東'.repeat(i % 7) }));
    const f = join(dir, 'r.jsonl');
    const text = lines.join('\n') + '\n';
    await writeFile(f, text);
    const whole = (await read(f)).records;
    const pieces: DocumentRecord[] = [];
    for (const range of byteRanges(Buffer.byteLength(text), 1234)) pieces.push(...(await read(f, { range })).records);
    const strip = (r: DocumentRecord) => ({ ...r, _curator_origin: undefined });
    expect(pieces.map(strip)).toEqual(whole.map(strip));
    let offset = 0;
    lines.forEach((l, i) => {
      expect(pieces[i]?.['_curator_origin']).toBe(`${f}@${offset}`);
      offset += Buffer.byteLength(l) + 1;
    });
  });

  it('keeps the origin when fields are selected', async () => {
    const f = join(dir, 'f.jsonl');
    await writeFile(f, jsonl([{ a: 1, b: 2 }]));
    expect((await read(f, { fields: ['b'] })).records).toEqual([{ b: 2, _curator_origin: `${f}:1` }]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

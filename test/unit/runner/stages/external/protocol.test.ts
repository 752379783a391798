import { describe, it, expect } from 'vitest';
import { batchMessage, encodeLine, helloMessage, parseBatchReply, parseReady, ProtocolError, PROTOCOL_VERSION } from '../../../../../runner/stages/external/protocol.js';

describe('CommandStage protocol messages', () => {
  it('writes hello and batch messages as single JSON lines', () => {
    const hello = helloMessage({ stage: 's', worker_id: 's#0', text_field: 'text', resources: { cpus: 1, gpus: 0.5, gpu_memory_gb: 0 }, gpu_devices: ['GPU-1'], gpu_fraction: 0.5, params: { model: 'm' } });
    const line = encodeLine(hello);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ type: 'hello', protocol: PROTOCOL_VERSION, stage: 's', worker_id: 's#0', text_field: 'text', resources: { cpus: 1, gpus: 0.5, gpu_memory_gb: 0 }, gpu_devices: ['GPU-1'], gpu_fraction: 0.5, params: { model: 'm' } });
    const batch = encodeLine(batchMessage(3, [{ text: 'a\nb' }]));
    expect(batch.split('\n')).toHaveLength(2);
    expect(JSON.parse(batch)).toEqual({ type: 'batch', id: 3, documents: [{ text: 'a\nb' }] });
  });

  it('names the batch when a document cannot be written as JSON', () => {
    expect(() => encodeLine(batchMessage(7, [{ n: 1n }]))).toThrow(/batch 7 cannot be written as JSON/);
  });
});

describe('parsing the program\u2019s answers', () => {
  it('accepts ready with extra information and checks the protocol version', () => {
    expect(parseReady('{"type":"ready"}')).toEqual({ type: 'ready', info: {} });
    expect(parseReady('{"type":"ready","model":"x","protocol":1}').info).toEqual({ model: 'x', protocol: 1 });
    expect(() => parseReady('{"type":"ready","protocol":2}')).toThrow(/protocol 2, this runner speaks protocol 1/);
    expect(() => parseReady('{"type":"result","id":0,"documents":[]}')).toThrow(/answered hello with a "result"/);
  });

  it('accepts a result with removed documents, and an error line', () => {
    const r = parseBatchReply('{"type":"result","id":2,"documents":[{"a":1}],"removed":[{"document":{"b":2},"reason":"Short","detail":{"score":0.1}},{"document":{"c":3}}]}', 2);
    expect(r).toEqual({ type: 'result', id: 2, documents: [{ a: 1 }], removed: [{ document: { b: 2 }, reason: 'Short', detail: { score: 0.1 } }, { document: { c: 3 }, reason: '' }] });
    expect(parseBatchReply('{"type":"error","id":2,"message":"CUDA out of memory"}', 2)).toEqual({ type: 'error', id: 2, message: 'CUDA out of memory' });
  });

  it.each([
    ['not JSON', 'loading model...', /not JSON: "loading model\.\.\."; only protocol lines may go to standard output/],
    ['not an object', '[1,2]', /not a message object with a "type"/],
    ['a wrong id', '{"type":"result","id":4,"documents":[]}', /answered batch 5 with a "result" for id 4/],
    ['a wrong type', '{"type":"ready"}', /answered batch 5 with a "ready" message/],
    ['no documents', '{"type":"result","id":5}', /result for batch 5 has no "documents" list/],
    ['a non-object document', '{"type":"result","id":5,"documents":[{"a":1},"x"]}', /documents\[1\] is not an object/],
    ['a malformed removed entry', '{"type":"result","id":5,"documents":[],"removed":[{"reason":"x"}]}', /removed\[0\] must be/],
    ['an empty reason', '{"type":"result","id":5,"documents":[],"removed":[{"document":{},"reason":""}]}', /removed\[0\]\.reason must be a non-empty string/],
  ])('rejects %s', (_what, line, message) => {
    expect(() => parseBatchReply(line, 5)).toThrow(ProtocolError);
    expect(() => parseBatchReply(line, 5)).toThrow(message);
  });

  it('clips a long garbage line in the message', () => {
    const err = (() => {
      try {
        parseBatchReply('x'.repeat(5000), 1);
      } catch (e: unknown) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message.length).toBeLessThan(400);
    expect(err?.message).toContain('(5000 characters)');
  });
});

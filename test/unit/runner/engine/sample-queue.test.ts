import { describe, it, expect } from 'vitest';
import { SampleQueue } from '../../../../runner/engine/sample-queue.js';

describe('SampleQueue', () => {
  it('is first in, first out across compactions', () => {
    const q = new SampleQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    expect(q.take(3000)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.drain()[0]).toBe(3000);
    expect(q.length).toBe(0);
  });
  it('keeps the summed weight of what it holds', () => {
    const q = new SampleQueue<string>((s) => s.length);
    q.push('aa', 'bbb', 'c');
    expect(q.bytes).toBe(6);
    q.take(1);
    expect(q.bytes).toBe(4);
    for (let i = 0; i < 3000; i++) q.push('xy');
    q.take(2001);
    expect(q.bytes).toBe(2 * 1001);
    q.drain();
    expect(q.bytes).toBe(0);
    expect(new SampleQueue<string>().bytes).toBe(0);
  });
});

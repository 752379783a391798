/**
 * A FIFO of samples with O(1) amortised push and take from the front, for the per-stage queues
 * that may hold hundreds of thousands of small tasks.
 */
export class SampleQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(...values: T[]): void {
    for (const v of values) this.items.push(v);
  }

  /** Removes and returns up to `n` samples from the front. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end);
    this.head = end;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Everything still queued, in order, leaving the queue empty. */
  drain(): T[] {
    return this.take(this.length);
  }
}

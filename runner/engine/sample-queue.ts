/**
 * A FIFO of samples with O(1) amortised push and take from the front, for the per-stage queues
 * that may hold hundreds of thousands of small tasks.
 */
export class SampleQueue<T> {
  private items: T[] = [];
  private head = 0;
  private weights: number[] = [];
  private total = 0;

  /** `weigh` gives each sample a size (bytes of data) so that `bytes` can bound a queue by memory. */
  constructor(private readonly weigh?: (v: T) => number) {}

  /** The summed weight of the queued samples (0 without a weigh function). */
  get bytes(): number {
    return this.total;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(...values: T[]): void {
    for (const v of values) {
      this.items.push(v);
      if (this.weigh) {
        const w = this.weigh(v);
        this.weights.push(w);
        this.total += w;
      }
    }
  }

  /** Removes and returns up to `n` samples from the front. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end);
    if (this.weigh) for (let i = this.head; i < end; i++) this.total -= this.weights[i] as number;
    // Drop the queue's references to what it handed out: a task holding megabytes of documents must
    // be collectable as soon as its consumer is done with it, not when the array is next compacted.
    this.items.fill(undefined as T, this.head, end);
    this.head = end;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      if (this.weigh) this.weights = this.weights.slice(this.head);
      this.head = 0;
    }
    if (this.length === 0) this.total = 0;
    return out;
  }

  /** Everything still queued, in order, leaving the queue empty. */
  drain(): T[] {
    return this.take(this.length);
  }
}

import { connect, type Socket } from 'node:net';

/** Where a gang member finds its peers: `WorkerMetadata`'s rank, world_size and rendezvous fields. */
export interface GangMembership {
  rank: number;
  world_size: number;
  /** `"host:port/token"` from the engine's Rendezvous; may be absent when world_size is 1. */
  rendezvous?: string;
}

interface Waiter {
  resolve(msg: Record<string, unknown>): void;
  reject(err: Error): void;
}

/**
 * The stage side of a gang ("RAFT actor") stage: collectives among the N workers that the engine
 * started together, through the engine's Rendezvous (see rendezvous.ts for the wire protocol).
 * Every rank must make the same sequence of collective calls; the k-th call of each rank pairs
 * with the k-th call of the others. Values travel as JSON, so `allgather` returns plain data
 * (`undefined` becomes null, class instances lose their prototype) — the same on every rank and,
 * through a JSON round trip, also with world size 1.
 *
 * With world size 1 and no rendezvous address the client works locally, without a socket.
 */
export class GangClient {
  readonly rank: number;
  readonly worldSize: number;
  private readonly socket: Socket | null;
  private readonly waiting = new Map<number, Waiter>();
  private seq = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(rank: number, worldSize: number, socket: Socket | null) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.socket = socket;
  }

  /** Joins the gang; resolves once the rendezvous has accepted this rank. */
  static async connect(meta: GangMembership): Promise<GangClient> {
    const { rank, world_size: worldSize, rendezvous } = meta;
    if (!Number.isInteger(worldSize) || worldSize < 1) throw new Error(`gang: world_size must be a whole number >= 1, got ${worldSize}`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new Error(`gang: rank must be a whole number in 0..${worldSize - 1}, got ${rank}`);
    if (!rendezvous) {
      if (worldSize === 1) return new GangClient(0, 1, null);
      throw new Error(`gang: rank ${rank} of ${worldSize} has no rendezvous address`);
    }
    const m = /^(.+):(\d+)\/(\S+)$/.exec(rendezvous);
    if (!m) throw new Error(`gang: malformed rendezvous address "${rendezvous}" (expected host:port/token)`);
    const [, host, port, token] = m as unknown as [string, string, string, string];
    const socket = connect({ host, port: Number(port) });
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    const client = new GangClient(rank, worldSize, socket);
    await new Promise<void>((resolve, reject) => {
      // Seq 0 stands for the join handshake.
      client.waiting.set(0, { resolve: () => resolve(), reject });
      client.listen();
      socket.once('connect', () => socket.write(JSON.stringify({ op: 'hello', rank, world_size: worldSize, token }) + '\n'));
    });
    return client;
  }

  /** Every rank's value, indexed by rank. */
  async allgather<T>(value: T): Promise<T[]> {
    if (!this.socket) {
      this.usable();
      return [jsonCopy(value) as T];
    }
    const reply = await this.call({ op: 'allgather', value: value === undefined ? null : value });
    const values = reply.values;
    if (!Array.isArray(values) || values.length !== this.worldSize) throw new Error(`gang: malformed allgather reply for rank ${this.rank}`);
    return values as T[];
  }

  /**
   * Element-wise sum of every rank's vector. The vectors are gathered and each element is summed in
   * rank order (rank 0 first), so every rank gets bit-identical results. All ranks must pass
   * vectors of the same length; values must be finite numbers.
   */
  async allreduceSum(values: number[]): Promise<number[]> {
    for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`gang: allreduceSum takes finite numbers, got ${String(v)} on rank ${this.rank}`);
    const all = await this.allgather(values);
    const n = values.length;
    all.forEach((vec, r) => {
      if (!Array.isArray(vec) || vec.length !== n) throw new Error(`gang: allreduceSum vectors differ in length (rank ${this.rank}: ${n}, rank ${r}: ${Array.isArray(vec) ? vec.length : 'none'})`);
    });
    const out = new Array<number>(n).fill(0);
    for (const vec of all) for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (vec[i] as number);
    return out;
  }

  /** Resolves once every rank has reached the barrier. */
  async barrier(): Promise<void> {
    if (!this.socket) {
      this.usable();
      return;
    }
    await this.call({ op: 'barrier' });
  }

  /** Leaves the gang. Pending and later calls reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(new Error(`gang: rank ${this.rank} closed its connection`));
    this.socket?.end();
    this.socket?.unref();
  }

  private usable(): void {
    if (this.closed) throw new Error(`gang: rank ${this.rank} is closed`);
    if (this.failure) throw this.failure;
  }

  private call(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.usable();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      (this.socket as Socket).write(JSON.stringify({ ...msg, seq }) + '\n');
    });
  }

  private listen(): void {
    const socket = this.socket as Socket;
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() !== '') this.onMessage(line);
      }
    });
    socket.on('error', (err) => this.lost(`gang: rank ${this.rank} lost its rendezvous connection (${err.message})`));
    socket.on('close', () => this.lost(`gang: rank ${this.rank} lost its rendezvous connection`));
  }

  private onMessage(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.lost(`gang: rank ${this.rank} got a malformed message from the rendezvous`);
      return;
    }
    if (typeof msg.error === 'string') {
      // The rendezvous fails the whole gang on any error: this call and every later one reject.
      this.failure ??= new Error(msg.error);
      this.rejectAll(this.failure);
      return;
    }
    const seq = msg.ok === true ? 0 : msg.seq;
    if (typeof seq !== 'number') return;
    const w = this.waiting.get(seq);
    if (!w) return;
    this.waiting.delete(seq);
    w.resolve(msg);
  }

  private lost(message: string): void {
    if (this.closed) return;
    this.failure ??= new Error(message);
    this.rejectAll(this.failure);
    this.socket?.destroy();
  }

  private rejectAll(err: Error): void {
    const ws = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of ws) w.reject(err);
  }
}

function jsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The engine side of a gang ("RAFT actor") stage: a small collective-communication server on
 * 127.0.0.1 that the N workers of one stage join, in the role NCCL/RAFT comms play for NeMo
 * Curator's RAFT actors.
 *
 * Protocol: newline-delimited JSON over TCP, one object per line.
 * - Join: the client sends `{op:'hello', rank, world_size, token}` and gets `{ok:true, rank,
 *   world_size}`. A wrong token, a rank outside [0, world_size), a rank that already joined or a
 *   world_size other than the rendezvous' gets `{error}` and is disconnected.
 * - Collectives carry a per-client sequence number (1, 2, 3, ...), so the k-th collective call of
 *   every rank pairs with the k-th of the others: `{op:'allgather', seq, value}` and
 *   `{op:'barrier', seq}`. When every rank has sent `seq`, each gets `{seq, values:[v_rank0, ...]}`
 *   (allgather) or `{seq}` (barrier).
 * - Failures: `{error}` (with `seq` when it answers one call). The gang fails as a whole: when a
 *   rank disconnects while a collective is waiting for it (or one it never joined arrives later),
 *   when ranks call different collectives with the same seq, or when a collective is not complete
 *   within `timeoutMs`, every connected rank gets the error (naming the rank at fault) and every
 *   later call is answered with it, so a dead gang member fails the stage instead of hanging it.
 */
export class Rendezvous {
  /** `"127.0.0.1:<port>/<token>"`, given to each worker as `WorkerMetadata.rendezvous`. */
  readonly address: string;
  readonly worldSize: number;
  readonly timeoutMs: number;
  private readonly server: Server;
  private readonly token: string;
  private readonly members = new Map<number, Socket>();
  /** Ranks that joined and then disconnected. */
  private readonly departed = new Set<number>();
  private readonly lastSeq = new Map<number, number>();
  private readonly pending = new Map<number, Collective>();
  private readonly sockets = new Set<Socket>();
  private failure: string | null = null;
  private closing: Promise<void> | null = null;

  private constructor(server: Server, worldSize: number, timeoutMs: number, token: string) {
    this.server = server;
    this.worldSize = worldSize;
    this.timeoutMs = timeoutMs;
    this.token = token;
    const { port } = server.address() as AddressInfo;
    this.address = `127.0.0.1:${port}/${token}`;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Starts a rendezvous for `worldSize` ranks on a free port of 127.0.0.1. */
  static async open(worldSize: number, opts: { timeoutMs?: number } = {}): Promise<Rendezvous> {
    if (!Number.isInteger(worldSize) || worldSize < 1) throw new Error(`rendezvous: world size must be a whole number >= 1, got ${worldSize}`);
    const timeoutMs = opts.timeoutMs ?? 600_000;
    if (!(timeoutMs > 0)) throw new Error(`rendezvous: timeoutMs must be > 0, got ${timeoutMs}`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new Rendezvous(server, worldSize, timeoutMs, randomBytes(16).toString('hex'));
  }

  /** Disconnects every client and stops listening. Safe to call more than once. */
  close(): Promise<void> {
    if (!this.closing) {
      for (const c of this.pending.values()) clearTimeout(c.timer);
      this.pending.clear();
      this.closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
    }
    return this.closing;
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    let rank: number | null = null;
    let buffer = '';
    socket.on('data', (chunk: string) => {
      if (socket.writableEnded) return;
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0 && !socket.writableEnded) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() === '') continue;
        let msg: Record<string, unknown>;
        try {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
          msg = parsed as Record<string, unknown>;
        } catch {
          this.reject(socket, 'rendezvous: a message is not a JSON object');
          return;
        }
        if (rank === null) rank = this.hello(socket, msg);
        else this.collective(socket, rank, msg);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (rank !== null && this.members.get(rank) === socket) {
        this.members.delete(rank);
        this.departed.add(rank);
        this.checkDeparted();
      }
    });
  }

  /** Validates a join; returns the rank, or null after rejecting the client. */
  private hello(socket: Socket, msg: Record<string, unknown>): number | null {
    const { op, rank, world_size, token } = msg;
    let problem: string | null = null;
    if (op !== 'hello') problem = `the first message must be {op:'hello'}, got op ${JSON.stringify(op)}`;
    else if (typeof token !== 'string' || !sameToken(token, this.token)) problem = 'wrong token';
    else if (world_size !== this.worldSize) problem = `world_size ${JSON.stringify(world_size)} does not match the rendezvous' ${this.worldSize}`;
    else if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank >= this.worldSize) problem = `rank ${JSON.stringify(rank)} is outside 0..${this.worldSize - 1}`;
    else if (this.members.has(rank) || this.departed.has(rank)) problem = `rank ${rank} has already joined`;
    else if (this.failure) problem = this.failure;
    if (problem !== null) {
      this.reject(socket, problem.startsWith('rendezvous:') ? problem : `rendezvous: ${problem}`);
      return null;
    }
    const r = rank as number;
    this.members.set(r, socket);
    send(socket, { ok: true, rank: r, world_size: this.worldSize });
    return r;
  }

  private collective(socket: Socket, rank: number, msg: Record<string, unknown>): void {
    const { op, seq } = msg;
    if (op !== 'allgather' && op !== 'barrier') {
      this.reject(socket, `rendezvous: rank ${rank} sent an unknown op ${JSON.stringify(op)}`);
      return;
    }
    const expected = (this.lastSeq.get(rank) ?? 0) + 1;
    if (seq !== expected) {
      this.reject(socket, `rendezvous: rank ${rank} sent ${op} with seq ${JSON.stringify(seq)}, expected ${expected}`);
      return;
    }
    this.lastSeq.set(rank, expected);
    if (this.failure) {
      send(socket, { seq, error: this.failure });
      return;
    }
    let c = this.pending.get(expected);
    if (!c) {
      const created: Collective = { op, values: new Array<unknown>(this.worldSize).fill(null), joined: new Set(), timer: setTimeout(() => this.timedOut(expected), this.timeoutMs) };
      created.timer.unref();
      this.pending.set(expected, created);
      c = created;
    } else if (c.op !== op) {
      const first = Math.min(...c.joined);
      this.fail(`rendezvous: collective #${expected} does not match: rank ${first} called ${c.op} but rank ${rank} called ${op}`);
      return;
    }
    c.joined.add(rank);
    if (op === 'allgather') c.values[rank] = msg.value === undefined ? null : msg.value;
    if (c.joined.size === this.worldSize) {
      clearTimeout(c.timer);
      this.pending.delete(expected);
      const line = JSON.stringify(op === 'allgather' ? { seq: expected, values: c.values } : { seq: expected }) + '\n';
      for (const s of this.members.values()) s.write(line);
      return;
    }
    this.checkDeparted();
  }

  /** Fails the gang when a waiting collective needs a rank that has left. */
  private checkDeparted(): void {
    if (this.failure || this.closing) return;
    for (const [seq, c] of [...this.pending].sort((a, b) => a[0] - b[0])) {
      for (const rank of [...this.departed.keys()].sort((a, b) => a - b)) {
        if (!c.joined.has(rank)) {
          const waiting = [...c.joined].sort((a, b) => a - b);
          this.fail(`rendezvous: rank ${rank} disconnected while rank${waiting.length > 1 ? 's' : ''} ${waiting.join(', ')} waited for it in ${c.op} #${seq}`);
          return;
        }
      }
    }
  }

  private timedOut(seq: number): void {
    const c = this.pending.get(seq);
    if (!c || this.failure) return;
    const missing: string[] = [];
    for (let r = 0; r < this.worldSize; r++) {
      if (c.joined.has(r)) continue;
      missing.push(this.members.has(r) ? `${r}` : this.departed.has(r) ? `${r} (disconnected)` : `${r} (never connected)`);
    }
    this.fail(`rendezvous: ${c.op} #${seq} did not complete within ${this.timeoutMs} ms; still waiting for rank${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }

  /** Marks the gang failed and tells every connected rank. */
  private fail(message: string): void {
    if (this.failure) return;
    this.failure = message;
    for (const c of this.pending.values()) clearTimeout(c.timer);
    this.pending.clear();
    for (const s of this.members.values()) send(s, { error: message });
  }

  /** Answers a client with an error and disconnects it. */
  private reject(socket: Socket, message: string): void {
    // Whatever it sends next is ignored; a client that does not hang up is cut off shortly.
    socket.end(JSON.stringify({ error: message }) + '\n');
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}

interface Collective {
  op: 'allgather' | 'barrier';
  values: unknown[];
  joined: Set<number>;
  timer: NodeJS.Timeout;
}

function send(socket: Socket, msg: Record<string, unknown>): void {
  if (!socket.destroyed && socket.writable) socket.write(JSON.stringify(msg) + '\n');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Rendezvous } from '../../../../runner/engine/rendezvous.js';
import { GangClient } from '../../../../runner/engine/gang-client.js';

const opened: Rendezvous[] = [];
const clients: GangClient[] = [];

async function gang(n: number, opts: { timeoutMs?: number } = {}): Promise<{ rv: Rendezvous; members: GangClient[] }> {
  const rv = await Rendezvous.open(n, opts);
  opened.push(rv);
  // Joined in reverse order, so that rank order is not connection order.
  const members: GangClient[] = new Array<GangClient>(n);
  await Promise.all(
    Array.from({ length: n }, (_, i) => n - 1 - i).map(async (rank) => {
      members[rank] = await GangClient.connect({ rank, world_size: n, rendezvous: rv.address });
    }),
  );
  clients.push(...members);
  return { rv, members };
}

/** One raw line exchange with the rendezvous, as a client written in another language would. */
function rawExchange(address: string, lines: unknown[]): Promise<Array<Record<string, unknown>>> {
  const m = /^(.+):(\d+)\/(.+)$/.exec(address) as RegExpExecArray;
  return new Promise((resolve, reject) => {
    const s = connect({ host: m[1] as string, port: Number(m[2]) });
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (text += c));
    s.on('error', reject);
    s.on('close', () => resolve(text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)));
    s.on('connect', () => s.write(lines.map((l) => JSON.stringify(l) + '\n').join('')));
    setTimeout(() => s.end(), 300);
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

describe('Rendezvous and GangClient', () => {
  it('has a 127.0.0.1 address with a random token', async () => {
    const a = await Rendezvous.open(2);
    const b = await Rendezvous.open(2);
    opened.push(a, b);
    expect(a.address).toMatch(/^127\.0\.0\.1:\d+\/[0-9a-f]{32}$/);
    expect(a.worldSize).toBe(2);
    expect(a.address.split('/')[1]).not.toBe(b.address.split('/')[1]);
    await expect(Rendezvous.open(0)).rejects.toThrow(/world size/);
  });

  it('allgather returns every value ordered by rank, whatever the order of the calls', async () => {
    const { members } = await gang(3);
    expect(members.map((m) => [m.rank, m.worldSize])).toEqual([[0, 3], [1, 3], [2, 3]]);
    const p2 = members[2]!.allgather({ r: 2, name: 'c' });
    await new Promise((r) => setTimeout(r, 20));
    const p0 = members[0]!.allgather({ r: 0, name: 'a' });
    const p1 = members[1]!.allgather({ r: 1, name: 'b' });
    const expected = [{ r: 0, name: 'a' }, { r: 1, name: 'b' }, { r: 2, name: 'c' }];
    expect(await Promise.all([p0, p1, p2])).toEqual([expected, expected, expected]);
  });

  it('successive collectives pair up by sequence number, even when a rank runs ahead', async () => {
    const { members } = await gang(3);
    // Rank 0 issues three calls at once; the others issue them one after another.
    const fast = Promise.all([members[0]!.allgather('a0'), members[0]!.barrier(), members[0]!.allgather('b0')]);
    const slow = async (m: GangClient) => {
      const a = await m.allgather(`a${m.rank}`);
      await m.barrier();
      const b = await m.allgather(`b${m.rank}`);
      return [a, b];
    };
    const [f, s1, s2] = await Promise.all([fast, slow(members[1]!), slow(members[2]!)]);
    expect([f[0], f[2]]).toEqual([['a0', 'a1', 'a2'], ['b0', 'b1', 'b2']]);
    expect(s1).toEqual([['a0', 'a1', 'a2'], ['b0', 'b1', 'b2']]);
    expect(s2).toEqual(s1);
  });

  it('allreduceSum adds element-wise and every rank gets the same numbers', async () => {
    const { members } = await gang(3);
    const inputs = [[1, 0.1, -5], [2, 0.2, 5], [3, 0.3, 1e-20]];
    const out = await Promise.all(members.map((m, r) => m.allreduceSum(inputs[r]!)));
    expect(out[0]).toEqual([6, 0.1 + 0.2 + 0.3, 0 + 1e-20]);
    expect(out[0]![1]).toBe(0.1 + 0.2 + 0.3); // summed in rank order, not 0.3 + 0.2 + 0.1
    expect(out[1]).toEqual(out[0]);
    expect(out[2]).toEqual(out[0]);
    await expect(members[0]!.allreduceSum([Number.NaN])).rejects.toThrow(/finite/);
  });

  it('allreduceSum rejects vectors of different lengths on every rank', async () => {
    const { members } = await gang(2);
    const res = await Promise.allSettled([members[0]!.allreduceSum([1, 2]), members[1]!.allreduceSum([1])]);
    expect(res.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((res[0] as PromiseRejectedResult).reason)).toMatch(/differ in length/);
  });

  it('rejects a wrong token, a rank out of range, a duplicate rank and a world size mismatch', async () => {
    const rv = await Rendezvous.open(2);
    opened.push(rv);
    const [hostPort] = rv.address.split('/');
    await expect(GangClient.connect({ rank: 0, world_size: 2, rendezvous: `${hostPort}/${'0'.repeat(32)}` })).rejects.toThrow(/wrong token/);
    const raw = await rawExchange(rv.address, [{ op: 'hello', rank: 2, world_size: 2, token: rv.address.split('/')[1] }]);
    expect(raw).toEqual([{ error: expect.stringMatching(/rank 2 is outside 0\.\.1/) }]);
    await expect(GangClient.connect({ rank: 0, world_size: 3, rendezvous: rv.address })).rejects.toThrow(/world_size 3 does not match/);
    const first = await GangClient.connect({ rank: 1, world_size: 2, rendezvous: rv.address });
    clients.push(first);
    await expect(GangClient.connect({ rank: 1, world_size: 2, rendezvous: rv.address })).rejects.toThrow(/rank 1 has already joined/);
    // The rejected attempts did not take a place: rank 0 can still join and the gang works.
    const zero = await GangClient.connect({ rank: 0, world_size: 2, rendezvous: rv.address });
    clients.push(zero);
    expect(await Promise.all([zero.allgather(0), first.allgather(1)])).toEqual([[0, 1], [0, 1]]);
  });

  it('a raw client speaks newline-delimited JSON', async () => {
    const rv = await Rendezvous.open(1);
    opened.push(rv);
    const token = rv.address.split('/')[1];
    const raw = await rawExchange(rv.address, [{ op: 'hello', rank: 0, world_size: 1, token }, { op: 'allgather', seq: 1, value: { x: [1, 2] } }, { op: 'barrier', seq: 2 }, { op: 'barrier', seq: 5 }]);
    expect(raw).toEqual([{ ok: true, rank: 0, world_size: 1 }, { seq: 1, values: [{ x: [1, 2] }] }, { seq: 2 }, { error: expect.stringMatching(/seq 5, expected 3/) }]);
  });

  it("a rank that disconnects makes the others' pending allgather reject, naming it", async () => {
    const { members } = await gang(3);
    const waiting = [members[0]!.allgather('x'), members[2]!.allgather('z')];
    await new Promise((r) => setTimeout(r, 20));
    members[1]!.close();
    const settled = await Promise.allSettled(waiting);
    for (const r of settled) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/rank 1 disconnected while ranks 0, 2 waited for it in allgather #1/);
    }
    // Later calls fail at once instead of waiting.
    await expect(members[0]!.barrier()).rejects.toThrow(/rank 1 disconnected/);
  });

  it('a rank that left before the others reach a collective fails that collective at once', async () => {
    const { members } = await gang(2);
    expect(await Promise.all(members.map((m) => m.allgather(m.rank)))).toEqual([[0, 1], [0, 1]]);
    members[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(members[1]!.allgather('late')).rejects.toThrow(/rank 0 disconnected while rank 1 waited for it in allgather #2/);
  });

  it('ranks that finish together may leave without failing anyone', async () => {
    const { members } = await gang(2);
    await Promise.all(members.map((m) => m.barrier()));
    members[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    // Rank 1's completed collective stands; only a new one would need rank 0.
    await expect(members[1]!.allreduceSum([1])).rejects.toThrow(/rank 0 disconnected/);
  });

  it('a collective that does not complete in time fails, naming the missing ranks', async () => {
    const rv = await Rendezvous.open(3, { timeoutMs: 150 });
    opened.push(rv);
    const a = await GangClient.connect({ rank: 0, world_size: 3, rendezvous: rv.address });
    const b = await GangClient.connect({ rank: 1, world_size: 3, rendezvous: rv.address });
    clients.push(a, b);
    const t0 = Date.now();
    await expect(Promise.all([a.barrier(), b.barrier()])).rejects.toThrow(/barrier #1 did not complete within 150 ms; still waiting for rank 2 \(never connected\)/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });

  it('closing the rendezvous fails pending calls instead of leaving them hanging', async () => {
    const { rv, members } = await gang(2);
    const p = members[0]!.allgather(1);
    await rv.close();
    await expect(p).rejects.toThrow(/lost its rendezvous connection/);
  });

  it('world size 1 without a rendezvous works locally', async () => {
    const solo = await GangClient.connect({ rank: 0, world_size: 1 });
    expect([solo.rank, solo.worldSize]).toEqual([0, 1]);
    const value = { a: 1, b: [1, 2], u: undefined };
    const got = await solo.allgather(value);
    expect(got).toEqual([{ a: 1, b: [1, 2] }]);
    expect(got[0]).not.toBe(value); // a JSON copy, as over the wire
    expect(await solo.allreduceSum([1.5, 2])).toEqual([1.5, 2]);
    await expect(solo.barrier()).resolves.toBeUndefined();
    solo.close();
    await expect(solo.allgather(1)).rejects.toThrow(/closed/);
    await expect(GangClient.connect({ rank: 1, world_size: 2 })).rejects.toThrow(/no rendezvous address/);
    await expect(GangClient.connect({ rank: 1, world_size: 1 })).rejects.toThrow(/rank must be/);
  });

  it('world size 1 with a rendezvous goes over the socket', async () => {
    const { members } = await gang(1);
    expect(await members[0]!.allgather('only')).toEqual(['only']);
    expect(await members[0]!.allreduceSum([3])).toEqual([3]);
  });
});

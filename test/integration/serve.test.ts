import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { HistoryStore } from '../../runner/history/store.js';
import type { CuratorEvent, WireEvent } from '../../runner/service/contract.js';
import { ROOT, runCli, startCli, tempDir } from './helpers.js';

// `curator serve` as a user starts it: the built CLI in its own process, its own history folder,
// real HTTP and WebSocket requests.

/** A raw HTTP request, so that Host, Origin and unnormalised paths reach the server as written. */
function request(port: number, target: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The HTTP status a WebSocket upgrade is refused with, or 101 when it is accepted. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', (e) => reject(e));
  });
}

/** A small client of the wire protocol: calls by id, events kept in order. */
class WireClient {
  readonly events: CuratorEvent[] = [];
  private next = 0;
  private readonly pending = new Map<number, (m: { result?: unknown; error?: { code: string; message: string; problems?: string[] } }) => void>();
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as WireEvent | { id: number; result?: unknown; error?: { code: string; message: string } };
      if ('type' in m && m.type === 'event') {
        this.events.push(m.event);
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      if ('id' in m) this.pending.get(m.id)?.(m);
    });
  }

  static open(url: string): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WireClient(ws)));
      ws.once('error', reject);
    });
  }

  call(method: string, params?: unknown): Promise<{ result?: unknown; error?: { code: string; message: string; problems?: string[] } }> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async result<T>(method: string, params?: unknown): Promise<T> {
    const m = await this.call(method, params);
    if (m.error) throw new Error(`${method} failed: ${m.error.code}: ${m.error.message}`);
    return m.result as T;
  }

  async waitForEvent(pred: (e: CuratorEvent) => boolean, timeoutMs: number): Promise<CuratorEvent> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no such event within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

describe('curator serve', () => {
  const home = tempDir('curator-serve-home-');
  let server: ReturnType<typeof startCli>;
  let port = 0;
  let token = '';

  beforeAll(async () => {
    server = startCli(['serve', '--port', '0', '--no-open'], { CURATOR_HOME: home.dir });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed within 20 s; stdout: ${out}`)), 20_000);
      server.child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        port = Number(m[1]);
        token = m[2] ?? '';
        resolve();
      });
      server.child.once('exit', (code) => reject(new Error(`curator serve exited with ${code}; stdout: ${out}`)));
    });
  });

  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    home.cleanup();
  });

  it('prints a loopback URL with a long random token', () => {
    expect(port).toBeGreaterThan(0);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 401 under /api/ without the token, before anything else (an unknown path too, and the WebSocket upgrade)', async () => {
    for (const target of ['/api/health', '/api/x', '/api/ws', '/api']) {
      const r = await request(port, target);
      expect(r.status, target).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await request(port, '/api/health?token=wrong')).status).toBe(401);
    expect((await request(port, '/api/x', { Host: 'evil.example' })).status).toBe(401);
    expect((await request(port, '/api/health', { Authorization: `Bearer ${token}x` })).status).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/api/ws`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/api/ws?token=nope`)).toBe(401);
  });

  it('answers 403 to a foreign Host or Origin, even with the token (DNS rebinding)', async () => {
    expect((await request(port, `/api/health?token=${token}`, { Host: 'evil.example' })).status).toBe(403);
    expect((await request(port, `/api/health?token=${token}`, { Host: `evil.example:${port}` })).status).toBe(403);
    expect((await request(port, `/api/health?token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(port, `/api/health?token=${token}`, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await request(port, '/', { Host: 'evil.example' })).status).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/api/ws?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/api/ws?token=${token}`, { Host: 'evil.example' })).toBe(403);
  });

  it('accepts the token as a query parameter, a Bearer header, or the cookie set by opening the URL', async () => {
    expect((await request(port, `/api/health?token=${token}`)).status).toBe(200);
    expect((await request(port, '/api/health', { Authorization: `Bearer ${token}` })).status).toBe(200);
    const page = await request(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']?.[0]).split(';')[0] as string;
    expect(page.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    const health = await request(port, '/api/health', { Cookie: cookie });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect((await request(port, '/api/nothing-here', { Cookie: cookie })).status).toBe(404);
  });

  it('gives every HTML page a new style nonce, in its CSP and in a csp-nonce meta tag (no unsafe-inline, no inline scripts)', async () => {
    const nonces: string[] = [];
    // /index.html is a file of the renderer build; without a build, the placeholder page stands in.
    const built = existsSync(path.join(ROOT, 'renderer/dist/index.html'));
    for (const target of ['/', ...(built ? ['/index.html'] : []), '/some/app/route', '/']) {
      const page = await request(port, target);
      expect(page.status, target).toBe(200);
      const policy = String(page.headers['content-security-policy']);
      expect(policy, target).not.toContain('unsafe-');
      expect(policy, target).toContain("script-src 'self';");
      const inPolicy = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      const inPage = /<meta name="csp-nonce" content="([^"]+)">/.exec(page.body)?.[1];
      expect(inPolicy, target).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(inPage, target).toBe(inPolicy);
      expect(page.headers['cache-control'], target).toBe('no-store');
      nonces.push(inPolicy as string);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('serves static files from the app folder only (no path traversal)', async () => {
    for (const target of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../../package.json', '/..%5c..%5cpackage.json', '/static/..%2f..%2f..%2fpackage.json']) {
      const r = await request(port, target);
      expect(r.status, target).not.toBe(200);
      expect(r.body, target).not.toContain('"name": "curator-desktop"');
    }
    expect((await request(port, '/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await request(port, '/index.html', {}, 'POST')).status).toBe(405);
  });

  it('serves the API over the WebSocket: catalog, validate, a quickstart run with live events, then the run in history', async () => {
    const client = await WireClient.open(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    try {
      const catalog = await client.result<{ stages: Array<{ type: string }>; templates: Array<{ id: string }> }>('catalog');
      expect(catalog.stages.map((s) => s.type)).toContain('JsonlReader');
      expect(catalog.templates.map((t) => t.id)).toContain('quickstart');

      const bad = await client.result<{ valid: boolean; problems: string[] }>('validatePipeline', { pipeline: 'name: bad\nstages:\n  - stage: JsonlReadr\n' });
      expect(bad.valid).toBe(false);
      expect(bad.problems[0]).toMatch(/^pipeline:3: .*did you mean "JsonlReader"/);

      const unknown = await client.call('dropTables', {});
      expect(unknown.error?.code).toBe('invalid_argument');
      const invalid = await client.call('getRun', { run_id: 42 });
      expect(invalid.error?.code).toBe('invalid_argument');
      const missing = await client.call('getRun', { run_id: 'no-such-run' });
      expect(missing.error?.code).toBe('not_found');

      const file = path.join(ROOT, 'resources/templates/quickstart.yaml');
      await client.result('subscribe', {});
      const started = await client.result<{ run_id: string; status: string; runs_external_commands: boolean }>('startRun', { pipeline: readFileSync(file, 'utf8'), base_dir: path.dirname(file) });
      expect(started.status).toBe('running');
      expect(started.runs_external_commands).toBe(false);
      const runId = started.run_id;
      const end = await client.waitForEvent((e) => e.type === 'run_finished' && e.run_id === runId, 60_000);
      expect(end.type === 'run_finished' && end.summary.status).toBe('succeeded');
      const types = new Set(client.events.filter((e) => e.run_id === runId).map((e) => e.type));
      for (const t of ['run_queued', 'run_started', 'stage_status', 'log', 'run_finished']) expect(types.has(t as CuratorEvent['type']), t).toBe(true);

      const list = await client.result<{ total: number; runs: Array<{ run_id: string; status: string; source: string; docs_in: number | null }> }>('listRuns', { status: ['succeeded'] });
      const row = list.runs.find((r) => r.run_id === runId);
      expect(row).toMatchObject({ status: 'succeeded', source: 'serve', docs_in: 138 });

      const detail = await client.result<{ stages: Array<{ name: string; items_out: number }>; outputs: unknown[]; inputs: unknown[]; pipeline: { stages: Array<{ params: Record<string, unknown> }> } }>('getRun', { run_id: runId });
      expect(detail.stages.map((s) => s.name)).toEqual(['file_partitioning', 'jsonl_reader', 'inspect', 'jsonl_writer']);
      expect(detail.stages[2]?.items_out).toBe(138);
      expect(detail.inputs).toHaveLength(4);
      expect(detail.outputs).toHaveLength(4);
      expect(detail.pipeline.stages[0]?.params.file_paths).toBe(path.join(ROOT, 'resources/sample'));

      const logs = await client.result<{ total: number; lines: Array<{ message: string }> }>('runLogs', { run_id: runId });
      expect(logs.total).toBeGreaterThan(0);
      const metrics = await client.result<{ points: unknown[] }>('runMetrics', { run_id: runId });
      expect(metrics.points.length).toBeGreaterThan(0);
      const output = await client.result<{ total: number; documents: unknown[] }>('previewOutput', { run_id: runId, limit: 5 });
      expect(output.total).toBe(138);
      expect(output.documents).toHaveLength(5);
      const same = await client.result<{ a: { run_id: string }; config_diff: unknown[] }>('compareRuns', { a: runId, b: runId.slice(0, 8) });
      expect(same.a.run_id).toBe(runId);
      expect(same.config_diff).toEqual([]);
      expect(await client.result('pruneRuns', { keep: 100 })).toEqual({ deleted: 0 });
      expect((await client.call('pruneRuns', {})).error?.code).toBe('invalid_argument');

      // The same API over plain HTTP.
      const viaHttp = await request(port, '/api/call', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ method: 'getRun', params: { run_id: runId } }));
      expect(viaHttp.status).toBe(200);
      expect((JSON.parse(viaHttp.body) as { result: { status: string } }).result.status).toBe('succeeded');
      const notFound = await request(port, '/api/call', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ method: 'getRun', params: { run_id: 'nope' } }));
      expect(notFound.status).toBe(404);
    } finally {
      client.close();
    }
  });

  it('stops cleanly on SIGINT, cancelling the running run and recording it as cancelled', async () => {
    const client = await WireClient.open(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    const slow = {
      name: 'slow',
      stages: [
        { stage: 'SyntheticDocuments', params: { num_tasks: 100, docs_per_task: 1 } },
        { stage: 'BusyStage', params: { sleep_ms_per_task: 500 } },
      ],
    };
    const { run_id } = await client.result<{ run_id: string }>('startRun', { pipeline: slow });
    await client.result('subscribe', { run_id });
    await client.waitForEvent((e) => e.type === 'run_started', 30_000);
    server.child.kill('SIGINT');
    const r = await server.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('SIGINT: stopping');
    const history = HistoryStore.open({ home: home.dir, readonly: true });
    try {
      expect(history.getRun(run_id)?.status).toBe('cancelled');
    } finally {
      history.close();
    }
  });
});

describe('curator serve --host', () => {
  it('refuses an address other machines can reach unless --allow-remote is given', async () => {
    const home = tempDir('curator-serve-home-');
    try {
      const r = await runCli(['serve', '--host', '0.0.0.0', '--no-open'], { CURATOR_HOME: home.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--allow-remote');
    } finally {
      home.cleanup();
    }
  });
});

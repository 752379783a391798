// `curator serve` as a user starts it, for the browser end-to-end tests: the built CLI in its own
// process with its own throw-away history folder; the URL it prints (with the access token) is
// what the browser opens. One server per spec file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A running `curator serve`. */
export interface CuratorServe {
  /** The printed link, with `?token=`. */
  url: string;
  /** `http://127.0.0.1:<port>` without the token. */
  origin: string;
  token: string;
  /** The server's CURATOR_HOME (history, settings, outputs). */
  home: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string;
  /** Stops the server with SIGINT (as Ctrl-C does) and removes its home; SIGKILL after 10 s. */
  stop: () => Promise<void>;
}

const URL_PATTERN = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([0-9a-f]+)/;

/** Starts `curator serve --port 0 --no-open --max-concurrent-runs 1` and waits for its URL. */
export async function startServe(opts: { extraArgs?: string[]; timeoutMs?: number } = {}): Promise<CuratorServe> {
  const home = mkdtempSync(path.join(tmpdir(), 'curator-e2e-home-'));
  const args = [path.join(ROOT, 'bin/curator.js'), 'serve', '--port', '0', '--no-open', '--max-concurrent-runs', '1', ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CURATOR_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const timeoutMs = opts.timeoutMs ?? 20_000;
  const found = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no URL printed within ${timeoutMs / 1000} s`), timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (code ${code}, signal ${signal}) before printing its URL`);
    const onData = () => {
      const m = URL_PATTERN.exec(out);
      if (!m) return;
      done();
      resolve(m);
    };
    function done() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(why: string) {
      done();
      kill(child);
      rmSync(home, { recursive: true, force: true });
      reject(new Error(`curator serve: ${why}; output:\n${out}`));
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    url: found[0],
    origin: found[1] ?? '',
    token: found[3] ?? '',
    home,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => kill(child), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

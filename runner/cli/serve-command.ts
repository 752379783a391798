import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { HistoryStore } from '../history/store.js';
import { startServer, ServeError, type CuratorServer } from '../host/server.js';
import { isLoopback } from '../host/security.js';
import { defaultRendererDir } from '../service/paths.js';
import { createCuratorService } from '../service/service.js';
import { curatorHome } from '../history/paths.js';
import { EXIT } from './exit-codes.js';

/** Options of `curator serve`. */
export interface ServeCommandOptions {
  port?: string;
  host: string;
  allowRemote?: boolean;
  open: boolean;
  maxConcurrentRuns?: string;
}

/** Adds `curator serve` to the program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app and its API to a browser on this machine (HTTP + WebSocket on 127.0.0.1, with an access token)')
    .option('--port <n>', 'port to listen on (default: a free port)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--allow-remote', 'allow a --host that other machines can reach (anyone with the token can then run pipelines here)')
    .option('--no-open', 'do not open the app in a browser')
    .option('--max-concurrent-runs <n>', 'runs that may run at once when they fit the machine (default: the app setting "Runs at once", 1 unless changed)')
    .addHelpText('after', '\nThe printed URL holds the access token; the API refuses requests without it. Ctrl-C stops the server and cancels running runs.')
    .action(async (opts: ServeCommandOptions) => {
      process.exitCode = await serveCommand(opts);
    });
}

/** `curator serve`: runs until SIGINT or SIGTERM; returns the exit status. */
export async function serveCommand(o: ServeCommandOptions): Promise<number> {
  const problems: string[] = [];
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port must be a whole number from 0 to 65535, got "${o.port}"`);
  const maxRuns = o.maxConcurrentRuns === undefined ? undefined : Number(o.maxConcurrentRuns);
  if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) problems.push(`--max-concurrent-runs must be a whole number of at least 1, got "${o.maxConcurrentRuns}"`);
  if (!isLoopback(o.host) && !o.allowRemote) problems.push(`--host ${o.host} can be reached from other machines; add --allow-remote if that is really wanted`);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`error: ${p}\n`);
    return EXIT.invalid;
  }

  // The data folder: CURATOR_HOME, else the one chosen in the settings, else the app-data folder.
  const home = curatorHome();
  let history: HistoryStore;
  try {
    history = HistoryStore.open({ home });
  } catch (e: unknown) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  }
  const service = createCuratorService({ history, home, ...(maxRuns !== undefined ? { maxConcurrentRuns: maxRuns } : {}), log: (m) => process.stderr.write(`curator serve: ${m}\n`) });
  let server: CuratorServer;
  try {
    server = await startServer({ service, host: o.host, port, allowRemote: Boolean(o.allowRemote), rendererDir: defaultRendererDir() });
  } catch (e: unknown) {
    await service.close();
    history.close();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port, or leave --port out for a free one` : e instanceof ServeError || e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${why}\n`);
    return EXIT.invalid;
  }

  if (!isLoopback(o.host)) {
    process.stderr.write(`warning: serving on ${o.host}, which other machines can reach; anyone with the token can run programs on this machine. The connection is not encrypted.\n`);
  }
  process.stdout.write(
    [
      `Curator Desktop is serving on ${o.host}, port ${server.port}.`,
      'Open the app with this link (it holds the access token; keep it private):',
      '',
      `    ${server.url}`,
      '',
      'Press Ctrl-C to stop; running runs are cancelled.',
      '',
    ].join('\n'),
  );
  if (o.open) openBrowser(server.url);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(EXIT.cancelled);
      stopping = true;
      process.stderr.write(`\n${sig}: stopping (cancelling runs; press Ctrl-C again to quit at once)\n`);
      void (async () => {
        await service.close();
        await server.close();
        history.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(EXIT.ok);
      })();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Opens a URL in the default browser; a machine without one simply keeps the printed link. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the link is printed above.
  }
}

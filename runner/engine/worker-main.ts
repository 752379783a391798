/**
 * Entry of a stage worker process. Speaks the envelope protocol of protocol.ts over the IPC
 * channel: `init` builds the stage and runs setup (and setup_on_node when asked), `process` runs
 * batches one at a time in arrival order (extra slots only pre-queue work), `teardown` ends.
 * The process exits when the engine disconnects, so a killed engine never leaves workers behind.
 */
import { hostname } from 'node:os';
import { toWireError } from '../pipeline/errors.js';
import type { ProcessingStage, LogLevel } from '../pipeline/stage.js';
import type { WorkerRequest, WorkerMessage } from './protocol.js';
import { StageChain } from './stage-chain.js';
import { createStageFromSpec } from './stage-factory.js';
import { setWorkerThreads, closeWorkerThreads } from './threads.js';

if (!process.send) {
  console.error('worker-main must be started by the engine with an IPC channel');
  process.exit(2);
}

const send = (m: WorkerMessage): void => {
  if (process.connected) process.send?.(m);
};
const log = (level: LogLevel, message: string): void => send({ kind: 'log', level, message });

let stages: ProcessingStage[] = [];
let stageChain: StageChain | null = null;
let queue: Promise<void> = Promise.resolve();

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.kind) {
    case 'init': {
      const { specs, worker, runSetupOnNode, threads } = req.payload;
      process.title = `curator-worker ${worker.worker_id}`;
      stages = [];
      for (const spec of specs) stages.push(await createStageFromSpec(spec));
      const c = new StageChain(stages);
      stageChain = c;
      c.adapters.forEach((a) => (a.stage.runtime = a.runtimeFor(log)));
      if (threads > 1) setWorkerThreads(threads);
      const t0 = Date.now();
      for (const stage of stages) {
        try {
          if (runSetupOnNode) await stage.setup_on_node({ node_id: hostname() }, worker);
          await stage.setup(worker);
        } catch (err: unknown) {
          if (err instanceof Error && stages.length > 1) (err as Error & { stage?: string }).stage = stage.name;
          throw err;
        }
      }
      return { setup_ms: Date.now() - t0 };
    }
    case 'process': {
      if (!stageChain) throw new Error('process before init');
      return stageChain.processBatch(req.payload.tasks);
    }
    case 'teardown': {
      for (const stage of stages) await stage.teardown();
      await closeWorkerThreads();
      return null;
    }
  }
}

process.on('message', (raw: unknown) => {
  const req = raw as WorkerRequest;
  // One request at a time, in arrival order: a worker runs one batch, its other slots wait here.
  queue = queue.then(async () => {
    try {
      const value = await handle(req);
      send({ seq: req.seq, ok: true, value });
    } catch (err: unknown) {
      send({ seq: req.seq, ok: false, error: toWireError(err) });
    }
  });
});

process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => {
  log('error', `uncaught exception in worker: ${err.stack ?? err.message}`);
  setTimeout(() => process.exit(70), 50);
});
process.on('unhandledRejection', (reason: unknown) => {
  log('error', `unhandled rejection in worker: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
send({ kind: 'hello', pid: process.pid });

/**
 * The entry of every worker utility process. Electron gives a utility process `process.parentPort`
 * (a message port: `postMessage`, and `'message'` events carrying `{data}`), while the runner's
 * worker entry speaks Node's child-process API (`process.send`, `process.connected`,
 * `process.on('message')`). This shim maps one onto the other, then loads the entry named by
 * `CURATOR_WORKER_ENTRY`. Nothing from Electron is imported: it runs under plain Node in the tests.
 */
import { pathToFileURL } from 'node:url';

/** The part of Electron's `ParentPort` the shim uses. */
interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const entry = process.env.CURATOR_WORKER_ENTRY;
if (!port || !entry) {
  console.error('utility-worker must be started by Curator Desktop as a utility process, with CURATOR_WORKER_ENTRY set');
  process.exit(2);
}

Object.defineProperty(process, 'connected', { value: true, configurable: true, writable: true });
const send = (message: unknown, ...rest: unknown[]): boolean => {
  port.postMessage(message);
  // Node's send takes an optional callback last; the port delivers synchronously or not at all.
  const cb = rest.find((r) => typeof r === 'function') as ((err: Error | null) => void) | undefined;
  if (cb) queueMicrotask(() => cb(null));
  return true;
};
process.send = send as typeof process.send;
port.on('message', (e) => {
  process.emit('message', e.data, undefined);
});

await import(pathToFileURL(entry).href);

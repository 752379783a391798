/**
 * The main-process side of `window.curator`, free of Electron: calls go through `callApi` (the
 * same dispatch `curator serve` uses, so an unknown method or a bad argument is a typed error, never
 * a crash), and each subscription key (a run id or `*`) of one window maps to one service
 * subscription whose events are sent to that window with their key. The preload delivers a
 * message only to the listeners of its key, so a window subscribed to `*` and to a run never
 * sees an event twice.
 */
import { callApi } from '../runner/host/rpc.js';
import type { CuratorApi, CuratorEvents } from '../runner/service/contract.js';
import type { Envelope } from './bridge.js';
import { ALL_RUNS_KEY } from './channels.js';

/** Hosts the API for one window. */
export class ApiHost {
  private readonly feeds = new Map<string, () => void>();

  constructor(
    private readonly service: CuratorApi & CuratorEvents,
    private readonly send: (key: string, event: unknown) => void,
  ) {}

  /** One API call; the answer is always an envelope. */
  call(method: unknown, args: unknown): Promise<Envelope> {
    return callApi(this.service, typeof method === 'string' ? method : String(method), args);
  }

  /** Starts or stops the event feed of `key`. */
  feed(key: unknown, on: unknown): Envelope {
    if (typeof key !== 'string' || key === '' || key.length > 200 || typeof on !== 'boolean') {
      return { error: { code: 'invalid_argument', message: 'expected a run id or "*", and true or false' } };
    }
    const current = this.feeds.get(key);
    if (on && !current) {
      const off = this.service.subscribe(key === ALL_RUNS_KEY ? null : key, (event) => this.send(key, event));
      this.feeds.set(key, off);
    } else if (!on && current) {
      this.feeds.delete(key);
      current();
    }
    return { result: null };
  }

  /** The keys fed now. */
  get keys(): string[] {
    return [...this.feeds.keys()];
  }

  /** Stops every feed (the page reloaded or the window closed). */
  clear(): void {
    for (const off of this.feeds.values()) off();
    this.feeds.clear();
  }
}

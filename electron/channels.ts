/**
 * The IPC channels between the main process and the preload. They never reach the renderer: the
 * preload closes over them and exposes only functions, and `ipc.ts` refuses any sender that is
 * not the app's own top frame.
 */
export const CHANNELS = {
  /** A `CuratorApi` call: `(method, args)` → `{result}` or `{error}`. */
  call: 'curator:call',
  /** Start (`on: true`) or stop the event feed of one key (a run id, or `*` for every run). */
  subscribe: 'curator:subscribe',
  /** Main → preload: `{key, event}` for each event of a subscribed key. */
  event: 'curator:event',
  /** Shell features: native dialogs and the system browser. */
  pickPath: 'curator-shell:pick-path',
  saveText: 'curator-shell:save-text',
  openText: 'curator-shell:open-text',
  openExternal: 'curator-shell:open-external',
} as const;

/** The key of every-run subscriptions. */
export const ALL_RUNS_KEY = '*';

/** What the main process sends on `CHANNELS.event`. */
export interface EventMessage {
  key: string;
  event: unknown;
}

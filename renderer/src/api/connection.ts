/**
 * The connection's state for the frame's banner ("Reconnecting to the Curator service…"). Only
 * the WebSocket client has a connection to lose; the Electron preload is always 'connected'.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { useCurator } from './context';
import type { ConnectionStatus } from './ws-client';

export type { ConnectionStatus };

interface WithStatus {
  readonly status: ConnectionStatus;
  onStatus(fn: (s: ConnectionStatus) => void): () => void;
}

function hasStatus(client: unknown): client is WithStatus {
  return typeof (client as { onStatus?: unknown }).onStatus === 'function';
}

/** 'connected', 'connecting' (first connection) or 'reconnecting' (after a drop). */
export function useConnectionStatus(): ConnectionStatus {
  const client = useCurator();
  const subscribe = useCallback((notify: () => void) => (hasStatus(client) ? client.onStatus(() => notify()) : () => undefined), [client]);
  return useSyncExternalStore(subscribe, () => (hasStatus(client) ? client.status : 'connected'));
}

/**
 * The client for this host: the Electron preload's `window.curator` when it is there, otherwise
 * the WebSocket client of `curator serve` (whose page then drops `?token=` from the address bar).
 */
import type { CuratorClient } from '../../../runner/service/contract';
import { createWsClient, stripTokenFromAddress } from './ws-client';

/** Creates the app's one client; call it once, at start. */
export function createClient(): CuratorClient {
  if (typeof window !== 'undefined' && window.curator) return window.curator;
  const client = createWsClient();
  stripTokenFromAddress();
  return client;
}

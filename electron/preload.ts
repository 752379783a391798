/**
 * The preload of the app window (sandboxed, bundled to one CommonJS file by
 * scripts/build-preload.mjs). It exposes `window.curator`, exactly the service's `CuratorClient`,
 * and `window.curatorShell`, the shell features; the IPC event objects and channel names stay here.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, createShellBridge, type BridgeIpc } from './bridge.js';

const ipc: BridgeIpc = {
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  // The listener gets the payload only: the event would hand the page `ipcRenderer` itself.
  on: (channel, listener) => {
    ipcRenderer.on(channel, (_event, payload: unknown) => listener(payload));
  },
};

contextBridge.exposeInMainWorld('curator', createBridge(ipc));
contextBridge.exposeInMainWorld(
  'curatorShell',
  createShellBridge(ipc, (file: File) => webUtils.getPathForFile(file)),
);

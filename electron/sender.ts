/**
 * Who may call the main process: only the app's own top frame, at the `app://curator` origin, in
 * the app's window. A subframe, another origin (a page the window was somehow navigated to) or
 * another webContents is refused before the call reaches the service. Pure, on the fields of
 * Electron's IPC event, so the unit tests give it plain objects. A `WebFrameMain` whose frame is
 * gone throws from its getters ("Render frame was disposed…"); that reads as a gone frame.
 */
import { APP_ORIGIN, isAppUrl } from './security.js';

/** The fields of a `WebFrameMain` the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly origin: string;
  readonly parent: FrameLike | null;
  readonly top: FrameLike | null;
}

/** The fields of an `IpcMainInvokeEvent` the check reads. */
export interface SenderEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly id: number };
}

/** Why a sender was refused, or null when it may call. `windowId` is the app window's webContents id. */
export function refuseSender(event: SenderEventLike, windowId: number | null): string | null {
  try {
    const frame = event.senderFrame;
    if (!frame) return 'the calling frame is gone';
    // A frame without a parent is its page's top frame.
    if (frame.parent !== null) return 'only the top frame may call';
    if (frame.origin !== APP_ORIGIN || !isAppUrl(frame.url)) return `the origin ${frame.origin || '(none)'} may not call`;
    if (windowId === null || event.sender.id !== windowId) return "only the app's window may call";
    return null;
  } catch {
    return 'the calling frame is gone';
  }
}

/** The sender frame's URL for a log line, or a placeholder when the frame is gone. */
export function senderUrl(event: SenderEventLike): string {
  try {
    return event.senderFrame?.url ?? 'a closed frame';
  } catch {
    return 'a closed frame';
  }
}

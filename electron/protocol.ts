/**
 * The `app://curator/` scheme: registered as standard and secure before the app is ready (so the
 * page has a real origin, `'self'` in the CSP means the app's files, and fetch works), then served
 * from the built renderer by `serveAppRequest` (app-files.ts), which applies the path checks and
 * the CSP. No remote content is ever loaded.
 */
import { protocol, type Session } from 'electron';
import { serveAppRequest } from './app-files.js';
import { APP_SCHEME } from './security.js';

/** Must run before the app's `ready` event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the renderer of `rendererDir` on the session's `app:` scheme. */
export function serveApp(session: Session, rendererDir: string | null, log: (m: string) => void): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    try {
      return await serveAppRequest(rendererDir, request);
    } catch (e: unknown) {
      log(`app:// request ${request.url} failed: ${e instanceof Error ? e.message : String(e)}`);
      return new Response('internal error', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  });
}

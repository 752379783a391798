/**
 * Answers requests of the `app://curator/` scheme from the built renderer, and nothing else: the
 * path checks are those of `curator serve` (runner/host/static.ts: decoded once, `..`, encoded
 * slashes and outward symbolic links refused), every HTML response carries the CSP header with a
 * nonce made for it, and the same nonce goes into the page as `<meta name="csp-nonce">`.
 * Pure (web `Request`/`Response` only), so the unit tests run it without Electron.
 */
import { readFile } from 'node:fs/promises';
import { contentTypeOf, indexFile, injectNonce, newNonce, PLACEHOLDER_PAGE, resolveStatic } from '../runner/host/static.js';
import { APP_HOST, APP_SCHEME, buildCsp } from './security.js';

/** Headers every response gets. */
const COMMON = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...COMMON, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function html(text: string, nonce: string): Response {
  return new Response(injectNonce(text, nonce), {
    status: 200,
    headers: { ...COMMON, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': buildCsp(nonce) },
  });
}

/**
 * The response to one request. `rendererDir` is the built renderer (null: none, then a page says
 * so); `nonce` is for tests, a fresh one is made per response otherwise.
 */
export async function serveAppRequest(rendererDir: string | null, request: Request, nonce: string = newNonce()): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return plain(400, 'bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'not found');
  // The URL parser has folded plain `..` segments; encoded ones are still encoded here and refused.
  const target = url.pathname === '/' || url.pathname === '/index.html' ? ({ kind: 'index' } as const) : await resolveStatic(rendererDir, url.pathname);
  switch (target.kind) {
    case 'outside':
      return plain(403, 'forbidden');
    case 'missing':
      return plain(404, 'not found');
    case 'index': {
      const index = await indexFile(rendererDir);
      return html(index ? await readFile(index.file, 'utf8') : PLACEHOLDER_PAGE, nonce);
    }
    case 'file': {
      const type = contentTypeOf(target.file);
      if (type.startsWith('text/html')) return html(await readFile(target.file, 'utf8'), nonce);
      const body = await readFile(target.file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: { ...COMMON, 'Content-Type': type } });
    }
  }
}


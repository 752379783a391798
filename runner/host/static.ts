/**
 * Serves the built renderer, and nothing outside its folder: a request path is decoded once,
 * resolved inside the folder, and refused when it would leave it (`..`, encoded slashes, a
 * symbolic link pointing elsewhere). Until a renderer is built, a minimal page says so.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

/** Content types of the files a Vite build produces. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Where a request path leads. */
export type StaticTarget = { kind: 'file'; file: string; size: number } | { kind: 'index' } | { kind: 'outside' } | { kind: 'missing' };

/**
 * Resolves a URL path (still percent-encoded) inside `root`. A path without a file extension that
 * names no file is the single-page app's own route, so it gets the index page.
 */
export async function resolveStatic(root: string | null, urlPath: string): Promise<StaticTarget> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'outside' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'outside' };
  if (decoded.split('/').some((seg) => seg === '..')) return { kind: 'outside' };
  const rel = decoded.replace(/^\/+/, '');
  const spaRoute = !path.posix.extname(rel);
  if (!root) return spaRoute ? { kind: 'index' } : { kind: 'missing' };
  const base = path.resolve(root);
  const candidate = path.resolve(base, rel);
  if (!inside(base, candidate)) return { kind: 'outside' };
  const info = await stat(candidate).catch(() => null);
  if (info?.isFile()) {
    // A link inside the folder may point anywhere; only its target's place counts.
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(candidate)]);
    return inside(realBase, realFile) ? { kind: 'file', file: realFile, size: info.size } : { kind: 'outside' };
  }
  return spaRoute ? { kind: 'index' } : { kind: 'missing' };
}

function inside(base: string, p: string): boolean {
  const rel = path.relative(base, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The content type of a file of the renderer build (anything unknown is bytes). */
export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Sends a file with its content type; HEAD sends the headers only. */
export function sendFile(res: ServerResponse, file: string, size: number, head: boolean, headers: Record<string, string>): void {
  const type = contentTypeOf(file);
  const cache = /[.-][0-9a-z_-]{8,}\.(js|css|woff2?|png|svg)$/i.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(size), 'Cache-Control': cache });
  if (head) return void res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** A new style nonce for one HTML response (128 random bits, base64); both hosts make one per page. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Puts `<meta name="csp-nonce" content="N">` at the start of the page's head, where the renderer
 * reads the style nonce the Content-Security-Policy allows (a nonce is base64: no escaping needed).
 */
export function injectNonce(html: string, nonce: string): string {
  const meta = `<meta name="csp-nonce" content="${nonce}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return `${html.slice(0, head.index + head[0].length)}${meta}${html.slice(head.index + head[0].length)}`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? `${doctype[0]}${meta}${html.slice(doctype[0].length)}` : `${meta}${html}`;
}

/** Sends an HTML page with the nonce meta put in (never cached: the nonce is new every time). */
export function sendHtml(res: ServerResponse, html: string, nonce: string, head: boolean, headers: Record<string, string>): void {
  const body = Buffer.from(injectNonce(html, nonce));
  res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

/** The index page of the renderer build, or null when there is none. */
export async function indexFile(root: string | null): Promise<{ file: string; size: number } | null> {
  if (!root) return null;
  const file = path.join(root, 'index.html');
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? { file, size: info.size } : null;
}

/** The page served until the renderer is built. */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Curator Desktop</title></head>
<body>
<h1>Curator Desktop</h1>
<p>The Curator service is running. The app's user interface is not built yet; build the renderer to use it here.</p>
<p>The API is served under <code>/api/</code>: a WebSocket at <code>/api/ws</code> and <code>GET /api/health</code>.</p>
</body>
</html>
`;

/**
 * The checks `curator serve` makes before anything else: the access token (as Jupyter does: in
 * the URL once, then a cookie), and the Host and Origin headers, which must name the address the
 * server listens on, so that a web page on another site, even one whose DNS name was rebound to
 * 127.0.0.1, cannot drive the API.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import os from 'node:os';

/** A new random access token: 32 bytes as 64 hex characters. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares two tokens in time that does not depend on where they differ (or on their lengths). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie that carries the token; named per port, since browsers share cookies across ports. */
export function tokenCookieName(port: number): string {
  return `curator_token_${port}`;
}

/** The token a request carries: `?token=`, `Authorization: Bearer`, or the cookie; null when none. */
export function requestToken(req: IncomingMessage, url: URL, cookieName: string): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m?.[1]) return m[1];
  }
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === cookieName) return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

/** True for an address or name that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** True for an address that listens on every interface. */
function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::';
}

/** `host` as it appears in a URL or a Host header (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  const h = host.replace(/^\[|\]$/g, '');
  return net.isIPv6(h) ? `[${h}]` : h;
}

/**
 * The Host header values the server answers to: the loopback names at its port, plus, when it
 * listens elsewhere (`--allow-remote`), the bound address, or every local address and the host
 * name when it listens on all interfaces.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!isLoopback(bindHost)) {
    if (isWildcard(bindHost)) {
      for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.add(hostForUrl(a.address));
      names.add(os.hostname());
    } else names.add(hostForUrl(bindHost));
  } else names.add(hostForUrl(bindHost));
  const out = new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
  // Browsers leave the default port out of Host and Origin.
  if (port === 80) for (const n of names) out.add(n.toLowerCase());
  return out;
}

/**
 * Why a request's Host or Origin is refused, or null when both are acceptable. The Host header is
 * required; an Origin header, which browsers send with cross-origin requests and every WebSocket
 * upgrade, must be `http://` plus an allowed host.
 */
export function foreignOrigin(req: IncomingMessage, allowed: ReadonlySet<string>): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowed.has(host)) return `Host "${req.headers.host ?? ''}" is not this server's address`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `Origin "${origin}" is not this server`;
  }
  if (parsed.protocol !== 'http:' || !allowed.has(parsed.host.toLowerCase())) return `Origin "${origin}" is not this server`;
  return null;
}

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from '../../../electron/app-files.js';
import { injectNonce, newNonce } from '../../../runner/host/static.js';
import { APP_INDEX_URL, buildCsp, isAllowedExternal, isAppUrl, isPermissionGranted, windowWebPreferences } from '../../../electron/security.js';

const ELECTRON_DIR = path.resolve(import.meta.dirname, '../../../electron');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
}

describe('window webPreferences', () => {
  it('are exactly the isolated, sandboxed set', () => {
    expect(windowWebPreferences('/app/preload.cjs')).toStrictEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });

  it('electron/ creates exactly one BrowserWindow, with windowWebPreferences', () => {
    const sources = readdirSync(ELECTRON_DIR).filter((f) => f.endsWith('.ts')).map((f) => ({ f, text: readFileSync(path.join(ELECTRON_DIR, f), 'utf8') }));
    const creations = sources.flatMap(({ f, text }) => [...text.matchAll(/new\s+BrowserWindow\s*\(/g)].map((m) => ({ f, at: m.index })));
    expect(creations.map((c) => c.f)).toEqual(['window.ts']);
    const text = sources.find((s) => s.f === 'window.ts')?.text ?? '';
    const call = text.slice(creations[0]?.at ?? 0, text.indexOf('});', creations[0]?.at ?? 0));
    expect(call).toMatch(/webPreferences:\s*windowWebPreferences\(preload\)/);
    // Nothing else may loosen the window after the fact.
    for (const { f, text: t } of sources) expect(t, f).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
  });
});

describe('Content-Security-Policy', () => {
  const nonce = newNonce();
  const csp = directives(buildCsp(nonce));

  it('allows only the app’s own scripts, and styles with this nonce', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    for (const [name, values] of csp) expect(values.some((v) => v.startsWith("'unsafe-")), name).toBe(false);
  });

  it('shuts plugins, base changes, forms and framing', () => {
    for (const d of ['object-src', 'base-uri', 'form-action', 'frame-src', 'frame-ancestors']) expect(csp.get(d), d).toEqual(["'none'"]);
  });

  it('makes a new nonce each time and refuses a malformed one', () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(Buffer.from(newNonce(), 'base64')).toHaveLength(16);
    expect(() => buildCsp("x' 'unsafe-inline")).toThrow(/not a nonce/);
  });

  it('puts the nonce meta first in the head', () => {
    expect(injectNonce('<!doctype html><html><head lang="en"><title>t</title></head></html>', 'abc')).toBe(
      '<!doctype html><html><head lang="en"><meta name="csp-nonce" content="abc"><title>t</title></head></html>',
    );
  });
});

describe('app:// protocol handler', () => {
  let dir: string;
  let root: string;
  const get = (url: string, method = 'GET') => serveAppRequest(root, new Request(url, { method }), 'bm9uY2Utbm9uY2Utbm9uY2U=');

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'curator-protocol-'));
    root = path.join(dir, 'renderer', 'dist');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head><title>Curator</title><script type="module" src="./assets/app.js"></script></head><body></body></html>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'package.json'), 'SECRET');
    writeFileSync(path.join(dir, 'renderer', 'secret.txt'), 'SECRET');
    symlinkSync(path.join(dir, 'package.json'), path.join(root, 'assets', 'link.js'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html with the CSP header and the same nonce in the page', async () => {
    const r = await get(APP_INDEX_URL);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toBe(buildCsp('bm9uY2Utbm9uY2Utbm9uY2U='));
    expect(await r.text()).toContain('<head><meta name="csp-nonce" content="bm9uY2Utbm9uY2Utbm9uY2U=">');
  });

  it('serves the app’s route paths as the index page, and its files with their types', async () => {
    expect((await get('app://curator/runs/abc')).headers.get('content-security-policy')).toMatch(/nonce-/);
    const js = await get('app://curator/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('app://curator/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    // The traversal cases of `curator serve`, plus a symbolic link pointing out of the folder.
    for (const target of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../../package.json', '/..%5c..%5cpackage.json', '/assets/..%2f..%2fsecret.txt', '/assets/link.js', '/%00index.html']) {
      const r = await get(`app://curator${target}`);
      expect([403, 404], target).toContain(r.status);
      expect(await r.text(), target).not.toContain('SECRET');
    }
    expect((await get('app://curator/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await get('app://curator/assets/link.js')).status).toBe(403);
  });

  it('answers only its own host and only GET or HEAD', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405);
    const head = await get('app://curator/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('shows a placeholder page, with the CSP, when no renderer is built', async () => {
    const r = await serveAppRequest(null, new Request(APP_INDEX_URL));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});

describe('URLs', () => {
  it('isAppUrl accepts only app://curator/', () => {
    expect(isAppUrl('app://curator/index.html#/history')).toBe(true);
    for (const u of ['app://other/index.html', 'https://curator/', 'file:///etc/passwd', 'app://user@curator/', 'javascript:alert(1)', 'not a url']) expect(isAppUrl(u), u).toBe(false);
  });

  it('isAllowedExternal accepts http and https only', () => {
    expect(isAllowedExternal('https://docs.nvidia.com/nemo/curator/')).toBe(true);
    expect(isAllowedExternal('http://localhost:8080/x')).toBe(true);
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'app://curator/', 'smb://host/share', 'ms-settings:', 'https://user:pw@example.com/', 'mailto:a@b.c', '']) expect(isAllowedExternal(u), u).toBe(false);
  });
});

describe('permissions', () => {
  it('grants the app page the clipboard write of its Copy buttons, and nothing else', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://curator')).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://curator/index.html#/runs/1')).toBe(true);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fileSystem']) expect(isPermissionGranted(p, 'app://curator'), p).toBe(false);
    for (const origin of ['https://example.com', 'app://other', 'file://', undefined]) expect(isPermissionGranted('clipboard-sanitized-write', origin), String(origin)).toBe(false);
  });
});

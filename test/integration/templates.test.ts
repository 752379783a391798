import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT, runCli, tempDir, readOutput } from './helpers.js';

/**
 * Every shipped template validates as it is and runs on the bundled sample data. Each is run from
 * a copy whose output paths point into a temporary folder (the input stays the bundled sample), so
 * the test never writes into the checkout.
 */
const TEMPLATES = path.join(ROOT, 'resources/templates');
const SAMPLE = path.join(ROOT, 'resources/sample');
const sampleDocs = readdirSync(SAMPLE)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) => readFileSync(path.join(SAMPLE, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string }));

type Summary = { status: string; stages: Array<{ name: string; items_in: number; items_out: number; removed?: { reasons: Record<string, number> }; counters?: Record<string, number> }> };

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => (tmp = tempDir('curator-templates-')));
afterAll(() => tmp.cleanup());

/** A copy of a template writing under the temp folder; returns its path and where it writes. */
function redirected(name: string): { file: string; out: string; removed: string } {
  const spec = parse(readFileSync(path.join(TEMPLATES, name), 'utf8')) as { stages: Array<{ stage: string; params?: Record<string, unknown> }> };
  const out = path.join(tmp.dir, name, 'out');
  const removed = path.join(tmp.dir, name, 'removed');
  for (const s of spec.stages) {
    if (!s.params) continue;
    if (s.params['file_paths'] !== undefined) s.params['file_paths'] = SAMPLE;
    if (s.stage.endsWith('Writer')) s.params['path'] = out;
    if (s.params['removed_path'] !== undefined) s.params['removed_path'] = removed;
  }
  const file = path.join(tmp.dir, `run-${name}`);
  writeFileSync(file, stringify(spec));
  return { file, out, removed };
}

async function run(name: string): Promise<{ summary: Summary; docs: Array<Record<string, unknown>>; removedTotal: number }> {
  const t = redirected(name);
  const r = await runCli(['run', t.file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout) as Summary;
  const removedTotal = summary.stages.reduce((n, s) => n + Object.values(s.removed?.reasons ?? {}).reduce((a, b) => a + b, 0), 0);
  return { summary, docs: readOutput(t.out).records, removedTotal };
}

describe('the shipped templates', () => {
  const names = readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml')).sort();

  it('are the ones the README lists, and each validates as shipped', async () => {
    expect(names).toEqual(['dedup.yaml', 'english-heuristics.yaml', 'language-filter.yaml', 'pii-redaction.yaml', 'quickstart.yaml']);
    for (const n of names) {
      const r = await runCli(['validate', path.join(TEMPLATES, n)]);
      expect(r.code, `${n}: ${r.stderr}`).toBe(0);
    }
  });

  it('english-heuristics removes documents per filter, and every document is kept or removed', async () => {
    const { summary, docs, removedTotal } = await run('english-heuristics.yaml');
    expect(summary.status).toBe('succeeded');
    const filter = summary.stages.find((s) => s.removed)!;
    expect(Object.keys(filter.removed!.reasons).every((r) => r.endsWith('Filter'))).toBe(true);
    expect(docs.length + removedTotal).toBe(sampleDocs.length);
    expect(docs.length).toBeGreaterThan(0);
  });

  it('dedup keeps one copy of each text', async () => {
    const { docs, removedTotal } = await run('dedup.yaml');
    const texts = docs.map((d) => d['text']);
    expect(new Set(texts).size).toBe(texts.length);
    expect(docs.length + removedTotal).toBe(sampleDocs.length);
    expect(docs.length).toBeLessThanOrEqual(new Set(sampleDocs.map((d) => d.text)).size);
  });

  it('language-filter keeps English and removes the other languages', async () => {
    const { docs } = await run('language-filter.yaml');
    const ids = new Set(docs.map((d) => d['id']));
    const byUrl = (part: string) => sampleDocs.filter((d) => (d as unknown as { url: string }).url.includes(part)).map((d) => d.id);
    for (const id of [...byUrl('example.fr'), ...byUrl('example.de'), ...byUrl('example.cn'), ...byUrl('example.ru')]) expect(ids.has(id), id).toBe(false);
    expect(docs.length).toBeGreaterThan(sampleDocs.length / 2);
    for (const d of docs) expect(String(d['language'])).toMatch(/'en'\]$/);
  });

  it('pii-redaction replaces e-mail addresses and phone numbers with typed placeholders', async () => {
    const { summary, docs } = await run('pii-redaction.yaml');
    const all = docs.map((d) => String(d['text'])).join('\n');
    expect(all).not.toMatch(/support@example\.com|\+1 \(415\) 555-0132|123-45-6789/);
    expect(all).toContain('<EMAIL_ADDRESS>');
    expect(all).toContain('<PHONE_NUMBER>');
    const counters = Object.assign({}, ...summary.stages.map((s) => s.counters ?? {})) as Record<string, number>;
    expect(Object.keys(counters).some((k) => k.startsWith('pii_'))).toBe(true);
    // Look-alikes stay: a version number and a price.
    expect(all).toContain('1.2.3.4');
    expect(all).toContain('$19.99');
  });
});

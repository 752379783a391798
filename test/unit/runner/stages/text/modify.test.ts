import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import { resolveFields } from '../../../../../runner/stages/text/modify.js';
import { stageCatalog } from '../../../../../runner/stages/catalog.js';
import { buildProcessing } from '../helpers.js';

function batch(rows: Array<Record<string, unknown>>): DocumentBatch {
  return new DocumentBatch({ task_id: 't1', dataset_name: 'd', data: rows });
}
async function run(raw: Record<string, unknown>, rows: Array<Record<string, unknown>>) {
  const built = buildProcessing('Modify', raw, '.');
  const out = await built.stage.process(batch(rows));
  if (!(out instanceof DocumentBatch)) throw new Error('expected a DocumentBatch');
  return { ...built, out };
}

describe('Modify stage', () => {
  it('is a text stage in the catalog, its modifier parameter listing the modifier types', () => {
    expect(getStage('Modify').category).toBe('text');
    const info = stageCatalog().find((s) => s.type === 'Modify');
    const modifier = info?.parameters.find((p) => p.name === 'modifier');
    expect(modifier?.required).toBe(true);
    expect(modifier?.description).toMatch(/UnicodeReformatter.*UrlRemover|UrlRemover.*UnicodeReformatter/);
  });
  it('modifies in place and is named after its modifier', async () => {
    const { stage, out } = await run({ modifier: { type: 'UrlRemover' } }, [{ id: 1, text: 'see https://x.org now' }, { id: 2, text: 'plain' }]);
    expect(stage.name).toBe('UrlRemover');
    expect(out.data).toEqual([{ id: 1, text: 'see  now' }, { id: 2, text: 'plain' }]);
    expect(out.task_id).toBe('t1');
  });
  it('does not change the input rows', async () => {
    const rows = [{ text: 'see https://x.org' }];
    await run({ modifier: { type: 'UrlRemover' } }, rows);
    expect(rows[0]?.text).toBe('see https://x.org');
  });
  it('writes to output_fields, keeping the input', async () => {
    const { out } = await run({ modifier: { type: 'UrlRemover' }, output_fields: 'clean' }, [{ text: 'a www.x.org' }]);
    expect(out.data).toEqual([{ text: 'a www.x.org', clean: 'a ' }]);
  });
  it('chains a list in order, named modifier_chain_of_..., and composes when all write one new field', async () => {
    const chain = [{ type: 'UrlRemover' }, { type: 'Slicer', left: 0, right: 3 }];
    const inPlace = await run({ modifier: chain }, [{ text: 'www.x.org abcdef' }]);
    expect(inPlace.stage.name).toBe('modifier_chain_of_UrlRemover_Slicer');
    expect(inPlace.out.data).toEqual([{ text: 'ab' }]); // " abcdef" sliced to " ab", stripped
    const intoNew = await run({ modifier: chain, output_fields: 'out' }, [{ text: 'www.x.org abcdef' }]);
    expect(intoNew.out.data).toEqual([{ text: 'www.x.org abcdef', out: 'ab' }]);
  });
  it('gives each modifier its own field when the lists have one per modifier', async () => {
    const { out } = await run(
      { modifier: [{ type: 'UrlRemover' }, { type: 'NewlineNormalizer' }], input_fields: ['a', 'b'], output_fields: ['a', 'b2'] },
      [{ a: 'x www.y.z', b: '1\n\n\n2' }],
    );
    expect(out.data).toEqual([{ a: 'x ', b: '1\n\n\n2', b2: '1\n\n2' }]);
    expect(resolveFields({ input_fields: ['a', 'b'], output_fields: 'o' }, 2)).toEqual([
      { read: 'a', write: 'o' },
      { read: 'b', write: 'o' },
    ]);
  });
  it('counts modified documents and what the modifiers report, per batch', async () => {
    const { counters } = await run({ modifier: { type: 'PiiModifier', anonymize_action: 'replace' } }, [
      { text: 'mail a@b.com, b@c.org, call 212-555-0199' },
      { text: 'nothing here' },
      { text: 'server 10.0.0.1' },
    ]);
    expect(counters).toEqual({ documents_modified: 2, pii_email_address: 2, pii_phone_number: 1, pii_ip_address: 1 });
  });
  it('errors on a missing or non-string input field, naming the stage, field and document origin', async () => {
    const built = buildProcessing('Modify', { modifier: { type: 'UrlRemover' }, input_fields: 'body' }, '.');
    await expect(async () => built.stage.process(batch([{ body: 'ok' }, { _curator_origin: '/data/a.jsonl:7' }]))).rejects.toThrow(/UrlRemover: text field "body" is missing in the document at \/data\/a\.jsonl:7/);
    await expect(async () => built.stage.process(batch([{ body: 3 }]))).rejects.toThrow(/"body" is not a string \(number\) in a document of task t1/);
  });
  it('validates each modifier against its own schema, with clear messages', () => {
    const p = getStage('Modify').params;
    const problems = (raw: unknown): string => {
      const r = p.safeParse(raw);
      return r.success ? 'parsed' : r.error.issues.map((i) => i.message).join(' | ');
    };
    expect(problems({ modifier: { type: 'NoSuchModifier' } })).toMatch(/modifier: unknown modifier type "NoSuchModifier"/);
    expect(problems({ modifier: [{ type: 'UrlRemover' }, { type: 'Slicer', lft: 3 }] })).toMatch(/modifier\[1\]: modifier Slicer: .*"lft"/);
    expect(problems({ modifier: { type: 'LineRemover' } })).toMatch(/modifier: modifier LineRemover: .* at "patterns"/);
    expect(problems({ modifier: [{ type: 'UrlRemover' }, { type: 'QuotationRemover' }], input_fields: ['a', 'b', 'c'] })).toMatch(/input_fields names 3 fields but there are 2 modifier/);
    expect(problems({ modifier: { type: 'UrlRemover' }, output_fields: ['a', 'b'] })).toMatch(/output_fields names 2 fields but there are 1 modifier/);
    expect(problems({ modifier: [] })).not.toBe('parsed');
    expect(problems({ modifier: { type: 'UrlRemover' }, bogus: 1 })).not.toBe('parsed');
    expect(problems({ modifier: { type: 'UrlRemover' } })).toBe('parsed');
  });
  it('fills modifier defaults and re-parses its own output (as a worker does)', () => {
    const p = getStage('Modify').params;
    const once = p.parse({ modifier: { type: 'PiiModifier' } });
    expect(once.modifier).toEqual({ type: 'PiiModifier', supported_entities: null, anonymize_action: 'redact' });
    expect(p.parse(once)).toEqual(once);
  });
  it('passes an empty batch through', async () => {
    const { out } = await run({ modifier: { type: 'UrlRemover' } }, []);
    expect(out.data).toEqual([]);
  });
});

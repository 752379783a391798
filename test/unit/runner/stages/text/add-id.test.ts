import { describe, it, expect } from 'vitest';
import { getStage } from '../../../../../runner/stages/registry.js';
import { DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import { buildProcessing } from '../helpers.js';

const batch = (rows: Array<Record<string, unknown>>, task_id = 'file_group_3') => new DocumentBatch({ task_id, dataset_name: 'd', data: rows });

describe('AddId stage', () => {
  it('is a text stage named add_id that requires id_field', () => {
    expect(getStage('AddId').category).toBe('text');
    expect(getStage('AddId').params.safeParse({}).success).toBe(false);
    expect(buildProcessing('AddId', { id_field: 'doc_id' }, '.').stage.name).toBe('add_id');
  });
  it('numbers the documents of a batch after the task id', async () => {
    const { stage } = buildProcessing('AddId', { id_field: 'doc_id' }, '.');
    const out = (await stage.process(batch([{ text: 'a' }, { text: 'b' }]))) as DocumentBatch;
    expect(out.data).toEqual([
      { text: 'a', doc_id: 'file_group_3_0' },
      { text: 'b', doc_id: 'file_group_3_1' },
    ]);
    expect(out.task_id).toBe('file_group_3');
  });
  it('puts id_prefix first, and treats an empty prefix as none', async () => {
    const withPrefix = buildProcessing('AddId', { id_field: 'id', id_prefix: 'web' }, '.').stage;
    expect(((await withPrefix.process(batch([{ text: 'a' }]))) as DocumentBatch).data[0]?.id).toBe('web_file_group_3_0');
    const empty = buildProcessing('AddId', { id_field: 'id', id_prefix: '' }, '.').stage;
    expect(((await empty.process(batch([{ text: 'a' }]))) as DocumentBatch).data[0]?.id).toBe('file_group_3_0');
  });
  it('errors when the field exists, naming it and the document origin, unless overwrite', async () => {
    const rows = [{ text: 'a' }, { text: 'b', id: 'x', _curator_origin: '/data/in.jsonl:2' }];
    const strict = buildProcessing('AddId', { id_field: 'id' }, '.').stage;
    await expect(async () => strict.process(batch(rows))).rejects.toThrow(/AddId: field "id" already exists in the document at \/data\/in\.jsonl:2; set overwrite: true/);
    const { stage, logs } = buildProcessing('AddId', { id_field: 'id', overwrite: true }, '.');
    const out = (await stage.process(batch(rows))) as DocumentBatch;
    expect(out.data.map((r) => r.id)).toEqual(['file_group_3_0', 'file_group_3_1']);
    expect(logs.some(([level, msg]) => level === 'warn' && /"id" already exists/.test(msg))).toBe(true);
    expect(rows[1]?.id).toBe('x');
  });
});

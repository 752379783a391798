import { copyFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelFile, defaultLangIdModelPath, fastTextMemoryBytes, loadFastTextModel } from '../../../../../../../runner/stages/text/filters/fasttext/model.js';
import { makeTempDir } from '../../../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('curator-fasttext-model-'));
});
afterAll(() => cleanup());

describe('fastText model cache', () => {
  it('loads a model once per process, whatever path spelling names it', async () => {
    const file = defaultLangIdModelPath();
    const [a, b] = await Promise.all([loadFastTextModel(file, 'test'), loadFastTextModel(file, 'test')]);
    expect(b).toBe(a);
    expect(await loadFastTextModel(relative(process.cwd(), file), 'test')).toBe(a);
    expect(a.file).toBe(file);
    expect(a.fileBytes).toBe(938013);
    expect(a.labels()).toHaveLength(176);
    expect(await fastTextMemoryBytes()).toBeGreaterThan(a.fileBytes);
  });

  it('loads a copy at another path as a separate model with the same predictions', async () => {
    const copy = join(dir, 'lid-copy.ftz');
    await copyFile(defaultLangIdModelPath(), copy);
    const [a, b] = await Promise.all([loadFastTextModel(defaultLangIdModelPath(), 'test'), loadFastTextModel(copy, 'test')]);
    expect(b).not.toBe(a);
    expect(b.predict1('Guten Morgen, wie geht es dir heute?')).toEqual(a.predict1('Guten Morgen, wie geht es dir heute?'));
  });

  it('does not cache a failed load, so a later call succeeds once the file exists', async () => {
    const later = join(dir, 'later.ftz');
    await expect(loadFastTextModel(later, 'FastTextLangId')).rejects.toThrow(/FastTextLangId: cannot read the fastText model ".*later\.ftz" \(ENOENT\)/);
    await copyFile(defaultLangIdModelPath(), later);
    expect((await loadFastTextModel(later, 'FastTextLangId')).predict1('Bonjour à tous')?.[1]).toBe('__label__fr');
  });

  it('checks a model file at plan time from its header', () => {
    expect(checkModelFile(defaultLangIdModelPath(), 'FastTextLangId')).toEqual([]);
    expect(checkModelFile(join(dir, 'absent.bin'), 'FastTextLangId')[0]).toMatch(/^FastTextLangId: cannot read the fastText model ".*absent\.bin" \(ENOENT\); set model_path/);
    expect(checkModelFile(dir, 'FastTextLangId')[0]).toMatch(/cannot read the fastText model .*\(EISDIR\)/);
  });
});

import { describe, it, expect } from 'vitest';
import { builtinStageModule, builtinStageTypes } from '../../../../runner/stages/modules.js';
import { listStages, findStage } from '../../../../runner/stages/registry.js';
import '../../../../runner/stages/index.js';

describe('built-in stage modules (what a worker imports)', () => {
  it('names every registered built-in type, and nothing else', () => {
    const registered = listStages(true).filter((d) => !d.module).map((d) => d.type).sort();
    expect(builtinStageTypes().sort()).toEqual(registered);
  });
  it('points each type at a module that registers it', async () => {
    for (const type of builtinStageTypes()) {
      const url = builtinStageModule(type);
      expect(url, type).toMatch(/^file:/);
      await import(url as string);
      expect(findStage(type), type).toBeDefined();
    }
    expect(builtinStageModule('NoSuchStage')).toBeNull();
  });
});

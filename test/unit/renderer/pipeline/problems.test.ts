// Problem sentences from the service mapped to stages and fields; templates retargeted as YAML edits.
import { describe, expect, it } from 'vitest';
import { indexProblems, paramProblems, parseProblem } from '../../../../renderer/src/pipeline/problems';
import { joinPath, normalizePath } from '../../../../renderer/src/pipeline/paths';
import { editPipelineText, moveItem, parsePipelineText, setValue } from '../../../../renderer/src/pipeline/yaml-sync';

describe('parseProblem', () => {
  it('reads line, stage and parameter', () => {
    expect(parseProblem('pipeline:4: stages[0] (JsonlReader): params.files_per_partition: Too small: expected number to be >=1')).toMatchObject({
      line: 4,
      stageIndex: 0,
      field: 'params.files_per_partition',
      message: 'Too small: expected number to be >=1',
    });
  });
  it('reads resources, nested filter parameters, the executor and whole-pipeline problems', () => {
    expect(parseProblem('pipeline:7: stages[1].resources.cpus: Too small: expected number to be >=0')).toMatchObject({ stageIndex: 1, field: 'resources.cpus' });
    expect(parseProblem('pipeline:12: stages[1] (ScoreFilter): params.filter[0].min_words: Too small')).toMatchObject({ stageIndex: 1, field: 'params.filter' });
    expect(parseProblem('pipeline:4: stages[0] (JsonlReader): params: unknown parameter "bogus"')).toMatchObject({ stageIndex: 0, field: 'params', message: 'unknown parameter "bogus"' });
    expect(parseProblem('pipeline:9: executor.config.execution_mode: Invalid option')).toMatchObject({ stageIndex: null, field: 'executor.config.execution_mode', message: 'Invalid option' });
    expect(parseProblem('pipeline:2: stages: a pipeline needs at least one stage')).toMatchObject({ stageIndex: null, field: null, line: 2 });
  });
  it('indexes problems by stage, field and executor key', () => {
    const index = indexProblems([
      'pipeline:4: stages[0] (JsonlReader): params.files_per_partition: Too small',
      'pipeline:9: executor.config.logging_interval: Too small',
      'pipeline:2: stages: a pipeline needs at least one stage',
    ]);
    expect(paramProblems(index, 0)).toEqual({ files_per_partition: ['Too small'] });
    expect(index.executor.get('executor.config.logging_interval')).toEqual(['Too small']);
    expect(index.general.map((p) => p.line)).toEqual([2]);
  });
});

describe('yaml edits', () => {
  const text = '# top\nname: x\nstages:\n  # first\n  - stage: A\n    params: {}\n  # second\n  - stage: B\n    params: { n: 1 } # inline\n';
  it('moves a stage with its comment and keeps flow style', () => {
    const moved = editPipelineText(text, moveItem(['stages'], 1, 0));
    expect(moved.indexOf('# second')).toBeLessThan(moved.indexOf('# first'));
    expect(moved).toContain('params: { n: 1 } # inline');
    expect(moved.startsWith('# top\n')).toBe(true);
  });
  it('sets and removes values in place', () => {
    const set = editPipelineText(text, setValue(['stages', 1, 'params', 'n'], 2), setValue(['stages', 0, 'params', 'm'], 'v'));
    expect(set).toContain('params: { n: 2 } # inline');
    const parsed = parsePipelineText(editPipelineText(set, setValue(['stages', 0, 'params', 'm'], undefined), setValue(['stages', 0, 'params', 'absent'], undefined)));
    expect(parsed.ok && parsed.data.stages[0]?.params).toEqual({});
  });
  it('reports the line of a syntax error', () => {
    const r = parsePipelineText('name: x\nstages:\n  - stage: A\n    params: { n: 1\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(4);
  });
});

describe('paths', () => {
  it('joins and folds POSIX and Windows paths', () => {
    expect(joinPath('/app/resources/templates', '../sample')).toBe('/app/resources/sample');
    expect(joinPath('C:\\App\\resources\\templates', '..\\sample')).toBe('C:\\App\\resources\\sample');
    expect(joinPath('/x', '/abs/path')).toBe('/abs/path');
    expect(normalizePath('/a/./b//c/..')).toBe('/a/b');
  });
});

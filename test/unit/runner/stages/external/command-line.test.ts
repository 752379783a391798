import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { commandLabel, externalCommandLines, formatCommand, resolveArgv, scriptOf, splitCommand } from '../../../../../runner/stages/external/command-line.js';
import { build } from '../helpers.js';
import type { ProcessingStage } from '../../../../../runner/pipeline/stage.js';

const base = path.resolve('/pipelines/project');
const resolve = (p: string) => path.resolve(base, p);

describe('a CommandStage command line', () => {
  it('splits a string on whitespace only, and keeps a list as written', () => {
    expect(splitCommand('  python3 -u  embed.py\t--fp16 ')).toEqual(['python3', '-u', 'embed.py', '--fp16']);
    expect(splitCommand(['python3', 'my model.py'])).toEqual(['python3', 'my model.py']);
  });

  it('resolves a program path against the pipeline folder, and leaves bare names and arguments', () => {
    expect(resolveArgv(['./bin/tool', 'data/x.txt'], resolve)).toEqual([path.join(base, 'bin/tool'), 'data/x.txt']);
    expect(resolveArgv('python3 scripts/embed.py', resolve)).toEqual(['python3', 'scripts/embed.py']);
    expect(resolveArgv(['/usr/bin/env', 'python3'], resolve)).toEqual(['/usr/bin/env', 'python3']);
  });

  it('finds the script of an interpreter command for checks and log prefixes', () => {
    expect(scriptOf(['python3', '-u', 'embed.py', '--fp16'])).toBe('embed.py');
    expect(scriptOf(['/opt/conda/bin/python3.11', 'x/run.py'])).toBe('x/run.py');
    expect(scriptOf(['python3', '-m', 'my.module'])).toBeNull();
    expect(scriptOf(['python3', '-c', 'print(1)'])).toBeNull();
    expect(scriptOf(['./tool', 'a.py'])).toBeNull();
    expect(commandLabel(['python3', 'models/embed.py'])).toBe('embed.py');
    expect(commandLabel(['/opt/bin/scorer', '--fast'])).toBe('scorer');
  });

  it('shows a command the way a shell user would type it', () => {
    expect(formatCommand(['python3', 'embed.py', '--name', "it's a model", 'a=b'])).toBe(`python3 embed.py --name 'it'\\''s a model' a=b`);
  });

  it('lists the stages that run programs, for the CLI', () => {
    const stages = [
      build('CommandStage', { command: 'python3 embed.py --fp16' }, base),
      build('EnvProbe', { command: ['nvidia-smi', '-L'] }, base),
      build('EnvProbe', {}, base),
    ] as ProcessingStage[];
    expect(externalCommandLines(stages)).toEqual([
      'This pipeline runs external commands:',
      `  command_stage (CommandStage): python3 embed.py --fp16  [in ${base}]`,
      '  env_probe (EnvProbe): nvidia-smi -L',
    ]);
    expect(externalCommandLines(stages.slice(2))).toEqual([]);
  });
});

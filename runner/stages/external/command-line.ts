/**
 * A CommandStage's command line: how it is written in a pipeline file (a list, or a string split
 * on whitespace), how relative paths resolve, how it is shown to the user, and the plan-time
 * check that the program (and an interpreter's script) exists.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessingStage } from '../../pipeline/stage.js';
import { findStage } from '../registry.js';

/** A command as written: a list of arguments, or a string split on whitespace (no quoting). */
export type CommandInput = string | readonly string[];

/** The argument list of a command as written. A string is split on runs of whitespace; quotes are not special. */
export function splitCommand(command: CommandInput): string[] {
  return typeof command === 'string' ? command.trim().split(/\s+/).filter(Boolean) : [...command];
}

/** True when a program name is a path (it has a slash) rather than a name looked up on PATH. */
export function isPathLike(program: string): boolean {
  return program.includes('/') || (process.platform === 'win32' && program.includes('\\'));
}

/**
 * The argument list with a relative program path (one with a slash, e.g. `./bin/tool`) resolved
 * by `resolve` (the pipeline file's folder). Bare names (`python3`) stay for PATH lookup, and
 * other arguments stay as written: they are relative to the working folder.
 */
export function resolveArgv(command: CommandInput, resolve: (p: string) => string): string[] {
  const argv = splitCommand(command);
  const [program, ...args] = argv;
  if (program === undefined) return argv;
  return [isPathLike(program) ? resolve(program) : program, ...args];
}

/** Quotes one argument for display, only when it needs it. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command as a user would type it, e.g. `python3 embed.py --model 'my model'`. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

const INTERPRETERS = /^(python[\d.]*|pypy[\d.]*|node|deno|bun|bash|sh|zsh|ruby|perl|Rscript|julia)(\.exe)?$/i;
const SCRIPT_EXT = /\.(py|js|mjs|cjs|ts|sh|bash|rb|pl|R|jl)$/i;

/**
 * The script an interpreter command runs (`python3 -u embed.py` → `embed.py`), or null: the first
 * argument after the interpreter's options when it has a script extension. `-m`/`-c`/`-e` mean
 * there is no script file.
 */
export function scriptOf(argv: readonly string[]): string | null {
  const [program, ...args] = argv;
  if (program === undefined || !INTERPRETERS.test(path.basename(program))) return null;
  for (const a of args) {
    if (/^-(m|c|e|-eval)$/.test(a)) return null;
    if (a.startsWith('-')) continue;
    return SCRIPT_EXT.test(a) ? a : null;
  }
  return null;
}

/** The short name log lines are prefixed with: the script of an interpreter, else the program's file name. */
export function commandLabel(argv: readonly string[]): string {
  const script = scriptOf(argv);
  return path.basename(script ?? argv[0] ?? 'command');
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (process.platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file PATH finds for a bare program name, or null. */
export async function findOnPath(program: string, pathVar: string | undefined): Promise<string | null> {
  const exts = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const file = path.join(dir, program + ext);
      if (await isExecutableFile(file)) return file;
    }
  }
  return null;
}

/**
 * Plan-time problems with a resolved command: the program is not on PATH, a program path does not
 * exist or is not executable, the working folder or an interpreter's script is missing.
 */
export async function checkCommand(argv: readonly string[], cwd: string, pathVar: string | undefined): Promise<string[]> {
  const [program] = argv;
  if (program === undefined || program === '') return ['command: the command is empty; give the program and its arguments, e.g. ["python3", "model.py"]'];
  const shown = formatCommand(argv);
  const problems: string[] = [];
  const dir = await stat(cwd).catch(() => null);
  if (!dir?.isDirectory()) problems.push(`cwd: the working folder ${cwd} of \`${shown}\` does not exist`);
  if (isPathLike(program)) {
    if (!(await stat(program).catch(() => null))) problems.push(`command: program ${program} does not exist (a relative program path is relative to the pipeline file's folder)`);
    else if (!(await isExecutableFile(program))) problems.push(`command: program ${program} is not an executable file (chmod +x it, or name its interpreter first, e.g. ["python3", "${path.basename(program)}"])`);
  } else if (!(await findOnPath(program, pathVar))) {
    problems.push(`command: program "${program}" of \`${shown}\` was not found on PATH; install it, or give its full path`);
  }
  const script = scriptOf(argv);
  if (script !== null && dir?.isDirectory() && !(await stat(path.resolve(cwd, script)).catch(() => null))) {
    problems.push(`command: script ${script} of \`${shown}\` does not exist in ${cwd} (arguments are relative to cwd, which defaults to the pipeline file's folder)`);
  }
  return problems;
}

/** A stage that runs a program on the user's machine, as the CLI lists it before a run. */
export interface ExternalCommand {
  stage: string;
  type: string;
  /** The program and its arguments (resolved), or null when the stage does not name them. */
  argv: string[] | null;
  cwd: string | null;
}

/**
 * The stages of a built pipeline that run programs on this machine: stages of the 'external'
 * category, and any stage given a `command` to run (EnvProbe). The CLI prints them before a run
 * starts; the service marks such pipelines so that the app asks first.
 */
export function externalCommandsOf(stages: readonly ProcessingStage[]): ExternalCommand[] {
  const out: ExternalCommand[] = [];
  for (const s of stages) {
    const raw = s.params.command;
    const argv = typeof raw === 'string' ? splitCommand(raw) : Array.isArray(raw) && raw.every((a) => typeof a === 'string') ? [...(raw as string[])] : null;
    if (findStage(s.type)?.category !== 'external' && !argv?.length) continue;
    out.push({ stage: s.name, type: s.type, argv: argv?.length ? argv : null, cwd: typeof s.params.cwd === 'string' ? s.params.cwd : null });
  }
  return out;
}

/** The lines the CLI prints about a pipeline's external commands (empty when there are none). */
export function externalCommandLines(stages: readonly ProcessingStage[]): string[] {
  const cmds = externalCommandsOf(stages);
  if (!cmds.length) return [];
  return [
    'This pipeline runs external commands:',
    ...cmds.map((c) => `  ${c.stage} (${c.type}): ${c.argv ? formatCommand(c.argv) : '(a program the stage chooses)'}${c.cwd ? `  [in ${c.cwd}]` : ''}`),
  ];
}

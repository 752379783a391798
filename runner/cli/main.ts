import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { runCommand, parseRunFlags, reportInvalid } from './run-command.js';
import { registerServeCommand } from './serve-command.js';
import { loadPipelineFile } from '../pipeline/pipeline-file.js';
import { ValidationError } from '../pipeline/errors.js';
import { planMachine } from '../engine/run-plan.js';
import { stageCatalog, type ParameterInfo } from '../stages/catalog.js';
import { pipelineJsonSchema } from '../pipeline/json-schema.js';
import { BACKENDS } from '../backends/index.js';
import { detectHardware, describeGraphicsControllers, unsupportedControllersNote, FAKE_GPUS_HELP } from '../hardware/detect.js';
import { EXIT } from './exit-codes.js';
import { table } from './format.js';
import { registerHistoryCommands } from './history-commands.js';

/** Set by a bundler's define (the self-contained build has no package.json beside it); absent in the tsc build. */
declare const __CURATOR_VERSION__: string | undefined;

const pkg = {
  version:
    typeof __CURATOR_VERSION__ === 'string'
      ? __CURATOR_VERSION__
      : (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
};

const program = new Command('curator')
  .description('Curator Desktop: run data-curation pipelines (NeMo Curator\u2019s model) on this machine')
  .version(pkg.version)
  .showHelpAfterError('(run `curator --help` for usage)');

// Set before the commands are added, so that they inherit it: usage errors exit with 2.
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : EXIT.invalid);
});

const backendOption = () => new Option('--backend <name>', 'backend, overriding the file\u2019s executor.backend').choices(Object.keys(BACKENDS));

program
  .command('run')
  .description('run a pipeline file (JSON or YAML)')
  .argument('<pipeline-file>', 'the pipeline file')
  .addOption(backendOption())
  .option('--config <json>', 'backend config as a JSON object, merged over the file\u2019s executor.config')
  .option('--cpus <n>', 'CPUs the run may use (default: all)')
  .option('--gpus <list>', 'GPU allow-list: comma-separated indices or UUIDs ("none" for no GPU)')
  .option('--json', 'print the run summary as one JSON object on the last line of standard output')
  .option('-v, --verbose', 'also print info-level worker logs')
  .addHelpText('after', '\nExit status: 0 succeeded, 1 the run failed, 2 invalid invocation or pipeline file (nothing started), 130 cancelled.')
  .action(async (file: string, opts) => {
    process.exitCode = await runCommand(file, opts);
  });

program
  .command('validate')
  .description('check a pipeline file and the machine it would run on, without running it')
  .argument('<pipeline-file>')
  .addOption(backendOption())
  .option('--config <json>', 'backend config as a JSON object')
  .option('--cpus <n>', 'CPUs the run may use')
  .option('--gpus <list>', 'GPU allow-list')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, opts) => {
    const flags = parseRunFlags(opts);
    if (flags.problems.length) return void (process.exitCode = reportInvalid(flags.problems, opts.json));
    try {
      const loaded = await loadPipelineFile(file, { backend: flags.backend, config: flags.config });
      const stages = loaded.pipeline.build();
      const plan = await planMachine(stages, { cpus: flags.cpus, gpus: flags.gpus, cpuFraction: Number(loaded.config.cpu_allocation_percentage ?? 1), minimumCpus: 0 });
      const result = { status: 'valid', name: loaded.data.name, backend: loaded.backend, config: loaded.config, stages: stages.map((s) => ({ name: s.name, type: s.type, resources: s.resources.toJSON(), batch_size: s.batch_size })), warnings: plan.warnings };
      if (opts.json) console.log(JSON.stringify(result));
      else console.log(`${file}: valid — pipeline "${loaded.data.name}", ${stages.length} stages after decomposition (${stages.map((s) => s.name).join(' → ')}), backend ${loaded.backend}`);
    } catch (e: unknown) {
      if (e instanceof ValidationError) process.exitCode = reportInvalid(e.problems, opts.json);
      else throw e;
    }
  });

program
  .command('describe')
  .description('print a pipeline file\u2019s stages as NeMo Curator\u2019s Pipeline.describe() does')
  .argument('<pipeline-file>')
  .action(async (file: string) => {
    try {
      const loaded = await loadPipelineFile(file);
      loaded.pipeline.build();
      console.log(loaded.pipeline.describe());
    } catch (e: unknown) {
      if (e instanceof ValidationError) process.exitCode = reportInvalid(e.problems, false);
      else throw e;
    }
  });

program
  .command('stages')
  .description('list the stage catalog with each parameter\u2019s type, default and description')
  .option('--json', 'print the catalog as JSON')
  .action((opts) => {
    const catalog = stageCatalog();
    const plain = (ps: ParameterInfo[]) => ps.map(({ schema: _s, ...p }) => p);
    if (opts.json) {
      return console.log(
        JSON.stringify({
          stages: catalog.map(({ parameters, components, ...s }) => ({
            ...s,
            parameters: plain(parameters),
            ...(components ? { components: { kind: components.kind, types: components.types.map((c) => ({ ...c, parameters: plain(c.parameters) })) } } : {}),
          })),
        }),
      );
    }
    const printed = new Set<string>();
    let category = '';
    for (const s of catalog) {
      if (s.category !== category) console.log(`\n[${(category = s.category)}]`);
      console.log(`\n${s.type} — ${s.description}`);
      if (!s.parameters.length) continue;
      const rows = s.parameters.map((p) => [p.name, p.type, p.default === undefined ? (p.required ? '(required)' : '') : JSON.stringify(p.default), p.description]);
      for (const l of table(['  parameter', 'type', 'default', 'description'], rows.map((r) => ['  ' + r[0], ...r.slice(1)] as string[]), 'all')) console.log(l);
      // Filters and modifiers are listed once, under the first stage that takes them.
      if (s.components && !printed.has(s.components.kind)) {
        printed.add(s.components.kind);
        console.log(`\n  ${s.components.kind}s, written { type: <name>, ...parameters }:`);
        for (const c of s.components.types) {
          console.log(`\n  ${c.type} — ${c.description}`);
          const crows = c.parameters.map((p) => ['    ' + p.name, p.type, p.default === undefined ? (p.required ? '(required)' : '') : JSON.stringify(p.default), p.description]);
          if (crows.length) for (const l of table(['    parameter', 'type', 'default', 'description'], crows, 'all')) console.log(l);
        }
      }
    }
  });

program
  .command('gpus')
  .description('list the NVIDIA GPUs this machine offers to runs, or say why there are none')
  .option('--json', 'print devices and the probe result as JSON')
  .addHelpText('after', `\nTesting aid:\n  ${FAKE_GPUS_HELP}`)
  .action(async (opts) => {
    const [hw, controllers] = await Promise.all([detectHardware(), describeGraphicsControllers().catch(() => [])]);
    const note = hw.gpus.length ? null : unsupportedControllersNote(controllers);
    if (opts.json) return console.log(JSON.stringify({ gpus: hw.gpus, probe: hw.gpu_probe, cpus: hw.cpus, cpu_model: hw.cpu_model, memory_total_bytes: hw.memory_total_bytes, controllers, note }));
    if (!hw.gpus.length) {
      console.log(`no usable GPU: ${hw.gpu_probe.reason ?? 'unknown reason'}`);
      if (note) console.log(note);
      return;
    }
    const rows = hw.gpus.map((g) => [String(g.index), g.name, g.uuid, `${g.memory_total_mb} MiB`, `${g.memory_used_mb} MiB`, g.utilization_pct === null ? '-' : `${g.utilization_pct}%`]);
    for (const l of table(['index', 'name', 'uuid', 'memory', 'used', 'util'], rows)) console.log(l);
    console.log(`source: ${hw.gpu_probe.source}${hw.gpu_probe.driver_version ? `, driver ${hw.gpu_probe.driver_version}` : ''}`);
  });

program
  .command('schema')
  .description('print the JSON Schema of pipeline files (generated from the stage schemas)')
  .action(() => console.log(JSON.stringify(pipelineJsonSchema(), null, 2)));

registerHistoryCommands(program);

registerServeCommand(program);



program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`curator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(EXIT.failed);
});

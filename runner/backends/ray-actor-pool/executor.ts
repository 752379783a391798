import type { ProcessingStage } from '../../pipeline/stage.js';
import type { Task, WireTask } from '../../pipeline/tasks.js';
import { StageFailedError, PlanError } from '../../pipeline/errors.js';
import { parseExecutorConfig } from '../executor-config.js';
import type { Executor, ExecutionResult, RunOptions } from '../../engine/executor.js';
import { EngineRun } from '../../engine/run.js';
import type { StagePool } from '../../engine/pool.js';
import { Rendezvous } from '../../engine/rendezvous.js';
import { RayActorPoolConfigSchema, type RayActorPoolConfig } from './config.js';
import { ActorPool } from './policy/actor-pool.js';
import { calculateOptimalActorsForStage, noTasksError } from './policy/actor-count.js';
import { arraySplit, isGangStage } from './gang.js';

/**
 * NeMo Curator's `RayActorPoolExecutor` on one machine: stage after stage with a barrier; the
 * actor count of each stage by `calculate_optimal_actors_for_stage` after `reserved_cpus` /
 * `reserved_gpus`; batches of `batch_size` load-balanced through an `ActorPool` with
 * `map_unordered` (one batch in flight per actor); gang ("RAFT actor") stages start N workers
 * together with rank, world size and a rendezvous address, and split the inputs evenly.
 */
export class RayActorPoolExecutor implements Executor {
  readonly backend = 'ray_actor_pool' as const;
  readonly config: RayActorPoolConfig;

  constructor(config: Partial<RayActorPoolConfig> = {}) {
    this.config = parseExecutorConfig(RayActorPoolConfigSchema, config, 'ray_actor_pool');
  }

  execute(stages: ProcessingStage[], initialTasks: Task[], options: RunOptions = {}): Promise<ExecutionResult> {
    return new ActorPoolRun(stages, initialTasks, options, this.config).execute();
  }
}

class ActorPoolRun extends EngineRun {
  private started = false;

  constructor(stages: ProcessingStage[], initial: Task[], options: RunOptions, private readonly cfg: RayActorPoolConfig) {
    super(stages, initial, options, { backend: 'ray_actor_pool', executionMode: null, ignoreFailures: false, slotsPerWorker: 1, loggingIntervalS: cfg.logging_interval, cpuFraction: 1 });
  }

  protected tick(): void {
    if (this.started) return;
    this.started = true;
    this.drive().catch((e: unknown) => this.fail(e));
  }

  private async drive(): Promise<void> {
    for (let k = 0; k < this.stages.length; k++) {
      const stage = this.stages[k] as ProcessingStage;
      const inputs = (k === 0 ? this.input : this.queues[k - 1])!.drain();
      if (!inputs.length) throw new StageFailedError(stage.name, null, noTasksError(stage.name).message);
      const gang = isGangStage(stage);
      let actors: number;
      try {
        const r = calculateOptimalActorsForStage({
          availableCpus: this.plan.cpus,
          availableGpus: this.plan.gpus.length,
          reservedCpus: this.cfg.reserved_cpus,
          reservedGpus: this.cfg.reserved_gpus,
          stage: { name: stage.name, cpus: stage.resources.cpus, gpus: stage.resources.gpus || (stage.resources.gpu_memory_gb > 0 ? 1 : 0), numWorkers: stage.num_workers(), batchSize: gang ? null : stage.batch_size },
          numTasks: inputs.length,
        });
        actors = r.actors;
        if (r.warning) this.warn(r.warning);
      } catch (e: unknown) {
        throw new PlanError([e instanceof Error ? e.message : String(e)]);
      }
      this.targets[k] = actors;
      this.log('info', 'engine', `stage ${stage.name}: ${actors} actor(s) for ${inputs.length} task(s)${gang ? ' (gang)' : ''}`);
      if (gang) await this.runGang(k, inputs, actors);
      else await this.runPlain(k, inputs, actors);
      this.done[k] = true;
      this.targets[k] = 0;
      await (this.pools[k] as StagePool).close();
    }
    await this.succeed();
  }

  /** Starts workers up to `n` (staggered start-up), waiting for capacity as needed. */
  private async startWorkers(k: number, n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Promise<void> {
    const pool = this.pools[k] as StagePool;
    let started = 0;
    await this.until(() => {
      while (started < n && this.startWorker(k, extra(started))) started++;
      return started >= n;
    });
    void pool;
  }

  private async runPlain(k: number, inputs: WireTask[], actors: number): Promise<void> {
    const pool = this.pools[k] as StagePool;
    const size = Math.max(1, (this.stages[k] as ProcessingStage).batch_size);
    const batches: WireTask[][] = [];
    for (let i = 0; i < inputs.length; i += size) batches.push(inputs.slice(i, i + size));
    const starting = this.startWorkers(k, actors);
    starting.catch(() => undefined); // awaited below; a cancelled run must not leave it unhandled
    const lanes = new ActorPool<number, WireTask[], unknown>(Array.from({ length: actors }, (_, i) => i));
    // One batch in flight per actor lane; the pool places each on a ready worker and re-runs it on
    // a replacement if its worker dies.
    for await (const reply of lanes.mapUnordered((_lane: number, batch: WireTask[]) => pool.runBatch(this.makeBatch(batch)), batches)) void reply;
    await starting;
  }

  private async runGang(k: number, inputs: WireTask[], n: number): Promise<void> {
    const pool = this.pools[k] as StagePool;
    const rv = await Rendezvous.open(n);
    try {
      await this.startWorkers(k, n, (rank) => ({ rank, world_size: n, rendezvous: rv.address }));
      await this.until(() => pool.readyCount >= n);
      const members = [...pool.workers.values()].sort((a, b) => Number(a.extra.rank) - Number(b.extra.rank));
      const groups = arraySplit(inputs, n);
      await Promise.all(members.map((w, i) => pool.runOn(w, this.makeBatch(groups[i] ?? []))));
    } finally {
      await rv.close();
    }
  }
}

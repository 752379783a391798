import cliProgress from 'cli-progress';
import type { RunEvent, StageStatus } from '../engine/events.js';

/** Where human output goes: stdout normally, stderr when stdout carries `--json`. */
export interface Sink {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Renders a run's event stream for a person. On a terminal: one progress bar per stage, with
 * items in / out, workers and throughput. Without a terminal: the periodic status log. Warnings
 * and errors always go to standard error.
 */
export class RunRenderer {
  private bars: cliProgress.MultiBar | null = null;
  private rows = new Map<string, cliProgress.SingleBar>();
  private lastItems = new Map<string, { t: number; items: number; rate: number }>();

  constructor(private readonly sink: Sink, private readonly tty: boolean, private readonly verbose = false) {}

  handle(e: RunEvent): void {
    switch (e.type) {
      case 'run_started':
        this.sink.err(`run ${e.run_id}: pipeline "${e.pipeline}" on ${e.backend}${e.execution_mode ? ` (${e.execution_mode})` : ''}, ${e.stages.length} stages`);
        if (this.tty) this.startBars(e.stages.map((s) => s.name));
        break;
      case 'stage_status':
        if (this.bars) this.updateBars(e.stages, e.t);
        break;
      case 'log':
        // The run's own closing error line is printed once, by the command, after the run.
        if (e.source === 'run') break;
        if (e.source === 'status') {
          if (!this.tty) this.sink.out(e.message);
        } else if (e.level === 'warn' || e.level === 'error') this.line(`${e.level}: [${e.source}] ${e.message}`);
        else if (this.verbose) this.line(`[${e.source}] ${e.message}`);
        break;
      case 'run_finished':
        this.stop();
        break;
      case 'task_processed':
      case 'hardware_sample':
        break;
    }
  }

  private line(text: string): void {
    if (this.bars) this.bars.log(text + '\n');
    else this.sink.err(text);
  }

  private startBars(names: string[]): void {
    const width = Math.max(...names.map((n) => n.length));
    this.bars = new cliProgress.MultiBar(
      {
        format: `{stage} |{bar}| {value}/{total} batches | items {itemsIn} → {itemsOut} | workers {workers} | {rate} items/s{done}`,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        barsize: 24,
        stream: process.stderr,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    for (const n of names) this.rows.set(n, this.bars.create(1, 0, { stage: n.padEnd(width), itemsIn: 0, itemsOut: 0, workers: 0, rate: '0', done: '' }));
  }

  private updateBars(stages: StageStatus[], t: number): void {
    for (const s of stages) {
      const bar = this.rows.get(s.name);
      if (!bar) continue;
      const prev = this.lastItems.get(s.name);
      let rate = prev?.rate ?? 0;
      if (prev && t > prev.t) rate = (0.6 * (s.items.in - prev.items) * 1000) / (t - prev.t) + 0.4 * rate;
      this.lastItems.set(s.name, { t, items: s.items.in, rate });
      const total = s.tasks.completed + s.tasks.failed + s.queue.input + s.slots.used;
      bar.setTotal(Math.max(1, total));
      bar.update(s.tasks.completed + s.tasks.failed, {
        itemsIn: s.items.in,
        itemsOut: s.items.out,
        workers: s.workers.ready + s.workers.pending,
        rate: rate >= 100 ? rate.toFixed(0) : rate.toFixed(1),
        done: s.done ? ' ✓' : '',
      });
    }
  }

  /** Stops the bars, leaving their last state on screen. */
  stop(): void {
    this.bars?.stop();
    this.bars = null;
  }
}

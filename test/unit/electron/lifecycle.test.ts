import { describe, expect, it } from 'vitest';
import { Lifecycle, WORKER_GRACE_MS, type LeaveChoice, type LifecycleEffects } from '../../../electron/lifecycle.js';

function setup(active: number, choice: LeaveChoice) {
  const calls: string[] = [];
  const fx: LifecycleEffects = {
    activeRuns: async () => active,
    ask: async (n) => {
      calls.push(`ask ${n}`);
      return choice;
    },
    toBackground: () => void calls.push('background'),
    closeService: async () => void calls.push('close service'),
    killWorkers: async (ms) => void calls.push(`kill workers ${ms}`),
    closeHistory: () => void calls.push('close history'),
    exit: (code) => void calls.push(`exit ${code}`),
    log: (m) => void calls.push(`log ${m}`),
  };
  return { life: new Lifecycle(fx), calls, fx };
}

const SHUTDOWN = ['close service', `kill workers ${WORKER_GRACE_MS}`, 'close history', 'exit 0'];

describe('leaving the app', () => {
  it('quits without asking when no run is going', async () => {
    const t = setup(0, 'stay');
    await t.life.requestQuit(true);
    expect(t.calls).toEqual(SHUTDOWN);
  });

  it('with runs going, asks; "Go back" keeps everything, "Keep running" hides the window', async () => {
    const stay = setup(2, 'stay');
    await stay.life.requestQuit(true);
    expect(stay.calls).toEqual(['ask 2']);
    expect(stay.life.exiting).toBe(false);
    const bg = setup(1, 'background');
    await bg.life.requestQuit(true);
    expect(bg.calls).toEqual(['ask 1', 'background']);
  });

  it('"Cancel runs and quit" closes the service, then workers, then the history, once', async () => {
    const t = setup(1, 'quit');
    // Two clicks on the close button ask once; a later Quit from the tray finds the shutdown under way.
    await Promise.all([t.life.requestQuit(true), t.life.requestQuit(true)]);
    await t.life.requestQuit(false);
    expect(t.calls).toEqual(['ask 1', ...SHUTDOWN]);
    expect(t.life.exiting).toBe(true);
  });

  it('a failing step does not stop the others', async () => {
    const t = setup(0, 'quit');
    t.fx.closeService = async () => {
      throw new Error('boom');
    };
    await t.life.shutdown();
    expect(t.calls).toEqual(['log stopping the service failed: boom', ...SHUTDOWN.slice(1)]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  backpressuredBy,
  canAddInput,
  maxTaskOutputBytesToRead,
  reservationBudgets,
  selectOperatorToRun,
  type OperatorState,
  type ResourceVector,
} from '../../../../../../runner/backends/ray-data/policy/scheduling.js';

const MB = 1024 * 1024;

function res(cpu: number, objectStoreBytes = 0, gpu = 0): ResourceVector {
  return { cpu, gpu, objectStoreBytes };
}

function op(index: number, extra: Partial<OperatorState> = {}): OperatorState {
  return {
    index,
    completed: false,
    hasInput: true,
    canAcceptInput: true,
    runningTasks: 0,
    concurrencyCap: null,
    usage: res(0),
    incremental: res(1),
    outputBufferedBytes: 0,
    throttlingDisabled: false,
    ...extra,
  };
}

const unlimited = (n: number) => new Array<ResourceVector | null>(n).fill(null);

describe('selectOperatorToRun (schedulers.md §4 item 6)', () => {
  it('dispatches the operator holding 1 MB before the one holding 10 MB', () => {
    const ops = [op(0, { usage: res(0, 10 * MB) }), op(1, { usage: res(0, 1 * MB) })];
    expect(selectOperatorToRun(ops, unlimited(2), { consumerIdle: false })).toEqual({ index: 1, position: 1, liveness: false });
  });

  it('still dispatches one when both are back-pressured, nothing runs and the consumer is idle', () => {
    const exhausted = [res(0, 0, Infinity), res(0, 0, Infinity)];
    const ops = [op(0, { usage: res(0, 10 * MB) }), op(1, { usage: res(0, 1 * MB) })];
    expect(selectOperatorToRun(ops, exhausted, { consumerIdle: false })).toBeNull();
    expect(selectOperatorToRun(ops, exhausted, { consumerIdle: true })).toEqual({ index: 1, position: 1, liveness: true });
  });

  it('gives no liveness pass while any operator has a running task', () => {
    const exhausted = [res(0, 0, Infinity), res(0, 0, Infinity)];
    const ops = [op(0), op(1), op(2, { completed: true, hasInput: false, runningTasks: 0 })];
    expect(selectOperatorToRun(ops, [...exhausted, null], { consumerIdle: true })?.index).toBe(0);
    ops[1] = op(1, { runningTasks: 1 });
    expect(selectOperatorToRun(ops, [...exhausted, null], { consumerIdle: true })).toBeNull();
  });

  it('never picks an operator without input, without a free slot, or completed', () => {
    const ops = [
      op(0, { hasInput: false }),
      op(1, { canAcceptInput: false }),
      op(2, { completed: true }),
      op(3, { usage: res(0, 50 * MB) }),
    ];
    expect(selectOperatorToRun(ops, unlimited(4), { consumerIdle: true })?.index).toBe(3);
    expect(selectOperatorToRun(ops.slice(0, 3), unlimited(3), { consumerIdle: true })).toBeNull();
  });

  it('ranks throttling-disabled operators first, then breaks ties by the lowest index', () => {
    const ops = [op(0, { usage: res(0, 5) }), op(1, { usage: res(0, 500), throttlingDisabled: true }), op(2, { usage: res(0, 5) })];
    expect(selectOperatorToRun(ops, unlimited(3), { consumerIdle: false })?.index).toBe(1);
    ops[1] = op(1, { usage: res(0, 5) });
    expect(selectOperatorToRun(ops, unlimited(3), { consumerIdle: false })?.index).toBe(0);
  });
});

describe('back-pressure policies', () => {
  it('ConcurrencyCap allows while running < cap', () => {
    expect(canAddInput('ConcurrencyCap', op(0, { concurrencyCap: 2, runningTasks: 1 }), null)).toBe(true);
    expect(canAddInput('ConcurrencyCap', op(0, { concurrencyCap: 2, runningTasks: 2 }), null)).toBe(false);
    expect(canAddInput('ConcurrencyCap', op(0, { concurrencyCap: null, runningTasks: 99 }), null)).toBe(true);
  });

  it('ResourceBudget allows while one more task fits the budget', () => {
    const o = op(0, { incremental: res(1, 100) });
    expect(canAddInput('ResourceBudget', o, res(1, 100, Infinity))).toBe(true);
    expect(canAddInput('ResourceBudget', o, res(0.5, 100, Infinity))).toBe(false);
    expect(canAddInput('ResourceBudget', o, res(1, 99, Infinity))).toBe(false);
    expect(canAddInput('ResourceBudget', o, null)).toBe(true);
  });

  it('a capped task pool is skipped for a bigger but uncapped operator', () => {
    const ops = [op(0, { concurrencyCap: 2, runningTasks: 2 }), op(1, { usage: res(0, 10 * MB), runningTasks: 1 })];
    expect(backpressuredBy(ops[0] as OperatorState, null)).toEqual(['ConcurrencyCap']);
    expect(selectOperatorToRun(ops, unlimited(2), { consumerIdle: true })?.index).toBe(1);
  });
});

describe('reservationBudgets', () => {
  it('two operators: 8 CPUs and 1000 bytes', () => {
    // default share = limits × 0.5 / 2 = {2 CPU, 250 B}; 125 B of it for outputs.
    // Reservations {2, 250} each -> shared = {4, 500}; reserved excluding outputs = {2, 125}.
    // Usage: op0 {1 CPU, 100 B} -> own budget {1, 25}; op1 {3 CPU, 50 B} -> own {0, 75}, 1 CPU over.
    // Remaining shared {4 - 1, 500} = {3, 500}; op1 (downstream) first gets half: {1.5, 250};
    // op0 gets the rest: {1.5, 250}.
    const ops = [op(0, { usage: res(1, 100), incremental: res(1, 100) }), op(1, { usage: res(3, 50), incremental: res(1, 50) })];
    const a = reservationBudgets(res(8, 1000), ops);
    expect(a.reserved).toEqual([res(2, 125), res(2, 125)]);
    expect(a.reservedForOutputs).toEqual([125, 125]);
    expect(a.reservedMinimum).toEqual([true, true]);
    expect(a.shared).toEqual(res(4, 500));
    expect(a.budgets).toEqual([res(2.5, 275, Infinity), res(1.5, 325, Infinity)]);
  });

  it('three operators: a downstream operator short of one task borrows, the upstream one is starved', () => {
    // default share = {12 × 0.5 / 3, 1200 × 0.5 / 3} = {2, 200}; 100 B for outputs.
    // op2's task needs 4 CPUs: its reservation is max({2, 200}, {4, 10 + 100}) = {4, 200}.
    // shared = {12 - 2 - 2 - 4, 1200 - 600} = {4, 600}.
    // Usage: op0 {2, 400} (300 B over its 100 B), op1 nothing, op2 {4, 0}.
    // Own budgets: op0 {0, 0}, op1 {2, 100}, op2 {0, 100}; remaining shared {4, 300}.
    // op2: share {4/3, 100}, short of 4 CPUs by 8/3 -> borrows -> {4, 100}; remaining {0, 200}.
    // op1: share {0, 100}; remaining {0, 100}.  op0: share {0, 100}; borrowing 1 CPU does not fit.
    const ops = [
      op(0, { usage: res(2, 400), incremental: res(1, 10) }),
      op(1, { usage: res(0, 0), incremental: res(1, 10) }),
      op(2, { usage: res(4, 0), incremental: res(4, 10) }),
    ];
    const a = reservationBudgets(res(12, 1200), ops);
    expect(a.reserved).toEqual([res(2, 100), res(2, 100), res(4, 100)]);
    expect(a.shared).toEqual(res(4, 600));
    const [b0, b1, b2] = a.budgets;
    expect(b0).toEqual(res(0, 100, Infinity));
    expect(b1).toEqual(res(2, 200, Infinity));
    expect(b2?.cpu).toBeCloseTo(4, 9);
    expect(b2?.objectStoreBytes).toBe(200);
    expect(b2?.gpu).toBe(Infinity);
    expect(backpressuredBy(ops[0] as OperatorState, b0 ?? null)).toEqual(['ResourceBudget']);
    expect(backpressuredBy(ops[2] as OperatorState, b2 ?? null)).toEqual([]);
  });

  it('an operator whose minimum no longer fits reserves nothing and keeps 1 output byte', () => {
    // default share {2 × 0.5 / 2, 400 × 0.5 / 2} = {0.5, 100}, 50 B for outputs.
    // op0's task needs 1.5 CPUs -> reserves max({0.5, 100}, {1.5, 0 + 50}) = {1.5, 100}; shared {0.5, 300}.
    // op1's {1, 100} does not fit {0.5, 300}: reserved 0, outputs 1, shared {0.5, 299}.
    const ops = [op(0, { incremental: res(1.5, 0), outputBufferedBytes: 80 }), op(1, { incremental: res(1, 0) })];
    const a = reservationBudgets(res(2, 400), ops);
    expect(a.reservedMinimum).toEqual([true, false]);
    expect(a.reserved[1]).toEqual(res(0, 0));
    expect(a.reservedForOutputs).toEqual([50, 1]);
    expect(a.shared).toEqual(res(0.5, 299));
    // op0 has used up its 50 output bytes (80 buffered) but may still read 1 byte, because op1
    // could not reserve its minimum.
    expect(maxTaskOutputBytesToRead(a, ops, 0)).toBe((a.budgets[0]?.objectStoreBytes ?? NaN) + 1);
  });

  it('completed operators are left out of the split but their usage still comes out of the shared pool', () => {
    // One eligible operator: default share {4 × 0.5, 1000 × 0.5} = {2, 500}, 250 B for outputs.
    // shared = {2, 500}, minus the completed operator's {1, 200} -> {1, 300}, all to op1.
    const ops = [op(0, { completed: true, usage: res(1, 200) }), op(1)];
    const a = reservationBudgets(res(4, 1000), ops);
    expect(a.budgets[0]).toBeNull();
    expect(a.budgets[1]).toEqual(res(2 + 1, 250 + 300, Infinity));
    expect(maxTaskOutputBytesToRead(a, ops, 0)).toBeNull();
  });

  it('the output-read limit is the budget plus the output reservation left', () => {
    const ops = [op(0, { outputBufferedBytes: 100 }), op(1)];
    const a = reservationBudgets(res(8, 1000), ops);
    // reservedForOutputs = 125; 100 already buffered -> 25 left.
    expect(maxTaskOutputBytesToRead(a, ops, 0)).toBe((a.budgets[0]?.objectStoreBytes ?? NaN) + 25);
    // 200 buffered -> none left, and op1 did reserve its minimum, so no extra byte.
    const full = [op(0, { outputBufferedBytes: 200 }), op(1)];
    expect(maxTaskOutputBytesToRead(reservationBudgets(res(8, 1000), full), full, 0)).toBe(a.budgets[0]?.objectStoreBytes);
  });
});

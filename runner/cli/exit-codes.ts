/** Exit statuses of `curator`: 0 succeeded, 1 the run failed, 2 invalid invocation or pipeline file, 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, cancelled: 130 } as const;

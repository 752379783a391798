import { describe, expect, it } from 'vitest';
import { workerEnv } from '../../../../runner/hardware/allocator.js';

describe('workerEnv', () => {
  it('gives CPU-only workers an empty CUDA_VISIBLE_DEVICES, replacing the parent value', () => {
    const base = { PATH: '/bin', CUDA_VISIBLE_DEVICES: '0,1' };
    expect(workerEnv(base, null)).toEqual({ PATH: '/bin', CUDA_VISIBLE_DEVICES: '' });
    expect(workerEnv(base, [])['CUDA_VISIBLE_DEVICES']).toBe('');
  });

  it('pins GPU workers by uuid, falling back to the index where a uuid is missing', () => {
    const env = workerEnv({}, [
      { uuid: 'GPU-aaaa', index: 3 },
      { uuid: '', index: 1 },
    ]);
    expect(env).toEqual({ CUDA_VISIBLE_DEVICES: 'GPU-aaaa,1' });
  });

  it('stringifies extra values, lets undefined and null remove a key, and never lets extra override the devices', () => {
    const env = workerEnv({ KEEP: 'yes', DROP: 'x', NULLED: 'x' }, [{ uuid: 'GPU-a', index: 0 }], {
      OMP_NUM_THREADS: 4,
      VERBOSE: true,
      BIG: 10n,
      CONFIG: { a: [1] },
      DROP: undefined,
      NULLED: null,
      CUDA_VISIBLE_DEVICES: '7',
    });
    expect(env).toEqual({
      KEEP: 'yes',
      OMP_NUM_THREADS: '4',
      VERBOSE: 'true',
      BIG: '10',
      CONFIG: '{"a":[1]}',
      CUDA_VISIBLE_DEVICES: 'GPU-a',
    });
  });

  it('drops keys a child environment cannot carry and undefined values', () => {
    const env = workerEnv({ '': 'empty', '=C:': 'C:\\', 'A=B': 'x', 'NUL\0KEY': 'x', NUL_VALUE: 'a\0b', UNSET: undefined, OK: 'fine' }, null, {
      'X=Y': 1,
      '': 2,
    });
    expect(env).toEqual({ OK: 'fine', CUDA_VISIBLE_DEVICES: '' });
  });

  it('removes other spellings of CUDA_VISIBLE_DEVICES and keeps odd but valid names as data', () => {
    const base = JSON.parse('{"cuda_visible_devices":"0","__proto__":"kept"}') as NodeJS.ProcessEnv;
    const env = workerEnv(base, null);
    expect(Object.keys(env).sort()).toEqual(['CUDA_VISIBLE_DEVICES', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(env, '__proto__')?.value).toBe('kept');
  });

  it('does not modify its inputs', () => {
    const base = { PATH: '/bin', CUDA_VISIBLE_DEVICES: '0', BAD: undefined };
    const extra = { N: 1 };
    const baseCopy = { ...base };
    const env = workerEnv(base, [{ uuid: 'GPU-a', index: 0 }], extra);
    env['PATH'] = 'changed';
    expect(base).toEqual(baseCopy);
    expect('BAD' in base).toBe(true);
    expect(extra).toEqual({ N: 1 });
  });
});

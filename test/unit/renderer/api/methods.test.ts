import { describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../../../renderer/src/api/methods';
import { apiErrorOf, CuratorClientError } from '../../../../renderer/src/api/errors';
import { API_METHODS } from '../../../../runner/service/schemas.js';

// The renderer may import the contract only as types, so it keeps its own list of method names;
// it must be exactly the service's.
describe('renderer API method list', () => {
  it('equals the service API_METHODS', () => {
    expect([...API_METHOD_NAMES].sort()).toEqual([...API_METHODS].sort());
    expect(new Set(API_METHOD_NAMES).size).toBe(API_METHOD_NAMES.length);
  });
});

describe('apiErrorOf', () => {
  it('reads the WebSocket client error, the preload plain object, and anything else', () => {
    expect(apiErrorOf(new CuratorClientError({ code: 'not_found', message: 'no run "x"' }))).toEqual({ code: 'not_found', message: 'no run "x"' });
    expect(apiErrorOf({ code: 'invalid_argument', message: 'bad', problems: ['a: b', 3] })).toEqual({ code: 'invalid_argument', message: 'bad', problems: ['a: b'] });
    expect(apiErrorOf(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(apiErrorOf({ code: 'weird', message: 'odd' })).toEqual({ code: 'internal', message: 'odd' });
    expect(apiErrorOf('text')).toEqual({ code: 'internal', message: 'text' });
    expect(apiErrorOf(undefined)).toEqual({ code: 'internal', message: 'unknown error' });
  });
});

/**
 * The service's method names as a plain list, for the clients that build the API by name (the
 * Electron preload and the renderer's WebSocket client), which may not pull in the runner's schemas
 * (zod, the stage catalog, Node built-ins). The type check below fails when the contract gains a
 * method this list lacks; `scripts/build-preload.mjs` and a unit test compare it with `API_METHODS`.
 */
import type { ApiMethod } from './contract.js';

export const API_METHOD_NAMES = [
  'catalog',
  'hardware',
  'hardwareSample',
  'validatePipeline',
  'startRun',
  'cancelRun',
  'listRuns',
  'getRun',
  'compareRuns',
  'deleteRun',
  'pruneRuns',
  'runLogs',
  'runMetrics',
  'previewInput',
  'previewOutput',
  'removedDocuments',
  'settings',
  'updateSettings',
] as const satisfies readonly ApiMethod[];

/** Never: a method of the contract missing from the list above makes this line a type error. */
type Missing = Exclude<ApiMethod, (typeof API_METHOD_NAMES)[number]>;
const everyMethodListed: [Missing] extends [never] ? true : Missing = true;
void everyMethodListed;

// The service contract's types the run views use, in one place (type-only: nothing of runner/ reaches the bundle).
export type {
  AppSettings,
  BackendName,
  CuratorEvent,
  MetricsPoint,
  RemovalCount,
  RemovedSample,
  RunComparison,
  RunDetail,
  RunListItem,
  RunListQuery,
  RunSummary,
  StartRunRequest,
  UpdateSettingsRequest,
} from '../../../runner/service/contract';
export type { HardwareInventory } from '../../../runner/service/contract';
import type { HardwareInventory } from '../../../runner/service/contract';

/** One GPU of the hardware inventory. */
export type GpuDevice = HardwareInventory['gpus'][number];

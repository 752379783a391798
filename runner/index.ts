/**
 * The public TypeScript API of the runner (`curator-desktop/runner`): the pipeline model, the
 * stage classes, the executors and the autoscaler.
 */
export { Pipeline } from './pipeline/pipeline.js';
export { ProcessingStage, CompositeStage } from './pipeline/stage.js';
export type { AnyStage, StageOverrides, StageSpec, WorkerMetadata, NodeInfo, LogLevel, StageRuntime, ProcessResult } from './pipeline/stage.js';
export { Resources } from './pipeline/resources.js';
export type { ResourcesInit } from './pipeline/resources.js';
export { Task, DocumentBatch, FileGroupTask, EmptyTask, fromWire } from './pipeline/tasks.js';
export type { DocumentRecord, WireTask, TaskKind } from './pipeline/tasks.js';
export type { StagePerfStats } from './pipeline/perf.js';
export { addPerf, perfItems } from './pipeline/perf.js';
export { assignTaskIds } from './pipeline/task-ids.js';
export { ValidationError, PlanError, StageFailedError, StageSetupError, RunCancelledError } from './pipeline/errors.js';
export { loadPipelineFile, parsePipeline, PipelineFileSchema } from './pipeline/pipeline-file.js';
export type { LoadedPipeline, PipelineFileData } from './pipeline/pipeline-file.js';

export { registerStage, getStage, findStage, listStages } from './stages/registry.js';
export type { StageDefinition, StageCategory, CreateContext } from './stages/registry.js';
export * from './stages/index.js';

export { XennaExecutor } from './backends/xenna/executor.js';
export type { XennaConfig } from './backends/xenna/config.js';
export { solveAllocation, AllocationError } from './backends/xenna/autoscaler.js';
export type { AllocationProblem, AllocationStage, AllocationResult } from './backends/xenna/autoscaler.js';
export { BACKENDS, BACKEND_NAMES, createExecutor } from './backends/index.js';

export type { Executor, ExecutionResult, RunOptions } from './engine/executor.js';
export type { RunEvent, RunSummary, StageSummary, StageStatus, BackendName } from './engine/events.js';
export { summaryOf } from './engine/run.js';
export { startRun } from './engine/run-handle.js';
export type { RunHandle } from './engine/run-handle.js';
export { NodeWorkerLauncher } from './engine/launcher.js';
export type { WorkerLauncher, WorkerProcess, LaunchOptions } from './engine/launcher.js';

export { detectHardware, detectGpus } from './hardware/detect.js';
export type { HardwareInventory, GpuDevice } from './hardware/types.js';

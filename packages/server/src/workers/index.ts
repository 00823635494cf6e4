/** The worker runtime's public surface, for the composition root and job/consumer authors. */
export { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff.js';
export {
  defineConsumer,
  defineJob,
  PermanentJobError,
  type ConsumerBatchResult,
  type ConsumerContext,
  type ConsumerDefinition,
  type JobContext,
  type JobDefinition,
  type ScheduledPayload,
} from './definitions.js';
export { enqueue, jobRepository, type Enqueued, type EnqueueInput, type JobRow, type JobState } from './job-repository.js';
export { createWorkerRuntime, JOB_CHANNEL, type WorkerRuntime, type WorkerRuntimeOptions } from './runtime.js';
export { onDemandRuntime } from './on-demand.js';
export { runKey, type ScheduleOverrides } from './scheduler.js';
export { systemTimers, type Timers } from './timers.js';

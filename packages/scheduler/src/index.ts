/** @farmhand/scheduler: pure scheduling — a farm snapshot in, bookings and reasons out. */

export * from './depends';
export { type ExplainCode, type ExplainLine, type ExplainTarget, type Explanation, explain } from './explain';
export { DEFAULT_LAYER_TAG } from './farm';
export { Scheduler, schedule, scheduleHost } from './scheduler';
export * from './types';
export type { NewJob } from './updates';

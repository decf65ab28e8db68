/** @farmhand/scheduler: pure scheduling — a farm snapshot in, bookings and reasons out. */

export * from './depends';
export { DEFAULT_LAYER_TAG } from './farm';
export { Scheduler, schedule, scheduleHost } from './scheduler';
export * from './types';

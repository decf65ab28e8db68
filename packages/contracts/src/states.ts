/**
 * The state enums every part of Farmhand shares. Names follow OpenCue where it has them.
 * The Prisma schemas declare the same enums; `test/contracts.test.ts` keeps them identical.
 */
export const FRAME_STATES = ['WAITING', 'DEPEND', 'SETUP', 'RUNNING', 'SUCCEEDED', 'DEAD', 'EATEN'] as const;
export type FrameState = (typeof FRAME_STATES)[number];

/** PENDING: nothing running yet; FAILED: nothing left to run but some frames are DEAD. */
export const JOB_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'KILLED'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const LAYER_TYPES = ['RENDER', 'PRE', 'POST', 'UTIL', 'PREVIEW'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

export const HOST_STATES = ['UP', 'DOWN', 'REPAIR'] as const;
export type HostState = (typeof HOST_STATES)[number];

export const HOST_LOCKS = ['OPEN', 'LOCKED', 'NIMBY_LOCKED'] as const;
export type HostLock = (typeof HOST_LOCKS)[number];

export const DEPEND_TYPES = [
  'JOB_ON_JOB',
  'JOB_ON_LAYER',
  'JOB_ON_FRAME',
  'LAYER_ON_JOB',
  'LAYER_ON_LAYER',
  'LAYER_ON_FRAME',
  'FRAME_ON_JOB',
  'FRAME_ON_LAYER',
  'FRAME_ON_FRAME',
  'FRAME_BY_FRAME',
  'PREVIOUS_FRAME',
  'LAYER_ON_SIM_FRAME',
] as const;
export type DependType = (typeof DEPEND_TYPES)[number];

export const COMMAND_STATUSES = ['PENDING', 'APPLIED', 'FAILED'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const SCHEDULING_MODES = ['PRIORITY_ONLY', 'FIFO', 'BALANCED'] as const;
export type SchedulingMode = (typeof SCHEDULING_MODES)[number];

/** Frame states that count as finished for a job's completion. */
export const DONE_FRAME_STATES: readonly FrameState[] = ['SUCCEEDED', 'EATEN'];

export function isFrameDone(state: FrameState): boolean {
  return state === 'SUCCEEDED' || state === 'EATEN';
}

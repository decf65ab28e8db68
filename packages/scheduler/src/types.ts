/**
 * The scheduler's input and output. A snapshot of the farm goes in; bookings and the reasons
 * for everything left unbooked come out. No I/O, no clock (`now` is given), no randomness.
 */
import type { HostLock, HostState, SchedulingMode } from '@farmhand/contracts';

export interface HostSnapshot {
  id: string;
  name: string;
  allocationId: string;
  state: HostState;
  lock: HostLock;
  tags: readonly string[];
  /** Totals and what is free right now (total minus what procs hold). */
  cores: number;
  idleCores: number;
  memoryMb: number;
  idleMemoryMb: number;
  gpus: number;
  /** Indexes of GPUs not booked, e.g. [0, 1]. */
  idleGpus: readonly number[];
  gpuMemoryMb: number;
  idleGpuMemoryMb: number;
  /** Procs currently on the host, for the per-host cap. */
  procCount: number;
}

export interface AllocationSnapshot {
  id: string;
  name: string;
  /** What untagged layers run on, e.g. "general". */
  tag: string;
}

export interface SubscriptionSnapshot {
  allocationId: string;
  /** Cores guaranteed. */
  size: number;
  /** Cores at most. */
  burst: number;
  /** Cores this show's procs hold in this allocation now. */
  coresInUse: number;
}

export interface ShowSnapshot {
  id: string;
  name: string;
  mode: SchedulingMode;
  subscriptions: readonly SubscriptionSnapshot[];
}

export interface JobSnapshot {
  id: string;
  name: string;
  showId: string;
  priority: number;
  paused: boolean;
  /** Milliseconds since the epoch; earlier submissions first among equal priorities. */
  submittedAt: number;
  excludedHostIds: readonly string[];
  /** Cores this job's procs hold now (BALANCED mode shares by it). */
  coresInUse: number;
}

export interface LayerSnapshot {
  id: string;
  jobId: string;
  name: string;
  minCores: number;
  maxCores: number;
  threadable: boolean;
  memoryMb: number;
  gpus: number;
  gpuMemoryMb: number;
  tags: readonly string[];
  /** Limit ids. */
  limits: readonly string[];
}

/** A frame (or chunk: one frame row renders the chunk) that is WAITING with no active depend. */
export interface ReadyFrame {
  id: number;
  layerId: string;
  /** Dispatch order within the job (lower first). */
  order: number;
}

export interface LimitSnapshot {
  id: string;
  name: string;
  max: number;
  inUse: number;
}

export interface SchedulerOptions {
  /** At most this many frames of one job booked per pass (0: no cap). */
  maxFramesPerJobPerPass: number;
  /** At most this many procs on one host (0: no cap). */
  maxProcsPerHost: number;
}

export interface FarmSnapshot {
  now: number;
  hosts: readonly HostSnapshot[];
  allocations: readonly AllocationSnapshot[];
  shows: readonly ShowSnapshot[];
  jobs: readonly JobSnapshot[];
  layers: readonly LayerSnapshot[];
  frames: readonly ReadyFrame[];
  limits: readonly LimitSnapshot[];
  options?: Partial<SchedulerOptions>;
}

export interface Booking {
  frameId: number;
  jobId: string;
  layerId: string;
  hostId: string;
  cores: number;
  memoryMb: number;
  /** GPU indexes on the host. */
  gpus: readonly number[];
  gpuMemoryMb: number;
}

/** Why a ready frame was not booked: a stable code for programs and a sentence for people. */
export interface Unbooked {
  frameId: number;
  code: UnbookedCode;
  reason: string;
}

export type UnbookedCode =
  | 'JOB_PAUSED'
  | 'NO_SUBSCRIPTION'
  | 'SHOW_AT_BURST'
  | 'LIMIT_REACHED'
  | 'NO_HOST_MATCHES'
  | 'NO_HOST_HAS_RESOURCES'
  | 'PASS_CAP'
  | 'FARM_FULL';

export interface SchedulePlan {
  bookings: Booking[];
  unbooked: Unbooked[];
}

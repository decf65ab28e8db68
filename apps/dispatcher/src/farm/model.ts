/**
 * The dispatcher's in-memory farm: what it loads at start and changes as commands and host
 * reports arrive. The database is the system of record; this is the working copy the
 * scheduler reads. Only the dispatcher's own modules mutate it, and only together with a
 * persisted write.
 */
import type { FrameState, HostLock, HostState, JobState, LayerType, SchedulingMode } from '@farmhand/contracts';
import { DependBook } from './depends';

export interface MemHost {
  id: string;
  name: string;
  allocationId: string;
  cores: number;
  memoryMb: number;
  gpus: number;
  gpuMemoryMb: number;
  tags: string[];
  state: HostState;
  lock: HostLock;
  lastReportAt: number;
  /** Procs on the host, by frame id. */
  procs: Map<number, MemProc>;
  /** Set while an rqd is connected for this host. */
  socketId: string | null;
  /** When this host last (re)registered, or when the dispatcher loaded it. */
  connectedAt: number;
  /** After a failed launch the host takes nothing until then (ms since the epoch). */
  coolingUntil: number;
  /** What the host row records besides what scheduling needs. */
  details: HostDetails;
  /** When a proc on the host last ended: a frame waiting for a core is ready from then. */
  freedAt: number;
  /**
   * The highest event `seq` applied from this host. rqd resends from its first unacknowledged
   * event, so anything at or below it is a duplicate: acknowledged, never applied twice.
   */
  lastSeq: number;
  /** The write of the last event applied from this host; a duplicate is acknowledged only once it is committed. */
  lastEventWrite: Promise<void>;
}

export interface HostDetails {
  physicalCores: number;
  swapMb: number;
  os: string;
  load: number;
  freeMemoryMb: number;
  freeTempMb: number;
  bootedAt: number | null;
}

/** One attempt of a frame: the history row, kept with its proc while the attempt lives. */
export interface MemAttempt {
  frameId: number;
  attempt: number;
  hostId: string;
  hostName: string;
  cores: number;
  startedAt: number;
  stoppedAt: number | null;
  exitStatus: number | null;
  exitSignal: string | null;
  /** EXITED, SIGNALED, MEMORY_KILL, …, or why the dispatcher handed it back (HOST_DOWN, LOST, …). */
  reason: string | null;
  maxRssMb: number;
  cpuSeconds: number;
  logPath: string;
}

export interface MemProc {
  id: string;
  frameId: number;
  attempt: number;
  hostId: string;
  jobId: string;
  cores: number;
  memoryMb: number;
  gpus: number[];
  gpuMemoryMb: number;
  bookedAt: number;
  startedAt: number | null;
  /** When the host acknowledged the launch: from then on its reports must list the frame. */
  launchAckedAt: number | null;
  /** A report (or the host's registration) listed this frame: rqd runs it. */
  seenInReport: boolean;
  /** Since when the host's reports have not listed the frame although it should run there. */
  missingSince: number | null;
  /** Since when it could have been booked: the frame ready and a core free (dispatch latency). */
  readySince: number;
  /** Whether the frame became ready last (`ready`) or waited for the core it got (`freed`). */
  cause: 'ready' | 'freed';
  history: MemAttempt;
}

export interface MemShow {
  id: string;
  name: string;
  mode: SchedulingMode;
  /** allocationId → subscription */
  subscriptions: Map<string, { size: number; burst: number }>;
}

export interface MemJob {
  id: string;
  name: string;
  showId: string;
  shot: string;
  user: string;
  priority: number;
  paused: boolean;
  maxRetries: number;
  state: JobState;
  submittedAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  coreSeconds: number;
  /** Cores its procs hold now (the scheduler's BALANCED mode shares by it). */
  coresInUse: number;
  /** Frames by state, kept as frames change so a job's progress costs nothing to read. */
  counts: Record<FrameState, number>;
  layers: MemLayer[];
  frames: Map<number, MemFrame>;
}

export interface MemLayer {
  id: string;
  jobId: string;
  name: string;
  type: LayerType;
  command: string;
  minCores: number;
  maxCores: number;
  threadable: boolean;
  memoryMb: number;
  gpus: number;
  gpuMemoryMb: number;
  tags: string[];
  limitIds: string[];
  timeoutMinutes: number | null;
  env: Record<string, string>;
  frameCount: number;
  /** Frames SUCCEEDED or EATEN. */
  doneCount: number;
}

export interface MemFrame {
  id: number;
  jobId: string;
  layerId: string;
  number: number;
  /** The frames of the chunk, e.g. [1,2,3]. */
  frames: number[];
  order: number;
  state: FrameState;
  retries: number;
  attempt: number;
  exitStatus: number | null;
  exitSignal: string | null;
  hostId: string | null;
  startedAt: number | null;
  stoppedAt: number | null;
  maxRssMb: number;
  cpuSeconds: number;
  /** When it last became ready to book (WAITING), for dispatch latency. */
  readyAt: number;
  /** What a user's kill should leave the frame as, once rqd reports it stopped. */
  killIntent: 'WAITING' | 'EATEN' | 'JOB_KILLED' | null;
}

export interface MemLimit {
  id: string;
  name: string;
  max: number;
}

export interface Farm {
  hosts: Map<string, MemHost>;
  hostsByName: Map<string, MemHost>;
  allocations: Map<string, { id: string; name: string; tag: string }>;
  shows: Map<string, MemShow>;
  showsByName: Map<string, MemShow>;
  jobs: Map<string, MemJob>;
  layers: Map<string, MemLayer>;
  /** Every frame of every job in memory, by id. */
  frames: Map<number, MemFrame>;
  limits: Map<string, MemLimit>;
  /** Depends between the jobs, layers and frames in memory. */
  depends: DependBook;
  /** The dispatcher numbers frame rows itself, so a submission is written in one statement per chunk. */
  nextFrameId: number;
  /**
   * Jobs whose submission is being stored, by id: not in the farm yet, but frames of theirs may
   * already hold procs on hosts, booked in the submission's own transaction (booking.ts).
   */
  storing: Map<string, MemJob>;
}

export function emptyFarm(): Farm {
  return {
    hosts: new Map(),
    hostsByName: new Map(),
    allocations: new Map(),
    shows: new Map(),
    showsByName: new Map(),
    jobs: new Map(),
    layers: new Map(),
    frames: new Map(),
    limits: new Map(),
    depends: new DependBook(),
    nextFrameId: 1,
    storing: new Map(),
  };
}

export function idleResources(host: MemHost): { cores: number; memoryMb: number; gpus: number[]; gpuMemoryMb: number } {
  let cores = host.cores;
  let memoryMb = host.memoryMb;
  let gpuMemoryMb = host.gpuMemoryMb;
  const used = new Set<number>();
  for (const proc of host.procs.values()) {
    cores -= proc.cores;
    memoryMb -= proc.memoryMb;
    gpuMemoryMb -= proc.gpuMemoryMb;
    for (const g of proc.gpus) used.add(g);
  }
  const gpus: number[] = [];
  for (let g = 0; g < host.gpus; g++) if (!used.has(g)) gpus.push(g);
  return { cores, memoryMb, gpus, gpuMemoryMb };
}

export function zeroCounts(): Record<FrameState, number> {
  return { WAITING: 0, DEPEND: 0, SETUP: 0, RUNNING: 0, SUCCEEDED: 0, DEAD: 0, EATEN: 0 };
}

/** Changes a frame's state and keeps its job's and layer's counts right. The one place frame.state is written. */
export function setFrameState(farm: Farm, frame: MemFrame, state: FrameState): void {
  if (frame.state === state) return;
  const job = farm.jobs.get(frame.jobId) ?? farm.storing.get(frame.jobId);
  const layer = farm.layers.get(frame.layerId);
  const wasDone = frame.state === 'SUCCEEDED' || frame.state === 'EATEN';
  const isDone = state === 'SUCCEEDED' || state === 'EATEN';
  if (job) {
    job.counts[frame.state]--;
    job.counts[state]++;
  }
  if (layer && wasDone !== isDone) layer.doneCount += isDone ? 1 : -1;
  if (state === 'WAITING') frame.readyAt = Date.now();
  frame.state = state;
}

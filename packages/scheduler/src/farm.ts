/**
 * The scheduler's working copy of a snapshot (built by build.ts): indexed by id, cores in
 * hundredths (integers, so repeated bookings never drift), hosts grouped into classes that
 * share an allocation and a tag set. Passes mutate it; the snapshot itself is never touched.
 */
import type { FrameQueue } from './frameQueue';
import type { HeapEntry, IndexedHeap } from './heap';
import type { AllocationSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, LimitSnapshot, SchedulerOptions, ShowSnapshot } from './types';

/** The tag an untagged layer carries, as in OpenCue: it runs on allocations tagged 'general'. */
export const DEFAULT_LAYER_TAG = 'general';

/** Cores are held in hundredths of a core, as OpenCue does, so sums stay exact. */
export const CORE_UNITS = 100;
export const toUnits = (cores: number): number => Math.round(cores * CORE_UNITS);
export const fromUnits = (units: number): number => units / CORE_UNITS;

export interface LimitState {
  snap: LimitSnapshot;
  max: number;
  inUse: number;
  /** inUse >= max: the layers using it leave the queues until a proc of theirs ends. */
  full: boolean;
  users: LayerState[];
}

export interface AllocState {
  snap: AllocationSnapshot;
  classes: HostClass[];
  subs: SubState[];
}

export interface SubState {
  show: ShowState;
  alloc: AllocState;
  size: number;
  burst: number;
  inUse: number;
}

export interface ShowState {
  snap: ShowSnapshot;
  subs: Map<string, SubState>;
  jobs: JobState[];
}

export interface HostState {
  snap: HostSnapshot;
  cls: HostClass;
  usable: boolean;
  idleCores: number;
  idleMemoryMb: number;
  /** Sorted ascending so the lowest-numbered GPUs are booked first. */
  idleGpus: number[];
  idleGpuMemoryMb: number;
  procCount: number;
}

/** Hosts of one allocation with the same tags: every layer either matches all of them or none. */
export interface HostClass {
  key: string;
  alloc: AllocState;
  tags: ReadonlySet<string>;
  hosts: HostState[];
  /** Per subscribed show, its layers that match this class, by shape; built on first use. */
  queues: ClassSub[] | undefined;
}

/**
 * What decides whether a layer fits a host, apart from tags and limits: layers of one shape
 * fit together. (Limits are not part of it: a full limit takes its layers out of the queues.)
 */
export interface Shape {
  key: string;
  minCores: number;
  memoryMb: number;
  gpus: number;
  gpuMemoryMb: number;
}

export interface ShapeQueue {
  shape: Shape;
  heap: IndexedHeap<LayerEntry>;
}

export interface ClassSub {
  sub: SubState;
  cls: HostClass;
  shapes: ShapeQueue[];
  /** Equal to the host pass's stamp when nothing of this show fits the host any more. */
  rejectedStamp: number;
}

/** A layer's place in one class's queue, keyed by (job share, job rank, next frame, layer). */
export interface LayerEntry extends HeapEntry {
  layer: LayerState;
  queue: ShapeQueue;
  share: number;
  rank: number;
  order: number;
  /** The layer's version these keys were computed at. */
  version: number;
  /** Equal to the host pass's stamp while set aside because the job excludes that host. */
  asideStamp: number;
}

export interface JobState {
  snap: JobSnapshot;
  show: ShowState;
  /** Position in the show's order (mode-dependent); lower runs first. */
  rank: number;
  coresInUse: number;
  paused: boolean;
  layers: LayerState[];
  excluded: ReadonlySet<string>;
  passStamp: number;
  bookedThisPass: number;
  capped: boolean;
}

export interface LayerState {
  snap: LayerSnapshot;
  job: JobState;
  index: number;
  minCores: number;
  /** 0: no maximum. */
  maxCores: number;
  shape: Shape;
  tags: readonly string[];
  limits: LimitState[];
  /** How many of its limits are full; it is queued only at 0. */
  blockedLimits: number;
  /** Ready frames in dispatch order, and how many are taken. */
  frames: FrameQueue;
  /** Moves whenever its queue key may have changed (see queues.refreshEntry). */
  version: number;
  /** Layers of one kind (show, tags, shape, limits, name) share their reasons. */
  kind: string;
  entries: LayerEntry[];
}

export interface Farm {
  now: number;
  options: SchedulerOptions;
  hosts: HostState[];
  hostsById: Map<string, HostState>;
  allocs: Map<string, AllocState>;
  classes: HostClass[];
  shows: Map<string, ShowState>;
  jobs: Map<string, JobState>;
  layers: LayerState[];
  layersById: Map<string, LayerState>;
  limits: Map<string, LimitState>;
  shapes: Map<string, Shape>;
  pass: number;
  hostStamp: number;
  layerSeq: number;
  cappedJobs: JobState[];
}

export function isUsable(host: HostSnapshot): boolean {
  return host.state === 'UP' && host.lock === 'OPEN';
}

export function layerTags(layer: LayerSnapshot): readonly string[] {
  return layer.tags.length > 0 ? layer.tags : [DEFAULT_LAYER_TAG];
}

/** OpenCue's rule: a layer runs on a host carrying any of its tags; a host carries its allocation's tag. */
export function layerMatchesClass(tags: readonly string[], cls: HostClass): boolean {
  for (const tag of tags) if (cls.tags.has(tag)) return true;
  return false;
}

/**
 * The scheduler's working copy of a snapshot: indexed by id, cores in hundredths (integers,
 * so repeated bookings never drift), hosts grouped into classes that share an allocation and
 * a tag set. Passes mutate it; the snapshot it came from is never touched.
 */
import { FrameQueue } from './frameQueue';
import type { HeapEntry, IndexedHeap } from './heap';
import type {
  AllocationSnapshot,
  FarmSnapshot,
  HostSnapshot,
  JobSnapshot,
  LayerSnapshot,
  LimitSnapshot,
  ReadyFrame,
  SchedulerOptions,
  ShowSnapshot,
} from './types';

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

export const DEFAULT_OPTIONS: SchedulerOptions = { maxFramesPerJobPerPass: 0, maxProcsPerHost: 0 };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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

export function hostState(snap: HostSnapshot, cls: HostClass): HostState {
  return {
    snap,
    cls,
    usable: isUsable(snap),
    idleCores: toUnits(snap.idleCores),
    idleMemoryMb: snap.idleMemoryMb,
    idleGpus: [...snap.idleGpus].sort((a, b) => a - b),
    idleGpuMemoryMb: snap.idleGpuMemoryMb,
    procCount: snap.procCount,
  };
}

export function classFor(farm: Farm, snap: HostSnapshot): HostClass {
  const alloc = farm.allocs.get(snap.allocationId) as AllocState;
  const tags = new Set(snap.tags);
  tags.add(alloc.snap.tag);
  const key = `${alloc.snap.id}\u0000${[...tags].sort().join('\u0000')}`;
  let cls = alloc.classes.find((c) => c.key === key);
  if (!cls) {
    cls = { key, alloc, tags, hosts: [], queues: undefined };
    alloc.classes.push(cls);
    farm.classes.push(cls);
  }
  return cls;
}

function shapeFor(farm: Farm, layer: LayerSnapshot): Shape {
  const minCores = toUnits(layer.minCores);
  const key = `${minCores}/${layer.memoryMb}/${layer.gpus}/${layer.gpuMemoryMb}`;
  let shape = farm.shapes.get(key);
  if (!shape) {
    shape = { key, minCores, memoryMb: layer.memoryMb, gpus: layer.gpus, gpuMemoryMb: layer.gpuMemoryMb };
    farm.shapes.set(key, shape);
  }
  return shape;
}

/** A layer's working state; its frames are added by the caller. */
export function newLayer(farm: Farm, snap: LayerSnapshot, job: JobState): LayerState {
  const limitIds = [...new Set(snap.limits)].sort();
  const limits = limitIds.map((id) => farm.limits.get(id) as LimitState);
  const shape = shapeFor(farm, snap);
  const tags = layerTags(snap);
  const layer: LayerState = {
    snap,
    job,
    index: farm.layerSeq++,
    minCores: toUnits(snap.minCores),
    maxCores: toUnits(snap.maxCores),
    shape,
    tags,
    limits,
    blockedLimits: 0,
    frames: FrameQueue.empty(),
    version: 0,
    kind: `${job.show.snap.id}\u0000${tags.join(',')}\u0000${shape.key}\u0000${limitIds.join(',')}\u0000${snap.name}`,
    entries: [],
  };
  for (const limit of limits) {
    limit.users.push(layer);
    if (limit.full) layer.blockedLimits++;
  }
  job.layers.push(layer);
  farm.layers.push(layer);
  farm.layersById.set(snap.id, layer);
  return layer;
}

export function newJob(snap: JobSnapshot, show: ShowState): JobState {
  return {
    snap,
    show,
    rank: 0,
    coresInUse: toUnits(snap.coresInUse),
    paused: snap.paused,
    layers: [],
    excluded: new Set(snap.excludedHostIds),
    passStamp: 0,
    bookedThisPass: 0,
    capped: false,
  };
}

/** Order of a show's jobs (OpenCue's scheduling modes); see README "Job order". */
export function compareJobs(mode: ShowSnapshot['mode'], a: JobSnapshot, b: JobSnapshot): number {
  if (mode === 'FIFO') return a.submittedAt - b.submittedAt || b.priority - a.priority || byId(a, b);
  return b.priority - a.priority || a.submittedAt - b.submittedAt || byId(a, b);
}

export function rankJobs(show: ShowState): void {
  show.jobs.sort((a, b) => compareJobs(show.snap.mode, a.snap, b.snap));
  show.jobs.forEach((job, i) => {
    job.rank = i;
  });
}

/**
 * Gives each layer its ready frames as a slice of the snapshot's own array when they are
 * listed layer by layer (the usual case), else of one index sorted by layer (a counting
 * sort): no array per layer, no garbage for a million frames.
 */
function placeFrames(farm: Farm, frames: readonly ReadyFrame[]): void {
  const layerOf = new Int32Array(frames.length);
  const counts = new Int32Array(farm.layers.length);
  const firstAt = new Int32Array(farm.layers.length).fill(-1);
  let contiguous = true;
  let last: LayerState | undefined;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as ReadyFrame;
    if (last?.snap.id !== frame.layerId) {
      // Frames usually arrive grouped by layer: look the layer up only when it changes.
      last = farm.layersById.get(frame.layerId) as LayerState;
      if (firstAt[last.index] === -1) firstAt[last.index] = i;
      else contiguous = false;
    }
    layerOf[i] = last.index;
    counts[last.index] = (counts[last.index] as number) + 1;
  }
  if (contiguous) {
    for (const layer of farm.layers) {
      const start = firstAt[layer.index] as number;
      if (start >= 0) layer.frames = new FrameQueue(frames, undefined, start, start + (counts[layer.index] as number));
    }
    return;
  }
  const next = new Int32Array(farm.layers.length);
  for (let l = 1; l < farm.layers.length; l++) next[l] = (next[l - 1] as number) + (counts[l - 1] as number);
  const starts = next.slice();
  const index = new Int32Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const l = layerOf[i] as number;
    index[next[l] as number] = i;
    next[l] = (next[l] as number) + 1;
  }
  for (const layer of farm.layers) {
    const start = starts[layer.index] as number;
    layer.frames = new FrameQueue(frames, index, start, start + (counts[layer.index] as number));
  }
}

/** Indexes a validated snapshot. */
export function buildFarm(s: FarmSnapshot): Farm {
  const farm: Farm = {
    now: s.now,
    options: { ...DEFAULT_OPTIONS, ...s.options },
    hosts: [],
    hostsById: new Map(),
    allocs: new Map(),
    classes: [],
    shows: new Map(),
    jobs: new Map(),
    layers: [],
    layersById: new Map(),
    limits: new Map(),
    shapes: new Map(),
    pass: 0,
    hostStamp: 0,
    layerSeq: 0,
    cappedJobs: [],
  };
  for (const snap of [...s.limits].sort(byId))
    farm.limits.set(snap.id, { snap, max: snap.max, inUse: snap.inUse, full: snap.inUse >= snap.max, users: [] });
  for (const snap of [...s.allocations].sort(byId)) farm.allocs.set(snap.id, { snap, classes: [], subs: [] });
  for (const snap of [...s.shows].sort(byId)) {
    const show: ShowState = { snap, subs: new Map(), jobs: [] };
    farm.shows.set(snap.id, show);
    for (const sub of snap.subscriptions) {
      const alloc = farm.allocs.get(sub.allocationId) as AllocState;
      const state: SubState = { show, alloc, size: toUnits(sub.size), burst: toUnits(sub.burst), inUse: toUnits(sub.coresInUse) };
      show.subs.set(alloc.snap.id, state);
      alloc.subs.push(state);
    }
  }
  for (const snap of [...s.hosts].sort(byId)) {
    const host = hostState(snap, classFor(farm, snap));
    host.cls.hosts.push(host);
    farm.hosts.push(host);
    farm.hostsById.set(snap.id, host);
  }
  for (const snap of s.jobs) {
    const show = farm.shows.get(snap.showId) as ShowState;
    const job = newJob(snap, show);
    farm.jobs.set(snap.id, job);
    show.jobs.push(job);
  }
  for (const show of farm.shows.values()) rankJobs(show);
  for (const snap of [...s.layers].sort(byId)) newLayer(farm, snap, farm.jobs.get(snap.jobId) as JobState);
  placeFrames(farm, s.frames);
  return farm;
}

/**
 * Builds the scheduler's working state from a validated snapshot, and the pieces of it the
 * incremental updates add later (hosts, jobs, layers): host classes, layer shapes, job ranks,
 * each layer's ready frames in dispatch order.
 */
import {
  type AllocState,
  type Farm,
  type HostClass,
  type HostState,
  isUsable,
  type JobState,
  type LayerState,
  type LimitState,
  layerTags,
  type Shape,
  type ShowState,
  type SubState,
  toUnits,
} from './farm';
import { FrameQueue } from './frameQueue';
import type { FarmSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, ReadyFrame, SchedulerOptions, ShowSnapshot } from './types';

export const DEFAULT_OPTIONS: SchedulerOptions = { maxFramesPerJobPerPass: 0, maxProcsPerHost: 0 };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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

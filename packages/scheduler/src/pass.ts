/**
 * One host's pass, OpenCue's way: while the host has room, take the most starved show
 * subscribed to its allocation, then that show's first job (by its scheduling mode) with a
 * ready frame whose layer fits, and book it. Every booking re-picks the show, so shows of
 * equal standing alternate. The full pass runs this over every host in id order.
 */
import { type ClassSub, type Farm, fromUnits, type HostState, type LayerEntry, type LayerState, type Shape, type SubState } from './farm';
import { setLimit } from './limits';
import { ensureQueues, entryLess, isLayerActive, refreshEntry, syncLayer } from './queues';
import type { Booking } from './types';

/** Shared by every booking without GPUs, so CPU bookings allocate no array. */
const NO_GPUS: readonly number[] = Object.freeze([]);

/** Under its size before over it; then the lowest share of its size; then by name. */
function moreStarved(a: SubState, b: SubState): boolean {
  const aOver = a.inUse >= a.size;
  const bOver = b.inUse >= b.size;
  if (aOver !== bOver) return bOver;
  const ra = a.size > 0 ? a.inUse / a.size : Number.POSITIVE_INFINITY;
  const rb = b.size > 0 ? b.inUse / b.size : Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra < rb;
  if (a.inUse !== b.inUse) return a.inUse < b.inUse;
  return a.show.snap.name < b.show.snap.name || (a.show.snap.name === b.show.snap.name && a.show.snap.id < b.show.snap.id);
}

export function shapeFits(shape: Shape, host: HostState, sub: SubState): boolean {
  return (
    shape.minCores <= host.idleCores &&
    shape.memoryMb <= host.idleMemoryMb &&
    shape.gpus <= host.idleGpus.length &&
    shape.gpuMemoryMb <= host.idleGpuMemoryMb &&
    sub.inUse + shape.minCores <= sub.burst
  );
}

/** Threadable layers take the host's idle whole cores up to their max (0: no max) and the burst. */
function coresFor(layer: LayerState, host: HostState, sub: SubState): number {
  if (!layer.snap.threadable) return layer.minCores;
  let cores = Math.min(host.idleCores, sub.burst - sub.inUse);
  if (layer.maxCores > 0) cores = Math.min(cores, layer.maxCores);
  cores = Math.floor(cores / 100) * 100;
  return Math.max(cores, layer.minCores);
}

function book(farm: Farm, entry: LayerEntry, host: HostState, sub: SubState, out: Booking[]): void {
  const layer = entry.layer;
  const job = layer.job;
  const frame = layer.frames.take();
  layer.version++;
  const shape = layer.shape;
  const cores = coresFor(layer, host, sub);
  host.idleCores -= cores;
  host.idleMemoryMb -= shape.memoryMb;
  host.idleGpuMemoryMb -= shape.gpuMemoryMb;
  const gpus = shape.gpus > 0 ? host.idleGpus.splice(0, shape.gpus) : NO_GPUS;
  host.procCount++;
  sub.inUse += cores;
  job.coresInUse += cores;
  for (const limit of layer.limits) setLimit(farm, limit, limit.inUse + 1);
  if (job.passStamp !== farm.pass) {
    job.passStamp = farm.pass;
    job.bookedThisPass = 0;
  }
  job.bookedThisPass++;
  if (job.show.snap.mode === 'BALANCED') for (const l of job.layers) l.version++;
  out.push({
    frameId: frame.id,
    jobId: job.snap.id,
    layerId: layer.snap.id,
    hostId: host.snap.id,
    cores: fromUnits(cores),
    memoryMb: shape.memoryMb,
    gpus,
    gpuMemoryMb: shape.gpuMemoryMb,
  });
  const cap = farm.options.maxFramesPerJobPerPass;
  if (cap > 0 && job.bookedThisPass >= cap) {
    job.capped = true;
    farm.cappedJobs.push(job);
    for (const l of job.layers) syncLayer(l, farm.hostStamp);
  } else if (!isLayerActive(layer)) {
    syncLayer(layer, farm.hostStamp);
  } else {
    // Within a pass keys only grow (next frame later, job share larger), so only this entry is
    // re-keyed now; the layer's entries in other classes are refreshed when they reach a top.
    refreshEntry(entry);
  }
}

/**
 * The first layer (in queue order) of this show that fits the host, skipping whole shapes.
 * A stale top's stored key is never above its true key, so a top that cannot beat the best
 * so far is passed over without re-keying it.
 */
function bestEntry(cs: ClassSub, host: HostState): LayerEntry | undefined {
  let best: LayerEntry | undefined;
  for (const queue of cs.shapes) {
    let top = queue.heap.peek();
    if (!top || (best && !entryLess(top, best)) || !shapeFits(queue.shape, host, cs.sub)) continue;
    while (refreshEntry(top)) {
      top = queue.heap.peek() as LayerEntry;
      if (best && !entryLess(top, best)) break;
    }
    if (!best || entryLess(top, best)) best = top;
  }
  return best;
}

function pickShow(queues: readonly ClassSub[], stamp: number): ClassSub | undefined {
  let best: ClassSub | undefined;
  for (const cs of queues) {
    if (cs.rejectedStamp === stamp || cs.sub.inUse >= cs.sub.burst) continue;
    if (!best || moreStarved(cs.sub, best.sub)) best = cs;
  }
  return best;
}

/** Books frames onto one host until nothing more fits; appends to `out`. */
export function dispatchHost(farm: Farm, host: HostState, out: Booking[]): void {
  if (!host.usable) return;
  const queues = ensureQueues(host.cls);
  const stamp = ++farm.hostStamp;
  const procCap = farm.options.maxProcsPerHost;
  const aside: LayerEntry[] = [];
  for (;;) {
    if (procCap > 0 && host.procCount >= procCap) break;
    const cs = pickShow(queues, stamp);
    if (!cs) break;
    const entry = bestEntry(cs, host);
    if (!entry) {
      cs.rejectedStamp = stamp;
      continue;
    }
    if (entry.layer.job.excluded.has(host.snap.id)) {
      entry.asideStamp = stamp;
      entry.queue.heap.remove(entry);
      aside.push(entry);
      continue;
    }
    book(farm, entry, host, cs.sub, out);
  }
  for (const entry of aside) entry.asideStamp = -1;
  for (const entry of aside) syncLayer(entry.layer, stamp);
}

/** Starts a pass: jobs capped in the last pass may book again. */
export function beginPass(farm: Farm): void {
  farm.pass++;
  const capped = farm.cappedJobs;
  farm.cappedJobs = [];
  for (const job of capped) {
    job.capped = false;
    job.bookedThisPass = 0;
    for (const layer of job.layers) syncLayer(layer, farm.hostStamp);
  }
}

/**
 * Changes the dispatcher applies to a kept farm between passes, so the next incremental
 * pass sees the truth without a new snapshot: procs that ended, host reports, frames that
 * became ready or stopped being ready, job edits (pause, priority), limits and subscriptions.
 * Each costs time in proportion to what changed, not to the size of the farm.
 */
import { AppError } from '@farmhand/contracts';
import { classFor, hostState, newJob, newLayer, rankJobs } from './build';
import { type Farm, type JobState, type LayerState, type ShowState, toUnits } from './farm';
import { setLimit } from './limits';
import { addLayerToBuiltQueues, syncLayer } from './queues';
import type { Booking, HostSnapshot, JobSnapshot, LayerSnapshot, LimitSnapshot, ReadyFrame, ShowSnapshot } from './types';
import { validateHost } from './validate';

function refuse(message: string): never {
  throw new AppError('VALIDATION', message);
}

function layerOf(farm: Farm, layerId: string): LayerState {
  return farm.layersById.get(layerId) ?? refuse(`layer '${layerId}' is not in the scheduler's farm`);
}

function resyncJob(farm: Farm, job: JobState): void {
  for (const layer of job.layers) syncLayer(layer, farm.hostStamp);
}

/** A proc ended (or its launch failed): its host, show, job and limits get their share back. */
export function release(farm: Farm, booking: Booking): void {
  const host =
    farm.hostsById.get(booking.hostId) ??
    refuse(`booking of frame ${booking.frameId} names host '${booking.hostId}', which is not in the scheduler's farm`);
  const cores = toUnits(booking.cores);
  if (cores < 0 || booking.memoryMb < 0 || booking.gpuMemoryMb < 0) refuse(`booking of frame ${booking.frameId} has negative resources`);
  host.idleCores = Math.min(toUnits(host.snap.cores), host.idleCores + cores);
  host.idleMemoryMb = Math.min(host.snap.memoryMb, host.idleMemoryMb + booking.memoryMb);
  host.idleGpuMemoryMb = Math.min(host.snap.gpuMemoryMb, host.idleGpuMemoryMb + booking.gpuMemoryMb);
  for (const gpu of booking.gpus) if (!host.idleGpus.includes(gpu)) host.idleGpus.push(gpu);
  host.idleGpus.sort((a, b) => a - b);
  host.procCount = Math.max(0, host.procCount - 1);
  const job = farm.jobs.get(booking.jobId);
  if (!job) return; // the job finished and was removed: only the host's share matters now
  job.coresInUse = Math.max(0, job.coresInUse - cores);
  const sub = job.show.subs.get(host.snap.allocationId);
  if (sub) sub.inUse = Math.max(0, sub.inUse - cores);
  const layer = farm.layersById.get(booking.layerId);
  if (layer) for (const limit of layer.limits) setLimit(farm, limit, Math.max(0, limit.inUse - 1));
  if (job.show.snap.mode === 'BALANCED') resyncJob(farm, job);
}

/** A host report: its state, lock, tags and what is idle now. */
export function updateHost(farm: Farm, snap: HostSnapshot): void {
  validateHost(snap, new Set(farm.allocs.keys()));
  const old = farm.hostsById.get(snap.id);
  const cls = classFor(farm, snap);
  const next = hostState(snap, cls);
  if (!old) {
    cls.hosts.push(next);
    const at = farm.hosts.findIndex((h) => h.snap.id > snap.id);
    farm.hosts.splice(at < 0 ? farm.hosts.length : at, 0, next);
    farm.hostsById.set(snap.id, next);
    return;
  }
  if (old.cls !== cls) {
    old.cls.hosts.splice(old.cls.hosts.indexOf(old), 1);
    cls.hosts.push(old);
  }
  Object.assign(old, next);
}

/** Frames that became ready (submitted, retried, released by a depend, launch failed). */
export function addFrames(farm: Farm, frames: readonly ReadyFrame[]): void {
  const byLayer = framesByLayer(farm, frames);
  for (const [layer, list] of byLayer) layer.frames.insertMany(list);
  for (const layer of byLayer.keys()) syncLayer(layer, farm.hostStamp);
}

/** Frames grouped by their layer (each layer checked to be in the farm first). */
function framesByLayer(farm: Farm, frames: readonly ReadyFrame[]): Map<LayerState, ReadyFrame[]> {
  const byLayer = new Map<LayerState, ReadyFrame[]>();
  for (const frame of frames) {
    const layer = layerOf(farm, frame.layerId);
    const list = byLayer.get(layer);
    if (list) list.push(frame);
    else byLayer.set(layer, [frame]);
  }
  return byLayer;
}

/** Frames that are no longer ready (killed, eaten, now depending, booked elsewhere). */
export function removeFrames(farm: Farm, frames: readonly Pick<ReadyFrame, 'id' | 'layerId'>[]): void {
  const touched = new Set<LayerState>();
  for (const frame of frames) {
    const layer = layerOf(farm, frame.layerId);
    if (layer.frames.remove(frame.id)) touched.add(layer);
  }
  for (const layer of touched) syncLayer(layer, farm.hostStamp);
}

/** A job edit: pause, resume, priority, exclusions, cores in use. Re-ranks its show. */
export function updateJob(farm: Farm, snap: JobSnapshot): void {
  const job = farm.jobs.get(snap.id) ?? refuse(`job '${snap.name}' (${snap.id}) is not in the scheduler's farm; add it with addJob`);
  if (snap.showId !== job.snap.showId) refuse(`job '${snap.name}' cannot move from show '${job.snap.showId}' to '${snap.showId}'`);
  job.snap = snap;
  job.paused = snap.paused;
  job.coresInUse = toUnits(snap.coresInUse);
  job.excluded = new Set(snap.excludedHostIds);
  rankJobs(job.show);
  for (const other of job.show.jobs) resyncJob(farm, other);
}

/** A job to add: its snapshot, its layers and its ready frames. */
export interface NewJob {
  job: JobSnapshot;
  layers: readonly LayerSnapshot[];
  frames: readonly ReadyFrame[];
}

/**
 * New jobs with their layers and ready frames. Everything is checked before anything changes
 * (a refusal leaves the farm as it was); each show they join is ranked once and its other jobs
 * re-keyed once, however many jobs arrive — so a 5,000-job submission costs one re-rank, not 5,000.
 */
export function addJobs(farm: Farm, list: readonly NewJob[]): void {
  const jobIds = new Set<string>();
  const layerIds = new Set<string>();
  for (const { job: snap, layers } of list) {
    if (farm.jobs.has(snap.id) || jobIds.has(snap.id)) refuse(`job '${snap.name}' (${snap.id}) is already in the scheduler's farm`);
    jobIds.add(snap.id);
    if (!farm.shows.has(snap.showId)) refuse(`job '${snap.name}' belongs to show '${snap.showId}', which is not in the scheduler's farm`);
    for (const layerSnap of layers) {
      if (farm.layersById.has(layerSnap.id) || layerIds.has(layerSnap.id))
        refuse(`layer '${layerSnap.name}' (${layerSnap.id}) is already in the scheduler's farm`);
      if (layerSnap.jobId !== snap.id)
        refuse(`layer '${layerSnap.name}' (${layerSnap.id}) belongs to job '${layerSnap.jobId}', not '${snap.id}'`);
      layerIds.add(layerSnap.id);
      for (const id of layerSnap.limits)
        if (!farm.limits.has(id)) refuse(`layer '${layerSnap.name}' uses limit '${id}', which is not in the scheduler's farm`);
    }
  }
  for (const { frames } of list)
    for (const frame of frames)
      if (!layerIds.has(frame.layerId))
        refuse(`ready frame ${frame.id} names layer '${frame.layerId}', which is not among the new jobs' layers`);

  const added = new Set<JobState>();
  const shows = new Set<ShowState>();
  for (const { job: snap, layers, frames } of list) {
    const show = farm.shows.get(snap.showId) as ShowState;
    const job = newJob(snap, show);
    farm.jobs.set(snap.id, job);
    show.jobs.push(job);
    shows.add(show);
    added.add(job);
    for (const layerSnap of layers) newLayer(farm, layerSnap, job);
    for (const [layer, queued] of framesByLayer(farm, frames)) layer.frames.insertMany(queued);
  }
  for (const show of shows) rankJobs(show);
  for (const job of added) for (const layer of job.layers) addLayerToBuiltQueues(farm, layer);
  // Ranks moved for the jobs ranked after the new ones: their heap entries are re-keyed.
  for (const show of shows) for (const other of show.jobs) if (!added.has(other)) resyncJob(farm, other);
}

/** A new job with its layers and ready frames. */
export function addJob(farm: Farm, snap: JobSnapshot, layers: readonly LayerSnapshot[], frames: readonly ReadyFrame[]): void {
  addJobs(farm, [{ job: snap, layers, frames }]);
}

/** A job that finished or was killed: nothing of it is booked any more. */
export function removeJob(farm: Farm, jobId: string): void {
  const job = farm.jobs.get(jobId);
  if (!job) return;
  for (const layer of job.layers) {
    layer.frames.drain();
    syncLayer(layer, farm.hostStamp);
    for (const entry of layer.entries) entry.queue.heap.remove(entry);
    farm.layersById.delete(layer.snap.id);
  }
  farm.layers = farm.layers.filter((l) => l.job !== job);
  farm.jobs.delete(jobId);
  job.show.jobs.splice(job.show.jobs.indexOf(job), 1);
}

export function updateLimit(farm: Farm, snap: LimitSnapshot): void {
  const limit = farm.limits.get(snap.id) ?? refuse(`limit '${snap.name}' (${snap.id}) is not in the scheduler's farm`);
  limit.snap = snap;
  setLimit(farm, limit, snap.inUse, snap.max);
}

/** Subscription sizes, bursts and cores in use, as the show now has them. */
export function updateShow(farm: Farm, snap: ShowSnapshot): void {
  const show = farm.shows.get(snap.id) ?? refuse(`show '${snap.name}' (${snap.id}) is not in the scheduler's farm`);
  for (const s of snap.subscriptions) {
    const sub =
      show.subs.get(s.allocationId) ??
      refuse(`show '${snap.name}' has no subscription to '${s.allocationId}' in the scheduler's farm; rebuild the scheduler to add one`);
    sub.size = toUnits(s.size);
    sub.burst = toUnits(s.burst);
    sub.inUse = toUnits(s.coresInUse);
  }
  const modeChanged = show.snap.mode !== snap.mode;
  show.snap = snap;
  if (modeChanged) {
    rankJobs(show);
    for (const job of show.jobs) resyncJob(farm, job);
  }
}

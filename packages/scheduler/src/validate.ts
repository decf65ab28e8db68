/**
 * Refuses an inconsistent snapshot before anything is scheduled from it: unknown references,
 * duplicate ids, negative or impossible resources. Each error names the object and the field
 * so the dispatcher's log says what to fix.
 */
import { AppError } from '@farmhand/contracts';
import type { FarmSnapshot, HostSnapshot } from './types';

function refuse(message: string): never {
  throw new AppError('VALIDATION', `Farm snapshot refused: ${message}`);
}

function nonNegative(what: string, field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) refuse(`${what} has ${field} ${value}; it must be a number of 0 or more`);
}

function uniqueIds<T extends { id: string }>(kind: string, items: readonly T[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) {
    if (byId.has(item.id)) refuse(`${kind} id '${item.id}' appears twice`);
    byId.set(item.id, item);
  }
  return byId;
}

export function validateHost(host: HostSnapshot, allocationIds: ReadonlySet<string>): void {
  const what = `host '${host.name}' (${host.id})`;
  if (!allocationIds.has(host.allocationId)) refuse(`${what} is in allocation '${host.allocationId}', which is not in the snapshot`);
  for (const [total, idle, unit] of [
    ['cores', 'idleCores', 'cores'],
    ['memoryMb', 'idleMemoryMb', 'MB'],
    ['gpuMemoryMb', 'idleGpuMemoryMb', 'MB of GPU memory'],
  ] as const) {
    nonNegative(what, total, host[total]);
    nonNegative(what, idle, host[idle]);
    if (host[idle] > host[total]) refuse(`${what} has ${host[idle]} ${unit} idle but only ${host[total]} in total`);
  }
  nonNegative(what, 'gpus', host.gpus);
  nonNegative(what, 'procCount', host.procCount);
  const seen = new Set<number>();
  for (const gpu of host.idleGpus) {
    if (!Number.isInteger(gpu) || gpu < 0 || gpu >= host.gpus)
      refuse(`${what} lists idle GPU ${gpu}, but its GPUs are numbered 0 to ${host.gpus - 1}`);
    if (seen.has(gpu)) refuse(`${what} lists idle GPU ${gpu} twice`);
    seen.add(gpu);
  }
}

/** Throws AppError('VALIDATION') naming the first inconsistent object. */
export function validateSnapshot(s: FarmSnapshot): void {
  if (!Number.isFinite(s.now)) refuse(`'now' is ${s.now}; it must be milliseconds since the epoch`);
  const allocations = uniqueIds('allocation', s.allocations);
  const allocationIds = new Set(allocations.keys());
  uniqueIds('host', s.hosts);
  for (const host of s.hosts) validateHost(host, allocationIds);

  const shows = uniqueIds('show', s.shows);
  for (const show of s.shows) {
    const subscribed = new Set<string>();
    for (const sub of show.subscriptions) {
      const what = `show '${show.name}' subscription to allocation '${sub.allocationId}'`;
      if (!allocations.has(sub.allocationId)) refuse(`${what} names an allocation that is not in the snapshot`);
      if (subscribed.has(sub.allocationId)) refuse(`show '${show.name}' subscribes to allocation '${sub.allocationId}' twice`);
      subscribed.add(sub.allocationId);
      nonNegative(what, 'size', sub.size);
      nonNegative(what, 'burst', sub.burst);
      nonNegative(what, 'coresInUse', sub.coresInUse);
    }
  }

  const jobs = uniqueIds('job', s.jobs);
  for (const job of s.jobs) {
    if (!shows.has(job.showId)) refuse(`job '${job.name}' (${job.id}) belongs to show '${job.showId}', which is not in the snapshot`);
    nonNegative(`job '${job.name}'`, 'coresInUse', job.coresInUse);
    if (!Number.isFinite(job.priority)) refuse(`job '${job.name}' has priority ${job.priority}`);
  }

  const limits = uniqueIds('limit', s.limits);
  for (const limit of s.limits) {
    nonNegative(`limit '${limit.name}'`, 'max', limit.max);
    nonNegative(`limit '${limit.name}'`, 'inUse', limit.inUse);
  }

  const layers = uniqueIds('layer', s.layers);
  for (const layer of s.layers) {
    const what = `layer '${layer.name}' (${layer.id})`;
    if (!jobs.has(layer.jobId)) refuse(`${what} belongs to job '${layer.jobId}', which is not in the snapshot`);
    if (!Number.isFinite(layer.minCores) || layer.minCores <= 0) refuse(`${what} has minCores ${layer.minCores}; it must be more than 0`);
    nonNegative(what, 'maxCores', layer.maxCores);
    nonNegative(what, 'memoryMb', layer.memoryMb);
    nonNegative(what, 'gpus', layer.gpus);
    nonNegative(what, 'gpuMemoryMb', layer.gpuMemoryMb);
    for (const limitId of layer.limits) if (!limits.has(limitId)) refuse(`${what} uses limit '${limitId}', which is not in the snapshot`);
  }

  validateFrames(s, layers);
}

function validateFrames(s: FarmSnapshot, layers: ReadonlyMap<string, unknown>): void {
  // A byte per id finds duplicates among a million frames in milliseconds; a Set takes ~100 ms.
  let maxId = 0;
  let compact = true;
  for (const frame of s.frames) {
    if (!Number.isSafeInteger(frame.id) || frame.id < 0) compact = false;
    else if (frame.id > maxId) maxId = frame.id;
  }
  compact &&= maxId <= Math.max(16 * s.frames.length, 1 << 20);
  const seenBytes = compact ? new Uint8Array(maxId + 1) : undefined;
  const seenSet = compact ? undefined : new Set<number>();
  let lastLayerId: string | undefined;
  for (const frame of s.frames) {
    if (frame.layerId !== lastLayerId && !layers.has(frame.layerId))
      refuse(`frame ${frame.id} belongs to layer '${frame.layerId}', which is not in the snapshot`);
    if (!Number.isFinite(frame.order)) refuse(`frame ${frame.id} has dispatch order ${frame.order}`);
    if (seenBytes) {
      if (seenBytes[frame.id] === 1) refuse(`frame id ${frame.id} appears twice`);
      seenBytes[frame.id] = 1;
    } else if (seenSet) {
      if (seenSet.has(frame.id)) refuse(`frame id ${frame.id} appears twice`);
      seenSet.add(frame.id);
    }
    lastLayerId = frame.layerId;
  }
}

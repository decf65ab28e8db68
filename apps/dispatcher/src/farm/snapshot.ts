/**
 * Describes the in-memory farm to the scheduler: hosts with what is idle on them, shows with
 * cores in use per allocation, every unfinished job with its layers, and the frames that are
 * ready (WAITING). The scheduler decides; this only describes.
 */
import type { FarmSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, ReadyFrame, ShowSnapshot } from '@farmhand/scheduler';
import { type Farm, idleResources, type MemHost, type MemJob, type MemLayer } from './model';

/** A host as the scheduler sees it: one without a connected rqd cannot take frames. */
export function hostSnapshot(host: MemHost): HostSnapshot {
  const idle = idleResources(host);
  return {
    id: host.id,
    name: host.name,
    allocationId: host.allocationId,
    state: host.socketId && host.coolingUntil <= Date.now() ? host.state : 'DOWN',
    lock: host.lock,
    tags: host.tags,
    cores: host.cores,
    // Booked past its size for a moment after a restart (see Store.bookingsCommitted): nothing idle.
    idleCores: Math.max(0, idle.cores),
    memoryMb: host.memoryMb,
    idleMemoryMb: Math.max(0, idle.memoryMb),
    gpus: host.gpus,
    idleGpus: idle.gpus,
    gpuMemoryMb: host.gpuMemoryMb,
    idleGpuMemoryMb: Math.max(0, idle.gpuMemoryMb),
    procCount: host.procs.size,
  };
}

export function jobSnapshot(job: MemJob, coresInUse: number): JobSnapshot {
  return {
    id: job.id,
    name: job.name,
    showId: job.showId,
    priority: job.priority,
    paused: job.paused,
    submittedAt: job.submittedAt,
    excludedHostIds: [],
    coresInUse,
  };
}

export function layerSnapshot(layer: MemLayer): LayerSnapshot {
  return {
    id: layer.id,
    jobId: layer.jobId,
    name: layer.name,
    minCores: layer.minCores,
    maxCores: layer.maxCores,
    threadable: layer.threadable,
    memoryMb: layer.memoryMb,
    gpus: layer.gpus,
    gpuMemoryMb: layer.gpuMemoryMb,
    tags: layer.tags,
    limits: layer.limitIds,
  };
}

/** Jobs that can still book: not finished, not killed. FAILED jobs stay (a retry makes them run again). */
export function isSchedulable(job: MemJob): boolean {
  return job.state !== 'SUCCEEDED' && job.state !== 'KILLED';
}

export function buildSnapshot(farm: Farm, now: number): FarmSnapshot {
  const coresInUse = new Map<string, number>(); // `${showId}|${allocationId}` → cores
  const jobCores = new Map<string, number>();
  const limitInUse = new Map<string, number>();
  const hosts: HostSnapshot[] = [];
  for (const host of farm.hosts.values()) {
    for (const proc of host.procs.values()) {
      // A proc booked with a submission still being stored counts against its show and limits too.
      const storing = farm.storing.get(proc.jobId);
      const job = farm.jobs.get(proc.jobId) ?? storing;
      if (!job) continue;
      const key = `${job.showId}|${host.allocationId}`;
      coresInUse.set(key, (coresInUse.get(key) ?? 0) + proc.cores);
      jobCores.set(job.id, (jobCores.get(job.id) ?? 0) + proc.cores);
      const frame = farm.frames.get(proc.frameId) ?? storing?.frames.get(proc.frameId);
      const layer = frame ? (farm.layers.get(frame.layerId) ?? storing?.layers.find((l) => l.id === frame.layerId)) : undefined;
      for (const limitId of layer?.limitIds ?? []) limitInUse.set(limitId, (limitInUse.get(limitId) ?? 0) + 1);
    }
    hosts.push(hostSnapshot(host));
  }

  const shows: ShowSnapshot[] = [...farm.shows.values()].map((show) => ({
    id: show.id,
    name: show.name,
    mode: show.mode,
    subscriptions: [...show.subscriptions].map(([allocationId, sub]) => ({
      allocationId,
      size: sub.size,
      burst: sub.burst,
      coresInUse: coresInUse.get(`${show.id}|${allocationId}`) ?? 0,
    })),
  }));

  const jobs: JobSnapshot[] = [];
  const layers: LayerSnapshot[] = [];
  const frames: ReadyFrame[] = [];
  for (const job of farm.jobs.values()) {
    if (!isSchedulable(job)) continue;
    if (job.counts.WAITING > 0)
      for (const frame of job.frames.values())
        if (frame.state === 'WAITING') frames.push({ id: frame.id, layerId: frame.layerId, order: frame.order });
    jobs.push(jobSnapshot(job, jobCores.get(job.id) ?? 0));
    for (const layer of job.layers) layers.push(layerSnapshot(layer));
  }

  const limits = [...farm.limits.values()].map((l) => ({ id: l.id, name: l.name, max: l.max, inUse: limitInUse.get(l.id) ?? 0 }));
  return { now, hosts, allocations: [...farm.allocations.values()], shows, jobs, layers, frames, limits };
}

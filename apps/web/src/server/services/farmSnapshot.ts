/**
 * The scheduler's snapshot of the farm, built from the database for reading only ("why isn't
 * my job running?", the problems panel). The dispatcher's memory is not reachable from the web,
 * so this is the farm as last committed: hosts with what their procs hold, shows with cores in
 * use per allocation, limits in use, and the frames that are WAITING in unfinished jobs. It
 * mirrors the dispatcher's own snapshot (apps/dispatcher/src/farm/snapshot.ts).
 */
import type { HostLock, HostState, SchedulingMode } from '@farmhand/contracts';
import type { FarmSnapshot, HostSnapshot, JobSnapshot, LayerSnapshot, ReadyFrame, ShowSnapshot } from '@farmhand/scheduler';
import type { Database } from '../db';

export function splitTags(tags: string): string[] {
  return tags.split(/[\s,]+/).filter(Boolean);
}

export interface SnapshotScope {
  /** Only these jobs' frames and layers (all unfinished jobs when absent). */
  jobIds?: string[];
}

export async function buildFarmSnapshot(db: Database, now: number, scope: SnapshotScope = {}): Promise<FarmSnapshot> {
  const p = db.prisma;
  const [allocations, shows, hosts, procs, limits, jobs] = await Promise.all([
    p.allocation.findMany({ select: { id: true, name: true, tag: true } }),
    p.show.findMany({ include: { subscriptions: true } }),
    p.host.findMany(),
    p.proc.findMany({ include: { job: { select: { showId: true } }, frame: { select: { layer: { select: { limits: true } } } } } }),
    p.limit.findMany(),
    p.job.findMany({
      where: { state: { in: ['PENDING', 'RUNNING', 'FAILED'] }, ...(scope.jobIds ? { id: { in: scope.jobIds } } : {}) },
      include: { layers: { include: { limits: true }, orderBy: { index: 'asc' } } },
    }),
  ]);
  const hostAllocation = new Map(hosts.map((h) => [h.id, h.allocationId]));
  const showCores = new Map<string, number>(); // `${showId}|${allocationId}` → cores
  const jobCores = new Map<string, number>();
  const limitInUse = new Map<string, number>();
  const held = new Map<string, { cores: number; memoryMb: number; gpus: number; gpuMemoryMb: number; count: number }>();
  for (const proc of procs) {
    const key = `${proc.job.showId}|${hostAllocation.get(proc.hostId)}`;
    showCores.set(key, (showCores.get(key) ?? 0) + proc.cores);
    jobCores.set(proc.jobId, (jobCores.get(proc.jobId) ?? 0) + proc.cores);
    for (const l of proc.frame.layer.limits) limitInUse.set(l.limitId, (limitInUse.get(l.limitId) ?? 0) + 1);
    const h = held.get(proc.hostId) ?? { cores: 0, memoryMb: 0, gpus: 0, gpuMemoryMb: 0, count: 0 };
    h.cores += proc.cores;
    h.memoryMb += proc.memoryMb;
    h.gpus += proc.gpus;
    h.gpuMemoryMb += proc.gpuMemoryMb;
    h.count++;
    held.set(proc.hostId, h);
  }

  const hostSnapshots: HostSnapshot[] = hosts.map((h) => {
    const used = held.get(h.id);
    const idleGpus = Array.from({ length: Math.max(0, h.gpus - (used?.gpus ?? 0)) }, (_, i) => i + (used?.gpus ?? 0));
    return {
      id: h.id,
      name: h.name,
      allocationId: h.allocationId,
      state: h.state as HostState,
      lock: h.lock as HostLock,
      tags: splitTags(h.tags),
      cores: h.cores,
      idleCores: Math.max(0, h.cores - (used?.cores ?? 0)),
      memoryMb: h.memoryMb,
      idleMemoryMb: Math.max(0, h.memoryMb - (used?.memoryMb ?? 0)),
      gpus: h.gpus,
      idleGpus,
      gpuMemoryMb: h.gpuMemoryMb,
      idleGpuMemoryMb: Math.max(0, h.gpuMemoryMb - (used?.gpuMemoryMb ?? 0)),
      procCount: used?.count ?? 0,
    };
  });

  const showSnapshots: ShowSnapshot[] = shows.map((s) => ({
    id: s.id,
    name: s.name,
    mode: s.schedulingMode as SchedulingMode,
    subscriptions: s.subscriptions.map((sub) => ({
      allocationId: sub.allocationId,
      size: sub.size,
      burst: sub.burst,
      coresInUse: showCores.get(`${s.id}|${sub.allocationId}`) ?? 0,
    })),
  }));

  const ready = jobs.length
    ? await p.frame.findMany({
        where: { jobId: { in: jobs.map((j) => j.id) }, state: 'WAITING' },
        select: { id: true, jobId: true, layerId: true, dispatchOrder: true },
      })
    : [];
  const readyJobs = new Set(ready.map((f) => f.jobId));
  const frames: ReadyFrame[] = ready.map((f) => ({ id: f.id, layerId: f.layerId, order: f.dispatchOrder }));
  const jobSnapshots: JobSnapshot[] = [];
  const layers: LayerSnapshot[] = [];
  for (const j of jobs) {
    if (!readyJobs.has(j.id)) continue;
    jobSnapshots.push({
      id: j.id,
      name: j.name,
      showId: j.showId,
      priority: j.priority,
      paused: j.paused,
      submittedAt: j.submittedAt.getTime(),
      excludedHostIds: [],
      coresInUse: jobCores.get(j.id) ?? 0,
    });
    for (const l of j.layers)
      layers.push({
        id: l.id,
        jobId: j.id,
        name: l.name,
        minCores: l.minCores,
        maxCores: l.maxCores,
        threadable: l.threadable,
        memoryMb: l.memoryMb,
        gpus: l.gpus,
        gpuMemoryMb: l.gpuMemoryMb,
        tags: splitTags(l.tags),
        limits: l.limits.map((x) => x.limitId),
      });
  }

  return {
    now,
    hosts: hostSnapshots,
    allocations,
    shows: showSnapshots,
    jobs: jobSnapshots,
    layers,
    frames,
    limits: limits.map((l) => ({ id: l.id, name: l.name, max: l.max, inUse: limitInUse.get(l.id) ?? 0 })),
  };
}

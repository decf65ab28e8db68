/**
 * Loads the farm into memory at start: allocations, shows and subscriptions, hosts with the
 * procs the database says they hold (and the history rows of those attempts), limits, every
 * job that is not finished with its layers and frames, and the depends between them. Running
 * frames are kept as they are; the hosts' registrations then adopt them or hand them back
 * (hostWatch.ts).
 */
import type { FrameState } from '@farmhand/contracts';
import { parseFrameRange } from '@farmhand/contracts';
import type { Db } from '@farmhand/db';
import { emptyFarm, type Farm, type MemFrame, type MemHost, type MemJob, type MemLayer, setFrameState, zeroCounts } from './model';

export function splitTags(tags: string): string[] {
  return tags.split(/[\s,]+/).filter(Boolean);
}

const ms = (d: Date | null) => d?.getTime() ?? null;

export async function loadFarm(db: Db): Promise<Farm> {
  const farm = emptyFarm();
  const loadedAt = Date.now();
  for (const a of await db.allocation.findMany()) farm.allocations.set(a.id, { id: a.id, name: a.name, tag: a.tag });
  for (const s of await db.show.findMany({ include: { subscriptions: true } })) {
    const show = {
      id: s.id,
      name: s.name,
      mode: s.schedulingMode,
      subscriptions: new Map(s.subscriptions.map((sub) => [sub.allocationId, { size: sub.size, burst: sub.burst }])),
    };
    farm.shows.set(show.id, show);
    farm.showsByName.set(show.name, show);
  }
  for (const l of await db.limit.findMany()) farm.limits.set(l.id, { id: l.id, name: l.name, max: l.max });
  await loadHosts(db, farm, loadedAt);
  await loadJobs(db, farm, loadedAt);
  await loadProcs(db, farm);
  await loadDepends(db, farm);
  const [last] = await db.frame.findMany({ orderBy: { id: 'desc' }, take: 1, select: { id: true } });
  farm.nextFrameId = (last?.id ?? 0) + 1;
  return farm;
}

async function loadHosts(db: Db, farm: Farm, loadedAt: number): Promise<void> {
  for (const h of await db.host.findMany()) {
    const host: MemHost = {
      id: h.id,
      name: h.name,
      allocationId: h.allocationId,
      cores: h.cores,
      memoryMb: h.memoryMb,
      gpus: h.gpus,
      gpuMemoryMb: h.gpuMemoryMb,
      tags: splitTags(h.tags),
      state: h.state,
      lock: h.lock,
      // Every host gets a full timeout to re-register after a dispatcher restart, however long
      // the dispatcher was away, before its frames are handed back.
      lastReportAt: loadedAt,
      procs: new Map(),
      socketId: null,
      connectedAt: loadedAt,
      coolingUntil: 0,
      details: {
        physicalCores: h.physicalCores,
        swapMb: h.swapMb,
        os: h.os,
        load: h.load,
        freeMemoryMb: h.freeMemoryMb,
        freeTempMb: h.freeTempMb,
        bootedAt: ms(h.bootedAt),
      },
      freedAt: loadedAt,
      lastSeq: 0,
      lastEventWrite: Promise.resolve(),
    };
    farm.hosts.set(host.id, host);
    farm.hostsByName.set(host.name, host);
  }
}

async function loadJobs(db: Db, farm: Farm, loadedAt: number): Promise<void> {
  const jobs = await db.job.findMany({
    where: { state: { in: ['PENDING', 'RUNNING', 'FAILED'] } },
    include: { layers: { include: { limits: true }, orderBy: { index: 'asc' } } },
  });
  for (const j of jobs) {
    const job: MemJob = {
      id: j.id,
      name: j.name,
      showId: j.showId,
      shot: j.shot,
      user: j.user,
      priority: j.priority,
      paused: j.paused,
      maxRetries: j.maxRetries,
      state: j.state,
      submittedAt: j.submittedAt.getTime(),
      startedAt: ms(j.startedAt),
      stoppedAt: ms(j.stoppedAt),
      coreSeconds: j.coreSeconds,
      coresInUse: 0,
      counts: zeroCounts(),
      layers: [],
      frames: new Map(),
    };
    for (const l of j.layers) {
      const layer: MemLayer = {
        id: l.id,
        jobId: j.id,
        name: l.name,
        type: l.type,
        command: l.command,
        minCores: l.minCores,
        maxCores: l.maxCores,
        threadable: l.threadable,
        memoryMb: l.memoryMb,
        gpus: l.gpus,
        gpuMemoryMb: l.gpuMemoryMb,
        tags: splitTags(l.tags),
        limitIds: l.limits.map((x) => x.limitId),
        timeoutMinutes: l.timeoutMinutes,
        env: JSON.parse(l.env) as Record<string, string>,
        frameCount: 0,
        doneCount: 0,
      };
      job.layers.push(layer);
      farm.layers.set(layer.id, layer);
    }
    farm.jobs.set(job.id, job);
  }
  if (farm.jobs.size === 0) return;
  const frames = await db.frame.findMany({ where: { jobId: { in: [...farm.jobs.keys()] } } });
  for (const f of frames) {
    const job = farm.jobs.get(f.jobId);
    const layer = farm.layers.get(f.layerId);
    if (!job || !layer) continue;
    const frame: MemFrame = {
      id: f.id,
      jobId: f.jobId,
      layerId: f.layerId,
      number: f.number,
      frames: parseFrameRange(f.frames),
      order: f.dispatchOrder,
      state: f.state as FrameState,
      retries: f.retries,
      attempt: f.attempt,
      exitStatus: f.exitStatus,
      exitSignal: f.exitSignal,
      hostId: f.hostId,
      startedAt: ms(f.startedAt),
      stoppedAt: ms(f.stoppedAt),
      maxRssMb: f.maxRssMb,
      cpuSeconds: f.cpuSeconds,
      readyAt: loadedAt,
      killIntent: null,
    };
    job.frames.set(frame.id, frame);
    job.counts[frame.state]++;
    layer.frameCount++;
    if (frame.state === 'SUCCEEDED' || frame.state === 'EATEN') layer.doneCount++;
    farm.frames.set(frame.id, frame);
  }
}

/** Procs with the history rows of their attempts, which are written again when the attempt ends. */
async function loadProcs(db: Db, farm: Farm): Promise<void> {
  const procs = await db.proc.findMany();
  if (procs.length === 0) return;
  const attempts = await db.frameAttempt.findMany({ where: { frameId: { in: procs.map((p) => p.frameId) } } });
  const history = new Map(attempts.map((a) => [`${a.frameId}.${a.attempt}`, a]));
  for (const p of procs) {
    const host = farm.hosts.get(p.hostId);
    const frame = farm.frames.get(p.frameId);
    const job = farm.jobs.get(p.jobId);
    if (!host || !frame || !job) continue;
    if (frame.attempt < p.attempt) {
      // The booking's proc was committed and its frame's row not yet (persist/store.ts
      // takeBookings): the frame is booked on this host, as the proc says.
      frame.attempt = p.attempt;
      frame.hostId = p.hostId;
      frame.exitStatus = null;
      frame.exitSignal = null;
      setFrameState(farm, frame, 'SETUP');
    }
    const a = history.get(`${p.frameId}.${p.attempt}`);
    host.procs.set(p.frameId, {
      id: p.id,
      frameId: p.frameId,
      attempt: p.attempt,
      hostId: p.hostId,
      jobId: p.jobId,
      cores: p.cores,
      memoryMb: p.memoryMb,
      gpus: Array.from({ length: p.gpus }, (_, i) => i),
      gpuMemoryMb: p.gpuMemoryMb,
      bookedAt: p.bookedAt.getTime(),
      startedAt: ms(p.startedAt) ?? frame.startedAt,
      launchAckedAt: null,
      seenInReport: false,
      missingSince: null,
      readySince: p.bookedAt.getTime(),
      cause: 'ready',
      history: {
        frameId: p.frameId,
        attempt: p.attempt,
        hostId: p.hostId,
        hostName: a?.hostName ?? host.name,
        cores: a?.cores ?? p.cores,
        startedAt: a?.startedAt.getTime() ?? p.bookedAt.getTime(),
        stoppedAt: ms(a?.stoppedAt ?? null),
        exitStatus: a?.exitStatus ?? null,
        exitSignal: a?.exitSignal ?? null,
        reason: a?.reason ?? null,
        maxRssMb: a?.maxRssMb ?? 0,
        cpuSeconds: a?.cpuSeconds ?? 0,
        logPath: a?.logPath ?? '',
      },
    });
    job.coresInUse += p.cores;
  }
}

/**
 * Every active depend between jobs in memory goes into the depend graph. Frame states are then
 * made to agree with it: DEPEND exactly when something holds the frame (a crash between a
 * release and its write, or a depend satisfied while the dispatcher was away).
 */
async function loadDepends(db: Db, farm: Farm): Promise<void> {
  for (const job of farm.jobs.values()) farm.depends.addJob(job);
  if (farm.jobs.size === 0) return;
  const rows = await db.depend.findMany({ where: { active: true } });
  for (const row of rows) farm.depends.add(row);
  for (const frame of farm.frames.values()) {
    const blocked = farm.depends.isBlocked(frame.id);
    if (frame.state === 'DEPEND' && !blocked) setFrameState(farm, frame, 'WAITING');
    else if (frame.state === 'WAITING' && blocked) setFrameState(farm, frame, 'DEPEND');
  }
}

/**
 * The dispatcher's core: the in-memory farm and every transition of it. Each transition is
 * applied in memory, queued for the database (group commit), and acknowledged or acted on
 * only once committed. Browsers hear of it through the live fan-out.
 */
import { randomUUID } from 'node:crypto';
import {
  DISPATCHER_EVENTS,
  type FrameDelta,
  type FrameExited,
  type FrameLaunch,
  type FrameStarted,
  type FrameState,
} from '@farmhand/contracts';
import type { Db } from '@farmhand/db';
import type { Booking } from '@farmhand/scheduler';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import { decideFrameExit, deriveJobState } from './farm/lifecycle';
import type { Farm, MemFrame, MemHost, MemJob } from './farm/model';
import { setFrameState } from './farm/model';
import { DEFAULT_TIMINGS, type WatchTimings } from './hostWatch';
import type { LiveFanout } from './live';
import type { DispatcherMetrics } from './metrics';
import { Scheduling } from './scheduling';
import { WriteQueue } from './writeQueue';

const LAUNCH_ACK_TIMEOUT_MS = 15_000;

/** Why a frame went back to WAITING without counting a failure; recorded on its attempt. */
export type HandBackReason = 'LAUNCH_FAILED' | 'SETUP_TIMEOUT' | 'LOST' | 'HOST_DOWN';

export class Dispatcher {
  readonly queue: WriteQueue;
  readonly scheduling: Scheduling;
  rqd: Namespace | null = null;

  constructor(
    readonly db: Db,
    readonly farm: Farm,
    readonly live: LiveFanout,
    readonly log: Logger,
    readonly metrics: DispatcherMetrics,
    readonly timings: WatchTimings = DEFAULT_TIMINGS,
  ) {
    this.queue = new WriteQueue(db, (e) => log.error({ err: e }, 'database write failed'));
    this.scheduling = new Scheduling(
      farm,
      (bookings) => {
        for (const b of bookings) this.book(b);
      },
      metrics,
      log,
    );
  }

  /** Asks for a full scheduling pass soon; many requests in one tick make one pass. */
  requestPass(): void {
    this.scheduling.requestFull();
  }

  private book(b: Booking): void {
    const frame = this.farm.frames.get(b.frameId);
    const host = this.farm.hosts.get(b.hostId);
    const job = frame && this.farm.jobs.get(frame.jobId);
    const layer = frame && this.farm.layers.get(frame.layerId);
    const show = job && this.farm.shows.get(job.showId);
    if (!frame || !host || !job || !layer || !show || frame.state !== 'WAITING' || host.procs.has(frame.id)) {
      // The scheduler's index booked something memory does not allow: it has drifted.
      this.scheduling.invalidate();
      return;
    }
    const now = Date.now();
    const proc = {
      id: randomUUID(),
      frameId: frame.id,
      attempt: frame.attempt + 1,
      hostId: host.id,
      jobId: job.id,
      cores: b.cores,
      memoryMb: b.memoryMb,
      gpus: [...b.gpus],
      gpuMemoryMb: b.gpuMemoryMb,
      bookedAt: now,
      startedAt: null,
      launchAckedAt: null,
      seenInReport: false,
      missingSince: null,
    };
    host.procs.set(frame.id, proc);
    frame.attempt = proc.attempt;
    frame.hostId = host.id;
    frame.exitStatus = null;
    setFrameState(this.farm, frame, 'SETUP');
    const logPath = `${show.name}/${job.name}.${job.id.slice(0, 8)}/${layer.name}/${frame.number}.${proc.attempt}.log`;
    const launch: FrameLaunch = {
      frameId: frame.id,
      attempt: proc.attempt,
      jobId: job.id,
      jobName: job.name,
      layerName: layer.name,
      show: show.name,
      shot: job.shot,
      user: job.user,
      command: layer.command,
      frames: frame.frames,
      cores: b.cores,
      memoryMb: b.memoryMb,
      gpus: [...b.gpus],
      env: layer.env,
      timeoutMinutes: layer.timeoutMinutes ?? undefined,
      logPath,
    };
    const persisted = this.queue.push(async (tx) => {
      await tx.proc.create({
        data: {
          id: proc.id,
          hostId: host.id,
          frameId: frame.id,
          jobId: job.id,
          attempt: proc.attempt,
          cores: proc.cores,
          memoryMb: proc.memoryMb,
          gpus: proc.gpus.length,
          gpuMemoryMb: proc.gpuMemoryMb,
          bookedAt: new Date(now),
        },
      });
      await tx.frame.update({
        where: { id: frame.id },
        data: { state: 'SETUP', attempt: proc.attempt, hostId: host.id, exitStatus: null },
      });
      await tx.frameAttempt.create({
        data: {
          frameId: frame.id,
          attempt: proc.attempt,
          hostId: host.id,
          hostName: host.name,
          cores: proc.cores,
          startedAt: new Date(now),
          logPath,
        },
      });
    });
    persisted.then(
      () => {
        this.publishFrame(frame);
        this.publishJob(job);
        this.sendLaunch(host, frame, launch);
      },
      () => this.handBack(frame, 'LAUNCH_FAILED', 'the booking could not be saved'),
    );
  }

  private sendLaunch(host: MemHost, frame: MemFrame, launch: FrameLaunch): void {
    const socket = host.socketId ? this.rqd?.sockets.get(host.socketId) : undefined;
    if (!socket) {
      this.handBack(frame, 'LAUNCH_FAILED', `host ${host.name} is not connected`);
      return;
    }
    this.metrics.launches.inc();
    socket
      .timeout(LAUNCH_ACK_TIMEOUT_MS)
      .emit(DISPATCHER_EVENTS.launch, launch, (err: unknown, ack: { ok: boolean; error?: string } | undefined) => {
        if (frame.attempt !== launch.attempt || frame.state !== 'SETUP' || frame.hostId !== host.id) return;
        if (err || !ack?.ok) {
          const why = err ? 'the host did not answer the launch' : `the host refused the launch: ${ack?.error ?? 'no reason given'}`;
          this.handBack(frame, 'LAUNCH_FAILED', why);
          return;
        }
        const proc = host.procs.get(frame.id);
        if (proc && proc.attempt === launch.attempt) proc.launchAckedAt = Date.now();
      });
  }

  /**
   * A frame that is not running where it was booked — its launch failed, it never confirmed its
   * start, or its host stopped listing it — goes back to WAITING without counting a failure.
   * The host is told to kill that attempt in case it runs after all: never two copies.
   */
  handBack(frame: MemFrame, reason: HandBackReason, why: string): void {
    const host = frame.hostId ? this.farm.hosts.get(frame.hostId) : undefined;
    if ((frame.state !== 'SETUP' && frame.state !== 'RUNNING') || !host) return;
    this.log.warn({ frameId: frame.id, attempt: frame.attempt, host: host.name, reason, why }, 'frame handed back');
    const attempt = frame.attempt;
    this.killAttempt(host, frame.id, attempt, why);
    const proc = host.procs.get(frame.id);
    host.procs.delete(frame.id);
    frame.hostId = null;
    frame.killIntent = null;
    setFrameState(this.farm, frame, 'WAITING');
    if (proc) this.scheduling.released(proc, frame.layerId);
    if (reason === 'LAUNCH_FAILED') this.coolDown(host);
    this.scheduling.framesReady([frame]);
    const job = this.farm.jobs.get(frame.jobId);
    if (job) this.refreshJobState(job);
    const stoppedAt = new Date();
    void this.queue
      .push(async (tx) => {
        await tx.proc.deleteMany({ where: { frameId: frame.id } });
        await tx.frame.update({ where: { id: frame.id }, data: { state: 'WAITING', hostId: null } });
        await tx.frameAttempt.updateMany({ where: { frameId: frame.id, attempt }, data: { stoppedAt, reason } });
        if (job) await tx.job.update({ where: { id: job.id }, data: { state: job.state } });
      })
      .then(() => {
        this.publishFrame(frame);
        if (job) this.publishJob(job);
        this.publishHost(host);
      })
      .catch(() => undefined);
  }

  /** A host that failed a launch takes nothing for a second, so a broken host does not spin. */
  private coolDown(host: MemHost): void {
    host.coolingUntil = Date.now() + 1000;
    this.scheduling.hostChanged(host);
    setTimeout(() => this.scheduling.hostChanged(host), 1000).unref();
  }

  /** Tells a host to stop one attempt of a frame (a stale or handed-back copy). */
  killAttempt(host: MemHost, frameId: number, attempt: number, reason: string): void {
    const socket = host.socketId ? this.rqd?.sockets.get(host.socketId) : undefined;
    socket?.emit(DISPATCHER_EVENTS.kill, { frameId, attempt, reason });
  }

  // ── reports from hosts ───────────────────────────────────────────────────────────────

  /** rqd confirmed a frame's start: RUNNING. Answers why it was not applied, or null when it was. */
  async frameStarted(host: MemHost, msg: FrameStarted): Promise<string | null> {
    const frame = this.farm.frames.get(msg.frameId);
    const stale = staleEvent(frame, host, msg);
    if (stale) return stale;
    if (frame?.state !== 'SETUP') return `frame ${msg.frameId} attempt ${msg.attempt} already started`;
    const job = this.farm.jobs.get(frame.jobId);
    const proc = host.procs.get(frame.id);
    if (!job || !proc) return `frame ${msg.frameId} has no proc on ${host.name}`;
    const startedAt = new Date(msg.startedAt);
    frame.startedAt = msg.startedAt;
    frame.stoppedAt = null;
    proc.startedAt = msg.startedAt;
    setFrameState(this.farm, frame, 'RUNNING');
    const firstStart = job.startedAt === null;
    if (firstStart) job.startedAt = msg.startedAt;
    const jobState = this.refreshJobState(job);
    await this.queue.push(async (tx) => {
      await tx.frame.update({ where: { id: frame.id }, data: { state: 'RUNNING', startedAt, stoppedAt: null } });
      await tx.proc.updateMany({ where: { frameId: frame.id }, data: { startedAt } });
      await tx.frameAttempt.updateMany({ where: { frameId: frame.id, attempt: msg.attempt }, data: { startedAt, logPath: msg.logPath } });
      if (firstStart || jobState)
        await tx.job.update({ where: { id: job.id }, data: { state: job.state, startedAt: new Date(job.startedAt ?? msg.startedAt) } });
    });
    this.publishFrame(frame);
    this.publishJob(job);
    return null;
  }

  /**
   * A frame's process ended. Duplicates and stale attempts (a completion replayed twice, or
   * from a copy the dispatcher already gave to another host) change nothing: the answer says why.
   */
  async frameExited(host: MemHost, msg: FrameExited): Promise<string | null> {
    const frame = this.farm.frames.get(msg.frameId);
    const stale = staleEvent(frame, host, msg);
    if (stale || !frame) return stale ?? `frame ${msg.frameId} is not a frame of an unfinished job`;
    const job = this.farm.jobs.get(frame.jobId);
    const layer = this.farm.layers.get(frame.layerId);
    const proc = host.procs.get(frame.id);
    if (!job || !layer) return `frame ${msg.frameId} is not a frame of an unfinished job`;
    const decision = decideFrameExit(frame, msg, job.maxRetries, layer.memoryMb);
    const wallSeconds = Math.max(0, (msg.stoppedAt - msg.startedAt) / 1000);
    const coreSeconds = wallSeconds * (proc?.cores ?? 0);
    host.procs.delete(frame.id);
    frame.hostId = null;
    frame.exitStatus = msg.exitStatus;
    frame.retries = decision.retries;
    frame.stoppedAt = msg.stoppedAt;
    frame.killIntent = null;
    setFrameState(this.farm, frame, decision.state);
    if (decision.raiseMemoryMbTo !== null) {
      // A layer's memory is part of its shape in the scheduler's index: rebuild it.
      layer.memoryMb = decision.raiseMemoryMbTo;
      this.scheduling.invalidate();
    }
    job.coreSeconds += coreSeconds;
    if (proc) this.scheduling.released(proc, frame.layerId);
    if (decision.state === 'WAITING') this.scheduling.framesReady([frame]);
    const { released, satisfied } = decision.state === 'SUCCEEDED' || decision.state === 'EATEN' ? this.frameDone(frame) : NOTHING_DONE;
    this.refreshJobState(job);
    this.scheduling.requestHost(host.id);
    this.metrics.framesFinished.inc({ state: decision.state });
    const day = new Date(msg.stoppedAt).toISOString().slice(0, 10);
    await this.queue.push(async (tx) => {
      await tx.frame.update({
        where: { id: frame.id },
        data: {
          state: decision.state,
          retries: decision.retries,
          exitStatus: msg.exitStatus,
          exitSignal: msg.exitSignal,
          hostId: null,
          stoppedAt: new Date(msg.stoppedAt),
          maxRssMb: msg.maxRssMb,
          cpuSeconds: msg.cpuSeconds,
        },
      });
      await tx.frameAttempt.updateMany({
        where: { frameId: frame.id, attempt: msg.attempt },
        data: {
          stoppedAt: new Date(msg.stoppedAt),
          exitStatus: msg.exitStatus,
          exitSignal: msg.exitSignal,
          reason: msg.reason,
          maxRssMb: msg.maxRssMb,
          cpuSeconds: msg.cpuSeconds,
        },
      });
      await tx.proc.deleteMany({ where: { frameId: frame.id } });
      if (decision.raiseMemoryMbTo !== null)
        await tx.layer.update({ where: { id: layer.id }, data: { memoryMb: decision.raiseMemoryMbTo } });
      if (released.length > 0) await tx.frame.updateMany({ where: { id: { in: released.map((f) => f.id) } }, data: { state: 'WAITING' } });
      if (satisfied.length > 0)
        await tx.depend.updateMany({ where: { id: { in: satisfied } }, data: { active: false, satisfiedAt: new Date(msg.stoppedAt) } });
      for (const other of releasedJobs(this.farm, released, job))
        await tx.job.update({ where: { id: other.id }, data: { state: other.state } });
      await tx.job.update({
        where: { id: job.id },
        data: { state: job.state, coreSeconds: job.coreSeconds, stoppedAt: isFinished(job) ? new Date(msg.stoppedAt) : null },
      });
      if (coreSeconds > 0)
        await tx.showUsage.upsert({
          where: { showId_day: { showId: job.showId, day } },
          create: { showId: job.showId, day, coreSeconds, frames: 1 },
          update: { coreSeconds: { increment: coreSeconds }, frames: { increment: 1 } },
        });
    });
    this.publishFrame(frame);
    for (const f of released) this.publishFrame(f);
    for (const other of releasedJobs(this.farm, released, job)) this.publishJob(other);
    this.publishJob(job);
    return null;
  }

  /**
   * A frame SUCCEEDED or was EATEN: the frames it held (in any job) go from DEPEND to WAITING,
   * and the depend rows its frame, layer or job satisfied are answered for the caller to write.
   */
  frameDone(frame: MemFrame): { released: MemFrame[]; satisfied: string[] } {
    const { depends } = this.farm;
    const released = this.releaseFrames(depends.frameDone(frame.id));
    const satisfied = depends.takeSatisfied(`frame:${frame.id}`);
    const layer = this.farm.layers.get(frame.layerId);
    if (layer && layer.doneCount === layer.frameCount) satisfied.push(...depends.takeSatisfied(`layer:${layer.id}`));
    const job = this.farm.jobs.get(frame.jobId);
    if (job && job.counts.SUCCEEDED + job.counts.EATEN === job.frames.size) satisfied.push(...depends.takeSatisfied(`job:${job.id}`));
    return { released, satisfied };
  }

  /** Frames the depend graph released: DEPEND → WAITING, and into the scheduler's index. */
  releaseFrames(ids: readonly number[]): MemFrame[] {
    const released: MemFrame[] = [];
    for (const id of ids) {
      const f = this.farm.frames.get(id);
      if (f?.state !== 'DEPEND') continue;
      setFrameState(this.farm, f, 'WAITING');
      released.push(f);
      const job = this.farm.jobs.get(f.jobId);
      if (job) this.refreshJobState(job);
    }
    this.scheduling.framesReady(released);
    return released;
  }

  /** A host stopped reporting: DOWN, and its frames go back to WAITING without counting a failure. */
  async hostDown(host: MemHost, why: string): Promise<void> {
    if (host.state === 'DOWN' && host.procs.size === 0) return;
    this.log.warn({ host: host.name, why, frames: host.procs.size }, 'host down');
    host.state = 'DOWN';
    const frames = [...host.procs.values()].map((p) => ({ frame: this.farm.frames.get(p.frameId), attempt: p.attempt }));
    host.procs.clear();
    this.scheduling.invalidate();
    const touchedJobs = new Set<MemJob>();
    for (const { frame } of frames) {
      if (!frame) continue;
      frame.hostId = null;
      setFrameState(this.farm, frame, 'WAITING');
      const job = this.farm.jobs.get(frame.jobId);
      if (job) touchedJobs.add(job);
    }
    for (const job of touchedJobs) this.refreshJobState(job);
    await this.queue.push(async (tx) => {
      await tx.host.update({ where: { id: host.id }, data: { state: 'DOWN' } });
      await tx.proc.deleteMany({ where: { hostId: host.id } });
      for (const { frame, attempt } of frames) {
        if (!frame) continue;
        await tx.frame.update({ where: { id: frame.id }, data: { state: 'WAITING', hostId: null } });
        await tx.frameAttempt.updateMany({ where: { frameId: frame.id, attempt }, data: { stoppedAt: new Date(), reason: 'HOST_DOWN' } });
      }
    });
    for (const { frame } of frames) if (frame) this.publishFrame(frame);
    for (const job of touchedJobs) this.publishJob(job);
    this.publishHost(host);
  }

  // ── shared helpers ───────────────────────────────────────────────────────────────────

  /** Recomputes a job's state from its counts; returns true when it changed (the caller persists it). */
  refreshJobState(job: MemJob): boolean {
    const next = deriveJobState(job);
    const changed = next !== job.state;
    job.state = next;
    return changed;
  }

  /** Browsers hear of a job only once its change is committed: the grid never shows an unconfirmed state. */
  publishJob(job: MemJob): void {
    this.live.job({ id: job.id, state: job.state, paused: job.paused, priority: job.priority, counts: { ...job.counts } });
  }

  publishFrame(frame: MemFrame): void {
    this.live.frame(frameDelta(this.farm, frame));
  }

  publishHost(host: MemHost): void {
    let used = 0;
    for (const p of host.procs.values()) used += p.cores;
    this.live.host({
      id: host.id,
      name: host.name,
      state: host.state,
      lock: host.lock,
      idleCores: host.cores - used,
      cores: host.cores,
      lastReportAt: host.lastReportAt ? new Date(host.lastReportAt).toISOString() : null,
    });
  }

  /** Asks the host running a frame to kill it; what the frame becomes is decided by killIntent on exit. */
  killFrame(frame: MemFrame, reason: string): void {
    const host = frame.hostId ? this.farm.hosts.get(frame.hostId) : undefined;
    const socket = host?.socketId ? this.rqd?.sockets.get(host.socketId) : undefined;
    socket?.emit(DISPATCHER_EVENTS.kill, { frameId: frame.id, attempt: frame.attempt, reason });
  }

  countFrames(state: FrameState): number {
    let n = 0;
    for (const job of this.farm.jobs.values()) n += job.counts[state];
    return n;
  }
}

/** Why an event about this frame attempt from this host is not for the frame as the dispatcher knows it, or null. */
function staleEvent(frame: MemFrame | undefined, host: MemHost, msg: { frameId: number; attempt: number }): string | null {
  if (!frame) return `frame ${msg.frameId} is not a frame of an unfinished job`;
  if (frame.attempt !== msg.attempt) return `frame ${msg.frameId} is on attempt ${frame.attempt}, not ${msg.attempt}`;
  if (frame.hostId !== host.id || (frame.state !== 'SETUP' && frame.state !== 'RUNNING'))
    return `frame ${msg.frameId} attempt ${msg.attempt} is not running on ${host.name}`;
  return null;
}

const NOTHING_DONE: { released: MemFrame[]; satisfied: string[] } = { released: [], satisfied: [] };

/** Jobs other than `job` whose frames a depend released (cross-job depends). */
function releasedJobs(farm: Farm, released: readonly MemFrame[], job: MemJob): MemJob[] {
  const jobs = new Set<MemJob>();
  for (const f of released) {
    const other = farm.jobs.get(f.jobId);
    if (other && other !== job) jobs.add(other);
  }
  return [...jobs];
}

export function isFinished(job: MemJob): boolean {
  return job.state === 'SUCCEEDED' || job.state === 'FAILED' || job.state === 'KILLED';
}

export function frameDelta(farm: Farm, frame: MemFrame): FrameDelta {
  return {
    id: frame.id,
    jobId: frame.jobId,
    layerId: frame.layerId,
    state: frame.state,
    retries: frame.retries,
    attempt: frame.attempt,
    exitStatus: frame.exitStatus,
    hostName: frame.hostId ? (farm.hosts.get(frame.hostId)?.name ?? null) : null,
    startedAt: frame.startedAt ? new Date(frame.startedAt).toISOString() : null,
    stoppedAt: frame.stoppedAt ? new Date(frame.stoppedAt).toISOString() : null,
  };
}

/**
 * The dispatcher's core: the in-memory farm and what every transition shares — the store
 * (group commit), the scheduling of passes, job state, telling browsers (only what is
 * committed) and telling hosts to kill. The transitions themselves live beside it: bookings
 * and hand-backs (booking.ts), frame events (frameEvents.ts), hosts (hostWatch.ts), commands
 * (commands.ts), submissions (submit.ts).
 */
import { DISPATCHER_EVENTS, type FrameDelta, type FrameState, liveRoom } from '@farmhand/contracts';
import type { Database, Db } from '@farmhand/db';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import { bookPass } from './booking';
import { jobFinished } from './events/emit';
import { deriveJobState } from './farm/lifecycle';
import type { Farm, MemFrame, MemHost, MemJob } from './farm/model';
import { DEFAULT_TIMINGS, type WatchTimings } from './hostWatch';
import type { LiveFanout } from './live';
import type { DispatcherMetrics } from './metrics';
import { Store } from './persist/store';
import type { Writer } from './persist/writer';
import { Scheduling } from './scheduling';

export interface DispatcherParts {
  database: Database;
  /** The connection group commits write through (persist/writer.ts). */
  writer: Writer;
  farm: Farm;
  live: LiveFanout;
  log: Logger;
  metrics: DispatcherMetrics;
  timings?: WatchTimings;
  /** The database keeps refusing commits: memory is ahead of it, and only a restart is safe. */
  onFatal?: (e: unknown) => void;
}

export class Dispatcher {
  readonly database: Database;
  readonly db: Db;
  readonly farm: Farm;
  readonly live: LiveFanout;
  readonly log: Logger;
  readonly metrics: DispatcherMetrics;
  readonly timings: WatchTimings;
  readonly store: Store;
  readonly scheduling: Scheduling;
  rqd: Namespace | null = null;
  /** Farm events: a frame's failures that raise `frame.failed` (FARMHAND_FRAME_FAILED_EVENT_AFTER). */
  eventSettings = { frameFailedAfter: 3 };
  /** Called once a commit carrying farm events is done: wakes the outbox worker. */
  onEventsCommitted: () => void = () => undefined;

  constructor(parts: DispatcherParts) {
    const { log, metrics, onFatal } = parts;
    this.database = parts.database;
    this.db = parts.database.prisma;
    this.farm = parts.farm;
    this.live = parts.live;
    this.log = log;
    this.metrics = metrics;
    this.timings = parts.timings ?? DEFAULT_TIMINGS;
    this.store = new Store(
      parts.writer,
      (e) => {
        log.fatal({ err: e }, 'the database refused a commit several times: memory is ahead of it; stopping');
        onFatal?.(e);
      },
      (seconds, rows) => {
        metrics.commitSeconds.observe(seconds);
        metrics.rowsWritten.inc(rows);
      },
    );
    this.scheduling = new Scheduling(this.farm, (bookings) => bookPass(this, bookings), metrics, log);
  }

  /** Asks for a full scheduling pass soon; many requests in one tick make one pass. */
  requestPass(): void {
    this.scheduling.requestFull();
  }

  /**
   * Recomputes a job's state from its counts and marks it for the next commit when it changed;
   * a job that finishes leaves the scheduler's index. Returns true when it changed.
   */
  refreshJobState(job: MemJob): boolean {
    const next = deriveJobState(job);
    if (next === job.state) return false;
    job.state = next;
    const finished = next === 'SUCCEEDED' || next === 'FAILED';
    job.stoppedAt = finished ? Date.now() : null;
    if (next === 'SUCCEEDED') this.scheduling.jobRemoved(job);
    this.store.job(job);
    if (finished) jobFinished(this, job, next);
    return true;
  }

  /** Browsers hear of a job only once its change is committed: the grid never shows an unconfirmed state. */
  publishJob(job: MemJob): void {
    this.live.job({ id: job.id, state: job.state, paused: job.paused, priority: job.priority, counts: { ...job.counts } });
  }

  publishFrame(frame: MemFrame): void {
    if (this.live.watched(liveRoom.job(frame.jobId))) this.live.frame(frameDelta(this.farm, frame));
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

  /** Tells a host to stop one attempt of a frame (a stale or handed-back copy, or a user's kill). */
  killAttempt(host: MemHost, frameId: number, attempt: number, reason: string): void {
    const socket = host.socketId ? this.rqd?.sockets.get(host.socketId) : undefined;
    socket?.emit(DISPATCHER_EVENTS.kill, { frameId, attempt, reason });
  }

  /** Asks the host running a frame to kill it; what the frame becomes is decided by killIntent on exit. */
  killFrame(frame: MemFrame, reason: string): void {
    const host = frame.hostId ? this.farm.hosts.get(frame.hostId) : undefined;
    if (host) this.killAttempt(host, frame.id, frame.attempt, reason);
  }

  countFrames(state: FrameState): number {
    let n = 0;
    for (const job of this.farm.jobs.values()) n += job.counts[state];
    return n;
  }
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

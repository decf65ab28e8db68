/**
 * Keeping the dispatcher's idea of what runs where true to what hosts say. A host's
 * registration and reports list the frames it runs: a copy the dispatcher gave to someone else
 * is killed; a frame the host should run but stops listing (and whose completion never came)
 * goes back to WAITING; a launch never confirmed goes back too; a host that stops reporting is
 * DOWN. None of these counts as a failure of the frame.
 */
import type { RunningFrame } from '@farmhand/contracts';
import { handBack } from './booking';
import type { Dispatcher } from './dispatcher';
import { framesByJob, hostDown as hostDownEvent } from './events/emit';
import type { MemHost } from './farm/model';

export interface WatchTimings {
  /** Seconds without a report before a host is DOWN. */
  hostTimeoutS: number;
  /** A booked frame whose start is not confirmed in this time goes back to WAITING. */
  setupTimeoutMs: number;
  /**
   * A frame missing from a host's reports this long goes back to WAITING. The grace lets a
   * completion still in the host's outbox (replayed after a reconnect, or behind a lost ack)
   * arrive first: rqd sends reports directly but frame events through its journal.
   */
  lostFrameGraceMs: number;
}

/**
 * The grace outlasts rqd's own patience: an event it sent waits 15 s for its ack before rqd
 * resends from there, so a completion can trail the reports by that much on a busy link.
 */
export const DEFAULT_TIMINGS: WatchTimings = { hostTimeoutS: 300, setupTimeoutMs: 60_000, lostFrameGraceMs: 30_000 };

/**
 * Compares what a host says it runs with what the dispatcher booked there. `registering`: the
 * list comes with a (re)registration, before the host replays its journal, so frames missing
 * from it are only marked; a later report decides.
 */
export function reconcileRunning(d: Dispatcher, host: MemHost, running: readonly RunningFrame[], registering: boolean): void {
  const now = Date.now();
  const listed = new Map<number, number>();
  for (const r of running) {
    const frame = d.farm.frames.get(r.frameId);
    const ours = frame?.hostId === host.id && frame.attempt === r.attempt && (frame.state === 'SETUP' || frame.state === 'RUNNING');
    if (ours) {
      listed.set(r.frameId, r.attempt);
      continue;
    }
    d.log.warn({ host: host.name, frameId: r.frameId, attempt: r.attempt }, 'killing a stale copy of a frame the host still runs');
    d.killAttempt(host, r.frameId, r.attempt, 'this attempt is no longer booked on this host');
  }
  for (const proc of [...host.procs.values()]) {
    if (listed.get(proc.frameId) === proc.attempt) {
      proc.seenInReport = true;
      proc.missingSince = null;
      continue;
    }
    if (proc.missingSince === null) {
      // A launch not yet acknowledged may simply be younger than this report.
      if (registering || proc.launchAckedAt !== null) proc.missingSince = now;
      continue;
    }
    if (registering || now - proc.missingSince < d.timings.lostFrameGraceMs) continue;
    const frame = d.farm.frames.get(proc.frameId);
    if (frame) handBack(d, frame, 'LOST', `${host.name} no longer lists it and no completion arrived`);
  }
}

/** Frames booked on a connected host whose start was never confirmed go back to WAITING. */
export function checkSetupTimeouts(d: Dispatcher, now: number): void {
  for (const host of d.farm.hosts.values()) {
    if (!host.socketId || host.procs.size === 0) continue;
    for (const proc of [...host.procs.values()]) {
      if (proc.startedAt !== null || proc.seenInReport) continue;
      if (now - Math.max(proc.bookedAt, host.connectedAt) < d.timings.setupTimeoutMs) continue;
      const frame = d.farm.frames.get(proc.frameId);
      if (frame?.state === 'SETUP')
        handBack(d, frame, 'SETUP_TIMEOUT', `${host.name} did not confirm the start within ${d.timings.setupTimeoutMs / 1000} s`);
    }
  }
}

/** Every so often: hosts silent for the timeout are DOWN; unconfirmed launches time out. */
export function startHostMonitor(d: Dispatcher): NodeJS.Timeout {
  const { hostTimeoutS, setupTimeoutMs } = d.timings;
  const every = Math.max(250, Math.min(5000, (hostTimeoutS * 1000) / 4, setupTimeoutMs / 4));
  return setInterval(() => {
    const now = Date.now();
    const deadline = now - hostTimeoutS * 1000;
    for (const host of d.farm.hosts.values()) {
      if (host.state === 'UP' && host.lastReportAt < deadline) hostDown(d, host, `no report for ${hostTimeoutS} s`);
    }
    checkSetupTimeouts(d, now);
  }, every);
}

/** A host stopped reporting: DOWN, and its frames go back to WAITING without counting a failure. */
export function hostDown(d: Dispatcher, host: MemHost, why: string): void {
  if (host.state === 'DOWN' && host.procs.size === 0) return;
  d.log.warn({ host: host.name, why, frames: host.procs.size }, 'host down');
  if (host.state !== 'DOWN') hostDownEvent(d, host, why, framesByJob(d, host));
  for (const proc of [...host.procs.values()]) {
    const frame = d.farm.frames.get(proc.frameId);
    if (frame) handBack(d, frame, 'HOST_DOWN', `${host.name} is DOWN: ${why}`);
    // A frame booked with a submission still being stored is handed back when its launch finds the host gone.
    else if (!d.farm.storing.has(proc.jobId)) host.procs.delete(proc.frameId);
  }
  host.state = 'DOWN';
  d.store.host(host);
  d.scheduling.hostChanged(host);
  d.store.commit().then(
    () => d.publishHost(host),
    () => undefined,
  );
}

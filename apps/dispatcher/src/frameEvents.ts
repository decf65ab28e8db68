/**
 * What a host's frame events do: `frame:started` makes a frame RUNNING (only rqd's word does);
 * `frame:exited` ends the attempt and decides, by the lifecycle rules, what the frame becomes —
 * freeing its proc, releasing what depended on it, and finishing its job. Each answers null
 * when applied, or why not (a stale attempt, a frame not running there); nothing is
 * acknowledged to the host before it is committed.
 */
import type { FrameExited, FrameStarted } from '@farmhand/contracts';
import { freeProc } from './booking';
import type { Dispatcher } from './dispatcher';
import { frameFailed } from './events/emit';
import { decideFrameExit } from './farm/lifecycle';
import { type MemFrame, type MemHost, type MemJob, setFrameState } from './farm/model';

/** Why an event about this frame attempt from this host is not about the frame as the dispatcher knows it, or null. */
function staleEvent(frame: MemFrame | undefined, host: MemHost, msg: { frameId: number; attempt: number }): string | null {
  if (!frame) return `frame ${msg.frameId} is not a frame of an unfinished job`;
  if (frame.attempt !== msg.attempt) return `frame ${msg.frameId} is on attempt ${frame.attempt}, not ${msg.attempt}`;
  if (frame.hostId !== host.id || (frame.state !== 'SETUP' && frame.state !== 'RUNNING'))
    return `frame ${msg.frameId} attempt ${msg.attempt} is not running on ${host.name}`;
  return null;
}

export async function frameStarted(d: Dispatcher, host: MemHost, msg: FrameStarted): Promise<string | null> {
  const frame = d.farm.frames.get(msg.frameId);
  const stale = staleEvent(frame, host, msg);
  if (stale || !frame) return stale;
  if (frame.state !== 'SETUP') return `frame ${msg.frameId} attempt ${msg.attempt} already started`;
  const job = d.farm.jobs.get(frame.jobId);
  const proc = host.procs.get(frame.id);
  if (!job || !proc) return `frame ${msg.frameId} has no proc on ${host.name}`;
  frame.startedAt = msg.startedAt;
  frame.stoppedAt = null;
  proc.startedAt = msg.startedAt;
  proc.history.startedAt = msg.startedAt;
  proc.history.logPath = msg.logPath;
  setFrameState(d.farm, frame, 'RUNNING');
  if (job.startedAt === null) {
    job.startedAt = msg.startedAt;
    d.store.job(job);
  }
  d.refreshJobState(job);
  // The attempt's row is written again when it ends; until then its booking time stands for its start.
  d.store.frame(frame);
  await d.store.commit();
  d.publishFrame(frame);
  d.publishJob(job);
  return null;
}

export async function frameExited(d: Dispatcher, host: MemHost, msg: FrameExited): Promise<string | null> {
  const frame = d.farm.frames.get(msg.frameId);
  const stale = staleEvent(frame, host, msg);
  if (stale || !frame) return stale;
  const job = d.farm.jobs.get(frame.jobId);
  const layer = d.farm.layers.get(frame.layerId);
  const proc = host.procs.get(frame.id);
  if (!job || !layer || !proc) return `frame ${msg.frameId} is not a frame of an unfinished job`;
  // The largest host only matters to a memory kill (a raise never goes past it): not looked up for every exit.
  const largest = msg.reason === 'MEMORY_KILL' ? largestHostMemory(d) : undefined;
  const decision = decideFrameExit(frame, msg, job.maxRetries, layer.memoryMb, largest);
  const failed = decision.state === 'DEAD' || decision.retries > frame.retries;
  const coreSeconds = Math.max(0, (msg.stoppedAt - msg.startedAt) / 1000) * proc.cores;
  Object.assign(proc.history, {
    stoppedAt: msg.stoppedAt,
    exitStatus: msg.exitStatus,
    exitSignal: msg.exitSignal,
    reason: msg.reason,
    maxRssMb: msg.maxRssMb,
    cpuSeconds: msg.cpuSeconds,
  });
  freeProc(d, host, job, proc, frame.layerId, Date.now());
  Object.assign(frame, {
    hostId: null,
    exitStatus: msg.exitStatus,
    exitSignal: msg.exitSignal,
    retries: decision.retries,
    stoppedAt: msg.stoppedAt,
    maxRssMb: msg.maxRssMb,
    cpuSeconds: msg.cpuSeconds,
    killIntent: null,
  });
  setFrameState(d.farm, frame, decision.state);
  d.store.frame(frame);
  if (failed) frameFailed(d, job, frame, decision.retries + (decision.state === 'DEAD' ? 1 : 0));
  job.coreSeconds += coreSeconds;
  d.store.job(job);
  if (coreSeconds > 0) d.store.usageOf(job.showId, new Date(msg.stoppedAt).toISOString().slice(0, 10), coreSeconds);
  if (decision.raiseMemoryMbTo !== null) {
    layer.memoryMb = decision.raiseMemoryMbTo;
    d.store.layer(layer);
    d.scheduling.jobChanged(job); // memory is part of the layer's shape: the job is indexed again, this frame with it
  } else if (decision.state === 'WAITING') d.scheduling.framesReady([frame]);
  const released = decision.state === 'SUCCEEDED' || decision.state === 'EATEN' ? frameDone(d, frame) : [];
  d.refreshJobState(job);
  d.scheduling.requestHost(host.id);
  d.metrics.framesFinished.inc({ state: decision.state });
  await d.store.commit();
  d.publishFrame(frame);
  publishReleased(d, released, job);
  d.publishJob(job);
  return null;
}

function largestHostMemory(d: Dispatcher): number {
  let largest = 0;
  for (const h of d.farm.hosts.values()) if (h.memoryMb > largest) largest = h.memoryMb;
  return largest || Number.POSITIVE_INFINITY;
}

/**
 * A frame SUCCEEDED or was EATEN: what it held (in any job) goes from DEPEND to WAITING, and the
 * depend rows its frame, layer or job satisfied are marked. Answers the frames released.
 */
export function frameDone(d: Dispatcher, frame: MemFrame): MemFrame[] {
  const { depends } = d.farm;
  const released = releaseFrames(d, depends.frameDone(frame.id));
  const now = Date.now();
  const satisfied = depends.takeSatisfied(`frame:${frame.id}`);
  const layer = d.farm.layers.get(frame.layerId);
  if (layer && layer.doneCount === layer.frameCount) satisfied.push(...depends.takeSatisfied(`layer:${layer.id}`));
  const job = d.farm.jobs.get(frame.jobId);
  if (job && job.counts.SUCCEEDED + job.counts.EATEN === job.frames.size) satisfied.push(...depends.takeSatisfied(`job:${job.id}`));
  for (const id of satisfied) d.store.dependSatisfied(id, now);
  return released;
}

/** Frames the depend graph released: DEPEND → WAITING, marked, and into the scheduler's index. */
export function releaseFrames(d: Dispatcher, ids: readonly number[]): MemFrame[] {
  const released: MemFrame[] = [];
  for (const id of ids) {
    const f = d.farm.frames.get(id);
    if (f?.state !== 'DEPEND') continue;
    setFrameState(d.farm, f, 'WAITING');
    d.store.frame(f);
    released.push(f);
    const job = d.farm.jobs.get(f.jobId);
    if (job) d.refreshJobState(job);
  }
  d.scheduling.framesReady(released);
  return released;
}

/** Tells browsers of released frames and of the other jobs they belong to (cross-job depends). */
export function publishReleased(d: Dispatcher, released: readonly MemFrame[], except?: MemJob): void {
  const jobs = new Set<MemJob>();
  for (const f of released) {
    d.publishFrame(f);
    const job = d.farm.jobs.get(f.jobId);
    if (job && job !== except) jobs.add(job);
  }
  for (const job of jobs) d.publishJob(job);
}

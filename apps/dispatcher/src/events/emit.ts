/**
 * Farm events, raised by the transitions that cause them and marked on the store so that they
 * are committed in the same transaction as the change (the outbox pattern): an event exists if
 * and only if its change does, whatever crashes when. The outbox worker (outbox.ts) fans them
 * out to notifications and webhook deliveries once committed.
 */
import { type FarmEventKind, type FarmEventPayload, farmEventPayloadSchemas } from '@farmhand/contracts';
import type { Dispatcher } from '../dispatcher';
import type { MemFrame, MemHost, MemJob } from '../farm/model';

interface Scope {
  showId: string | null;
  jobId: string | null;
  user: string | null;
}

function raise<K extends FarmEventKind>(d: Dispatcher, kind: K, scope: Scope, payload: FarmEventPayload<K>): void {
  // Parsed on the way out: what a webhook receives always matches the published schema.
  const data = farmEventPayloadSchemas[kind].parse(payload);
  d.store.event([kind, scope.showId, scope.jobId, scope.user, JSON.stringify(data), Date.now()]);
  d.store.commit().then(
    () => d.onEventsCommitted(),
    () => undefined,
  );
}

function jobRef(d: Dispatcher, job: MemJob) {
  return { jobId: job.id, jobName: job.name, show: d.farm.shows.get(job.showId)?.name ?? job.showId, shot: job.shot, user: job.user };
}

function scopeOf(job: MemJob): Scope {
  return { showId: job.showId, jobId: job.id, user: job.user };
}

/** The job's frames are all done: SUCCEEDED, or FAILED with DEAD frames left. */
export function jobFinished(d: Dispatcher, job: MemJob, state: 'SUCCEEDED' | 'FAILED'): void {
  const c = job.counts;
  raise(d, 'job.finished', scopeOf(job), {
    ...jobRef(d, job),
    state,
    counts: { succeeded: c.SUCCEEDED, dead: c.DEAD, eaten: c.EATEN, total: job.frames.size },
  });
}

/**
 * A frame ended after a failed try. Raises `frame.failed` when its failures reach the
 * threshold, and `job.dead_frames` when it is the job's first DEAD frame.
 */
export function frameFailed(d: Dispatcher, job: MemJob, frame: MemFrame, failures: number): void {
  const layer = d.farm.layers.get(frame.layerId)?.name ?? frame.layerId;
  const dead = frame.state === 'DEAD';
  const at = { frameId: frame.id, layer, frame: frame.number, exitStatus: frame.exitStatus };
  if (failures === d.eventSettings.frameFailedAfter) raise(d, 'frame.failed', scopeOf(job), { ...jobRef(d, job), ...at, failures, dead });
  if (dead && job.counts.DEAD === 1) raise(d, 'job.dead_frames', scopeOf(job), { ...jobRef(d, job), ...at });
}

/** The frames a host ran, by job, before they are handed back (for the host.down event). */
export function framesByJob(d: Dispatcher, host: MemHost): Map<MemJob, number> {
  const byJob = new Map<MemJob, number>();
  for (const proc of host.procs.values()) {
    const job = d.farm.jobs.get(proc.jobId);
    if (job) byJob.set(job, (byJob.get(job) ?? 0) + 1);
  }
  return byJob;
}

export function hostDown(d: Dispatcher, host: MemHost, reason: string, byJob: Map<MemJob, number>): void {
  raise(
    d,
    'host.down',
    { showId: null, jobId: null, user: null },
    {
      hostId: host.id,
      host: host.name,
      reason,
      jobs: [...byJob].map(([job, frames]) => {
        const { jobId, jobName, show, user } = jobRef(d, job);
        return { jobId, jobName, show, user, frames };
      }),
    },
  );
}

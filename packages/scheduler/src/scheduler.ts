/**
 * The scheduler's entry points. `schedule(snapshot)` is one full pass over a snapshot.
 * `Scheduler` keeps the indexed farm between passes so the dispatcher can run the
 * incremental pass — one host, after it frees resources — without rescanning the farm.
 */
import { AppError } from '@farmhand/contracts';
import { buildFarm } from './build';
import type { Farm, HostState } from './farm';
import { type FrameSlice, frameAt } from './frameQueue';
import { beginPass, dispatchHost } from './pass';
import { ReasonBook } from './reasons';
import type {
  Booking,
  FarmSnapshot,
  HostSnapshot,
  JobSnapshot,
  LayerSnapshot,
  LimitSnapshot,
  ReadyFrame,
  SchedulePlan,
  ShowSnapshot,
  Unbooked,
} from './types';
import * as updates from './updates';
import { validateSnapshot } from './validate';

/**
 * The reason for every ready frame left unbooked. Reasons are decided now, per layer, and the
 * frames left are fixed now (a later update copies the queue rather than change them); the
 * list of one object per frame — about a million on a full studio farm — is built the first
 * time it is read, because most passes of the dispatcher never read it.
 */
function unbookedOf(farm: Farm): () => Unbooked[] {
  const reasons = new ReasonBook(farm);
  const runs: { slice: FrameSlice; code: Unbooked['code']; reason: string }[] = [];
  let total = 0;
  for (const layer of farm.layers) {
    if (layer.frames.remaining === 0) continue;
    runs.push({ ...reasons.forLayer(layer), slice: layer.frames.left() });
    total += layer.frames.remaining;
  }
  let list: Unbooked[] | undefined;
  return () => {
    if (list) return list;
    // Sized once: a million reasons pushed one by one spend most of their time growing the array.
    list = new Array<Unbooked>(total);
    let at = 0;
    for (const { slice, code, reason } of runs)
      for (let i = slice.from; i < slice.to; i++) list[at++] = { frameId: frameAt(slice, i).id, code, reason };
    return list;
  };
}

/** A plan whose `unbooked` list is built on first read (then kept); it may be replaced like any field. */
function planOf(bookings: Booking[], unbooked: () => Unbooked[]): SchedulePlan {
  let replaced: Unbooked[] | undefined;
  return {
    bookings,
    get unbooked() {
      return replaced ?? unbooked();
    },
    set unbooked(list: Unbooked[]) {
      replaced = list;
    },
  };
}

export class Scheduler {
  /** The indexed, mutable farm; exposed for explain() and tests. */
  readonly farm: Farm;

  /** Validates and indexes the snapshot (throws AppError VALIDATION naming the bad object). */
  constructor(snapshot: FarmSnapshot) {
    validateSnapshot(snapshot);
    this.farm = buildFarm(snapshot);
  }

  /** A full pass: every host in id order, then a reason for every ready frame left unbooked. */
  schedule(): SchedulePlan {
    const farm = this.farm;
    beginPass(farm);
    const bookings: Booking[] = [];
    for (const host of farm.hosts) dispatchHost(farm, host, bookings);
    return planOf(bookings, unbookedOf(farm));
  }

  /** A pass over one host only. Reasons are not computed (the farm was not scanned): `unbooked` is empty. */
  scheduleHost(hostId: string): SchedulePlan {
    const host = this.host(hostId);
    beginPass(this.farm);
    const bookings: Booking[] = [];
    dispatchHost(this.farm, host, bookings);
    return { bookings, unbooked: [] };
  }

  /** A proc ended or its launch failed: give its cores, memory, GPUs and limit counts back. */
  release(booking: Booking): void {
    updates.release(this.farm, booking);
  }

  /** A host report (new host, state, lock, tags or idle resources). */
  updateHost(host: HostSnapshot): void {
    updates.updateHost(this.farm, host);
  }

  /** Frames that became ready: submitted, retried, released by a depend, or a failed launch. */
  addFrames(frames: readonly ReadyFrame[]): void {
    updates.addFrames(this.farm, frames);
  }

  /** Frames no longer ready: killed, eaten, or waiting on a depend again. */
  removeFrames(frames: readonly Pick<ReadyFrame, 'id' | 'layerId'>[]): void {
    updates.removeFrames(this.farm, frames);
  }

  addJob(job: JobSnapshot, layers: readonly LayerSnapshot[], frames: readonly ReadyFrame[]): void {
    updates.addJob(this.farm, job, layers, frames);
  }

  /**
   * Many new jobs at once (a submission of a DAG): checked as a whole first, then each show
   * they join ranked once — far cheaper than `addJob` per job on a farm holding many jobs.
   */
  addJobs(jobs: readonly updates.NewJob[]): void {
    updates.addJobs(this.farm, jobs);
  }

  /** Whether the job is in the index (added and not removed). */
  hasJob(jobId: string): boolean {
    return this.farm.jobs.has(jobId);
  }

  /** Pause, resume, priority, exclusions. */
  updateJob(job: JobSnapshot): void {
    updates.updateJob(this.farm, job);
  }

  removeJob(jobId: string): void {
    updates.removeJob(this.farm, jobId);
  }

  updateLimit(limit: LimitSnapshot): void {
    updates.updateLimit(this.farm, limit);
  }

  updateShow(show: ShowSnapshot): void {
    updates.updateShow(this.farm, show);
  }

  protected host(hostId: string): HostState {
    const host = this.farm.hostsById.get(hostId);
    if (!host) throw new AppError('NOT_FOUND', `host '${hostId}' is not in the scheduler's farm; add it with updateHost`);
    return host;
  }
}

/** One full pass over a snapshot: bookings, and for every ready frame not booked, why. */
export function schedule(snapshot: FarmSnapshot): SchedulePlan {
  return new Scheduler(snapshot).schedule();
}

/** A pass over one host of a snapshot or of a kept Scheduler. */
export function scheduleHost(snapshotOrScheduler: FarmSnapshot | Scheduler, hostId: string): SchedulePlan {
  const scheduler = snapshotOrScheduler instanceof Scheduler ? snapshotOrScheduler : new Scheduler(snapshotOrScheduler);
  return scheduler.scheduleHost(hostId);
}

/**
 * The scheduler's entry points. `schedule(snapshot)` is one full pass over a snapshot.
 * `Scheduler` keeps the indexed farm between passes so the dispatcher can run the
 * incremental pass — one host, after it frees resources — without rescanning the farm.
 */
import { AppError } from '@farmhand/contracts';
import { buildFarm, type Farm, type HostState } from './farm';
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

function unbookedOf(farm: Farm): Unbooked[] {
  const reasons = new ReasonBook(farm);
  let total = 0;
  for (const layer of farm.layers) total += layer.frames.length - layer.head;
  // Sized once: a million reasons pushed one by one spend most of their time growing the array.
  const unbooked = new Array<Unbooked>(total);
  let k = 0;
  for (const layer of farm.layers) {
    if (layer.head >= layer.frames.length) continue;
    const { code, reason } = reasons.forLayer(layer);
    const frames = layer.frames;
    for (let i = layer.head; i < frames.length; i++) unbooked[k++] = { frameId: (frames[i] as { id: number }).id, code, reason };
  }
  return unbooked;
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
    return { bookings, unbooked: unbookedOf(farm) };
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

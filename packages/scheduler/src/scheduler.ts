/**
 * The scheduler's entry points. `schedule(snapshot)` is one full pass over a snapshot.
 * `Scheduler` keeps the indexed farm between passes so the dispatcher can run the
 * incremental pass — one host, after it frees resources — without rescanning the farm.
 */
import { buildFarm, type Farm, type HostState } from './farm';
import { beginPass, dispatchHost } from './pass';
import { ReasonBook } from './reasons';
import type { Booking, FarmSnapshot, SchedulePlan, Unbooked } from './types';
import { validateSnapshot } from './validate';

function unbookedOf(farm: Farm): Unbooked[] {
  const reasons = new ReasonBook(farm);
  const unbooked: Unbooked[] = [];
  for (const layer of farm.layers) {
    if (layer.head >= layer.frames.length) continue;
    const { code, reason } = reasons.forLayer(layer);
    for (let i = layer.head; i < layer.frames.length; i++) unbooked.push({ frameId: (layer.frames[i] as { id: number }).id, code, reason });
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

  protected host(hostId: string): HostState {
    const host = this.farm.hostsById.get(hostId);
    if (!host) throw new Error(`host '${hostId}' is not in the scheduler's farm`);
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

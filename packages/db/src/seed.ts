/**
 * The farm a fresh install starts with, so one machine can render straight away: facility
 * `local`, allocation `local.general` (tag `general`) and show `sandbox` subscribed to it.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from './client';

export const LOCAL_FACILITY = 'local';
export const LOCAL_ALLOCATION = 'local.general';
export const LOCAL_ALLOCATION_TAG = 'general';
export const SANDBOX_SHOW = 'sandbox';

/**
 * The sandbox's subscription, in cores. size 100 guarantees it a workstation farm's worth
 * before any other show, and burst 10,000 lets it use every idle core of any farm this one
 * process can drive: on a local farm it is the only show, so a limit would only leave cores idle.
 */
export const SANDBOX_SUBSCRIPTION = { size: 100, burst: 10_000 } as const;

export interface LocalFarm {
  facilityId: string;
  allocationId: string;
  showId: string;
  subscriptionId: string;
}

/** Creates what is missing and leaves what exists (including edited sizes) alone; safe to call at every start. */
export async function ensureLocalFarm(db: Db): Promise<LocalFarm> {
  const facility = await db.facility.upsert({
    where: { name: LOCAL_FACILITY },
    update: {},
    create: { id: randomUUID(), name: LOCAL_FACILITY },
  });
  const allocation = await db.allocation.upsert({
    where: { name: LOCAL_ALLOCATION },
    update: {},
    create: { id: randomUUID(), name: LOCAL_ALLOCATION, tag: LOCAL_ALLOCATION_TAG, facilityId: facility.id },
  });
  const show = await db.show.upsert({
    where: { name: SANDBOX_SHOW },
    update: {},
    create: { id: randomUUID(), name: SANDBOX_SHOW },
  });
  const subscription = await db.subscription.upsert({
    where: { showId_allocationId: { showId: show.id, allocationId: allocation.id } },
    update: {},
    create: { id: randomUUID(), showId: show.id, allocationId: allocation.id, ...SANDBOX_SUBSCRIPTION },
  });
  return { facilityId: facility.id, allocationId: allocation.id, showId: show.id, subscriptionId: subscription.id };
}

/**
 * Commands on the farm rather than on one job: lock, unlock and move hosts, set a show's
 * subscription, create and edit limits. Each checks that what it names exists and answers what
 * it did; the scheduler's index is rebuilt after them, as they are rare.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import type { MemHost } from './farm/model';
import { LIMIT, LIMIT_MAX, SUBSCRIPTION } from './persist/tables';

export function findHost(d: Dispatcher, idOrName: string): MemHost {
  const host = d.farm.hosts.get(idOrName) ?? d.farm.hostsByName.get(idOrName);
  if (!host) throw new AppError('NOT_FOUND', `host '${idOrName}' does not exist`);
  return host;
}

export async function lockHost(d: Dispatcher, idOrName: string, lock: boolean): Promise<Record<string, unknown>> {
  const host = findHost(d, idOrName);
  if (lock && host.lock === 'NIMBY_LOCKED')
    throw new AppError('CONFLICT', `host '${host.name}' is NIMBY locked by its desktop user; it can be locked once they leave`);
  host.lock = lock ? 'LOCKED' : 'OPEN';
  d.store.host(host);
  d.scheduling.hostChanged(host);
  await d.store.commit();
  d.publishHost(host);
  return { hostId: host.id, lock: host.lock };
}

function findAllocation(d: Dispatcher, idOrName: string) {
  const allocation = d.farm.allocations.get(idOrName) ?? [...d.farm.allocations.values()].find((a) => a.name === idOrName);
  if (!allocation) {
    const known = [...d.farm.allocations.values()].map((a) => a.name).join(', ');
    throw new AppError('NOT_FOUND', `allocation '${idOrName}' does not exist; known allocations: ${known || 'none'}`);
  }
  return allocation;
}

/** A host into another allocation; what runs on it keeps running, new bookings follow the new allocation. */
export async function moveHost(d: Dispatcher, idOrName: string, allocationName: string): Promise<Record<string, unknown>> {
  const host = findHost(d, idOrName);
  const allocation = findAllocation(d, allocationName);
  host.allocationId = allocation.id;
  d.store.host(host);
  d.scheduling.invalidate(); // subscriptions count cores per allocation: the index is rebuilt
  await d.store.commit();
  d.publishHost(host);
  return { hostId: host.id, allocation: allocation.name };
}

export async function setSubscription(
  d: Dispatcher,
  showIdOrName: string,
  args: { allocation: string; size: number; burst: number },
): Promise<Record<string, unknown>> {
  const show = d.farm.shows.get(showIdOrName) ?? d.farm.showsByName.get(showIdOrName);
  if (!show) throw new AppError('NOT_FOUND', `show '${showIdOrName}' does not exist`);
  const allocation = findAllocation(d, args.allocation);
  const now = Date.now();
  const row = [randomUUID(), show.id, allocation.id, args.size, args.burst, now];
  await d.store.run(
    d.store.dialect.insert(SUBSCRIPTION, [row], { conflict: ['showId', 'allocationId'], mode: 'replace', keep: ['id', 'createdAt'] }),
  );
  show.subscriptions.set(allocation.id, { size: args.size, burst: args.burst });
  d.scheduling.invalidate();
  return { showId: show.id, allocation: allocation.name, size: args.size, burst: args.burst };
}

function findLimit(d: Dispatcher, idOrName: string) {
  return d.farm.limits.get(idOrName) ?? [...d.farm.limits.values()].find((l) => l.name === idOrName);
}

export async function createLimit(d: Dispatcher, name: string, max: number): Promise<Record<string, unknown>> {
  if (findLimit(d, name)) throw new AppError('CONFLICT', `limit '${name}' already exists; edit it instead`);
  const limit = { id: randomUUID(), name, max };
  await d.store.run(d.store.dialect.insert(LIMIT, [[limit.id, limit.name, limit.max, Date.now()]]));
  d.farm.limits.set(limit.id, limit);
  d.scheduling.invalidate();
  return { limitId: limit.id, name, max };
}

export async function editLimit(d: Dispatcher, idOrName: string, max: number): Promise<Record<string, unknown>> {
  const limit = findLimit(d, idOrName);
  if (!limit) throw new AppError('NOT_FOUND', `limit '${idOrName}' does not exist`);
  await d.store.run(d.store.dialect.update(LIMIT_MAX, [[limit.id, max]]));
  limit.max = max;
  d.scheduling.invalidate();
  return { limitId: limit.id, name: limit.name, max };
}

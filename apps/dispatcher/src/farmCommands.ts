/**
 * Commands on the farm rather than on one job: lock and unlock hosts. Each checks its target
 * exists and answers what it did; the scheduler's index is rebuilt, as these are rare.
 */
import { AppError } from '@farmhand/contracts';
import type { Dispatcher } from './dispatcher';
import type { MemHost } from './farm/model';

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

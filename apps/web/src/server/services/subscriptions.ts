/**
 * Subscriptions at a glance: for each allocation, each subscribed show's cores in use (what
 * its procs hold on the allocation's hosts) against its size and burst, with the allocation's
 * own totals.
 */
import type { Database } from '../db';

export interface SubscriptionUsage {
  id: string;
  show: string;
  showId: string;
  size: number;
  burst: number;
  coresInUse: number;
}

export interface AllocationUsage {
  id: string;
  name: string;
  tag: string;
  hosts: number;
  hostsUp: number;
  cores: number;
  coresInUse: number;
  subscriptions: SubscriptionUsage[];
}

export async function allocationUsage(db: Database): Promise<AllocationUsage[]> {
  const p = db.prisma;
  const [allocations, hosts, procs] = await Promise.all([
    p.allocation.findMany({ include: { subscriptions: { include: { show: { select: { name: true } } } } }, orderBy: { name: 'asc' } }),
    p.host.findMany({ select: { id: true, allocationId: true, cores: true, state: true } }),
    p.proc.findMany({ select: { hostId: true, cores: true, job: { select: { showId: true } } } }),
  ]);
  const hostAllocation = new Map(hosts.map((h) => [h.id, h.allocationId]));
  const inUse = new Map<string, number>();
  for (const proc of procs) {
    const allocationId = hostAllocation.get(proc.hostId);
    const key = `${proc.job.showId}|${allocationId}`;
    inUse.set(key, (inUse.get(key) ?? 0) + proc.cores);
    inUse.set(`*|${allocationId}`, (inUse.get(`*|${allocationId}`) ?? 0) + proc.cores);
  }
  return allocations.map((a) => {
    const mine = hosts.filter((h) => h.allocationId === a.id);
    return {
      id: a.id,
      name: a.name,
      tag: a.tag,
      hosts: mine.length,
      hostsUp: mine.filter((h) => h.state === 'UP').length,
      cores: mine.reduce((n, h) => n + h.cores, 0),
      coresInUse: inUse.get(`*|${a.id}`) ?? 0,
      subscriptions: a.subscriptions
        .map((s) => ({
          id: s.id,
          show: s.show.name,
          showId: s.showId,
          size: s.size,
          burst: s.burst,
          coresInUse: inUse.get(`${s.showId}|${a.id}`) ?? 0,
        }))
        .sort((x, y) => x.show.localeCompare(y.show)),
    };
  });
}

/**
 * Reading hosts: what the hosts page lists (allocation, state, lock, idle cores, memory,
 * last report). Idle cores are the host's cores minus what its procs have booked.
 */
import type { HostLock, HostState } from '@farmhand/contracts';
import type { Database } from '../db';

export interface HostRow {
  id: string;
  name: string;
  allocation: string;
  state: HostState;
  lock: HostLock;
  cores: number;
  idleCores: number;
  memoryMb: number;
  freeMemoryMb: number;
  gpus: number;
  load: number;
  os: string;
  procs: number;
  lastReportAt: string | null;
  bootedAt: string | null;
}

export async function listHosts(db: Database): Promise<HostRow[]> {
  const [hosts, booked] = await Promise.all([
    db.prisma.host.findMany({ include: { allocation: { select: { name: true } } }, orderBy: { name: 'asc' } }),
    db.prisma.proc.groupBy({ by: ['hostId'], _sum: { cores: true }, _count: { _all: true } }),
  ]);
  const bookedBy = new Map(booked.map((b) => [b.hostId, b]));
  return hosts.map((h) => {
    const b = bookedBy.get(h.id);
    return {
      id: h.id,
      name: h.name,
      allocation: h.allocation.name,
      state: h.state as HostState,
      lock: h.lock as HostLock,
      cores: h.cores,
      idleCores: Math.max(0, h.cores - (b?._sum.cores ?? 0)),
      memoryMb: h.memoryMb,
      freeMemoryMb: h.freeMemoryMb,
      gpus: h.gpus,
      load: h.load,
      os: h.os,
      procs: b?._count._all ?? 0,
      lastReportAt: h.lastReportAt?.toISOString() ?? null,
      bootedAt: h.bootedAt?.toISOString() ?? null,
    };
  });
}

export async function countHostsUp(db: Database): Promise<number> {
  return db.prisma.host.count({ where: { state: 'UP' } });
}

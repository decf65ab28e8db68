/**
 * The predefined queries a production asks of the farm: frames that failed in the last N
 * hours, how busy the hosts are, and core-hours by show and day (from ShowUsage, which the
 * dispatcher adds to as frames finish). Jobs by show/shot/user/state are the jobs list's filters.
 */
import type { CoreHoursDto, FailedFrameDto, HostUtilizationDto } from '@farmhand/contracts';
import { type VisibleJobs, visibleJobWhere } from '../auth/authorize';
import type { Database } from '../db';

export async function failedFrames(
  db: Database,
  q: { hours: number; show?: string | undefined; limit: number },
  now = Date.now(),
  visible: VisibleJobs = 'all',
): Promise<FailedFrameDto[]> {
  const since = new Date(now - q.hours * 3600_000);
  const attempts = await db.prisma.frameAttempt.findMany({
    where: {
      stoppedAt: { gte: since },
      OR: [{ exitStatus: { not: 0 } }, { exitStatus: null }],
      ...(q.show || visible !== 'all'
        ? { frame: { job: { ...(q.show ? { show: { name: q.show } } : {}), ...visibleJobWhere(visible) } } }
        : {}),
    },
    include: {
      frame: {
        select: {
          number: true,
          jobId: true,
          layer: { select: { name: true } },
          job: { select: { name: true, show: { select: { name: true } } } },
        },
      },
    },
    orderBy: [{ stoppedAt: 'desc' }, { id: 'desc' }],
    take: q.limit,
  });
  return attempts.map((a) => ({
    frameId: a.frameId,
    jobId: a.frame.jobId,
    job: a.frame.job.name,
    show: a.frame.job.show.name,
    layer: a.frame.layer.name,
    number: a.frame.number,
    attempt: a.attempt,
    hostName: a.hostName,
    exitStatus: a.exitStatus,
    reason: a.reason,
    stoppedAt: (a.stoppedAt as Date).toISOString(),
  }));
}

export async function hostUtilization(db: Database): Promise<HostUtilizationDto> {
  const hosts = await db.prisma.host.findMany({
    include: { allocation: { select: { name: true } }, procs: { select: { cores: true } } },
    orderBy: { name: 'asc' },
  });
  const rows = hosts.map((h) => {
    const bookedCores = h.procs.reduce((n, p) => n + p.cores, 0);
    return {
      name: h.name,
      allocation: h.allocation.name,
      state: h.state,
      cores: h.cores,
      bookedCores,
      utilization: h.cores > 0 ? bookedCores / h.cores : 0,
    };
  });
  const up = rows.filter((r) => r.state === 'UP');
  const cores = up.reduce((n, r) => n + r.cores, 0);
  const bookedCores = up.reduce((n, r) => n + r.bookedCores, 0);
  return { hosts: rows, totals: { cores, bookedCores, utilization: cores > 0 ? bookedCores / cores : 0, hostsUp: up.length } };
}

export async function coreHours(
  db: Database,
  q: { show?: string | undefined; from?: string | undefined; to?: string | undefined },
  visible: VisibleJobs = 'all',
): Promise<CoreHoursDto[]> {
  const usage = await db.prisma.showUsage.findMany({
    where: {
      ...(visible === 'all' ? {} : { showId: { in: visible.shows } }),
      ...(q.show ? { show: { name: q.show } } : {}),
      ...(q.from || q.to ? { day: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
    },
    include: { show: { select: { name: true } } },
    orderBy: [{ day: 'asc' }],
  });
  return usage
    .map((u) => ({ show: u.show.name, day: u.day, coreHours: u.coreSeconds / 3600, frames: u.frames }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.show.localeCompare(b.show));
}

/**
 * Paged lists for scripts: jobs, frames, hosts, shows, allocations and limits with filters and
 * cursor pagination. A cursor is the id of the last row of the previous page, so a page stays
 * right while rows are added ahead of it; the order is fixed per list (jobs newest first).
 */
import type { FrameState, HostLock, HostState, JobState, Page } from '@farmhand/contracts';
import { type VisibleJobs, visibleJobWhere } from '../auth/authorize';
import type { Database } from '../db';
import { countsBy, type FrameRow, jobRow } from './jobs';

interface PageInput {
  limit: number;
  cursor?: string | undefined;
}

function page<T extends { id: string | number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]?.id) : null };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export interface JobsFilter extends PageInput {
  show?: string | undefined;
  shot?: string | undefined;
  user?: string | undefined;
  state?: JobState[] | undefined;
  name?: string | undefined;
}

export async function pageJobs(db: Database, f: JobsFilter, visible: VisibleJobs = 'all') {
  const where = {
    ...visibleJobWhere(visible),
    ...(f.user ? { user: f.user } : {}),
    ...(f.show ? { show: { name: f.show } } : {}),
    ...(f.shot ? { shot: f.shot } : {}),
    ...(f.state ? { state: { in: f.state } } : {}),
    ...(f.name ? { name: { contains: f.name } } : {}),
  };
  const jobs = await db.prisma.job.findMany({
    where,
    include: { show: { select: { name: true } } },
    orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const counts = await countsBy(
    db,
    'jobId',
    jobs.map((j) => j.id),
  );
  return page(
    jobs.map((j) => jobRow(j, counts.get(j.id))),
    f.limit,
  );
}

export interface FramesFilter extends PageInput {
  jobId?: string | undefined;
  layer?: string | undefined;
  state?: FrameState[] | undefined;
  host?: string | undefined;
}

export async function pageFrames(db: Database, f: FramesFilter, visible: VisibleJobs = 'all'): Promise<Page<FrameRow>> {
  const frames = await db.prisma.frame.findMany({
    where: {
      ...(visible === 'all' ? {} : { job: visibleJobWhere(visible) }),
      ...(f.jobId ? { jobId: f.jobId } : {}),
      ...(f.layer ? { layer: { name: f.layer } } : {}),
      ...(f.state ? { state: { in: f.state } } : {}),
      ...(f.host ? { host: { name: f.host } } : {}),
    },
    include: { host: { select: { name: true } }, layer: { select: { name: true } } },
    orderBy: { id: 'asc' },
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: Number(f.cursor) }, skip: 1 } : {}),
  });
  return page(
    frames.map((r) => ({
      id: r.id,
      jobId: r.jobId,
      layerId: r.layerId,
      layerName: r.layer.name,
      number: r.number,
      frames: r.frames,
      state: r.state as FrameState,
      retries: r.retries,
      attempt: r.attempt,
      exitStatus: r.exitStatus,
      hostName: r.host?.name ?? null,
      startedAt: iso(r.startedAt),
      stoppedAt: iso(r.stoppedAt),
      maxRssMb: r.maxRssMb,
      cpuSeconds: r.cpuSeconds,
    })),
    f.limit,
  );
}

export interface HostsFilter extends PageInput {
  state?: HostState[] | undefined;
  lock?: HostLock[] | undefined;
  allocation?: string | undefined;
  tag?: string | undefined;
}

export async function pageHosts(db: Database, f: HostsFilter) {
  const hosts = await db.prisma.host.findMany({
    where: {
      ...(f.state ? { state: { in: f.state } } : {}),
      ...(f.lock ? { lock: { in: f.lock } } : {}),
      ...(f.allocation ? { allocation: { name: f.allocation } } : {}),
      ...(f.tag ? { tags: { contains: f.tag } } : {}),
    },
    include: { allocation: { select: { name: true } }, procs: { select: { cores: true } } },
    orderBy: { id: 'asc' },
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const rows = hosts
    .map((h) => ({
      id: h.id,
      name: h.name,
      allocation: h.allocation.name,
      state: h.state as HostState,
      lock: h.lock as HostLock,
      cores: h.cores,
      idleCores: Math.max(0, h.cores - h.procs.reduce((n, p) => n + p.cores, 0)),
      memoryMb: h.memoryMb,
      freeMemoryMb: h.freeMemoryMb,
      gpus: h.gpus,
      tags: h.tags.split(' ').filter(Boolean),
      procs: h.procs.length,
      lastReportAt: iso(h.lastReportAt),
    }))
    // `contains` on the tag text would also match part of a longer tag.
    .filter((h) => !f.tag || h.tags.includes(f.tag));
  return page(rows, f.limit);
}

export async function pageShows(db: Database, f: PageInput) {
  const shows = await db.prisma.show.findMany({
    include: { subscriptions: { include: { allocation: { select: { name: true } } } } },
    orderBy: { id: 'asc' },
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  return page(
    shows.map((s) => ({
      id: s.id,
      name: s.name,
      active: s.active,
      subscriptions: s.subscriptions.map((x) => ({ allocation: x.allocation.name, size: x.size, burst: x.burst })),
    })),
    f.limit,
  );
}

export async function pageAllocations(db: Database, f: PageInput) {
  const rows = await db.prisma.allocation.findMany({
    include: { facility: { select: { name: true } }, _count: { select: { hosts: true } } },
    orderBy: { id: 'asc' },
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  return page(
    rows.map((a) => ({ id: a.id, name: a.name, tag: a.tag, facility: a.facility.name, hosts: a._count.hosts })),
    f.limit,
  );
}

export async function pageLimits(db: Database, f: PageInput) {
  const rows = await db.prisma.limit.findMany({
    orderBy: { id: 'asc' },
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  return page(
    rows.map((l) => ({ id: l.id, name: l.name, max: l.max, current: l.current })),
    f.limit,
  );
}

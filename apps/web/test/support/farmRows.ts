/**
 * Builders for the web's read-side tests: a small farm written straight into a real database
 * (what the dispatcher would have committed), so the wrangler and production reads can be
 * checked without running frames for minutes.
 */
import { randomUUID } from 'node:crypto';
import type { Database, FrameState } from '@farmhand/db';

export async function aFarm(db: Database, opts: { hostMemoryMb?: number; lastReportAt?: Date | null } = {}) {
  const p = db.prisma;
  const facility = await p.facility.create({ data: { id: randomUUID(), name: `site-${randomUUID().slice(0, 6)}` } });
  const allocation = await p.allocation.create({
    data: { id: randomUUID(), name: 'local.general', tag: 'general', facilityId: facility.id },
  });
  const host = await p.host.create({
    data: {
      id: randomUUID(),
      name: 'render01',
      allocationId: allocation.id,
      cores: 8,
      memoryMb: opts.hostMemoryMb ?? 16_384,
      lastReportAt: opts.lastReportAt === undefined ? new Date() : opts.lastReportAt,
    },
  });
  const show = await p.show.create({ data: { id: randomUUID(), name: 'falcon' } });
  await p.subscription.create({ data: { id: randomUUID(), showId: show.id, allocationId: allocation.id, size: 4, burst: 8 } });
  return { allocation, host, show };
}

export interface JobRows {
  name: string;
  shot?: string;
  memoryMb?: number;
  frames: FrameState[];
}

/** A one-layer job whose frames are in the given states. */
export async function aJob(db: Database, showId: string, spec: JobRows) {
  const id = randomUUID();
  const layerId = randomUUID();
  await db.prisma.job.create({
    data: {
      id,
      name: spec.name,
      showId,
      shot: spec.shot ?? '',
      user: 'alice',
      state: 'RUNNING',
      layers: {
        create: [
          {
            id: layerId,
            name: 'render',
            command: 'render #FRAME#',
            range: `1-${spec.frames.length}`,
            memoryMb: spec.memoryMb ?? 1024,
            frames: {
              create: spec.frames.map((state, i) => ({ jobId: id, number: i + 1, frames: String(i + 1), dispatchOrder: i, state })),
            },
          },
        ],
      },
    },
  });
  const frames = await db.prisma.frame.findMany({ where: { jobId: id }, orderBy: { number: 'asc' } });
  return { id, layerId, frames };
}

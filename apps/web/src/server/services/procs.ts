/** Procs: what runs where right now — host, job, layer, frame, cores and memory booked, since when. */
import type { Database } from '../db';

export interface ProcRow {
  id: string;
  hostName: string;
  jobId: string;
  jobName: string;
  show: string;
  user: string;
  layerName: string;
  frames: string;
  frameId: number;
  attempt: number;
  cores: number;
  memoryMb: number;
  gpus: number;
  bookedAt: string;
  startedAt: string | null;
}

export async function listProcs(db: Database, limit = 5000): Promise<ProcRow[]> {
  const procs = await db.prisma.proc.findMany({
    take: limit,
    orderBy: { bookedAt: 'asc' },
    include: {
      host: { select: { name: true } },
      job: { select: { name: true, user: true, show: { select: { name: true } } } },
      frame: { select: { frames: true, layer: { select: { name: true } } } },
    },
  });
  return procs.map((p) => ({
    id: p.id,
    hostName: p.host.name,
    jobId: p.jobId,
    jobName: p.job.name,
    show: p.job.show.name,
    user: p.job.user,
    layerName: p.frame.layer.name,
    frames: p.frame.frames,
    frameId: p.frameId,
    attempt: p.attempt,
    cores: p.cores,
    memoryMb: p.memoryMb,
    gpus: p.gpus,
    bookedAt: p.bookedAt.toISOString(),
    startedAt: p.startedAt?.toISOString() ?? null,
  }));
}

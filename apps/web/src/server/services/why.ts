/**
 * "Why isn't my job running?": the scheduler's own explanation (`explain()` over a snapshot of
 * the farm built from the database) for a job, a layer or a frame, plus the depends still
 * holding it, in sentences an artist can act on.
 */
import { AppError } from '@farmhand/contracts';
import { type ExplainCode, explain } from '@farmhand/scheduler';
import type { Database } from '../db';
import { buildFarmSnapshot } from './farmSnapshot';

export type WhyTarget = { jobId: string } | { layerId: string } | { frameId: number };

export interface WhyLine {
  code: ExplainCode;
  reason: string;
  frames: number;
}

export interface WhyAnswer {
  subject: string;
  lines: WhyLine[];
  /** When the answer was computed (the farm as last committed to the database). */
  at: string;
}

async function jobOf(db: Database, target: WhyTarget): Promise<string> {
  if ('jobId' in target) {
    const job = await db.prisma.job.findUnique({ where: { id: target.jobId }, select: { id: true } });
    if (!job) throw new AppError('NOT_FOUND', `There is no job with id '${target.jobId}'`, [{ path: 'jobId', message: 'no such job' }]);
    return job.id;
  }
  if ('layerId' in target) {
    const layer = await db.prisma.layer.findUnique({ where: { id: target.layerId }, select: { jobId: true } });
    if (!layer)
      throw new AppError('NOT_FOUND', `There is no layer with id '${target.layerId}'`, [{ path: 'layerId', message: 'no such layer' }]);
    return layer.jobId;
  }
  const frame = await db.prisma.frame.findUnique({ where: { id: target.frameId }, select: { jobId: true } });
  if (!frame)
    throw new AppError('NOT_FOUND', `There is no frame with id ${target.frameId}`, [{ path: 'frameId', message: 'no such frame' }]);
  return frame.jobId;
}

/** Sentences for the active depends holding the target (by the Depend rows and the frames in DEPEND). */
async function dependLines(db: Database, jobId: string, target: WhyTarget): Promise<WhyLine[]> {
  const where = 'frameId' in target ? { id: target.frameId } : 'layerId' in target ? { layerId: target.layerId } : { jobId: target.jobId };
  const waiting = await db.prisma.frame.count({ where: { ...where, state: 'DEPEND' } });
  if (waiting === 0) return [];
  const depends = await db.prisma.depend.findMany({ where: { dependerJobId: jobId, active: true }, take: 20 });
  const onJobs = new Map(
    (await db.prisma.job.findMany({ where: { id: { in: depends.map((d) => d.onJobId) } }, select: { id: true, name: true } })).map((j) => [
      j.id,
      j.name,
    ]),
  );
  const onLayerIds = depends.map((d) => d.onLayerId).filter((x): x is string => x !== null);
  const onLayers = new Map(
    (await db.prisma.layer.findMany({ where: { id: { in: onLayerIds } }, select: { id: true, name: true } })).map((l) => [l.id, l.name]),
  );
  const frames = waiting === 1 ? '1 frame waits' : `${waiting} frames wait`;
  if (depends.length === 0) return [{ code: 'DEPEND', reason: `${frames} on a depend`, frames: waiting }];
  const what = depends.map((d) => {
    const job = `job '${onJobs.get(d.onJobId) ?? d.onJobId}'`;
    return d.onLayerId ? `layer '${onLayers.get(d.onLayerId) ?? d.onLayerId}' of ${job}` : job;
  });
  return [{ code: 'DEPEND', reason: `${frames} on ${[...new Set(what)].join(', ')} to finish`, frames: waiting }];
}

export async function whyNotRunning(db: Database, target: WhyTarget, now: number = Date.now()): Promise<WhyAnswer> {
  const jobId = await jobOf(db, target);
  // The whole farm: other shows' jobs compete for the same hosts, so the pass must see them.
  const snapshot = await buildFarmSnapshot(db, now);
  const explained = explain(snapshot, target);
  const depends = await dependLines(db, jobId, target);
  let lines: WhyLine[] = explained.lines;
  if (depends.length > 0) lines = [...lines.filter((l) => l.code !== 'NOT_READY'), ...depends];
  return { subject: explained.subject, lines, at: new Date(now).toISOString() };
}

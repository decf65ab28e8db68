/**
 * Reading jobs for pages and scripts: the jobs list with frame counts by state, one job with
 * its layers and frames, and a frame's attempts. Dates leave as ISO strings.
 */
import { AppError, FRAME_STATES, type FrameCounts, type FrameState, type JobState, type LayerType } from '@farmhand/contracts';
import { type VisibleJobs, visibleJobWhere } from '../auth/authorize';
import type { Database } from '../db';
import { readJobFrames } from './frameRows';

export interface JobRow {
  id: string;
  name: string;
  show: string;
  shot: string;
  user: string;
  state: JobState;
  paused: boolean;
  priority: number;
  maxRetries: number;
  submittedAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  counts: FrameCounts;
  totalFrames: number;
  /** Core-seconds its finished attempts used (what the dispatcher charges the show). */
  coreSeconds: number;
}

export interface LayerRow {
  id: string;
  name: string;
  index: number;
  type: LayerType;
  command: string;
  range: string;
  chunk: number;
  minCores: number;
  memoryMb: number;
  counts: FrameCounts;
}

export interface FrameRow {
  id: number;
  jobId: string;
  layerId: string;
  layerName: string;
  number: number;
  frames: string;
  state: FrameState;
  retries: number;
  attempt: number;
  exitStatus: number | null;
  hostName: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
  maxRssMb: number;
  cpuSeconds: number;
  /** The preview's verdict on the frame's image when it is not a good one (BLACK, MISSING, ERROR), with why. */
  media?: { status: string; reason: string | null } | null;
}

export interface JobDetail {
  job: JobRow;
  layers: LayerRow[];
  frames: FrameRow[];
}

export interface AttemptRow {
  attempt: number;
  hostName: string;
  startedAt: string;
  stoppedAt: string | null;
  exitStatus: number | null;
  exitSignal: string | null;
  reason: string | null;
  maxRssMb: number;
  cpuSeconds: number;
  logPath: string;
}

export interface JobFilter {
  user?: string | undefined;
  show?: string | undefined;
  limit?: number | undefined;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function emptyCounts(): FrameCounts {
  return Object.fromEntries(FRAME_STATES.map((s) => [s, 0])) as FrameCounts;
}

/** Frame counts by state of each job (or layer), from one grouped count. */
export async function countsBy(db: Database, key: 'jobId' | 'layerId', ids: string[]): Promise<Map<string, FrameCounts>> {
  const out = new Map<string, FrameCounts>();
  if (ids.length === 0) return out;
  const groups = await db.prisma.frame.groupBy({ by: [key, 'state'], where: { [key]: { in: ids } }, _count: { _all: true } });
  for (const g of groups) {
    const id = g[key] as string;
    const counts = out.get(id) ?? emptyCounts();
    counts[g.state as FrameState] = g._count._all;
    out.set(id, counts);
  }
  return out;
}

type JobRecord = {
  id: string;
  name: string;
  show: { name: string };
  shot: string;
  user: string;
  state: string;
  paused: boolean;
  priority: number;
  maxRetries: number;
  submittedAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
  coreSeconds: number;
};

export function jobRow(j: JobRecord, counts: FrameCounts | undefined): JobRow {
  const c = counts ?? emptyCounts();
  return {
    id: j.id,
    name: j.name,
    show: j.show.name,
    shot: j.shot,
    user: j.user,
    state: j.state as JobState,
    paused: j.paused,
    priority: j.priority,
    maxRetries: j.maxRetries,
    submittedAt: j.submittedAt.toISOString(),
    startedAt: iso(j.startedAt),
    stoppedAt: iso(j.stoppedAt),
    counts: c,
    totalFrames: FRAME_STATES.reduce((n, s) => n + c[s], 0),
    coreSeconds: j.coreSeconds,
  };
}

/** Newest first. */
export async function listJobs(db: Database, filter: JobFilter = {}, visible: VisibleJobs = 'all'): Promise<JobRow[]> {
  const jobs = await db.prisma.job.findMany({
    where: {
      ...(filter.user ? { user: filter.user } : {}),
      ...(filter.show ? { show: { name: filter.show } } : {}),
      ...visibleJobWhere(visible),
    },
    include: { show: { select: { name: true } } },
    orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit ?? 1000,
  });
  const counts = await countsBy(
    db,
    'jobId',
    jobs.map((j) => j.id),
  );
  return jobs.map((j) => jobRow(j, counts.get(j.id)));
}

export async function getJob(db: Database, id: string): Promise<JobDetail> {
  const job = await db.prisma.job.findUnique({
    where: { id },
    include: { show: { select: { name: true } }, layers: { orderBy: { index: 'asc' } } },
  });
  if (!job) throw new AppError('NOT_FOUND', `There is no job with id '${id}'`, [{ path: 'id', message: 'no such job' }]);
  // One SQL statement for the columns shown, host names from one small query (frameRows.ts):
  // a job page of 100,000 frames waits on this read.
  const frames = await readJobFrames(db, id);
  const hostIds = [...new Set(frames.flatMap((f) => (f.hostId ? [f.hostId] : [])))];
  const hostNames = new Map(
    hostIds.length
      ? (await db.prisma.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true } })).map((h) => [h.id, h.name])
      : [],
  );
  const layerNames = new Map(job.layers.map((l) => [l.id, l.name]));
  const media = await badMediaFrames(db, job.layers);
  const layerCounts = await countsBy(
    db,
    'layerId',
    job.layers.map((l) => l.id),
  );
  const jobCounts = emptyCounts();
  for (const f of frames) jobCounts[f.state as FrameState]++;
  return {
    job: jobRow(job, jobCounts),
    layers: job.layers.map((l) => ({
      id: l.id,
      name: l.name,
      index: l.index,
      type: l.type as LayerType,
      command: l.command,
      range: l.range,
      chunk: l.chunk,
      minCores: l.minCores,
      memoryMb: l.memoryMb,
      counts: layerCounts.get(l.id) ?? emptyCounts(),
    })),
    frames: frames.map((f) => ({
      id: f.id,
      jobId: f.jobId,
      layerId: f.layerId,
      layerName: layerNames.get(f.layerId) ?? '',
      number: f.number,
      frames: f.frames,
      state: f.state as FrameState,
      retries: f.retries,
      attempt: f.attempt,
      exitStatus: f.exitStatus,
      hostName: (f.hostId && hostNames.get(f.hostId)) || null,
      startedAt: iso(f.startedAt),
      stoppedAt: iso(f.stoppedAt),
      maxRssMb: f.maxRssMb,
      cpuSeconds: f.cpuSeconds,
      media: media.get(`${f.layerId}:${f.number}`) ?? null,
    })),
  };
}

/** The frames of layers with previews whose image is not good (black, missing, unreadable), by `layerId:number`. */
async function badMediaFrames(
  db: Database,
  layers: readonly { id: string; outputPath: string | null }[],
): Promise<Map<string, { status: string; reason: string | null }>> {
  const ids = layers.filter((l) => l.outputPath).map((l) => l.id);
  if (ids.length === 0) return new Map();
  const rows = await db.prisma.mediaFrame.findMany({
    where: { layerId: { in: ids }, status: { in: ['BLACK', 'MISSING', 'ERROR'] } },
    select: { layerId: true, number: true, status: true, reason: true },
  });
  return new Map(rows.map((r) => [`${r.layerId}:${r.number}`, { status: r.status, reason: r.reason }]));
}

/** A frame's attempts, oldest first. */
export async function frameAttempts(db: Database, frameId: number): Promise<AttemptRow[]> {
  const frame = await db.prisma.frame.findUnique({ where: { id: frameId }, select: { id: true } });
  if (!frame) throw new AppError('NOT_FOUND', `There is no frame with id ${frameId}`, [{ path: 'frameId', message: 'no such frame' }]);
  const attempts = await db.prisma.frameAttempt.findMany({ where: { frameId }, orderBy: { attempt: 'asc' } });
  return attempts.map((a) => ({
    attempt: a.attempt,
    hostName: a.hostName,
    startedAt: a.startedAt.toISOString(),
    stoppedAt: iso(a.stoppedAt),
    exitStatus: a.exitStatus,
    exitSignal: a.exitSignal,
    reason: a.reason,
    maxRssMb: a.maxRssMb,
    cpuSeconds: a.cpuSeconds,
    logPath: a.logPath,
  }));
}

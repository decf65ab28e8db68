/**
 * The production view's figures: frame progress by show → sequence → shot, and core-hours per
 * show per day (the ShowUsage table the dispatcher keeps).
 *
 * Sequences: jobs carry a shot name only, so a shot's sequence is the part of its name before
 * the first `_`, `-` or `.` (`sq010_sh020` → `sq010`); a name without one is its own sequence,
 * and jobs without a shot are grouped under "(no shot)".
 */
import { FRAME_STATES, type FrameCounts, type FrameState } from '@farmhand/contracts';
import { type VisibleJobs, visibleJobWhere } from '../auth/authorize';
import type { Database } from '../db';
import { emptyCounts } from './jobs';

export const NO_SHOT = '(no shot)';

export function sequenceOf(shot: string): string {
  if (!shot) return NO_SHOT;
  const m = /^([^_\-.]+)[_\-.]/.exec(shot);
  return m?.[1] ?? shot;
}

export interface ShotProgress {
  shot: string;
  jobs: number;
  counts: FrameCounts;
}

export interface SequenceProgress {
  sequence: string;
  counts: FrameCounts;
  shots: ShotProgress[];
}

export interface ShowProgress {
  show: string;
  jobs: number;
  counts: FrameCounts;
  sequences: SequenceProgress[];
}

function addCounts(into: FrameCounts, from: FrameCounts): void {
  for (const s of FRAME_STATES) into[s] += from[s];
}

export async function productionProgress(db: Database, show?: string, visible: VisibleJobs = 'all'): Promise<ShowProgress[]> {
  const jobs = await db.prisma.job.findMany({
    where: { state: { not: 'KILLED' }, ...(show ? { show: { name: show } } : {}), ...visibleJobWhere(visible) },
    select: { id: true, shot: true, show: { select: { name: true } } },
  });
  const groups = jobs.length
    ? await db.prisma.frame.groupBy({ by: ['jobId', 'state'], where: { jobId: { in: jobs.map((j) => j.id) } }, _count: { _all: true } })
    : [];
  const jobCounts = new Map<string, FrameCounts>();
  for (const g of groups) {
    const c = jobCounts.get(g.jobId) ?? emptyCounts();
    c[g.state as FrameState] += g._count._all;
    jobCounts.set(g.jobId, c);
  }
  const shows = new Map<string, ShowProgress>();
  for (const j of jobs) {
    const counts = jobCounts.get(j.id) ?? emptyCounts();
    let s = shows.get(j.show.name);
    if (!s) {
      s = { show: j.show.name, jobs: 0, counts: emptyCounts(), sequences: [] };
      shows.set(j.show.name, s);
    }
    s.jobs++;
    addCounts(s.counts, counts);
    const seqName = sequenceOf(j.shot);
    let seq = s.sequences.find((x) => x.sequence === seqName);
    if (!seq) {
      seq = { sequence: seqName, counts: emptyCounts(), shots: [] };
      s.sequences.push(seq);
    }
    addCounts(seq.counts, counts);
    const shotName = j.shot || NO_SHOT;
    let shot = seq.shots.find((x) => x.shot === shotName);
    if (!shot) {
      shot = { shot: shotName, jobs: 0, counts: emptyCounts() };
      seq.shots.push(shot);
    }
    shot.jobs++;
    addCounts(shot.counts, counts);
  }
  const byName =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  const out = [...shows.values()].sort(byName((s) => s.show));
  for (const s of out) {
    s.sequences.sort(byName((q) => q.sequence));
    for (const q of s.sequences) q.shots.sort(byName((x) => x.shot));
  }
  return out;
}

export interface UsageSeries {
  days: string[];
  shows: { show: string; coreHours: number[] }[];
}

/** Core-hours per show per day over the last `days` days (inclusive of today, UTC days as the table keys them). */
export async function coreHoursByDay(
  db: Database,
  days = 30,
  now: number = Date.now(),
  visible: VisibleJobs = 'all',
): Promise<UsageSeries> {
  const dayKeys: string[] = [];
  for (let i = days - 1; i >= 0; i--) dayKeys.push(new Date(now - i * 86_400_000).toISOString().slice(0, 10));
  const rows = await db.prisma.showUsage.findMany({
    // Usage is per show: a reader sees the shows they are granted (their own jobs elsewhere are not split out).
    where: { day: { gte: dayKeys[0] ?? '' }, ...(visible === 'all' ? {} : { showId: { in: visible.shows } }) },
    include: { show: { select: { name: true } } },
  });
  const index = new Map(dayKeys.map((d, i) => [d, i]));
  const series = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(r.day.slice(0, 10));
    if (i === undefined) continue;
    const values = series.get(r.show.name) ?? new Array<number>(dayKeys.length).fill(0);
    values[i] = (values[i] ?? 0) + r.coreSeconds / 3600;
    series.set(r.show.name, values);
  }
  return {
    days: dayKeys,
    shows: [...series.entries()].map(([show, coreHours]) => ({ show, coreHours })).sort((a, b) => a.show.localeCompare(b.show)),
  };
}

/**
 * The wrangler's problems panel: jobs that cannot run and the scheduler's reasons (one pass
 * over a snapshot of the farm from the database), dead frames grouped by the last error line
 * of their logs, and hosts that are down or have stopped reporting.
 */
import fs from 'node:fs/promises';
import type { HostLock, HostState } from '@farmhand/contracts';
import { schedule, type UnbookedCode } from '@farmhand/scheduler';
import type { Database } from '../db';
import { buildFarmSnapshot } from './farmSnapshot';
import { resolveLogFile } from './logs';

export interface StuckJob {
  jobId: string;
  name: string;
  show: string;
  user: string;
  /** Ready frames the scheduler could not place. */
  waiting: number;
  reasons: { code: UnbookedCode; reason: string; frames: number }[];
}

/** Reasons a wrangler acts on; a farm that is simply full is not a problem of one job. */
const STUCK_CODES = new Set<UnbookedCode>([
  'NO_SUBSCRIPTION',
  'NO_HOST_MATCHES',
  'LIMIT_REACHED',
  'SHOW_AT_BURST',
  'NO_HOST_HAS_RESOURCES',
]);

export async function stuckJobs(db: Database, now: number = Date.now()): Promise<StuckJob[]> {
  const snapshot = await buildFarmSnapshot(db, now);
  if (snapshot.frames.length === 0) return [];
  const plan = schedule(snapshot);
  const layerJob = new Map(snapshot.layers.map((l) => [l.id, l.jobId]));
  const frameLayer = new Map(snapshot.frames.map((f) => [f.id, f.layerId]));
  const booked = new Set(plan.bookings.map((b) => b.jobId));
  const byJob = new Map<string, Map<string, { code: UnbookedCode; reason: string; frames: number }>>();
  for (const u of plan.unbooked) {
    if (!STUCK_CODES.has(u.code)) continue;
    const jobId = layerJob.get(frameLayer.get(u.frameId) ?? '');
    if (!jobId || booked.has(jobId)) continue;
    const reasons = byJob.get(jobId) ?? new Map();
    const line = reasons.get(u.reason) ?? { code: u.code, reason: u.reason, frames: 0 };
    line.frames++;
    reasons.set(u.reason, line);
    byJob.set(jobId, reasons);
  }
  if (byJob.size === 0) return [];
  const jobs = await db.prisma.job.findMany({
    where: { id: { in: [...byJob.keys()] } },
    select: { id: true, name: true, user: true, show: { select: { name: true } } },
  });
  return jobs
    .map((j) => {
      const reasons = [...(byJob.get(j.id)?.values() ?? [])].sort((a, b) => b.frames - a.frames);
      return { jobId: j.id, name: j.name, show: j.show.name, user: j.user, waiting: reasons.reduce((n, r) => n + r.frames, 0), reasons };
    })
    .sort((a, b) => b.waiting - a.waiting);
}

export interface DeadFrameGroup {
  /** The last error line, with numbers masked so that "frame 12" and "frame 13" group together. */
  key: string;
  /** One real line of the group, as the log has it. */
  example: string;
  count: number;
  /** Up to 20 frames: enough to open a log or retry them. */
  frames: { id: number; jobId: string; jobName: string; layerName: string; frames: string; attempt: number }[];
}

const ERROR_LINE = /error|traceback|segmentation fault|out of memory|exception|fatal|failed|killed|not found|denied/i;
const TAIL_BYTES = 8 * 1024;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** The line that says why: the last line that looks like an error, else the last line. */
export function lastErrorLine(text: string): string {
  // Colour codes would split one error into groups per terminal.
  const lines = text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) if (ERROR_LINE.test(lines[i] ?? '')) return lines[i] ?? '';
  return lines.at(-1) ?? '';
}

export function groupKey(line: string): string {
  return line
    .replace(/0x[0-9a-f]+/gi, '0x…')
    .replace(/\d+/g, 'N')
    .slice(0, 300);
}

async function tail(file: string): Promise<string> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function deadFrameGroups(db: Database, logRoot: string, limit = 500): Promise<DeadFrameGroup[]> {
  const dead = await db.prisma.frame.findMany({
    where: { state: 'DEAD', job: { state: { not: 'KILLED' } } },
    orderBy: { stoppedAt: 'desc' },
    take: limit,
    select: {
      id: true,
      jobId: true,
      frames: true,
      attempt: true,
      job: { select: { name: true } },
      layer: { select: { name: true } },
      attempts: { orderBy: { attempt: 'desc' }, take: 1, select: { logPath: true, reason: true, exitStatus: true } },
    },
  });
  const groups = new Map<string, DeadFrameGroup>();
  await Promise.all(
    dead.map(async (f) => {
      const last = f.attempts[0];
      let line = '';
      if (last) {
        const file = await resolveLogFile(logRoot, last.logPath).catch(() => null);
        line = file ? lastErrorLine(await tail(file)) : '';
        if (!line)
          line = `no log output (exit ${last.exitStatus ?? '?'}${last.reason && last.reason !== 'EXITED' ? `, ${last.reason}` : ''})`;
      } else line = 'no attempt recorded';
      const key = groupKey(line);
      const group = groups.get(key) ?? { key, example: line, count: 0, frames: [] };
      group.count++;
      if (group.frames.length < 20)
        group.frames.push({ id: f.id, jobId: f.jobId, jobName: f.job.name, layerName: f.layer.name, frames: f.frames, attempt: f.attempt });
      groups.set(key, group);
    }),
  );
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export interface HostProblem {
  id: string;
  name: string;
  state: HostState;
  lock: HostLock;
  lastReportAt: string | null;
  problem: string;
}

/** Hosts DOWN or REPAIR, and UP hosts whose last report is older than `staleAfterS`. */
export async function hostProblems(db: Database, staleAfterS: number, now: number = Date.now()): Promise<HostProblem[]> {
  const hosts = await db.prisma.host.findMany({ orderBy: { name: 'asc' } });
  const out: HostProblem[] = [];
  for (const h of hosts) {
    const last = h.lastReportAt?.getTime() ?? null;
    const silentS = last === null ? null : Math.round((now - last) / 1000);
    let problem: string | null = null;
    if (h.state === 'DOWN') problem = silentS === null ? 'down: never reported' : `down: last report ${silentS} s ago`;
    else if (h.state === 'REPAIR') problem = 'in repair';
    else if (silentS === null) problem = 'has never reported';
    else if (silentS > staleAfterS) problem = `not reporting: last report ${silentS} s ago`;
    if (problem)
      out.push({
        id: h.id,
        name: h.name,
        state: h.state as HostState,
        lock: h.lock as HostLock,
        lastReportAt: h.lastReportAt?.toISOString() ?? null,
        problem,
      });
  }
  return out;
}

/**
 * The audit trail: the command table (every change anyone asked for, with who, what, on what,
 * when and the outcome), filtered by user, object and time, newest first, paged by id.
 */
import { z } from 'zod';
import type { Database } from '../db';

export const auditQuerySchema = z.object({
  user: z.string().trim().optional(),
  /** A job, host or show id (or name for hosts and shows), or a command kind such as `kill_job`. */
  object: z.string().trim().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Commands older than this id (the previous page's last). */
  before: z.number().int().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export interface AuditRow {
  id: number;
  at: string;
  user: string;
  kind: string;
  targetType: string;
  targetId: string;
  /** A job's name or a host's name, when it still exists. */
  targetName: string | null;
  args: string;
  status: string;
  outcome: string | null;
}

export async function auditTrail(db: Database, input: unknown): Promise<{ rows: AuditRow[]; next: number | null }> {
  const q = auditQuerySchema.parse(input ?? {});
  const object = q.object || undefined;
  let ids: string[] = [];
  if (object) {
    const [hosts, shows] = await Promise.all([
      db.prisma.host.findMany({ where: { name: object }, select: { id: true } }),
      db.prisma.show.findMany({ where: { name: object }, select: { id: true } }),
    ]);
    ids = [object, ...hosts.map((h) => h.id), ...shows.map((s) => s.id)];
  }
  const rows = await db.prisma.command.findMany({
    where: {
      ...(q.user ? { user: q.user } : {}),
      ...(object ? { OR: [{ targetId: { in: ids } }, { kind: object }] } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } } : {}),
      ...(q.before ? { id: { lt: q.before } } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const jobIds = page.filter((r) => r.targetType === 'job').map((r) => r.targetId);
  const hostIds = page.filter((r) => r.targetType === 'host').map((r) => r.targetId);
  const showIds = page.filter((r) => r.targetType === 'show').map((r) => r.targetId);
  const [jobs, hosts, shows] = await Promise.all([
    db.prisma.job.findMany({ where: { id: { in: jobIds } }, select: { id: true, name: true } }),
    db.prisma.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true } }),
    db.prisma.show.findMany({ where: { id: { in: showIds } }, select: { id: true, name: true } }),
  ]);
  const names = new Map([...jobs, ...hosts, ...shows].map((x) => [x.id, x.name]));
  return {
    rows: page.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      user: r.user,
      kind: r.kind,
      targetType: r.targetType,
      targetId: r.targetId,
      targetName: names.get(r.targetId) ?? null,
      args: r.args.length > 300 ? `${r.args.slice(0, 300)}…` : r.args,
      status: r.status,
      outcome: r.outcome,
    })),
    next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

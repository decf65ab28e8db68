/**
 * What users say about log lines: each show's error patterns ("jump to first error"; the
 * defaults when a show has none) and each user's alert rules (matched by the dispatcher on the
 * live log stream). Input is validated with the shared schemas; a show's list is replaced in one
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  type AlertRuleInput,
  AppError,
  alertRuleInputSchema,
  DEFAULT_ERROR_PATTERNS,
  type ErrorPatternsInput,
  errorPatternsInputSchema,
} from '@farmhand/contracts';
import type { Database } from '../db';

export interface ShowErrorPatterns {
  show: string;
  patterns: string[];
  /** True when the show has none of its own and the defaults apply. */
  isDefault: boolean;
}

export interface AlertRuleRow {
  id: string;
  pattern: string;
  show: string | null;
  enabled: boolean;
  createdAt: string;
}

async function showId(db: Database, name: string): Promise<string> {
  const show = await db.prisma.show.findUnique({ where: { name }, select: { id: true } });
  if (!show) throw new AppError('NOT_FOUND', `show '${name}' does not exist`, [{ path: 'show', message: 'no such show' }]);
  return show.id;
}

export async function showErrorPatterns(db: Database, show: string): Promise<ShowErrorPatterns> {
  const rows = await db.prisma.errorPattern.findMany({ where: { showId: await showId(db, show) }, orderBy: { createdAt: 'asc' } });
  return rows.length > 0
    ? { show, patterns: rows.map((r) => r.pattern), isDefault: false }
    : { show, patterns: [...DEFAULT_ERROR_PATTERNS], isDefault: true };
}

/** Replaces the show's patterns; an empty list goes back to the defaults. */
export async function setShowErrorPatterns(db: Database, input: ErrorPatternsInput): Promise<ShowErrorPatterns> {
  const { show, patterns } = errorPatternsInputSchema.parse(input);
  const id = await showId(db, show);
  const unique = [...new Set(patterns)];
  const now = Date.now();
  await db.prisma.$transaction([
    db.prisma.errorPattern.deleteMany({ where: { showId: id } }),
    // createdAt keeps the order the user gave (the list is read oldest first).
    ...unique.map((pattern, i) =>
      db.prisma.errorPattern.create({ data: { id: randomUUID(), showId: id, pattern, createdAt: new Date(now + i) } }),
    ),
  ]);
  return showErrorPatterns(db, show);
}

export async function listAlertRules(db: Database, user: string): Promise<AlertRuleRow[]> {
  const rows = await db.prisma.alertRule.findMany({ where: { user }, orderBy: { createdAt: 'asc' } });
  const shows = new Map((await db.prisma.show.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  return rows.map((r) => ({
    id: r.id,
    pattern: r.pattern,
    show: r.showId ? (shows.get(r.showId) ?? r.showId) : null,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function addAlertRule(db: Database, user: string, input: AlertRuleInput): Promise<AlertRuleRow> {
  const { pattern, show } = alertRuleInputSchema.parse(input);
  const row = await db.prisma.alertRule.create({
    data: { id: randomUUID(), user, pattern, showId: show ? await showId(db, show) : null },
  });
  return { id: row.id, pattern: row.pattern, show: show ?? null, enabled: row.enabled, createdAt: row.createdAt.toISOString() };
}

/** Removes one of the user's own rules; another user's rule is "not found". */
export async function removeAlertRule(db: Database, user: string, id: string): Promise<void> {
  const { count } = await db.prisma.alertRule.deleteMany({ where: { id, user } });
  if (count === 0) throw new AppError('NOT_FOUND', `you have no alert rule with id '${id}'`, [{ path: 'id', message: 'no such rule' }]);
}

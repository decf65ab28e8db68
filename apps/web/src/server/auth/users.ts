/**
 * Accounts and role grants, as admins manage them on /admin/users: create built-in (or LDAP)
 * accounts, make or unmake admins, disable (which ends their sessions and stops their tokens),
 * set a new password, grant and remove roles per show or facility-wide.
 */
import { randomUUID } from 'node:crypto';
import { AppError, grantInputSchema, type Role, userInputSchema } from '@farmhand/contracts';
import { z } from 'zod';
import type { Database } from '../db';
import { hashPassword } from './secrets';

export interface UserRow {
  id: string;
  name: string;
  displayName: string;
  email: string | null;
  source: string;
  admin: boolean;
  disabled: boolean;
  lastLoginAt: string | null;
  grants: { id: string; role: Role; showId: string | null; showName: string | null }[];
}

export async function listUsers(db: Database): Promise<UserRow[]> {
  const [users, shows] = await Promise.all([
    db.prisma.user.findMany({ orderBy: { name: 'asc' }, include: { grants: { orderBy: { createdAt: 'asc' } } } }),
    db.prisma.show.findMany({ select: { id: true, name: true } }),
  ]);
  const showName = new Map(shows.map((s) => [s.id, s.name]));
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    displayName: u.displayName,
    email: u.email,
    source: u.source,
    admin: u.admin,
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    grants: u.grants.map((g) => ({
      id: g.id,
      role: g.role as Role,
      showId: g.showId,
      showName: g.showId ? (showName.get(g.showId) ?? null) : null,
    })),
  }));
}

export async function createUser(db: Database, input: unknown): Promise<{ id: string }> {
  const u = userInputSchema.parse(input);
  if (u.source === 'local' && !u.password)
    throw new AppError('VALIDATION', 'password: a built-in account needs a password (at least 10 characters)', [
      { path: 'password', message: 'required for a built-in account' },
    ]);
  const exists = await db.prisma.user.findUnique({ where: { name: u.name }, select: { id: true } });
  if (exists) throw new AppError('CONFLICT', `name: there is already an account named '${u.name}'`, [{ path: 'name', message: 'taken' }]);
  const row = await db.prisma.user.create({
    data: {
      id: randomUUID(),
      name: u.name,
      displayName: u.displayName,
      email: u.email ?? null,
      source: u.source,
      admin: u.admin,
      passwordHash: u.source === 'local' && u.password ? await hashPassword(u.password) : null,
    },
  });
  return { id: row.id };
}

export const userUpdateSchema = z.object({
  userId: z.string().min(1),
  admin: z.boolean().optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(10, 'a password has at least 10 characters').max(1000).optional(),
});

export async function updateUser(db: Database, input: unknown, by: string): Promise<{ updated: true }> {
  const u = userUpdateSchema.parse(input);
  const user = await db.prisma.user.findUnique({ where: { id: u.userId } });
  if (!user)
    throw new AppError('NOT_FOUND', `userId: there is no account with id '${u.userId}'`, [{ path: 'userId', message: 'no such account' }]);
  if (user.name === by && (u.admin === false || u.disabled === true))
    throw new AppError('CONFLICT', 'You cannot remove your own admin right or disable yourself: ask another admin');
  const passwordHash = u.password ? await hashPassword(u.password) : undefined;
  await db.prisma.$transaction([
    db.prisma.user.update({
      where: { id: u.userId },
      data: {
        ...(u.admin !== undefined ? { admin: u.admin } : {}),
        ...(u.disabled !== undefined ? { disabled: u.disabled } : {}),
        ...(passwordHash ? { passwordHash, source: 'local' } : {}),
      },
    }),
    // Disabling or a new password ends the account's sessions.
    ...(u.disabled || passwordHash ? [db.prisma.session.deleteMany({ where: { userId: u.userId } })] : []),
  ]);
  return { updated: true };
}

export async function addGrant(db: Database, input: unknown): Promise<{ id: string }> {
  const g = grantInputSchema.parse(input);
  let showId: string | null = null;
  if (g.show) {
    const show = await db.prisma.show.findFirst({ where: { OR: [{ id: g.show }, { name: g.show }] }, select: { id: true } });
    if (!show) throw new AppError('VALIDATION', `show: there is no show named '${g.show}'`, [{ path: 'show', message: 'no such show' }]);
    showId = show.id;
  }
  const user = await db.prisma.user.findUnique({ where: { id: g.userId }, select: { id: true } });
  if (!user)
    throw new AppError('NOT_FOUND', `userId: there is no account with id '${g.userId}'`, [{ path: 'userId', message: 'no such account' }]);
  const existing = await db.prisma.roleGrant.findFirst({ where: { userId: g.userId, role: g.role, showId } });
  if (existing) return { id: existing.id };
  const row = await db.prisma.roleGrant.create({ data: { id: randomUUID(), userId: g.userId, role: g.role, showId } });
  return { id: row.id };
}

export async function removeGrant(db: Database, grantId: string): Promise<{ removed: true }> {
  const result = await db.prisma.roleGrant.deleteMany({ where: { id: grantId } });
  if (result.count === 0)
    throw new AppError('NOT_FOUND', `grantId: there is no grant with id '${grantId}'`, [{ path: 'grantId', message: 'no such grant' }]);
  return { removed: true };
}

/**
 * Accounts as the request sees them: the actor behind a session cookie or an API token,
 * sessions (created at sign-in, ended at sign-out or expiry), and sign-in itself (built-in
 * accounts by argon2 hash, LDAP accounts by bind). Every sign-in failure reads the same
 * ("Wrong user name or password") and costs the same time, whether the name exists or not.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Actor, AppError, type Grant, type Role, signInSchema, type TokenScope } from '@farmhand/contracts';
import type { Database } from '../db';
import type { AuthConfig } from './config';
import { groupsToRights, ldapAuthenticate } from './ldap';
import { hashPassword, newOpaqueToken, sha256, verifyPassword } from './secrets';

export const WRONG_CREDENTIALS = 'Wrong user name or password';

interface UserWithGrants {
  id: string;
  name: string;
  admin: boolean;
  disabled: boolean;
  grants: { role: string; showId: string | null }[];
}

const withGrants = { grants: { select: { role: true, showId: true } } } as const;

export function actorOf(user: UserWithGrants, via: Actor['via'], scopes: TokenScope[] | null = null): Actor {
  return {
    name: user.name,
    admin: user.admin,
    grants: user.grants.map((g): Grant => ({ role: g.role as Role, showId: g.showId })),
    via,
    scopes,
  };
}

export interface SessionInfo {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** The actor and session behind a session cookie's value; null when unknown, expired or the user is disabled. */
export async function sessionActor(db: Database, token: string): Promise<{ actor: Actor; session: SessionInfo } | null> {
  const row = await db.prisma.session.findUnique({ where: { tokenHash: sha256(token) }, include: { user: { include: withGrants } } });
  if (!row) return null;
  const now = new Date();
  if (row.expiresAt <= now || row.user.disabled) {
    await db.prisma.session.deleteMany({ where: { id: row.id } });
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000)
    await db.prisma.session.update({ where: { id: row.id }, data: { lastSeenAt: now } }).catch(() => undefined);
  return {
    actor: actorOf(row.user, 'session'),
    session: { id: row.id, userId: row.userId, csrfToken: row.csrfToken, expiresAt: row.expiresAt },
  };
}

/** The actor behind `Authorization: Bearer <token>`; null when unknown, revoked, expired or the user is disabled. */
export async function tokenActor(db: Database, token: string): Promise<Actor | null> {
  const row = await db.prisma.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: { include: withGrants } } });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
    await db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => undefined);
  return actorOf(row.user, 'token', row.scopes.split(/\s+/).filter(Boolean) as TokenScope[]);
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
}

async function createSession(db: Database, config: AuthConfig, user: UserWithGrants): Promise<NewSession> {
  const secret = newOpaqueToken('fhs');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + config.sessionHours * 3600_000);
  await db.prisma.$transaction([
    db.prisma.session.create({ data: { id: randomUUID(), tokenHash: secret.hash, userId: user.id, csrfToken, expiresAt } }),
    db.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } }),
    // Sessions that ended are dropped as new ones start, so the table does not grow forever.
    db.prisma.session.deleteMany({ where: { userId: user.id, expiresAt: { lt: new Date() } } }),
  ]);
  return { token: secret.token, csrfToken, expiresAt, actor: actorOf(user, 'session') };
}

export async function endSession(db: Database, sessionId: string): Promise<void> {
  await db.prisma.session.deleteMany({ where: { id: sessionId } });
}

/**
 * Signs in with a user name and password: a built-in account by its hash, otherwise (when
 * LDAP is configured) by an LDAP bind, which creates or refreshes the account and its grants
 * from the user's groups. Rate limited per name and per address before anything is checked.
 */
export async function signIn(db: Database, config: AuthConfig, input: unknown, address: string): Promise<NewSession> {
  const { name, password } = signInSchema.parse(input);
  await config.limiter.check(name, address);
  const existing = await db.prisma.user.findUnique({ where: { name }, include: withGrants });
  let user: UserWithGrants | null = null;
  if (existing && existing.source !== 'ldap') {
    if (await verifyPassword(existing.passwordHash, password)) user = existing;
  } else if (config.ldap) {
    const found = await ldapAuthenticate(config.ldap, name, password).catch((e: unknown) => {
      console.error('[web] LDAP sign-in failed', e);
      throw new AppError('UNAVAILABLE', 'The directory (LDAP) cannot be reached; try again later or ask an admin');
    });
    if (found) user = await upsertLdapUser(db, name, found);
  } else {
    await verifyPassword(null, password);
  }
  if (!user || user.disabled) {
    await config.limiter.failed(name, address);
    throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
  }
  await config.limiter.succeeded(name);
  return createSession(db, config, user);
}

/** An LDAP user's account and grants as their groups say, replaced at every sign-in (the directory is the source). */
async function upsertLdapUser(
  db: Database,
  name: string,
  found: { displayName: string; email: string | null; groups: string[] },
): Promise<UserWithGrants> {
  const rights = groupsToRights(found.groups);
  const showNames = [...new Set(rights.grants.map((g) => g.showName).filter((s): s is string => s !== null))];
  const shows = await db.prisma.show.findMany({ where: { name: { in: showNames } }, select: { id: true, name: true } });
  const showId = new Map(shows.map((s) => [s.name, s.id]));
  const grants = rights.grants.flatMap((g) =>
    g.showName === null
      ? [{ role: g.role, showId: null }]
      : showId.has(g.showName)
        ? [{ role: g.role, showId: showId.get(g.showName) ?? null }]
        : [],
  );
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.upsert({
      where: { name },
      create: { id: randomUUID(), name, displayName: found.displayName, email: found.email, source: 'ldap', admin: rights.admin },
      update: { displayName: found.displayName, email: found.email, admin: rights.admin },
    });
    await tx.roleGrant.deleteMany({ where: { userId: user.id } });
    const unique = new Map(grants.map((g) => [`${g.role}:${g.showId}`, g]));
    for (const g of unique.values())
      await tx.roleGrant.create({ data: { id: randomUUID(), userId: user.id, role: g.role, showId: g.showId } });
    return { ...user, grants: [...unique.values()] };
  });
}

/**
 * The one-time setup step: the first admin, with a generated password printed once. Refused
 * when an admin account already exists (then admins manage accounts on the admin page).
 */
export async function setupFirstAdmin(db: Database, name = 'admin'): Promise<{ name: string; password: string }> {
  const admins = await db.prisma.user.count({ where: { admin: true, source: 'local', disabled: false } });
  if (admins > 0)
    throw new AppError('CONFLICT', 'An admin account exists already: sign in as an admin and manage accounts on /admin/users');
  const password = randomBytes(15).toString('base64url');
  const passwordHash = await hashPassword(password);
  await db.prisma.user.upsert({
    where: { name },
    create: { id: randomUUID(), name, displayName: 'Administrator', source: 'local', passwordHash, admin: true },
    update: { passwordHash, admin: true, disabled: false, source: 'local' },
  });
  return { name, password };
}

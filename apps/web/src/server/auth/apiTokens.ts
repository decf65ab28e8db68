/**
 * A user's API tokens (for scripts, the CLI and the SDK): created with scopes and an optional
 * expiry, shown once (only the SHA-256 is kept), listed by name and prefix, revoked. A user
 * manages their own tokens only.
 */
import { randomUUID } from 'node:crypto';
import { AppError, apiTokenInputSchema } from '@farmhand/contracts';
import type { Database } from '../db';
import { newOpaqueToken } from './secrets';

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

async function userId(db: Database, userName: string): Promise<string> {
  const user = await db.prisma.user.findUnique({ where: { name: userName }, select: { id: true } });
  if (!user) throw new AppError('NOT_FOUND', `There is no account named '${userName}': sign in with an account to make API tokens`);
  return user.id;
}

export async function listApiTokens(db: Database, userName: string): Promise<ApiTokenRow[]> {
  const rows = await db.prisma.apiToken.findMany({ where: { user: { name: userName } }, orderBy: { createdAt: 'desc' } });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes.split(' ').filter(Boolean),
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}

/** The new token's secret is in the answer, and nowhere else ever again. */
export async function createApiToken(
  db: Database,
  userName: string,
  input: unknown,
): Promise<{ id: string; token: string; prefix: string }> {
  const { name, scopes, expiresInDays } = apiTokenInputSchema.parse(input);
  const owner = await userId(db, userName);
  const secret = newOpaqueToken('fh');
  const row = await db.prisma.apiToken.create({
    data: {
      id: randomUUID(),
      userId: owner,
      name,
      prefix: secret.prefix,
      tokenHash: secret.hash,
      scopes: [...new Set(scopes)].join(' '),
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    },
  });
  return { id: row.id, token: secret.token, prefix: secret.prefix };
}

export async function revokeApiToken(db: Database, userName: string, tokenId: string): Promise<{ revoked: true }> {
  const result = await db.prisma.apiToken.updateMany({
    where: { id: tokenId, user: { name: userName }, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (result.count === 0)
    throw new AppError('NOT_FOUND', `tokenId: you have no active API token with id '${tokenId}'`, [
      { path: 'tokenId', message: 'no such token' },
    ]);
  return { revoked: true };
}

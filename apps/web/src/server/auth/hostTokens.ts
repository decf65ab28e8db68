/**
 * Host tokens: one per render host (or group of hosts), separate from user credentials.
 * Admins create them (shown once; the dispatcher keeps only the SHA-256 and checks it when rqd
 * connects) and revoke them (the host cannot connect again).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@farmhand/contracts';
import { z } from 'zod';
import type { Database } from '../db';
import { newOpaqueToken } from './secrets';

export const hostTokenInputSchema = z.object({ name: z.string().trim().min(1, 'give the host token a name').max(120) });

export async function createHostToken(db: Database, input: unknown): Promise<{ id: string; name: string; token: string }> {
  const { name } = hostTokenInputSchema.parse(input);
  const secret = newOpaqueToken('fhh');
  const row = await db.prisma.hostToken.create({ data: { id: randomUUID(), name, prefix: secret.prefix, tokenHash: secret.hash } });
  return { id: row.id, name, token: secret.token };
}

export async function listHostTokens(db: Database) {
  const rows = await db.prisma.hostToken.findMany({ orderBy: { createdAt: 'desc' } });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeHostToken(db: Database, id: string): Promise<{ revoked: true }> {
  const result = await db.prisma.hostToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (result.count === 0)
    throw new AppError('NOT_FOUND', `tokenId: there is no active host token with id '${id}'`, [
      { path: 'tokenId', message: 'no such token' },
    ]);
  return { revoked: true };
}
